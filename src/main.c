/* main.c - the nextcall program: global options, then one command from the table below. The
 * table is the single list of commands: "nextcall help" and the dispatch both read it. */
#include "cli/commands.h"
#include "store/migrate.h"
#include "util/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmd_help(struct cli *cli, int argc, char **argv);

const struct command commands[] = {
    {"init", cmd_init, "[--demo]", "create or upgrade the database; --demo adds the demo team",
     false},
    {"user add", cmd_user_add,
     "LOGIN --name NAME --role rep|head|admin [--timezone TZ] [--locale en|ru|tr|vi] "
     "[--extension EXT] [--password-stdin]",
     "add a team member", true},
    {"user set", cmd_user_set,
     "LOGIN [--name NAME] [--role ROLE] [--timezone TZ] [--locale en|ru|tr|vi] "
     "[--extension EXT] [--password-stdin]",
     "change a team member", true},
    {"user list", cmd_user_list, "[--json]", "list the team", true},
    {"settings list", cmd_settings_list, "[--json]", "show every setting with its value", true},
    {"settings set", cmd_settings_set, "KEY VALUE", "change a setting", true},
    {"settings add", cmd_settings_add, "KEY ITEM", "add an item to a list setting", true},
    {"settings remove", cmd_settings_remove, "KEY ITEM", "remove an item from a list setting",
     true},
    {"client add", cmd_client_add,
     "--name NAME --phone PHONE [--phone PHONE] [--company NAME] [--segment NAME] "
     "[--source NAME] [--owner LOGIN]",
     "add a client; prints the new id", true},
    {"client show", cmd_client_show, "ID|PHONE [--json]", "show a client with his history", true},
    {"client list", cmd_client_list,
     "[--category now|future|never] [--owner LOGIN] [--segment NAME] [--source NAME] [--q TEXT] "
     "[--limit N] [--after ID] [--json]",
     "list clients", true},
    {"log call", cmd_log_call,
     "--client ID --rep LOGIN --direction in|out [--purpose TEXT] [--goal-max TEXT] "
     "[--goal-min TEXT] [--result max|min|none] [--missed] [--talk SECONDS] [--at WHEN] "
     "[--next KIND@WHEN] [--refused REASON] [--never closed|gone --note TEXT] "
     "[--offer AMOUNT] [--won AMOUNT]",
     "log a call and its outcome", true},
    {"log meeting", cmd_log_meeting,
     "--client ID --rep LOGIN --purpose TEXT [--goal-max TEXT] [--goal-min TEXT] "
     "[--result max|min|none] [--at WHEN] [--next KIND@WHEN] [--refused REASON] "
     "[--never closed|gone --note TEXT] [--offer AMOUNT] [--won AMOUNT]",
     "log a meeting and its outcome", true},
    {"next list", cmd_next_list, "[--rep LOGIN] [--json]", "list planned next steps", true},
    {"next done", cmd_next_done, "ID", "mark a next step done", true},
    {"next move", cmd_next_move, "ID WHEN", "move a next step to another time", true},
    {"next cancel", cmd_next_cancel, "ID --reason TEXT", "cancel a next step", true},
    {"agenda", cmd_agenda, "[--rep LOGIN] [--date YYYY-MM-DD] [--json]",
     "the day: overdue and today's steps, and what to fix", true},
    {"segment add", cmd_segment_add, "NAME --every DAYS[-DAYS]",
     "add a client segment with its contact cadence", true},
    {"segment list", cmd_segment_list, "[--json]", "list segments", true},
    {"source add", cmd_source_add, "NAME", "add a lead source", true},
    {"source list", cmd_source_list, "[--json]", "list lead sources", true},
    {"spend set", cmd_spend_set, "SOURCE YYYY-MM AMOUNT", "set a source's monthly ad spend", true},
    {"import clients", cmd_import_clients,
     "FILE [--encoding auto|utf-8|cp1251] [--delimiter auto|,|;|tab] [--owner LOGIN] "
     "[--dry-run]",
     "import clients from CSV (all or nothing)", true},
    {"import cdr", cmd_import_cdr, "FILE [--since WHEN] [--dry-run]",
     "import calls from Asterisk's Master.csv (bad lines reported and skipped)", true},
    {"script check", cmd_script_check, "FILE",
     "check a call script against the method (exit 0 valid, 3 invalid, 2 unreadable)", false},
    {"script add", cmd_script_add, "FILE",
     "upload a call script as its next version (head or admin)", true},
    {"script list", cmd_script_list, "[--all] [--json]",
     "list call scripts, latest versions (--all: archived too)", true},
    {"script show", cmd_script_show, "NAME [--version N]", "print a call script's source", true},
    {"script stats", cmd_script_stats, "NAME [--version N] [--json]",
     "conversion per node and per wording of a script version", true},
    {"script archive", cmd_script_archive, "NAME [--undo]",
     "hide a call script from the lists (--undo: show it again)", true},
    {"report stats", cmd_report_stats,
     "--from DATE --to DATE [--rep LOGIN] [--source NAME] [--segment NAME] "
     "[--format table|csv|xlsx|json] [--output FILE]",
     "the period's numbers against the previous period, cost per call, forecast", true},
    {"report funnel", cmd_report_funnel,
     "--from DATE --to DATE [--rep LOGIN] [--source NAME] [--segment NAME] "
     "[--format table|csv|xlsx|json] [--output FILE]",
     "the funnel of the stages in report.funnel", true},
    {"report reps", cmd_report_reps,
     "--from DATE --to DATE [--rep LOGIN] [--source NAME] [--segment NAME] "
     "[--format table|csv|xlsx|json] [--output FILE]",
     "one row per rep, those below report.allowed_conversion marked", true},
    {"report verify", cmd_report_verify, "[--fix]",
     "recount the report rollups from the raw rows and compare (--fix: rewrite them)", true},
    {"call delete", cmd_call_delete, "ID", "delete a call or meeting (admin)", true},
    {"serve", cmd_serve,
     "[--listen ADDR:PORT] [--tls-proxy] [--threads N] [--per-address-limit N] "
     "[--per-address-exempt ADDR[/BITS],...]",
     "serve the web interface and the API (default 127.0.0.1:8080; at most 512 connections "
     "per client address, 0: no limit; loopback exempt)",
     true},
    {"token create", cmd_token_create, "LOGIN [--name NAME]",
     "make an API token for a user (printed once)", true},
    {"token revoke", cmd_token_revoke, "ID|TOKEN", "revoke an API token", true},
    {"backup", cmd_backup, "FILE",
     "write a consistent copy of the database into a new file, while the server runs (SQLite)",
     true},
    {"restore", cmd_restore, "FILE",
     "bring back a copy made by backup over the database, upgrading it if older (SQLite)", false},
    {"copy-db", cmd_copydb, "--from TARGET --to TARGET",
     "copy every table to a new database (sqlite:PATH or postgres://...) and compare them", false},
    {"qa form", cmd_qa_form, "list | show ID", "QA forms: list them, or show one's items", true},
    {"qa review", cmd_qa_review, "CALL_ID [--form ID] [--yes 1,2,5] [--no 3,4] [--note TEXT]",
     "score a call with a QA form (item numbers; items data can answer are prefilled)", true},
    {"qa scores", cmd_qa_scores, "[--rep LOGIN] [--from YYYY-MM-DD] [--to YYYY-MM-DD]",
     "QA scores per rep, by week", true},
    {"qa campaign", cmd_qa_campaign,
     "add NAME --scenario FILE|SCRIPT --call LOGIN@WHEN ... | list | show ID | fill ID N "
     "--yes MOVE,... --no MOVE,... [--note TEXT]",
     "mystery shopper campaigns: plan at least 5 test calls, fill the form, see the leak rate",
     true},
    {"help", cmd_help, "[--man]", "list the commands (--man: the manual page)", false},
    {NULL, NULL, NULL, NULL, false},
};

