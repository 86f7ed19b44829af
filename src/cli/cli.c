/* cli.c - option parsing, error printing and formatting shared by the commands. */
#include "cli/cli.h"
#include "util/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MULTI_MAX 16

int cli_usage(struct cli *cli, const char *why)
{
	if (why)
		fprintf(stderr, "nextcall: %s\n", why);
	if (cli->cmd)
		fprintf(stderr, "usage: nextcall %s %s\n", cli->cmd->name, cli->cmd->usage);
	return EXIT_USAGE;
}

static const struct opt *find_opt(const struct opt *opts, const char *name)
{
	for (const struct opt *o = opts; o && o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

int cli_parse(struct cli *cli, int argc, char **argv, const struct opt *opts, const char **pos,
	      size_t min, size_t max)
{
	size_t npos = 0;
	char msg[200];
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0 || strcmp(a, "--") == 0 || a[2] == 0) {
			if (npos >= max) {
				snprintf(msg, sizeof(msg), "unexpected argument \"%.60s\"", a);
				return cli_usage(cli, msg), -1;
			}
			pos[npos++] = a;
			continue;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		char key[64];
		snprintf(key, sizeof(key), "%.*s", eq ? (int)(eq - name) : (int)strlen(name), name);
		const struct opt *o = find_opt(opts, key);
		if (!o) {
			snprintf(msg, sizeof(msg), "unknown option --%.40s", key);
			return cli_usage(cli, msg), -1;
		}
		if (o->type == OPT_FLAG) {
			*(bool *)o->dst = true;
			continue;
		}
		const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!val) {
			snprintf(msg, sizeof(msg), "option --%s needs a value", key);
			return cli_usage(cli, msg), -1;
		}
		if (o->type == OPT_STR) {
			*(const char **)o->dst = val;
		} else {
			if (*o->n >= MULTI_MAX)
				return cli_usage(cli, "too many repeated options"), -1;
			((const char **)o->dst)[(*o->n)++] = val;
		}
	}
	if (npos < min)
		return cli_usage(cli, "missing argument"), -1;
	return 0;
}

static int exit_code(enum nc_code c)
{
	return c == NC_ERULE ? EXIT_RULE : c == NC_EUSAGE ? EXIT_USAGE : EXIT_ERROR;
}

int cli_fail(struct cli *cli, const struct nc_err *err)
{
	if (err->code == NC_ERULE && err->field[0])
		fprintf(stderr, "nextcall: refused: %s: %s [field %s]\n", err->rule, err->msg,
			err->field);
	else if (err->code == NC_ERULE)
		fprintf(stderr, "nextcall: refused: %s: %s\n", err->rule, err->msg);
	else
		fprintf(stderr, "nextcall: %s\n", err->msg);
	return exit_code(err->code);
}

int cli_fail_rules(struct cli *cli, const struct nc_err *err, const struct violations *v)
{
	if (err->code != NC_ERULE || !v || v->nerrors == 0)
		return cli_fail(cli, err);
	for (size_t i = 0; i < v->n; i++)
		fprintf(stderr, "nextcall: %s: %s: %s [field %s]\n",
			v->v[i].warning ? "warning" : "refused", v->v[i].rule, v->v[i].msg,
			v->v[i].field);
	return EXIT_RULE;
}

void cli_warnings(const struct violations *v)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i].warning)
			fprintf(stderr, "nextcall: warning: %s: %s [field %s]\n", v->v[i].rule,
				v->v[i].msg, v->v[i].field);
}

void cli_print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s) {
		puts(s);
		free(s);
	}
	json_decref(j);
}

int64_t cli_id(const char *s)
{
	if (!s || !*s || strlen(s) > 18)
		return -1;
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v > 0 ? v : -1;
}

const char *cli_time(struct cli *cli, int64_t t, const char *tz)
{
	char buf[24];
	time_format_local(t, tz, buf);
	return arena_strdup(&cli->arena, buf);
}

const char *cli_rfc3339(struct cli *cli, int64_t t, const char *tz)
{
	char buf[32];
	time_rfc3339(t, tz, buf);
	return arena_strdup(&cli->arena, buf);
}

const char *cli_zone(struct cli *cli)
{
	if (cli->app.actor)
		return cli->app.actor->timezone;
	const char *tz = "UTC";
	if (cli->db)
		app_setting_get(&cli->app, "team.timezone", &tz, NULL);
	return tz;
}

json_t *json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}
