/* pages.h - the handlers of the HTML pages in the route table, one group per page_*.c file. */
#ifndef NC_PAGES_H
#define NC_PAGES_H

#include "web/http.h"

/* page_auth.c */
void page_root(struct req *r);
void page_login(struct req *r);
void page_login_post(struct req *r);
void page_logout(struct req *r);

/* page_day.c: a rep's day, the head's team day and the lost/refused list */
void page_day(struct req *r);
void page_team(struct req *r);
void page_lost(struct req *r);
/* page_day.c: POST /calls/{id}/handover, a call of another rep's client to its owner */
void page_call_handover(struct req *r);

/* page_clients.c: search and filters, new client, edit */
void page_clients(struct req *r);
void page_client_new(struct req *r);
void page_client_create(struct req *r);
void page_client_edit(struct req *r);
void page_client_update(struct req *r);

/* page_client.c: the card with its history; next-step actions */
void page_client(struct req *r);
void page_client_originate(struct req *r);
void page_step_done(struct req *r);
void page_step_move(struct req *r);
void page_step_cancel(struct req *r);

/* page_log.c: the log-a-call/meeting form's POST (the form is on the card) */
void page_contact_log(struct req *r);

/* page_settings.c: team settings, courtesy phrases, segments, sources and spend */
void page_settings(struct req *r);
void page_settings_post(struct req *r);
void page_segment_add(struct req *r);
void page_source_add(struct req *r);
void page_spend_set(struct req *r);

/* page_users.c: the users (admin); the user's own profile */
void page_users(struct req *r);
void page_user_add(struct req *r);
void page_user_update(struct req *r);
void page_profile(struct req *r);
void page_profile_post(struct req *r);

/* page_scripts.c: call scripts (list, editor, versions, statistics) */
void page_scripts(struct req *r);
void page_script_new(struct req *r);
void page_script_create(struct req *r);
void page_script(struct req *r);
void page_script_edit(struct req *r);
void page_script_save(struct req *r);
void page_script_archive(struct req *r);
void page_script_stats(struct req *r);

/* page_run.c, page_run_forms.c: the live script panel beside the client card, whose steps
 * are form posts */
void page_run_start(struct req *r);
void page_run_step(struct req *r);
void page_run_abandon(struct req *r);

struct page;
struct form;
struct card_view;
/* What the script panel of a card shows: the run (has_run), the scripts and calls offered to
 * start one, and a refused step with what its form held. */
struct run_panel {
	bool has_run, open;
	struct run_view rv;
	struct script_rec *scripts;
	size_t nscripts;
	struct call_rec *calls; /* the actor's calls of this client not logged yet */
	size_t ncalls;
	const char *msg;	    /* a refusal of the whole step (a msgid); NULL: none */
	const struct nc_err *err;   /* the refused input */
	const struct violations *v; /* the rules' refusals of finishing */
	const struct form *typed;   /* the refused form */
};
/* run_panel_load fills rp for the card of client_id: run run_id when it is a run of that client
 * the actor may see (0: the actor's newest open run of the client, if any), and the choices of
 * the start form. Returns 0, or -1 with err (database). */
int run_panel_load(struct req *r, int64_t client_id, int64_t run_id, struct run_panel *rp,
		   struct nc_err *err);
/* run_panel_write writes rp: the live panel of an open run, or else the form that starts one
 * (with what became of a finished run). */
void run_panel_write(struct page *p, const struct client_card *card, const struct run_panel *rp);
/* run_panel_marks_input: whether the panel shows rp->err beside one of its inputs (an answer,
 * the finish form's next step or refusal); if not, the refusal needs a message of its own. */
bool run_panel_marks_input(const struct run_panel *rp);
/* card_render_run is card_render with rp beside the card (page_client.c); rp NULL: loaded from
 * the request's ?run= (see run_panel_load). */
void card_render_run(struct req *r, const struct card_view *cv, const struct run_panel *rp,
		     int status);

/* page_reports.c: the head's reports (period presets, filters, charts, tables, exports) */
void page_reports(struct req *r);

/* page_qa.c: quality control for the head of sales: calls to review and the review form, a
 * review, scores by week, QA forms, mystery shopper campaigns and their form; qa_alarm writes
 * the leak alarm on the team's day */
struct page;
void page_qa(struct req *r);
void page_qa_call(struct req *r);
void page_qa_review_post(struct req *r);
void page_qa_review(struct req *r);
void page_qa_scores(struct req *r);
void page_qa_form(struct req *r);
void page_qa_form_post(struct req *r);
void page_qa_campaign_new(struct req *r);
void page_qa_campaign_create(struct req *r);
void page_qa_campaign(struct req *r);
void page_qa_fill(struct req *r);
void page_qa_fill_post(struct req *r);
void qa_alarm(struct page *p);
/* qa_text gives s translated when it is a text of the method's QA form or of the shopper's
 * moves, else s as the head wrote it. */
struct html;
const char *qa_text(const struct html *h, const char *s);

#endif
