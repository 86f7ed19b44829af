/* cmd_report.c - "nextcall report stats|funnel|reps": the head of sales' numbers for a period as
 * JSON (the API's contract), an aligned table, CSV or an XLSX workbook; "report verify" recounts
 * the rollups from the raw rows; "call delete" removes a call (admin). */
#include "app/json.h"
#include "app/report_tables.h"
#include "cli/commands.h"
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum report_kind { REPORT_STATS, REPORT_FUNNEL, REPORT_REPS };

/* write_out writes b to path, or to stdout when path is NULL. */
static int write_out(const struct buf *b, const char *path)
{
	if (buf_failed(b)) {
		fprintf(stderr, "nextcall: output: the report is too large\n");
		return EXIT_ERROR;
	}
	FILE *f = path ? fopen(path, "wb") : stdout;
	if (!f) {
		fprintf(stderr, "nextcall: output: cannot write %s\n", path);
		return EXIT_ERROR;
	}
	size_t w = fwrite(b->data, 1, b->len, f);
	int bad = w != b->len;
	if (path)
		bad |= fclose(f) != 0;
	if (bad) {
		fprintf(stderr, "nextcall: output: cannot write %s\n", path ? path : "stdout");
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

static int run_report(struct cli *cli, int argc, char **argv, enum report_kind kind)
{
	struct report_filter f = {0};
	const char *format = "table", *output = NULL;
	const struct opt opts[] = {
	    {"from", OPT_STR, &f.from, NULL},	    {"to", OPT_STR, &f.to, NULL},
	    {"rep", OPT_STR, &f.rep, NULL},	    {"source", OPT_STR, &f.source, NULL},
	    {"segment", OPT_STR, &f.segment, NULL}, {"format", OPT_STR, &format, NULL},
	    {"output", OPT_STR, &output, NULL},	    {0}};
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	if (!f.from || !f.to)
		return cli_usage(cli, f.from ? "--to DATE is required" : "--from DATE is required");
	bool json = !strcmp(format, "json"), csv = !strcmp(format, "csv");
	bool xlsx = !strcmp(format, "xlsx"), text = !strcmp(format, "table");
	if (!json && !csv && !xlsx && !text)
		return cli_usage(cli, "--format: table, csv, xlsx or json");
	if (xlsx && !output)
		return cli_usage(cli, "--format xlsx needs --output FILE");
	struct nc_err err = {0};
	struct report_stats s;
	struct report_funnel fu;
	struct report_reps r;
	int rc = kind == REPORT_STATS	 ? app_report_stats(&cli->app, &f, &s, &err)
		 : kind == REPORT_FUNNEL ? app_report_funnel(&cli->app, &f, &fu, &err)
					 : app_report_reps(&cli->app, &f, &r, &err);
	if (rc < 0)
		return cli_fail(cli, &err);
	struct buf b;
	buf_init(&b, 0);
	int ex = EXIT_OK;
	if (json) {
		json_t *j = kind == REPORT_STATS    ? json_of_report_stats(&s)
			    : kind == REPORT_FUNNEL ? json_of_report_funnel(&fu)
						    : json_of_report_reps(&r);
		char *t = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(j);
		if (t) {
			buf_adds(&b, t);
			buf_addc(&b, '\n');
			free(t);
		}
		ex = write_out(&b, output);
		goto out;
	}
	struct table t[REPORT_TABLES_MAX];
	size_t n = 0;
	if (kind == REPORT_STATS)
		report_stats_tables(&s, &cli->arena, t, &n);
	else if (kind == REPORT_FUNNEL)
		report_funnel_tables(&fu, &cli->arena, t, &n);
	else
		report_reps_tables(&r, &cli->arena, t, &n);
	if (xlsx) {
		if (table_xlsx(t, n, output, &err) < 0)
			ex = cli_fail(cli, &err);
		goto out;
	}
	if (csv)
		table_csv(t, n, &b);
	else
		table_text(t, n, &b);
	ex = write_out(&b, output);
out:
	buf_release(&b);
	return ex;
}

int cmd_report_stats(struct cli *cli, int argc, char **argv)
{
	return run_report(cli, argc, argv, REPORT_STATS);
}

int cmd_report_funnel(struct cli *cli, int argc, char **argv)
{
	return run_report(cli, argc, argv, REPORT_FUNNEL);
}

int cmd_report_reps(struct cli *cli, int argc, char **argv)
{
	return run_report(cli, argc, argv, REPORT_REPS);
}

int cmd_report_verify(struct cli *cli, int argc, char **argv)
{
	bool fix = false;
	const struct opt opts[] = {{"fix", OPT_FLAG, &fix, NULL}, {0}};
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	struct report_diffs d;
	if (app_report_verify(&cli->app, fix, &d, &err) < 0)
		return cli_fail(cli, &err);
	if (d.total == 0) {
		printf("rollups, pool counts, step copies, script counts and call hours match the "
		       "raw rows: 0 differences\n");
		return EXIT_OK;
	}
	char what[240];
	snprintf(what, sizeof what,
		 "%lld rollup cells, %lld pool counts, %lld step copies, %lld script counts, %lld "
		 "call hours",
		 (long long)d.rollups, (long long)d.pool, (long long)d.copies, (long long)d.scripts,
		 (long long)d.hours);
	if (fix) {
		printf("%lld differences found and fixed (%s)\n", (long long)d.total, what);
		return EXIT_OK;
	}
	printf("%lld differences (%s) between the raw rows and what is kept from them (run report "
	       "verify --fix)\n",
	       (long long)d.total, what);
	return EXIT_ERROR;
}

int cmd_call_delete(struct cli *cli, int argc, char **argv)
{
	const char *pos[1];
	if (cli_parse(cli, argc, argv, NULL, pos, 1, 1) < 0)
		return EXIT_USAGE;
	int64_t id = cli_id(pos[0]);
	if (id < 0) {
		fprintf(stderr, "nextcall: id: want a call id, not \"%.40s\"\n", pos[0]);
		return EXIT_USAGE;
	}
	struct nc_err err = {0};
	if (app_call_delete(&cli->app, id, &err) < 0)
		return cli_fail(cli, &err);
	printf("call %lld deleted\n", (long long)id);
	return EXIT_OK;
}
