/* cmd_client.c - "nextcall client add|show|list". */
#include "app/json.h"
#include "cli/commands.h"

#include <stdio.h>
#include <string.h>

int cmd_client_add(struct cli *cli, int argc, char **argv)
{
	struct client_input in = {0};
	const char *phones[16];
	const struct opt opts[] = {{"name", OPT_STR, &in.name, NULL},
				   {"phone", OPT_MULTI, phones, &in.nphones},
				   {"company", OPT_STR, &in.company, NULL},
				   {"segment", OPT_STR, &in.segment, NULL},
				   {"source", OPT_STR, &in.source, NULL},
				   {"owner", OPT_STR, &in.owner, NULL},
				   {0}};
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	if (!in.name || !in.nphones)
		return cli_usage(cli, "--name and --phone are required");
	in.phones = phones;
	struct nc_err err = {0};
	int64_t id;
	if (app_client_add(&cli->app, &in, &id, &err) < 0)
		return cli_fail(cli, &err);
	printf("%lld\n", (long long)id);
	return EXIT_OK;
}

/* find loads the client named by an id or a phone. */
static int find(struct cli *cli, const char *what, struct client_rec *c, struct nc_err *err)
{
	int64_t id = cli_id(what);
	if (id > 0 && strlen(what) <= 6)
		return app_client_get(&cli->app, id, c, err);
	int rc = app_client_find_phone(&cli->app, what, c, err);
	if (rc == 0 && id > 0)
		return app_client_get(&cli->app, id, c, err);
	if (rc == 0)
		return nc_error_field(err, NC_ENOTFOUND, "client", "no client with phone \"%.40s\"",
				      what);
	return rc < 0 ? -1 : 0;
}

static void print_card(struct cli *cli, const struct client_card *card, const char *tz)
{
	const struct client_rec *c = &card->c;
	const struct step_rec *next = card->has_next ? &card->next : NULL;
	printf("#%lld %s%s%s%s\n", (long long)c->id, c->name, c->company ? " (" : "",
	       c->company ? c->company : "", c->company ? ")" : "");
	printf("category: %s", category_name(c->category));
	if (c->category == CAT_FUTURE && c->refusal_reason)
		printf(" (refused: %s)", c->refusal_reason);
	if (c->category == CAT_NEVER)
		printf(" (%s: %s)", c->never_reason ? c->never_reason : "?",
		       c->never_note ? c->never_note : "");
	printf("\nowner: %s  segment: %s  source: %s\nphones:", c->owner ? c->owner : "-",
	       c->segment ? c->segment : "-", c->source ? c->source : "-");
	for (size_t i = 0; i < c->nphones; i++)
		printf(" %s", c->phones[i]);
	if (next)
		printf("\nnext step: #%lld %s at %s (%s)\n", (long long)next->id,
		       step_kind_name(next->kind), cli_time(cli, next->due_at, tz), tz);
	else
		printf("\nnext step: none\n");
	for (size_t i = 0; i < card->ndeals; i++) {
		char amount[32];
		money_format(card->deals[i].amount, amount);
		printf("deal #%lld: %s %s\n", (long long)card->deals[i].id,
		       deal_stage_name(card->deals[i].stage), amount);
	}
	for (size_t i = 0; i < card->ncalls; i++) {
		const struct call_rec *k = &card->calls[i];
		printf("%s %s%s%s by %s: %s%s%s\n", cli_time(cli, k->started_at, tz),
		       contact_kind_name(k->kind), k->direction >= 0 ? " " : "",
		       k->direction >= 0 ? direction_name((enum direction)k->direction) : "",
		       k->rep ? k->rep : "-", k->outcome, k->purpose ? " - " : "",
		       k->purpose ? k->purpose : "");
	}
}

int cmd_client_show(struct cli *cli, int argc, char **argv)
{
	bool json = false;
	const char *pos[1];
	const struct opt opts[] = {{"json", OPT_FLAG, &json, NULL}, {0}};
	if (cli_parse(cli, argc, argv, opts, pos, 1, 1) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	struct client_rec c;
	struct client_card card;
	if (find(cli, pos[0], &c, &err) < 0 || app_client_card(&cli->app, c.id, &card, &err) < 0)
		return cli_fail(cli, &err);
	const char *tz = cli_zone(cli);
	if (json)
		cli_print_json(json_of_card(&card, tz));
	else
		print_card(cli, &card, tz);
	return EXIT_OK;
}

int cmd_client_list(struct cli *cli, int argc, char **argv)
{
	struct client_query q = {0};
	bool json = false;
	const char *limit = NULL, *after = NULL;
	const struct opt opts[] = {{"category", OPT_STR, &q.category, NULL},
				   {"owner", OPT_STR, &q.owner, NULL},
				   {"segment", OPT_STR, &q.segment, NULL},
				   {"source", OPT_STR, &q.source, NULL},
				   {"q", OPT_STR, &q.q, NULL},
				   {"limit", OPT_STR, &limit, NULL},
				   {"after", OPT_STR, &after, NULL},
				   {"json", OPT_FLAG, &json, NULL},
				   {0}};
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	q.limit = limit ? (int)cli_id(limit) : 500;
	q.after = after ? cli_id(after) : 0;
	if (q.limit <= 0 || q.after < 0)
		return cli_usage(cli, "--limit and --after take positive whole numbers");
	struct nc_err err = {0};
	struct client_rec *c;
	size_t n;
	if (app_client_list(&cli->app, &q, &c, &n, &err) < 0)
		return cli_fail(cli, &err);
	const char *tz = cli_zone(cli);
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *j = json_of_client(&c[i], NULL, tz);
			json_object_del(j, "next_step"); /* not looked up for lists */
			json_array_append_new(a, j);
		}
		cli_print_json(a);
		return EXIT_OK;
	}
	for (size_t i = 0; i < n; i++)
		printf("%-6lld %-6s %-10s %-16s %s%s%s\n", (long long)c[i].id,
		       category_name(c[i].category), c[i].owner ? c[i].owner : "-",
		       c[i].nphones ? c[i].phones[0] : "", c[i].name, c[i].company ? " / " : "",
		       c[i].company ? c[i].company : "");
	return EXIT_OK;
}
