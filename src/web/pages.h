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

/* page_clients.c: search and filters, new client, edit */
void page_clients(struct req *r);
void page_client_new(struct req *r);
void page_client_create(struct req *r);
void page_client_edit(struct req *r);
void page_client_update(struct req *r);

/* page_client.c: the card with its history; next-step actions */
void page_client(struct req *r);
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

#endif
