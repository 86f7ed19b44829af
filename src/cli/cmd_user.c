/* cmd_user.c - "nextcall user add|set|list": the team's members. */
#include "app/json.h"
#include "cli/commands.h"

#include <stdio.h>
#include <string.h>

/* read_password reads one line from standard input (without its line end) into the arena. */
static const char *read_password(struct cli *cli)
{
	char line[1100];
	if (!fgets(line, sizeof(line), stdin))
		return NULL;
	line[strcspn(line, "\r\n")] = 0;
	return arena_strdup(&cli->arena, line);
}

static int user_cmd(struct cli *cli, int argc, char **argv, bool add)
{
	struct user_input in = {0};
	bool pw_stdin = false;
	const char *pos[1] = {0};
	const struct opt opts[] = {{"name", OPT_STR, &in.name, NULL},
				   {"role", OPT_STR, &in.role, NULL},
				   {"timezone", OPT_STR, &in.timezone, NULL},
				   {"locale", OPT_STR, &in.locale, NULL},
				   {"extension", OPT_STR, &in.extension, NULL},
				   {"password-stdin", OPT_FLAG, &pw_stdin, NULL},
				   {0}};
	if (cli_parse(cli, argc, argv, opts, pos, 1, 1) < 0)
		return EXIT_USAGE;
	if (add && (!in.name || !in.role))
		return cli_usage(cli, "--name and --role are required");
	if (pw_stdin && !(in.password = read_password(cli))) {
		fprintf(stderr, "nextcall: --password-stdin: no password on standard input\n");
		return EXIT_ERROR;
	}
	in.login = pos[0];
	struct nc_err err = {0};
	int64_t id = 0;
	int rc = add ? app_user_add(&cli->app, &in, &id, &err)
		     : app_user_set(&cli->app, pos[0], &in, &err);
	if (rc < 0)
		return cli_fail(cli, &err);
	if (add)
		printf("%lld\n", (long long)id);
	return EXIT_OK;
}

int cmd_user_add(struct cli *cli, int argc, char **argv)
{
	return user_cmd(cli, argc, argv, true);
}

int cmd_user_set(struct cli *cli, int argc, char **argv)
{
	return user_cmd(cli, argc, argv, false);
}

int cmd_user_list(struct cli *cli, int argc, char **argv)
{
	bool json = false;
	const struct opt opts[] = {{"json", OPT_FLAG, &json, NULL}, {0}};
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	struct user_rec *u;
	size_t n;
	struct nc_err err = {0};
	if (store_user_list(cli->db, &cli->arena, &u, &n, &err) < 0)
		return cli_fail(cli, &err);
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, json_of_user(&u[i]));
		cli_print_json(a);
		return EXIT_OK;
	}
	for (size_t i = 0; i < n; i++)
		printf("%-12s %-6s %-24s %-16s %-3s %s%s\n", u[i].login, role_name(u[i].role),
		       u[i].name, u[i].timezone, u[i].locale, u[i].extension ? u[i].extension : "-",
		       u[i].active ? "" : " (inactive)");
	return EXIT_OK;
}
