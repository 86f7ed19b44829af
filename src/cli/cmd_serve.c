/* cmd_serve.c - "nextcall serve": the HTTP server, and "nextcall token": API tokens. */
#include "cli/commands.h"
#include "store/migrate.h"
#include "web/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_serve(struct cli *cli, int argc, char **argv)
{
	struct server_opts o = {.listen = "127.0.0.1:8080",
				.db = cli->db_path,
				.per_address_limit = SERVER_PER_ADDRESS_LIMIT};
	const char *threads = NULL, *per_address = NULL;
	const struct opt opts[] = {{"listen", OPT_STR, &o.listen, NULL},
				   {"tls-proxy", OPT_FLAG, &o.tls_proxy, NULL},
				   {"threads", OPT_STR, &threads, NULL},
				   {"per-address-limit", OPT_STR, &per_address, NULL},
				   {"per-address-exempt", OPT_STR, &o.per_address_exempt, NULL},
				   {0}};
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	if (threads) {
		int64_t t = cli_id(threads);
		if (t < 1 || t > 64)
			return cli_usage(cli, "--threads takes 1 to 64");
		o.threads = (int)t;
	}
	if (per_address) {
		int64_t n = strcmp(per_address, "0") == 0 ? 0 : cli_id(per_address);
		if (n < 0 || n > 100000)
			return cli_usage(cli, "--per-address-limit takes 0 (no limit) to 100000");
		o.per_address_limit = (unsigned)n;
	}
	/* the schema was checked when the database was opened for this command */
	db_close(cli->db);
	cli->db = NULL;
	struct nc_err err = {0};
	if (server_run(&o, &err) < 0)
		return cli_fail(cli, &err);
	return EXIT_OK;
}

int cmd_token_create(struct cli *cli, int argc, char **argv)
{
	const char *pos[1], *name = NULL, *token;
	const struct opt opts[] = {{"name", OPT_STR, &name, NULL}, {0}};
	if (cli_parse(cli, argc, argv, opts, pos, 1, 1) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	int64_t id;
	if (app_token_create(&cli->app, pos[0], name, &token, &id, &err) < 0)
		return cli_fail(cli, &err);
	printf("%s\n", token);
	fprintf(stderr, "token %lld for %s: shown once, keep it secret\n", (long long)id, pos[0]);
	return EXIT_OK;
}

int cmd_token_revoke(struct cli *cli, int argc, char **argv)
{
	const char *pos[1];
	if (cli_parse(cli, argc, argv, NULL, pos, 1, 1) < 0)
		return EXIT_USAGE;
	int64_t id = cli_id(pos[0]);
	struct nc_err err = {0};
	if (app_token_revoke(&cli->app, id > 0 ? id : 0, id > 0 ? NULL : pos[0], &err) < 0)
		return cli_fail(cli, &err);
	return EXIT_OK;
}
