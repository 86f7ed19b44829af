/* cmd_import.c - "nextcall import clients FILE": CSV import, all or nothing, with a report of
 * every bad row and duplicate by line; "nextcall import cdr FILE": Asterisk calls, bad lines
 * reported and skipped. */
#include "app/cdr.h"
#include "cli/commands.h"
#include "util/buf.h"
#include "util/file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MAX_FILE ((size_t)512 << 20)

/* read_file reads a whole file into buf; -1 with err naming the path. */
static void print_report(const struct import_report *r, bool dry, bool ok)
{
	for (size_t i = 0; i < r->nissues; i++) {
		if (r->issues[i].line)
			fprintf(stderr, "line %ld: %s\n", r->issues[i].line, r->issues[i].reason);
		else
			fprintf(stderr, "%s\n", r->issues[i].reason);
	}
	printf("%s: %zu rows, %zu %s, %zu duplicates skipped, %zu bad (encoding %s, delimiter "
	       "%s)\n",
	       dry  ? "dry run"
	       : ok ? "imported"
		    : "rejected",
	       r->rows, r->created, dry ? "would be created" : "created", r->duplicates, r->bad,
	       r->encoding,
	       r->delimiter == '\t'  ? "tab"
	       : r->delimiter == ';' ? ";"
				     : ",");
}

int cmd_import_clients(struct cli *cli, int argc, char **argv)
{
	struct import_opts o = {0};
	const char *pos[1];
	const struct opt opts[] = {{"encoding", OPT_STR, &o.encoding, NULL},
				   {"delimiter", OPT_STR, &o.delimiter, NULL},
				   {"owner", OPT_STR, &o.owner, NULL},
				   {"dry-run", OPT_FLAG, &o.dry_run, NULL},
				   {0}};
	if (cli_parse(cli, argc, argv, opts, pos, 1, 1) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	struct buf data;
	buf_init(&data, MAX_FILE);
	struct import_report rep = {0};
	int rc = file_read(pos[0], "file", &data, &err);
	if (rc == 0)
		rc = app_import_clients(&cli->app, data.data, data.len, &o, &rep, &err);
	buf_release(&data);
	if (rc < 0 && err.field[0] && !strcmp(err.field, "file") && rep.rows) {
		print_report(&rep, o.dry_run, false);
		return cli_fail(cli, &err);
	}
	if (rc < 0)
		return cli_fail(cli, &err);
	print_report(&rep, o.dry_run, true);
	return EXIT_OK;
}

static void print_cdr_report(const struct cdr_import_report *r, bool dry)
{
	for (size_t i = 0; i < r->nissues; i++)
		fprintf(stderr, "%s\n", r->issues[i].reason);
	printf("%s: %zu rows, %zu calls, %zu %s, %zu already imported, %zu before --since, %zu bad "
	       "lines; %zu missed inbound, %zu callbacks planned (columns %s, zone %s)\n",
	       dry ? "dry run" : "imported", r->rows, r->calls, r->created,
	       dry ? "would be created" : "created", r->already, r->before_since, r->bad,
	       r->missed_in, r->callbacks, r->layout ? r->layout : "?",
	       r->timezone ? r->timezone : "?");
}

int cmd_import_cdr(struct cli *cli, int argc, char **argv)
{
	struct cdr_import_opts o = {0};
	const char *pos[1];
	const struct opt opts[] = {
	    {"since", OPT_STR, &o.since, NULL}, {"dry-run", OPT_FLAG, &o.dry_run, NULL}, {0}};
	if (cli_parse(cli, argc, argv, opts, pos, 1, 1) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	struct buf data;
	buf_init(&data, MAX_FILE);
	struct cdr_import_report rep = {0};
	int rc = file_read(pos[0], "file", &data, &err);
	if (rc == 0)
		rc = app_import_cdr(&cli->app, data.data, data.len, &o, &rep, &err);
	buf_release(&data);
	if (rc < 0) {
		for (size_t i = 0; i < rep.nissues; i++)
			fprintf(stderr, "%s\n", rep.issues[i].reason);
		return cli_fail(cli, &err);
	}
	print_cdr_report(&rep, o.dry_run);
	return EXIT_OK;
}
