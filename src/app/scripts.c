/* scripts.c - call scripts as use cases: the versions a head of sales uploads (each save is a
 * version, checked by the validator first), listed, read and archived. Runs are in
 * script_runs.c, the analytics in script_stats.c. */
#include "app/app.h"
#include "app/internal.h"
#include "util/utf8.h"

#include <stdio.h>
#include <string.h>

#define SCRIPT_NAME_MAX 200

/* ---- versions ---- */

size_t app_script_check(struct app *app, const char *text, size_t len, struct script *out,
			bool *parsed, struct script_findings *f)
{
	memset(f, 0, sizeof(*f));
	return script_check(text, len, app->a, out, parsed, f);
}

/* first_error names the first error of f for a one-line message. */
static const struct script_finding *first_error(const struct script_findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (!f->v[i].warning)
			return &f->v[i];
	return NULL;
}

int app_script_add(struct app *app, const char *text, size_t len, struct script_rec *out,
		   struct script_findings *f, struct nc_err *err)
{
	struct script s;
	bool parsed = false;
	memset(out, 0, sizeof(*out));
	memset(f, 0, sizeof(*f));
	if (app_require_role(app, ROLE_HEAD, err) < 0)
		return -1;
	size_t nerr = script_check(text, len, app->a, &s, &parsed, f);
	if (nerr || !parsed) {
		const struct script_finding *e = first_error(f);
		return nc_error_field(err, NC_EINVAL, "source",
				      "the script has %zu error(s); the first at %d:%d: %s: %s",
				      nerr, e ? e->pos.line : 0, e ? e->pos.col : 0,
				      e ? e->code : "invalid", e ? e->message : "unreadable");
	}
	if (!s.name || utf8_is_blank(s.name) || strlen(s.name) > SCRIPT_NAME_MAX)
		return nc_error_field(err, NC_EINVAL, "source", "the script's name: 1 to %d bytes",
				      SCRIPT_NAME_MAX);
	struct script_rec cur;
	int64_t id, vid;
	int version;
	if (db_begin(app->db, err) < 0)
		return -1;
	int rc = store_script_by_name(app->db, app->a, s.name, 0, &cur, err);
	if (rc < 0)
		goto fail;
	if (rc == 1) {
		id = cur.id;
		if (cur.outbound != s.outbound &&
		    store_script_set(app->db, id, s.outbound, cur.archived, err) < 0)
			goto fail;
	} else if (store_script_insert(app->db, s.name, s.outbound, app->now, &id, err) < 0) {
		goto fail;
	}
	char detail[SCRIPT_NAME_MAX + 40];
	if (store_script_version_add(app->db, id, arena_strndup(app->a, text, len),
				     app->actor ? app->actor->id : 0, app->now, &vid, &version,
				     err) < 0)
		goto fail;
	snprintf(detail, sizeof(detail), "%s v%d", s.name, version);
	if (store_audit(app->db, app->now, actor_login(app), "script.add", "script", id, detail,
			err) < 0)
		goto fail;
	if (db_commit(app->db, err) < 0)
		return -1;
	return app_script_get(app, id, version, out, err);
fail:
	db_rollback(app->db);
	return -1;
}

int app_script_list(struct app *app, bool all, struct script_rec **out, size_t *n,
		    struct nc_err *err)
{
	*out = NULL;
	*n = 0;
	if (app_require_role(app, ROLE_REP, err) < 0)
		return -1;
	return store_script_list(app->db, app->a, all, out, n, err);
}

/* not_found tells a missing script from a missing version of an existing one. */
static int not_found(int rc_any, const char *what, int version, struct nc_err *err)
{
	if (rc_any == 1)
		return nc_error_field(err, NC_ENOTFOUND, "version", "script %s has no version %d",
				      what, version);
	return nc_error_field(err, NC_ENOTFOUND, "id", "script %s does not exist", what);
}

int app_script_get(struct app *app, int64_t id, int version, struct script_rec *out,
		   struct nc_err *err)
{
	if (app_require_role(app, ROLE_REP, err) < 0)
		return -1;
	if (version < 0)
		return nc_error_field(err, NC_EINVAL, "version", "version: 1, 2, ... (0: latest)");
	int rc = store_script_get(app->db, app->a, id, version, out, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return 0;
	struct script_rec any;
	int rc_any = version ? store_script_get(app->db, app->a, id, 0, &any, err) : 0;
	if (rc_any < 0)
		return -1;
	return not_found(rc_any, arena_printf(app->a, "%lld", (long long)id), version, err);
}

int app_script_by_name(struct app *app, const char *name, int version, struct script_rec *out,
		       struct nc_err *err)
{
	if (app_require_role(app, ROLE_REP, err) < 0)
		return -1;
	if (!name || !*name || strlen(name) > SCRIPT_NAME_MAX)
		return nc_error_field(err, NC_EINVAL, "name", "name: 1 to %d bytes",
				      SCRIPT_NAME_MAX);
	if (version < 0)
		return nc_error_field(err, NC_EINVAL, "version", "version: 1, 2, ... (0: latest)");
	int rc = store_script_by_name(app->db, app->a, name, version, out, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return 0;
	struct script_rec any;
	int rc_any = version ? store_script_by_name(app->db, app->a, name, 0, &any, err) : 0;
	if (rc_any < 0)
		return -1;
	if (rc_any == 0)
		return nc_error_field(err, NC_ENOTFOUND, "name", "no script named \"%.80s\"", name);
	return not_found(rc_any, arena_printf(app->a, "\"%.80s\"", name), version, err);
}

int app_script_versions(struct app *app, int64_t id, struct script_rec **out, size_t *n,
			struct nc_err *err)
{
	struct script_rec s;
	*out = NULL;
	*n = 0;
	if (app_script_get(app, id, 0, &s, err) < 0)
		return -1;
	return store_script_versions(app->db, app->a, id, out, n, err);
}

int app_script_archive(struct app *app, int64_t id, bool archived, struct nc_err *err)
{
	struct script_rec s;
	if (app_require_role(app, ROLE_HEAD, err) < 0 || app_script_get(app, id, 0, &s, err) < 0)
		return -1;
	if (db_begin(app->db, err) < 0)
		return -1;
	if (store_script_set(app->db, id, s.outbound, archived, err) < 0 ||
	    store_audit(app->db, app->now, actor_login(app),
			archived ? "script.archive" : "script.unarchive", "script", id, s.name,
			err) < 0) {
		db_rollback(app->db);
		return -1;
	}
	return db_commit(app->db, err);
}

int script_version_parse(struct app *app, const struct script_rec *v, struct script *s,
			 struct nc_err *err)
{
	struct script_findings f = {0};
	if (script_parse(v->source, strlen(v->source), app->a, s, &f) < 0)
		return nc_error(err, NC_EDB, "script %lld version %d no longer reads",
				(long long)v->id, v->version);
	return 0;
}
