/* qa_internal.h - helpers shared by the quality-control use cases (qa.c, qa_campaigns.c). */
#ifndef NC_APP_QA_INTERNAL_H
#define NC_APP_QA_INTERNAL_H

#include "app/app.h"

/* qa_commit_audit writes the audit row (action, entity, id, detail) and commits when rc is 0,
 * else rolls back; 0 or -1. */
int qa_commit_audit(struct app *app, int rc, const char *action, const char *entity, int64_t id,
		    const char *detail, struct nc_err *err);
/* qa_actor_id: the acting user's id, 0 for the system. */
int64_t qa_actor_id(const struct app *app);
/* qa_team_zone: the team's time zone ("UTC" when the settings do not read); owned by the
 * settings or the arena. */
const char *qa_team_zone(struct app *app);
/* qa_check_text refuses a blank text, or one over max bytes or not UTF-8, naming field. */
int qa_check_text(const char *field, const char *s, size_t max, struct nc_err *err);

#endif
