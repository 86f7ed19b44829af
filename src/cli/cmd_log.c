/* cmd_log.c - "nextcall log call|meeting": report a contact; the sales rules decide whether it
 * is accepted (exit 3 and the rule ids on stderr when not). */
#include "cli/commands.h"

#include <stdio.h>
#include <string.h>

static int log_contact(struct cli *cli, int argc, char **argv, enum contact_kind kind)
{
	struct contact_input in = {.kind = kind, .talk_s = -1, .ring_s = -1};
	const char *client = NULL, *talk = NULL, *next = NULL;
	const struct opt opts[] = {{"client", OPT_STR, &client, NULL},
				   {"rep", OPT_STR, &in.rep, NULL},
				   {"direction", OPT_STR, &in.direction, NULL},
				   {"purpose", OPT_STR, &in.purpose, NULL},
				   {"goal-max", OPT_STR, &in.goal_max, NULL},
				   {"goal-min", OPT_STR, &in.goal_min, NULL},
				   {"result", OPT_STR, &in.result, NULL},
				   {"missed", OPT_FLAG, &in.missed, NULL},
				   {"talk", OPT_STR, &talk, NULL},
				   {"at", OPT_STR, &in.at, NULL},
				   {"next", OPT_STR, &next, NULL},
				   {"refused", OPT_STR, &in.refused, NULL},
				   {"never", OPT_STR, &in.never_reason, NULL},
				   {"note", OPT_STR, &in.never_note, NULL},
				   {"offer", OPT_STR, &in.offer, NULL},
				   {"won", OPT_STR, &in.won, NULL},
				   {0}};
	if (kind == CONTACT_MEETING && argc > 0) {
		for (int i = 0; i < argc; i++)
			if (!strcmp(argv[i], "--direction") || !strcmp(argv[i], "--missed"))
				return cli_usage(cli, "a meeting has no --direction or --missed");
	}
	if (cli_parse(cli, argc, argv, opts, NULL, 0, 0) < 0)
		return EXIT_USAGE;
	if (!client || (!in.rep && !cli->app.actor) || (kind == CONTACT_CALL && !in.direction))
		return cli_usage(cli, kind == CONTACT_CALL
					  ? "--client, --rep and --direction are required"
					  : "--client and --rep are required");
	in.client_id = cli_id(client);
	if (in.client_id <= 0)
		return cli_usage(cli, "--client takes a client id");
	if (talk) {
		int64_t t = strcmp(talk, "0") == 0 ? 0 : cli_id(talk);
		if (t < 0 || t > 86400)
			return cli_usage(cli, "--talk takes seconds from 0 to 86400");
		in.talk_s = (int)t;
	}
	if (next) {
		const char *at = strchr(next, '@');
		if (!at)
			return cli_usage(cli,
					 "--next takes KIND@WHEN, e.g. visit@2026-11-25T10:00");
		in.next_kind = arena_strndup(&cli->arena, next, (size_t)(at - next));
		in.next_due = at + 1;
	}
	struct nc_err err = {0};
	struct contact_output out;
	if (app_contact_log(&cli->app, &in, &out, &err) < 0)
		return cli_fail_rules(cli, &err, &out.v);
	cli_warnings(&out.v);
	printf("%lld\n", (long long)out.call_id);
	return EXIT_OK;
}

int cmd_log_call(struct cli *cli, int argc, char **argv)
{
	return log_contact(cli, argc, argv, CONTACT_CALL);
}

int cmd_log_meeting(struct cli *cli, int argc, char **argv)
{
	return log_contact(cli, argc, argv, CONTACT_MEETING);
}
