/* cmd_settings.c - "nextcall settings list|set|add|remove": the team's settings, listed from the
 * settings table of app/settings.c. */
#include "cli/commands.h"

#include <stdio.h>

int cmd_settings_list(struct cli *cli, int argc, char **argv)
{
	bool json = false;
	const struct opt opts[] = {{"json", OPT_FLAG, &json, NULL}, {0}};
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	json_t *out = json_array();
	struct nc_err err = {0};
	for (const struct setting_def *d = setting_defs; d->key; d++) {
		const char *v;
		if (app_setting_get(&cli->app, d->key, &v, &err) < 0) {
			json_decref(out);
			return cli_fail(cli, &err);
		}
		if (d->secret && *v)
			v = "********";
		if (json)
			json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s}", "key", d->key,
							     "value", v, "default", d->def, "help",
							     d->help));
		else
			printf("%-24s %s\n%-24s   # %s\n", d->key, v, "", d->help);
	}
	if (json)
		cli_print_json(out);
	else
		json_decref(out);
	return EXIT_OK;
}

int cmd_settings_set(struct cli *cli, int argc, char **argv)
{
	const char *pos[2];
	if (cli_parse(cli, argc, argv, NULL, pos, 2, 2) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	if (app_setting_set(&cli->app, pos[0], pos[1], &err) < 0)
		return cli_fail(cli, &err);
	return EXIT_OK;
}

static int edit(struct cli *cli, int argc, char **argv, bool add)
{
	const char *pos[2];
	if (cli_parse(cli, argc, argv, NULL, pos, 2, 2) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	if (app_setting_list_edit(&cli->app, pos[0], pos[1], add, &err) < 0)
		return cli_fail(cli, &err);
	return EXIT_OK;
}

int cmd_settings_add(struct cli *cli, int argc, char **argv)
{
	return edit(cli, argc, argv, true);
}

int cmd_settings_remove(struct cli *cli, int argc, char **argv)
{
	return edit(cli, argc, argv, false);
}
