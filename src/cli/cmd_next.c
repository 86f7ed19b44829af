/* cmd_next.c - "nextcall next list|done|move|cancel": planned next steps. */
#include "app/json.h"
#include "cli/commands.h"

#include <stdio.h>

int cmd_next_list(struct cli *cli, int argc, char **argv)
{
	const char *rep = NULL;
	bool json = false;
	const struct opt opts[] = {
	    {"rep", OPT_STR, &rep, NULL}, {"json", OPT_FLAG, &json, NULL}, {0}};
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	struct step_rec *s;
	size_t n;
	if (app_step_list(&cli->app, rep, &s, &n, &err) < 0)
		return cli_fail(cli, &err);
	const char *tz = cli_zone(cli);
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, json_of_step(&s[i], tz));
		cli_print_json(a);
		return EXIT_OK;
	}
	for (size_t i = 0; i < n; i++)
		printf("%-6lld %s %-9s %-8s #%lld %s\n", (long long)s[i].id,
		       cli_time(cli, s[i].due_at, tz), step_kind_name(s[i].kind),
		       s[i].rep ? s[i].rep : "-", (long long)s[i].client_id,
		       s[i].client_name ? s[i].client_name : "");
	return EXIT_OK;
}

static int one_id(struct cli *cli, int argc, char **argv, const struct opt *opts, size_t npos,
		  const char **pos, int64_t *id)
{
	if (cli_parse(cli, argc, argv, opts, pos, npos, npos) < 0)
		return -1;
	*id = cli_id(pos[0]);
	if (*id <= 0)
		return cli_usage(cli, "ID must be a next step's number"), -1;
	return 0;
}

int cmd_next_done(struct cli *cli, int argc, char **argv)
{
	const char *pos[1];
	int64_t id;
	if (one_id(cli, argc, argv, NULL, 1, pos, &id) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	if (app_step_done(&cli->app, id, &err) < 0)
		return cli_fail(cli, &err);
	return EXIT_OK;
}

int cmd_next_move(struct cli *cli, int argc, char **argv)
{
	const char *pos[2];
	int64_t id;
	if (one_id(cli, argc, argv, NULL, 2, pos, &id) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	if (app_step_move(&cli->app, id, pos[1], &err) < 0)
		return cli_fail(cli, &err);
	return EXIT_OK;
}

int cmd_next_cancel(struct cli *cli, int argc, char **argv)
{
	const char *pos[1], *reason = NULL;
	const struct opt opts[] = {{"reason", OPT_STR, &reason, NULL}, {0}};
	int64_t id;
	if (one_id(cli, argc, argv, opts, 1, pos, &id) < 0)
		return EXIT_USAGE;
	if (!reason)
		return cli_usage(cli, "--reason is required");
	struct nc_err err = {0};
	if (app_step_cancel(&cli->app, id, reason, &err) < 0)
		return cli_fail(cli, &err);
	return EXIT_OK;
}