/* man_text prints s for troff: a leading dot or quote escaped, backslashes and dashes doubled. */
static void man_text(const char *s)
{
	for (const char *p = s; *p; p++) {
		if (*p == '\\')
			fputs("\\e", stdout);
		else if (*p == '-')
			fputs("\\-", stdout);
		else
			putchar(*p);
	}
}

/* print_man writes the manual page nextcall(1) from the command table (docs/nextcall.1). */
static void print_man(void)
{
	printf(".TH NEXTCALL 1\n.SH NAME\nnextcall \\- sales calls with a next step\n"
	       ".SH SYNOPSIS\n.B nextcall\n[\\-\\-db PATH] [\\-\\-as LOGIN] COMMAND [ARGS]\n"
	       ".SH DESCRIPTION\nThe database is \\-\\-db, else $NEXTCALL_DB, else ./nextcall.db. "
	       "Times (WHEN) are YYYY-MM-DDTHH:MM in the user's time zone or with an offset.\n"
	       ".SH COMMANDS\n");
	for (const struct command *c = commands; c->name; c++) {
		printf(".TP\n.B ");
		man_text(c->name);
		printf("\n");
		man_text(c->usage);
		printf("\n.br\n");
		man_text(c->help);
		printf("\n");
	}
	printf(".SH EXIT STATUS\n0 success, 1 error, 2 usage, 3 refused by a sales rule (the rule "
	       "id is printed on standard error).\n");
}

