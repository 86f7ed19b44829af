/* commands.h - the handlers of the command table in main.c, one group per cmd_*.c file. */
#ifndef NC_COMMANDS_H
#define NC_COMMANDS_H

#include "cli/cli.h"

int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_user_add(struct cli *cli, int argc, char **argv);
int cmd_user_set(struct cli *cli, int argc, char **argv);
int cmd_user_list(struct cli *cli, int argc, char **argv);
int cmd_settings_list(struct cli *cli, int argc, char **argv);
int cmd_settings_set(struct cli *cli, int argc, char **argv);
int cmd_settings_add(struct cli *cli, int argc, char **argv);
int cmd_settings_remove(struct cli *cli, int argc, char **argv);
int cmd_client_add(struct cli *cli, int argc, char **argv);
int cmd_client_show(struct cli *cli, int argc, char **argv);
int cmd_client_list(struct cli *cli, int argc, char **argv);
int cmd_log_call(struct cli *cli, int argc, char **argv);
int cmd_log_meeting(struct cli *cli, int argc, char **argv);
int cmd_next_list(struct cli *cli, int argc, char **argv);
int cmd_next_done(struct cli *cli, int argc, char **argv);
int cmd_next_move(struct cli *cli, int argc, char **argv);
int cmd_next_cancel(struct cli *cli, int argc, char **argv);
int cmd_agenda(struct cli *cli, int argc, char **argv);
int cmd_segment_add(struct cli *cli, int argc, char **argv);
int cmd_segment_list(struct cli *cli, int argc, char **argv);
int cmd_source_add(struct cli *cli, int argc, char **argv);
int cmd_source_list(struct cli *cli, int argc, char **argv);
int cmd_spend_set(struct cli *cli, int argc, char **argv);
int cmd_import_clients(struct cli *cli, int argc, char **argv);
int cmd_import_cdr(struct cli *cli, int argc, char **argv);
int cmd_serve(struct cli *cli, int argc, char **argv);
int cmd_token_create(struct cli *cli, int argc, char **argv);
int cmd_token_revoke(struct cli *cli, int argc, char **argv);
int cmd_copydb(struct cli *cli, int argc, char **argv);
int cmd_backup(struct cli *cli, int argc, char **argv);
int cmd_restore(struct cli *cli, int argc, char **argv);
int cmd_report_stats(struct cli *cli, int argc, char **argv);
int cmd_report_funnel(struct cli *cli, int argc, char **argv);
int cmd_report_reps(struct cli *cli, int argc, char **argv);
int cmd_report_verify(struct cli *cli, int argc, char **argv);
int cmd_call_delete(struct cli *cli, int argc, char **argv);
int cmd_script_check(struct cli *cli, int argc, char **argv);
int cmd_script_add(struct cli *cli, int argc, char **argv);
int cmd_script_list(struct cli *cli, int argc, char **argv);
int cmd_script_show(struct cli *cli, int argc, char **argv);
int cmd_script_stats(struct cli *cli, int argc, char **argv);
int cmd_script_archive(struct cli *cli, int argc, char **argv);

int cmd_qa_form(struct cli *cli, int argc, char **argv);
int cmd_qa_review(struct cli *cli, int argc, char **argv);
int cmd_qa_scores(struct cli *cli, int argc, char **argv);
int cmd_qa_campaign(struct cli *cli, int argc, char **argv);
#endif
