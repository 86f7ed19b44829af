/* cmd_backup.c - "nextcall backup FILE" and "nextcall restore FILE" (SQLite; PostgreSQL teams
 * use pg_dump and pg_restore). */
#include "cli/commands.h"

#include <stdio.h>

int cmd_backup(struct cli *cli, int argc, char **argv)
{
	const char *pos[1];
	if (cli_parse(cli, argc, argv, NULL, pos, 1, 1) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	if (app_backup(&cli->app, pos[0], &err) < 0)
		return cli_fail(cli, &err);
	printf("backup of %s written to %s\n", cli->db_path, pos[0]);
	return EXIT_OK;
}

/* restore opens the database itself, without the schema check of the other commands: the
 * database being replaced may be empty (a new machine) or damaged. */
int cmd_restore(struct cli *cli, int argc, char **argv)
{
	const char *pos[1];
	if (cli_parse(cli, argc, argv, NULL, pos, 1, 1) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	int applied = 0;
	cli->db = db_open(cli->db_path, &err);
	if (!cli->db)
		return cli_fail(cli, &err);
	app_begin(&cli->app, cli->db, &cli->arena, NULL);
	if (app_restore(&cli->app, pos[0], &applied, &err) < 0)
		return cli_fail(cli, &err);
	printf("restored %s from %s", cli->db_path, pos[0]);
	if (applied)
		printf(" (upgraded by %d migration%s)", applied, applied == 1 ? "" : "s");
	printf("\n");
	return EXIT_OK;
}
