/* cmd_copydb.c - "nextcall copy-db": copy a whole database to a new one (SQLite to PostgreSQL or
 * back) and print, per table, the rows and checksums of both sides. */
#include "cli/commands.h"
#include "store/migrate.h"

#include <inttypes.h>
#include <stdio.h>

int cmd_copydb(struct cli *cli, int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	const struct opt opts[] = {{"from", OPT_STR, &from, NULL}, {"to", OPT_STR, &to, NULL}, {0}};
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	if (!from || !to)
		return cli_usage(cli, "--from and --to are required");
	struct nc_err err = {0};
	struct copydb_report rep;
	int rc = EXIT_ERROR;
	struct db *src = db_open(from, &err), *dst = NULL;
	/* check the source before the target is created (a SQLite file) */
	if (!src || migrate_check(src, &err) < 0)
		goto fail;
	dst = db_open(to, &err);
	if (!dst || app_copydb(src, dst, &rep, &err) < 0)
		goto fail;
	printf("%-16s %10s %10s %-16s %-16s %s\n", "table", "source", "target", "checksum",
	       "target checksum", "ok");
	for (size_t i = 0; i < COPYDB_NTABLES; i++) {
		const struct copydb_row *r = &rep.t[i];
		bool ok = r->src_rows == r->dst_rows && r->src_sum == r->dst_sum;
		printf("%-16s %10" PRId64 " %10" PRId64 " %016" PRIx64 " %016" PRIx64 " %s\n",
		       r->table, r->src_rows, r->dst_rows, r->src_sum, r->dst_sum,
		       ok ? "ok" : "DIFF");
	}
	if (rep.ok) {
		printf("copied: all %d tables match\n", COPYDB_NTABLES);
		rc = EXIT_OK;
	} else {
		fprintf(stderr, "nextcall: copy-db: tables differ; nothing was committed\n");
	}
	db_close(src);
	db_close(dst);
	return rc;
fail:
	rc = cli_fail(cli, &err);
	db_close(src);
	db_close(dst);
	return rc;
}
