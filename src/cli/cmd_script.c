/* cmd_script.c - "nextcall script": check a call script file against the method, upload it as a
 * new version, list, show and archive scripts, and read a version's analytics per node and per
 * wording. */
#include "cli/commands.h"
#include "util/buf.h"
#include "util/file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define SCRIPT_FILE_MAX ((size_t)4 << 20) /* the parser refuses past SCRIPT_MAX_BYTES itself */

/* read_script reads a whole file; -1 with err naming the path. */
/* print_findings writes each finding as FILE:LINE:COL: error|warning: CODE: message. */
static void print_findings(const char *path, const struct script_findings *f, bool errors,
			   bool warnings)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct script_finding *x = &f->v[i];
		if (x->warning ? !warnings : !errors)
			continue;
		fprintf(stderr, "%s:%d:%d: %s: %s: %s\n", path, x->pos.line, x->pos.col,
			x->warning ? "warning" : "error", x->code, x->message);
	}
}

int cmd_script_check(struct cli *cli, int argc, char **argv)
{
	const char *pos[1];
	if (cli_parse(cli, argc, argv, NULL, pos, 1, 1) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	struct buf data;
	buf_init(&data, SCRIPT_FILE_MAX);
	if (file_read(pos[0], "file", &data, &err) < 0) {
		buf_release(&data);
		fprintf(stderr, "nextcall: %s\n", err.msg);
		return EXIT_USAGE; /* unreadable: 2, as the issue's contract says */
	}
	app_begin(&cli->app, NULL, &cli->arena, NULL);
	struct script s;
	struct script_findings f;
	bool parsed = false;
	size_t nerr = app_script_check(&cli->app, data.data, data.len, &s, &parsed, &f);
	buf_release(&data);
	print_findings(pos[0], &f, true, true);
	if (nerr || !parsed) {
		printf("%s: invalid: %zu error(s), %zu warning(s)\n", pos[0], nerr,
		       f.n - f.nerrors);
		return EXIT_RULE;
	}
	printf("%s: valid: \"%s\", %zu nodes, %zu warning(s)\n", pos[0], s.name, s.nnodes,
	       f.n - f.nerrors);
	return EXIT_OK;
}

int cmd_script_add(struct cli *cli, int argc, char **argv)
{
	const char *pos[1];
	if (cli_parse(cli, argc, argv, NULL, pos, 1, 1) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	struct buf data;
	buf_init(&data, SCRIPT_FILE_MAX);
	if (file_read(pos[0], "file", &data, &err) < 0) {
		buf_release(&data);
		fprintf(stderr, "nextcall: %s\n", err.msg);
		return EXIT_USAGE;
	}
	struct script_rec r;
	struct script_findings f;
	int rc = app_script_add(&cli->app, data.data, data.len, &r, &f, &err);
	buf_release(&data);
	if (rc < 0 && f.nerrors) {
		print_findings(pos[0], &f, true, true);
		fprintf(stderr, "nextcall: %s: invalid, nothing stored\n", pos[0]);
		return EXIT_RULE;
	}
	if (rc < 0)
		return cli_fail(cli, &err);
	print_findings(pos[0], &f, false, true);
	printf("script %lld version %d: %s\n", (long long)r.id, r.version, r.name);
	return EXIT_OK;
}

/* parse_version reads --version N (absent: 0, the latest); -1 when not a number. */
static int parse_version(const char *s)
{
	if (!s)
		return 0;
	int64_t v = cli_id(s);
	return v > 0 && v < 1000000 ? (int)v : -1;
}

int cmd_script_list(struct cli *cli, int argc, char **argv)
{
	bool all = false, json = false;
	const struct opt opts[] = {
	    {"all", OPT_FLAG, &all, NULL}, {"json", OPT_FLAG, &json, NULL}, {0}};
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	struct script_rec *s;
	size_t n;
	if (app_script_list(&cli->app, all, &s, &n, &err) < 0)
		return cli_fail(cli, &err);
	const char *tz = cli_zone(cli);
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *kind = s[i].outbound ? "outbound" : "inbound";
		if (json)
			json_array_append_new(
			    a, json_pack("{s:I, s:s, s:s, s:i, s:i, s:I, s:b, s:o, s:s}", "id",
					 (json_int_t)s[i].id, "name", s[i].name, "kind", kind,
					 "version", s[i].version, "versions", s[i].nversions,
					 "runs", (json_int_t)s[i].runs, "archived", s[i].archived,
					 "author", json_str(s[i].author), "created_at",
					 cli_rfc3339(cli, s[i].created_at, tz)));
		else
			printf("%-4lld %-40s %-8s v%-3d %4lld runs%s\n", (long long)s[i].id,
			       s[i].name, kind, s[i].version, (long long)s[i].runs,
			       s[i].archived ? "  (archived)" : "");
	}
	if (json)
		cli_print_json(a);
	else
		json_decref(a);
	return EXIT_OK;
}

int cmd_script_show(struct cli *cli, int argc, char **argv)
{
	const char *pos[1], *ver = NULL;
	const struct opt opts[] = {{"version", OPT_STR, &ver, NULL}, {0}};
	if (cli_parse(cli, argc, argv, opts, pos, 1, 1) < 0)
		return EXIT_USAGE;
	int version = parse_version(ver);
	if (version < 0)
		return cli_usage(cli, "--version: a version number (1, 2, ...)");
	struct nc_err err = {0};
	struct script_rec r;
	if (app_script_by_name(&cli->app, pos[0], version, &r, &err) < 0)
		return cli_fail(cli, &err);
	fputs(r.source, stdout);
	if (*r.source && r.source[strlen(r.source) - 1] != '\n')
		putchar('\n');
	return EXIT_OK;
}

int cmd_script_archive(struct cli *cli, int argc, char **argv)
{
	const char *pos[1];
	bool undo = false;
	const struct opt opts[] = {{"undo", OPT_FLAG, &undo, NULL}, {0}};
	if (cli_parse(cli, argc, argv, opts, pos, 1, 1) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	struct script_rec r;
	if (app_script_by_name(&cli->app, pos[0], 0, &r, &err) < 0 ||
	    app_script_archive(&cli->app, r.id, !undo, &err) < 0)
		return cli_fail(cli, &err);
	return EXIT_OK;
}

static json_t *json_prop(const struct proportion *p)
{
	return json_pack("{s:I, s:I, s:f, s:f, s:f}", "k", (json_int_t)p->k, "n", (json_int_t)p->n,
			 "p", p->p, "lo", p->lo, "hi", p->hi);
}

static json_t *stats_json(const struct script_stats *st)
{
	json_t *nodes = json_array(), *vars = json_array();
	for (size_t i = 0; i < st->nnodes; i++) {
		const struct script_node_stat *x = &st->nodes[i];
		json_array_append_new(
		    nodes,
		    json_pack("{s:s, s:s, s:I, s:o, s:o, s:I}", "node", x->node, "stage", x->stage,
			      "reached", (json_int_t)x->reached, "max", json_prop(&x->max), "min",
			      json_prop(&x->min), "abandoned", (json_int_t)x->abandoned));
	}
	for (size_t i = 0; i < st->nvariants; i++) {
		const struct script_variant_stat *v = &st->variants[i];
		json_array_append_new(vars,
				      json_pack("{s:s, s:i, s:s, s:i, s:o, s:f, s:f}", "node",
						v->node, "variant", v->variant, "text", v->text,
						"weight", v->weight, "max", json_prop(&v->conv),
						"prob_best", v->prob_best, "p_value", v->p_value));
	}
	return json_pack("{s:s, s:i, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "script",
			 st->script.name, "version", st->script.version, "runs",
			 (json_int_t)st->runs, "finished", (json_int_t)st->finished, "abandoned",
			 (json_int_t)st->abandoned, "open", (json_int_t)st->open, "max",
			 json_prop(&st->max), "min", json_prop(&st->min), "nodes", nodes,
			 "variants", vars);
}

/* pct prints a proportion as "k/n 40.0% [16.8-68.7]". */
static void pct(const struct proportion *p)
{
	printf("%4lld/%-4lld %5.1f%% [%4.1f-%5.1f]", (long long)p->k, (long long)p->n, 100 * p->p,
	       100 * p->lo, 100 * p->hi);
}

static void stats_print(const struct script_stats *st)
{
	printf("%s, version %d: %lld runs, %lld finished, %lld abandoned, %lld open\n",
	       st->script.name, st->script.version, (long long)st->runs, (long long)st->finished,
	       (long long)st->abandoned, (long long)st->open);
	printf("maximum goal ");
	pct(&st->max);
	printf("   minimum goal ");
	pct(&st->min);
	printf("\n\n%-20s %-12s %7s  %-27s  %-27s  %s\n", "node", "stage", "reached",
	       "ended max (95% CI)", "ended min (95% CI)", "abandoned");
	for (size_t i = 0; i < st->nnodes; i++) {
		const struct script_node_stat *x = &st->nodes[i];
		printf("%-20s %-12s %7lld  ", x->node, x->stage, (long long)x->reached);
		pct(&x->max);
		printf("  ");
		pct(&x->min);
		printf("  %lld\n", (long long)x->abandoned);
	}
	if (!st->nvariants)
		return;
	printf("\n%-20s %3s %-27s %9s %8s  %s\n", "wording of", "#", "ended max (95% CI)",
	       "P(best)", "p-value", "text");
	for (size_t i = 0; i < st->nvariants; i++) {
		const struct script_variant_stat *v = &st->variants[i];
		printf("%-20s %3d ", v->node, v->variant + 1);
		pct(&v->conv);
		printf(" %9.3f %8.3f  %.60s\n", v->prob_best, v->p_value, v->text);
	}
}

int cmd_script_stats(struct cli *cli, int argc, char **argv)
{
	const char *pos[1], *ver = NULL;
	bool json = false;
	const struct opt opts[] = {
	    {"version", OPT_STR, &ver, NULL}, {"json", OPT_FLAG, &json, NULL}, {0}};
	if (cli_parse(cli, argc, argv, opts, pos, 1, 1) < 0)
		return EXIT_USAGE;
	int version = parse_version(ver);
	if (version < 0)
		return cli_usage(cli, "--version: a version number (1, 2, ...)");
	struct nc_err err = {0};
	struct script_rec r;
	struct script_stats st;
	if (app_script_by_name(&cli->app, pos[0], version, &r, &err) < 0 ||
	    app_script_stats(&cli->app, r.id, r.version, &st, &err) < 0)
		return cli_fail(cli, &err);
	if (json)
		cli_print_json(stats_json(&st));
	else
		stats_print(&st);
	return EXIT_OK;
}
