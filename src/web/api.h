/* api.h - the handlers of the route table (routes.c), one group per api_*.c file. */
#ifndef NC_API_H
#define NC_API_H

#include "web/http.h"

/* api_session.c: health, sign-in, who am I, sign-out, API tokens */
void api_healthz(struct req *r);
void api_session_create(struct req *r);
void api_session_get(struct req *r);
void api_session_delete(struct req *r);
void api_token_create(struct req *r);
void api_token_delete(struct req *r);
/* session_cookie sets the session cookie (HttpOnly, SameSite=Lax, Secure behind --tls-proxy)
 * for 30 days, or clears it when session is NULL; the API and the login page share it. */
void session_cookie(struct req *r, const char *session);

/* api_clients.c */
void api_clients_list(struct req *r);
void api_clients_create(struct req *r);
void api_clients_get(struct req *r);
void api_clients_update(struct req *r);

/* api_calls.c: calls and meetings */
void api_calls_list(struct req *r);
void api_calls_create(struct req *r);
void api_calls_get(struct req *r);
void api_calls_delete(struct req *r);
void api_calls_handover(struct req *r);
void api_meetings_list(struct req *r);
void api_meetings_create(struct req *r);
void api_meetings_get(struct req *r);

/* api_steps.c: next steps and the agenda; api_ics.c: the calendar feed */
void api_steps_list(struct req *r);
void api_steps_create(struct req *r);
void api_steps_get(struct req *r);
void api_steps_complete(struct req *r);
void api_steps_move(struct req *r);
void api_steps_cancel(struct req *r);
void api_agenda(struct req *r);
void api_agenda_ics(struct req *r);

/* api_admin.c: deals, segments, sources and spend, users, settings */
void api_deals_list(struct req *r);
void api_deals_create(struct req *r);
void api_deals_update(struct req *r);
void api_segments_list(struct req *r);
void api_segments_create(struct req *r);
void api_sources_list(struct req *r);
void api_sources_create(struct req *r);
void api_sources_spend(struct req *r);
void api_users_list(struct req *r);
void api_users_create(struct req *r);
void api_users_update(struct req *r);
void api_settings_get(struct req *r);
void api_settings_update(struct req *r);

/* api_scripts.c: call scripts (upload, check, versions, analytics) and their live runs */
void api_scripts_list(struct req *r);
void api_scripts_create(struct req *r);
void api_scripts_check(struct req *r);
void api_scripts_get(struct req *r);
void api_scripts_archive(struct req *r);
void api_scripts_stats(struct req *r);
void api_runs_create(struct req *r);
void api_runs_get(struct req *r);
void api_runs_abandon(struct req *r);
void api_runs_step(struct req *r);

/* api_telephony.c: click-to-call, the cloud PBX webhook, the AMI link's state */
void api_calls_originate(struct req *r);
void api_telephony_webhook(struct req *r);
void api_telephony_status(struct req *r);

/* api_events.c: live events and the telephony entry point */
void api_events(struct req *r);
void api_telephony_event(struct req *r);

/* api_qa.c: QA forms, call reviews, scores, mystery shopper campaigns */
void api_qa_forms_list(struct req *r);
void api_qa_forms_create(struct req *r);
void api_qa_forms_get(struct req *r);
void api_qa_forms_update(struct req *r);
void api_qa_call_get(struct req *r);
void api_qa_reviews_list(struct req *r);
void api_qa_reviews_create(struct req *r);
void api_qa_reviews_get(struct req *r);
void api_qa_scores(struct req *r);
void api_qa_campaigns_list(struct req *r);
void api_qa_campaigns_create(struct req *r);
void api_qa_campaigns_get(struct req *r);
void api_qa_campaign_fill(struct req *r);

/* api_reports.c: the head's reports as JSON, CSV or XLSX (?format=json|csv|xlsx) */
void api_reports_stats(struct req *r);
void api_reports_funnel(struct req *r);
void api_reports_reps(struct req *r);

/* openapi.c: the document is built from the route table and the schemas */
void api_openapi(struct req *r);
json_t *openapi_document(void);

#endif
