/* cmd_init.c - "nextcall init": create or upgrade the database, optionally with the demo team. */
#include "cli/commands.h"
#include "store/migrate.h"

#include <stdio.h>

int cmd_init(struct cli *cli, int argc, char **argv)
{
	bool demo = false;
	const struct opt opts[] = {{"demo", OPT_FLAG, &demo, NULL}, {0}};
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	int applied = 0;
	cli->db = db_open(cli->db_path, &err);
	if (!cli->db || migrate_apply(cli->db, &applied, &err) < 0)
		return cli_fail(cli, &err);
	int version = 0;
	migrate_current(cli->db, &version, &err);
	printf("database %s: schema version %d (%d migration%s applied)\n", cli->db_path, version,
	       applied, applied == 1 ? "" : "s");
	if (!demo)
		return EXIT_OK;
	app_begin(&cli->app, cli->db, &cli->arena, NULL);
	if (app_demo(&cli->app, &err) < 0)
		return cli_fail(cli, &err);
	printf("demo data loaded: logins admin, elena (head), anna, oleg, mike (reps); password "
	       "demo1234\n");
	return EXIT_OK;
}
