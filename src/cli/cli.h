/* cli.h - what every command of the command line shares: the command table's record, option
 * parsing, opening the database, and printing results and errors with the right exit code
 * (0 success, 1 error, 2 usage, 3 refused by a sales rule). */
#ifndef NC_CLI_H
#define NC_CLI_H

#include "app/app.h"
#include "util/arena.h"

#include "util/buf.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2, EXIT_RULE = 3 };

struct cli;
typedef int (*cmd_fn)(struct cli *cli, int argc, char **argv);

/* One command: its one or two words, handler, usage line and one-line help. */
struct command {
	const char *name; /* "client add" */
	cmd_fn run;
	const char *usage; /* options after the name */
	const char *help;
	bool needs_db; /* open the database (and check its schema) first */
};

extern const struct command commands[];

/* The state of one CLI run. */
struct cli {
	const char *db_path;
	const char *as; /* --as LOGIN: act as that user */
	const struct command *cmd;
	struct db *db;
	struct arena arena;
	struct app app;
	struct user_rec actor;
};

/* An option of a command: "--name VALUE" (OPT_STR), "--name" (OPT_FLAG), or repeatable
 * "--name VALUE" (OPT_MULTI, values collected in *multi / *nmulti, at most 16). */
enum opt_type { OPT_STR, OPT_FLAG, OPT_MULTI };
struct opt {
	const char *name; /* without the dashes */
	enum opt_type type;
	void *dst; /* const char ** / bool * / const char ** array of 16 */
	size_t *n; /* OPT_MULTI count */
};

/* cli_parse reads argv (after the command words) into opts and positional arguments (at least
 * min, at most max, into pos[]). Usage errors print the command's usage and return -1. */
int cli_parse(struct cli *cli, int argc, char **argv, const struct opt *opts, const char **pos,
	      size_t min, size_t max);

/* cli_usage prints the command's usage to stderr and returns EXIT_USAGE. */
int cli_usage(struct cli *cli, const char *why);

/* cli_fail prints err (a rule refusal, an error) and returns its exit code. */
int cli_fail(struct cli *cli, const struct nc_err *err);
/* cli_fail_rules prints every refusal of v (and err when v is empty), returns EXIT_RULE or the
 * code of err. */
int cli_fail_rules(struct cli *cli, const struct nc_err *err, const struct violations *v);
/* cli_warnings prints warnings of v to stderr. */
void cli_warnings(const struct violations *v);

/* cli_print_json prints j (and frees it) to stdout, indented. */
void cli_print_json(json_t *j);

/* cli_id parses a positive id; -1 when s is not one. */
int64_t cli_id(const char *s);

/* cli_time formats t for people: "YYYY-MM-DD HH:MM" in the zone tz, into the CLI's arena. */
const char *cli_time(struct cli *cli, int64_t t, const char *tz);
/* cli_rfc3339 formats t as RFC 3339 in zone tz, into the CLI's arena. */
const char *cli_rfc3339(struct cli *cli, int64_t t, const char *tz);
/* cli_zone is the zone to show times in: the acting user's, or the team's. */
const char *cli_zone(struct cli *cli);

/* json_str gives a JSON string, or null for NULL. */
json_t *json_str(const char *s);

#endif
