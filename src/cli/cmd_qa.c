/* cmd_qa.c - "nextcall qa form|review|scores|campaign": quality control from the command line:
 * QA forms, scoring a call, scores per rep by week, mystery shopper campaigns. */
#include "cli/commands.h"
#include "util/file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_form(const struct qa_form_rec *f)
{
	printf("form %lld \"%s\" version %d of %d, %lld review(s)\n", (long long)f->id, f->name,
	       f->version, f->nversions, (long long)f->reviews);
	for (size_t i = 0; i < f->nitems; i++)
		printf("  %2d. [w%-2d] %s%s%s%s\n", f->items[i].pos, f->items[i].weight,
		       f->items[i].text, f->items[i].auto_src ? " (from data: " : "",
		       f->items[i].auto_src ? f->items[i].auto_src : "",
		       f->items[i].auto_src ? ")" : "");
}

int cmd_qa_form(struct cli *cli, int argc, char **argv)
{
	const char *pos[2] = {0};
	if (cli_parse(cli, argc, argv, NULL, pos, 1, 2) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	if (strcmp(pos[0], "list") == 0 && !pos[1]) {
		struct qa_form_rec *f;
		size_t n;
		if (app_qa_form_list(&cli->app, &f, &n, &err) < 0)
			return cli_fail(cli, &err);
		for (size_t i = 0; i < n; i++)
			printf("%-4lld %-40s version %d, %lld review(s)\n", (long long)f[i].id,
			       f[i].name, f[i].version, (long long)f[i].reviews);
		return EXIT_OK;
	}
	if (strcmp(pos[0], "show") == 0 && pos[1]) {
		struct qa_form_rec f;
		int64_t id = cli_id(pos[1]);
		if (id <= 0)
			return cli_usage(cli, "ID must be a form's number");
		if (app_qa_form_get(&cli->app, id, 0, &f, &err) < 0)
			return cli_fail(cli, &err);
		print_form(&f);
		return EXIT_OK;
	}
	return cli_usage(cli, "want \"qa form list\" or \"qa form show ID\"");
}

/* positions parses "1,2,5" into item positions (1..max); -1 on a bad list. */
static int positions(const char *s, int max, int *out, size_t *n)
{
	*n = 0;
	while (s && *s) {
		char *end;
		long v = strtol(s, &end, 10);
		if (end == s || v < 1 || v > max || (*end && *end != ','))
			return -1;
		out[(*n)++] = (int)v;
		s = *end ? end + 1 : end;
	}
	return 0;
}

int cmd_qa_review(struct cli *cli, int argc, char **argv)
{
	const char *pos[1], *form = NULL, *yes = NULL, *no = NULL, *note = NULL;
	const struct opt opts[] = {{"form", OPT_STR, &form, NULL},
				   {"yes", OPT_STR, &yes, NULL},
				   {"no", OPT_STR, &no, NULL},
				   {"note", OPT_STR, &note, NULL},
				   {0}};
	if (cli_parse(cli, argc, argv, opts, pos, 1, 1) < 0)
		return EXIT_USAGE;
	int64_t call_id = cli_id(pos[0]), form_id = form ? cli_id(form) : 1;
	if (call_id <= 0 || form_id <= 0)
		return cli_usage(cli, "CALL_ID and --form ID must be numbers");
	struct nc_err err = {0};
	struct qa_form_rec f;
	if (app_qa_form_get(&cli->app, form_id, 0, &f, &err) < 0)
		return cli_fail(cli, &err);
	int py[QA_MAX_ITEMS], pn[QA_MAX_ITEMS];
	size_t ny, nn;
	if (positions(yes, (int)f.nitems, py, &ny) < 0 || positions(no, (int)f.nitems, pn, &nn) < 0)
		return cli_usage(cli, "--yes and --no take item numbers of the form, e.g. 1,2,5");
	int64_t *ids = ARENA_ARRAY(&cli->arena, int64_t, ny + nn + 1);
	bool *val = ARENA_ARRAY(&cli->arena, bool, ny + nn + 1);
	for (size_t i = 0; i < ny; i++)
		ids[i] = f.items[py[i] - 1].id, val[i] = true;
	for (size_t i = 0; i < nn; i++)
		ids[ny + i] = f.items[pn[i] - 1].id, val[ny + i] = false;
	struct qa_review_input in = {.call_id = call_id,
				     .form_id = form_id,
				     .item_ids = ids,
				     .yes = val,
				     .n = ny + nn,
				     .note = note};
	int64_t id;
	struct qa_review_view v;
	if (app_qa_review_add(&cli->app, &in, &id, &err) < 0 ||
	    app_qa_review_get(&cli->app, id, &v, &err) < 0)
		return cli_fail(cli, &err);
	printf("review %lld: %d/%d = %.0f%%\n", (long long)id, v.r.yes_weight, v.r.total_weight,
	       v.score * 100);
	for (size_t i = 0; i < v.nanswers && i < v.form.nitems; i++)
		printf("  %2d. %-3s %s%s\n", v.form.items[i].pos, v.answers[i].yes ? "yes" : "no",
		       v.form.items[i].text, v.answers[i].from_data ? " (from data)" : "");
	return EXIT_OK;
}

int cmd_qa_scores(struct cli *cli, int argc, char **argv)
{
	const char *rep = NULL, *from = NULL, *to = NULL;
	const struct opt opts[] = {{"rep", OPT_STR, &rep, NULL},
				   {"from", OPT_STR, &from, NULL},
				   {"to", OPT_STR, &to, NULL},
				   {0}};
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	struct qa_scores s;
	if (app_qa_scores(&cli->app, rep, from, to, &s, &err) < 0)
		return cli_fail(cli, &err);
	printf("QA scores %s to %s\n%-16s %7s %7s", s.from, s.to, "rep", "reviews", "score");
	for (size_t w = 0; w < s.nweeks; w++)
		printf(" %10s", s.weeks[w]);
	printf("\n");
	for (size_t i = 0; i < s.nreps; i++) {
		printf("%-16s %7lld %6.0f%%", s.reps[i].rep, (long long)s.reps[i].reviews,
		       s.reps[i].score * 100);
		for (size_t w = 0; w < s.nweeks; w++)
			if (s.reps[i].weeks[w] < 0)
				printf(" %10s", "-");
			else
				printf(" %9.0f%%", s.reps[i].weeks[w] * 100);
		printf("\n");
	}
	return EXIT_OK;
}

/* read_file reads a scenario file whole into the arena (at most SCRIPT_MAX_BYTES). */
static const char *read_file(struct cli *cli, const char *path, struct nc_err *err)
{
	struct buf b;
	buf_init(&b, SCRIPT_MAX_BYTES);
	const char *text = NULL;
	if (file_read(path, "scenario", &b, err) == 0)
		text = arena_strndup(&cli->arena, b.data, b.len);
	buf_release(&b);
	return text;
}

static int campaign_add(struct cli *cli, int argc, char **argv)
{
	const char *pos[1], *scenario = NULL, *calls[16];
	size_t ncalls = 0;
	const struct opt opts[] = {
	    {"scenario", OPT_STR, &scenario, NULL}, {"call", OPT_MULTI, calls, &ncalls}, {0}};
	if (cli_parse(cli, argc, argv, opts, pos, 1, 1) < 0)
		return EXIT_USAGE;
	if (!scenario)
		return cli_usage(cli, "--scenario FILE (or a stored script's name) is required");
	struct nc_err err = {0};
	struct qa_campaign_input in = {.name = pos[0]};
	if (strchr(scenario, '/') || strstr(scenario, ".yaml") || strstr(scenario, ".yml")) {
		if (!(in.scenario_text = read_file(cli, scenario, &err)))
			return cli_fail(cli, &err);
	} else {
		in.scenario = scenario;
	}
	struct qa_call_plan *plan = ARENA_ARRAY(&cli->arena, struct qa_call_plan, ncalls + 1);
	for (size_t i = 0; i < ncalls; i++) {
		const char *at = strchr(calls[i], '@');
		if (!at)
			return cli_usage(cli,
					 "--call takes LOGIN@WHEN, e.g. anna@2026-11-24T10:00");
		plan[i].rep = arena_strndup(&cli->arena, calls[i], (size_t)(at - calls[i]));
		plan[i].at = at + 1;
	}
	in.calls = plan;
	in.ncalls = ncalls;
	int64_t id;
	if (app_qa_campaign_add(&cli->app, &in, &id, &err) < 0)
		return cli_fail(cli, &err);
	printf("%lld\n", (long long)id);
	return EXIT_OK;
}

static int campaign_show(struct cli *cli, int64_t id)
{
	struct nc_err err = {0};
	struct qa_campaign_view v;
	if (app_qa_campaign_get(&cli->app, id, &v, &err) < 0)
		return cli_fail(cli, &err);
	const char *tz = cli_zone(cli);
	printf("campaign %lld \"%s\", scenario \"%s\"\n", (long long)v.c.id, v.c.name,
	       v.c.scenario);
	for (size_t i = 0; i < v.ncalls; i++) {
		const struct qa_ccall_rec *c = &v.calls[i];
		printf("  %2d. %s %-12s %s\n", c->n, cli_time(cli, c->planned_at, tz), c->rep,
		       c->leak < 0 ? "not filled"
		       : c->leak   ? "LEAK: no next step"
				   : "next step");
	}
	printf("filled %lld of %lld, leaks %lld, leak rate %.0f%%\n", (long long)v.c.filled,
	       (long long)v.c.planned, (long long)v.c.leaks, v.leak_rate * 100);
	if (v.alarm) {
		printf("ALARM: %.0f%% of test calls ended without a next step (30%% or more)\n",
		       v.leak_rate * 100);
		printf("  write or fix the scripts for the moves that failed most:");
		for (size_t k = 0; k < v.nworst && k < 3; k++)
			printf("%s %s (%lld)", k ? "," : "", qa_moves[v.worst[k]].key,
			       (long long)v.fails[v.worst[k]]);
		printf("\n  train the reps:");
		for (size_t k = 0; k < v.nleak_reps; k++)
			printf("%s %s", k ? "," : "", v.leak_reps[k]);
		printf("\n");
	}
	return EXIT_OK;
}

/* moves_of sets yes[m] = value for every move key in the comma list s; -1 on an unknown key. */
static int moves_of(const char *s, signed char value, signed char *yes)
{
	while (s && *s) {
		size_t len = strcspn(s, ",");
		int found = -1;
		for (int m = 0; m < QA_MOVES && found < 0; m++)
			if (strlen(qa_moves[m].key) == len && strncmp(qa_moves[m].key, s, len) == 0)
				found = m;
		if (found < 0)
			return -1;
		yes[found] = value;
		s += len + (s[len] == ',');
	}
	return 0;
}

static int campaign_fill(struct cli *cli, int64_t id, const char *n, int argc, char **argv)
{
	const char *yes = NULL, *no = NULL, *note = NULL;
	const struct opt opts[] = {{"yes", OPT_STR, &yes, NULL},
				   {"no", OPT_STR, &no, NULL},
				   {"note", OPT_STR, &note, NULL},
				   {0}};
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	struct qa_fill_input in = {.note = note};
	memset(in.yes, -1, sizeof(in.yes));
	if (moves_of(yes, 1, in.yes) < 0 || moves_of(no, 0, in.yes) < 0)
		return cli_usage(cli, "--yes and --no take moves: product, price, expensive, "
				      "discount, think, boss, next_step, contacts");
	int64_t k = cli_id(n);
	if (k <= 0 || k > QA_CAMPAIGN_MAX_CALLS)
		return cli_usage(cli, "N must be a test call's number");
	struct nc_err err = {0};
	if (app_qa_campaign_fill(&cli->app, id, (int)k, &in, &err) < 0)
		return cli_fail(cli, &err);
	return campaign_show(cli, id);
}

int cmd_qa_campaign(struct cli *cli, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "add") == 0)
		return campaign_add(cli, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "list") == 0 && argc == 1) {
		struct nc_err err = {0};
		struct qa_campaign_rec *c;
		size_t n;
		if (app_qa_campaign_list(&cli->app, &c, &n, &err) < 0)
			return cli_fail(cli, &err);
		for (size_t i = 0; i < n; i++)
			printf("%-4lld %-30s filled %lld of %lld, leaks %lld\n", (long long)c[i].id,
			       c[i].name, (long long)c[i].filled, (long long)c[i].planned,
			       (long long)c[i].leaks);
		return EXIT_OK;
	}
	int64_t id = argc >= 2 ? cli_id(argv[1]) : -1;
	if (argc == 2 && strcmp(argv[0], "show") == 0 && id > 0)
		return campaign_show(cli, id);
	if (argc >= 3 && strcmp(argv[0], "fill") == 0 && id > 0)
		return campaign_fill(cli, id, argv[2], argc - 3, argv + 3);
	return cli_usage(cli, "want add, list, show ID or fill ID N");
}
