/* api_session.c - health, signing in and out (the session cookie), who is signed in, and API
 * tokens. */
#include "web/api.h"
#include "app/json.h"
#include "web/server.h"

#include <stdio.h>
#include <string.h>

void api_healthz(struct req *r)
{
	struct nc_err err = {0};
	int64_t one = 0;
	if (db_get_int(r->db, &err, &one, "SELECT 1", "") != 1 || one != 1) {
		http_error(r, 503, "unavailable", NULL, "the database does not answer");
		return;
	}
	http_json(r, 200,
		  json_pack("{s:s, s:s}", "status", "ok", "database", db_driver_name(r->db)));
}

static json_t *session_json(struct req *r, const struct user_rec *u, const char *csrf)
{
	json_t *j = json_pack("{s:o}", "user", json_of_user(u));
	if (csrf)
		json_object_set_new(j, "csrf", json_string(csrf));
	return j;
}

void session_cookie(struct req *r, const char *session)
{
	char c[256];
	snprintf(c, sizeof(c), "nc_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s",
		 session ? session : "", session ? 30 * 86400 : 0,
		 server_tls_proxy() ? "; Secure" : "");
	http_header_set(r, "Set-Cookie", c);
}

void api_session_create(struct req *r)
{
	json_t *body = http_json_body(r);
	static const char *const fields[] = {"login", "password", NULL};
	const char *login = NULL, *password = NULL;
	if (!body || http_check_fields(r, body, fields) < 0 ||
	    http_field_str(r, body, "login", 64, &login) < 0 ||
	    http_field_str(r, body, "password", 1024, &password) < 0)
		return;
	if (!login || !password) {
		http_error(r, 400, "invalid", login ? "password" : "login", "%s: required",
			   login ? "password" : "login");
		return;
	}
	struct session_out s;
	struct nc_err err = {0};
	if (app_login(&r->app, login, password, r->remote_addr, http_header(r, "User-Agent"), &s,
		      &err) < 0) {
		http_fail(r, &err);
		return;
	}
	session_cookie(r, s.session);
	http_json(r, 200, session_json(r, &s.user, s.csrf));
}

void api_session_get(struct req *r)
{
	http_json(r, 200, session_json(r, &r->user, r->auth == AUTH_SESSION ? r->csrf : NULL));
}

void api_session_delete(struct req *r)
{
	struct nc_err err = {0};
	if (r->auth == AUTH_SESSION && app_logout(&r->app, r->session_id, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	session_cookie(r, NULL);
	http_body(r, 204, NULL, "", 0);
}

void api_token_create(struct req *r)
{
	json_t *body = http_json_body(r);
	static const char *const fields[] = {"login", "name", NULL};
	const char *login = r->user.login, *name = NULL, *token;
	if (!body || http_check_fields(r, body, fields) < 0 ||
	    http_field_str(r, body, "login", 64, &login) < 0 ||
	    http_field_str(r, body, "name", 100, &name) < 0)
		return;
	int64_t id;
	struct nc_err err = {0};
	if (app_token_create(&r->app, login, name, &token, &id, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	http_json(r, 201,
		  json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "login", login, "name",
			    name ? name : "api", "token", token));
}

void api_token_delete(struct req *r)
{
	int64_t id = http_param_id(r, 0);
	struct nc_err err = {0};
	if (id < 0)
		return;
	if (app_token_revoke(&r->app, id, NULL, &err) < 0) {
		http_fail(r, &err);
		return;
	}
	http_body(r, 204, NULL, "", 0);
}
