/* cmd_agenda.c - "nextcall agenda": the day of a rep (or of the team): overdue steps, today's
 * steps in time order, and what is wrong with the clients' plans. */
#include "app/json.h"
#include "cli/commands.h"

#include <stdio.h>

static void print_steps(struct cli *cli, const char *title, const struct step_rec *s, size_t n,
			const char *tz)
{
	printf("%s (%zu)\n", title, n);
	for (size_t i = 0; i < n; i++)
		printf("  %s  %-9s %-8s #%-5lld %s %s\n", cli_time(cli, s[i].due_at, tz),
		       step_kind_name(s[i].kind), s[i].rep ? s[i].rep : "-",
		       (long long)s[i].client_id, s[i].client_name ? s[i].client_name : "",
		       s[i].client_phone ? s[i].client_phone : "");
}

int cmd_agenda(struct cli *cli, int argc, char **argv)
{
	const char *rep = NULL, *date = NULL;
	bool json = false;
	const struct opt opts[] = {{"rep", OPT_STR, &rep, NULL},
				   {"date", OPT_STR, &date, NULL},
				   {"json", OPT_FLAG, &json, NULL},
				   {0}};
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	struct nc_err err = {0};
	struct agenda ag;
	if (app_agenda(&cli->app, rep, date, &ag, &err) < 0)
		return cli_fail(cli, &err);
	const char *tz = ag.timezone;
	if (json) {
		cli_print_json(json_of_agenda(&ag, tz));
		return EXIT_OK;
	}
	printf("agenda of %s for %s (%s)\n", ag.rep ? ag.rep : "the team",
	       cli_time(cli, ag.day_start, tz), tz);
	printf("calls today: %lld, planned today: %lld, pool: %lld now + %lld future\n",
	       (long long)ag.calls_today, (long long)ag.planned_today, (long long)ag.pool_now,
	       (long long)ag.pool_future);
	print_steps(cli, "overdue", ag.overdue, ag.noverdue, tz);
	print_steps(cli, "today", ag.today, ag.ntoday, tz);
	printf("to fix (%zu)\n", ag.nviolations);
	for (size_t i = 0; i < ag.nviolations; i++)
		printf("  #%-5lld %-24s %s\n", (long long)ag.violations[i].client_id,
		       ag.violations[i].rule, ag.violations[i].client_name);
	return EXIT_OK;
}