static int cmd_help(struct cli *cli, int argc, char **argv)
{
	if (argc == 1 && strcmp(argv[0], "--man") == 0) {
		print_man();
		return EXIT_OK;
	}
	printf("usage: nextcall [--db PATH] [--as LOGIN] COMMAND [ARGS]\n\n"
	       "The database is --db, else $NEXTCALL_DB, else ./nextcall.db.\n"
	       "Exit status: 0 success, 1 error, 2 usage, 3 refused by a sales rule.\n\n"
	       "Commands:\n");
	for (const struct command *c = commands; c->name; c++)
		printf("  %-16s %s\n", c->name, c->help);
	return EXIT_OK;
}

/* find_command matches one or two words of argv; *used gets how many. */
static const struct command *find_command(int argc, char **argv, int *used)
{
	for (const struct command *c = commands; c->name; c++) {
		const char *sp = strchr(c->name, ' ');
		if (sp && argc >= 2 && strncmp(c->name, argv[0], (size_t)(sp - c->name)) == 0 &&
		    argv[0][sp - c->name] == 0 && strcmp(sp + 1, argv[1]) == 0) {
			*used = 2;
			return c;
		}
		if (!sp && strcmp(c->name, argv[0]) == 0) {
			*used = 1;
			return c;
		}
	}
	return NULL;
}

static int open_db(struct cli *cli)
{
	struct nc_err err = {0};
	cli->db = db_open(cli->db_path, &err);
	if (!cli->db || migrate_check(cli->db, &err) < 0)
		return cli_fail(cli, &err);
	app_begin(&cli->app, cli->db, &cli->arena, NULL);
	if (cli->as) {
		struct user_rec u;
		int rc = store_user_by_login(cli->db, &cli->arena, cli->as, &u, &err);
		if (rc <= 0) {
			if (rc == 0)
				nc_error_field(&err, NC_EINVAL, "as", "--as: no user \"%.40s\"",
					       cli->as);
			return cli_fail(cli, &err);
		}
		cli->actor = u;
		cli->app.actor = &cli->actor;
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct cli cli = {0};
	arena_init(&cli.arena);
	cli.db_path = getenv("NEXTCALL_DB");
	if (!cli.db_path || !*cli.db_path)
		cli.db_path = "nextcall.db";
	int i = 1;
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if ((!strcmp(argv[i], "--db") || !strcmp(argv[i], "--as")) && i + 1 < argc) {
			*(argv[i][2] == 'd' ? &cli.db_path : &cli.as) = argv[i + 1];
			i++;
		} else if (!strcmp(argv[i], "--help")) {
			return cmd_help(&cli, 0, NULL);
		} else {
			fprintf(stderr, "nextcall: unknown global option %s\n", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (i >= argc)
		return cmd_help(&cli, 0, NULL), EXIT_USAGE;
	int used = 0;
	cli.cmd = find_command(argc - i, argv + i, &used);
	if (!cli.cmd) {
		fprintf(stderr, "nextcall: unknown command \"%s\" (see nextcall help)\n", argv[i]);
		return EXIT_USAGE;
	}
	int rc = cli.cmd->needs_db ? open_db(&cli) : EXIT_OK;
	if (rc == EXIT_OK)
		rc = cli.cmd->run(&cli, argc - i - used, argv + i + used);
	db_close(cli.db);
	arena_release(&cli.arena);
	return rc;
}
