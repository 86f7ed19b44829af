/* cmd_catalog.c - "nextcall segment|source|spend": segments with their cadence, lead sources and
 * their monthly ad spend. */
#include "cli/commands.h"

#include <stdio.h>

int cmd_segment_add(struct cli *cli, int argc, char **argv)
{
	const char *pos[1], *every = NULL;
	const struct opt opts[] = {{"every", OPT_STR, &every, NULL}, {0}};
	if (cli_parse(cli, argc, argv, opts, pos, 1, 1) < 0)
		return EXIT_USAGE;
	if (!every)
		return cli_usage(cli, "--every is required");
	struct nc_err err = {0};
	int64_t id;
	if (app_segment_add(&cli->app, pos[0], every, &id, &err) < 0)
		return cli_fail(cli, &err);
	printf("%lld\n", (long long)id);
	return EXIT_OK;
}

int cmd_segment_list(struct cli *cli, int argc, char **argv)
{
	bool json = false;
	const struct opt opts[] = {{"json", OPT_FLAG, &json, NULL}, {0}};
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	struct segment_rec *s;
	size_t n;
	if (store_segment_list(cli->db, &cli->arena, &s, &n, &err) < 0)
		return cli_fail(cli, &err);
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		if (json)
			json_array_append_new(a, json_pack("{s:I, s:s, s:i, s:i}", "id",
							   (json_int_t)s[i].id, "name", s[i].name,
							   "min_days", s[i].min_days, "max_days",
							   s[i].max_days));
		else
			printf("%-4lld %-30s every %d-%d days\n", (long long)s[i].id, s[i].name,
			       s[i].min_days, s[i].max_days);
	}
	if (json)
		cli_print_json(a);
	else
		json_decref(a);
	return EXIT_OK;
}

int cmd_source_add(struct cli *cli, int argc, char **argv)
{
	const char *pos[1];
	if (cli_parse(cli, argc, argv, NULL, pos, 1, 1) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	int64_t id;
	if (app_source_add(&cli->app, pos[0], &id, &err) < 0)
		return cli_fail(cli, &err);
	printf("%lld\n", (long long)id);
	return EXIT_OK;
}

int cmd_source_list(struct cli *cli, int argc, char **argv)
{
	bool json = false;
	const struct opt opts[] = {{"json", OPT_FLAG, &json, NULL}, {0}};
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	struct source_rec *s;
	size_t n;
	if (store_source_list(cli->db, &cli->arena, &s, &n, &err) < 0)
		return cli_fail(cli, &err);
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		if (json)
			json_array_append_new(a, json_pack("{s:I, s:s}", "id", (json_int_t)s[i].id,
							   "name", s[i].name));
		else
			printf("%-4lld %s\n", (long long)s[i].id, s[i].name);
	}
	if (json)
		cli_print_json(a);
	else
		json_decref(a);
	return EXIT_OK;
}

int cmd_spend_set(struct cli *cli, int argc, char **argv)
{
	const char *pos[3];
	if (cli_parse(cli, argc, argv, NULL, pos, 3, 3) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	if (app_spend_set(&cli->app, pos[0], pos[1], pos[2], &err) < 0)
		return cli_fail(cli, &err);
	return EXIT_OK;
}
