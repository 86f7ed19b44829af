/* page_users.c - the admin's users page (the team, a new user, a user's edit form) and every
 * user's own profile (name, language, time zone, password). A refused form comes back with the
 * message beside its field and everything typed kept, passwords excepted. */
#include "web/fields.h"
#include "web/pages.h"

#include <string.h>

#define USERS_SHOWN 100 /* users per page of the team table */

/* ---- the choices offered in selects ---- */

static const struct field_opt langs[] = {
    {"en", "English", "en"},
    {"ru", "Русский", "ru"},
    {"tr", "Türkçe", "tr"},
    {"vi", "Tiếng Việt", "vi"},
};

static const struct field_opt roles[] = {
    {"rep", N_("Sales rep"), NULL},
    {"head", N_("Head of sales"), NULL},
    {"admin", N_("Admin"), NULL},
};

/* opt_label gives the label of value among the n options o (translated), or value itself. */
static const char *opt_label(struct html *h, const struct field_opt *o, size_t n, const char *value)
{
	for (size_t i = 0; i < n; i++)
		if (value && strcmp(o[i].value, value) == 0)
			return o[i].lang ? o[i].label : T(h, o[i].label);
	return value;
}

/* ---- the inputs of the forms ---- */

static const struct field_def user_inputs_def[] = {
    {"login", "text", N_("Login"),
     N_("Lowercase Latin letters, digits, dot, dash or underscore; it cannot be changed later."), 0,
     32, FIELD_REQ},
    {"name", "text", N_("Name"), NULL, 0, 200, FIELD_REQ},
    {"extension", "text", N_("Extension"),
     N_("The phone extension on the PBX, like 201 or SIP/201."), 0, 40, 0},
    {"password", "password", N_("Password"),
     N_("At least 8 characters. Tell it to the user in person."), 0, 1024, FIELD_REQ},
    {"password", "password", N_("New password"), N_("Leave empty to keep the current password."), 0,
     1024, 0},
};

static const struct field_def profile_inputs[] = {
    {"name", "text", N_("Name"), NULL, 0, 200, FIELD_REQ | FIELD_NAME},
    {"current_password", "password", N_("Current password"), NULL, 0, 1024, 0},
    {"password", "password", N_("New password"), N_("At least 8 characters."), 0, 1024, 0},
    {"password2", "password", N_("New password again"), NULL, 0, 1024, 0},
};

/* ---- users (admin) ---- */

/* the inputs of the new-user form; the edit form has all but the login */
static const char *const user_fields[] = {"login",     "name",	   "role",   "timezone", "locale",
					  "extension", "password", "active", NULL};

/* user_inputs writes the inputs both the new-user and the edit forms have; u: the user shown
 * (NULL: a new one, whose zone is the team's). */
static void user_inputs(struct field_writer *w, const struct user_rec *u, const char *team_zone)
{
	field_input(w, &user_inputs_def[1], u ? u->name : "");
	field_select(w, "role", N_("Role"), NULL, roles, FIELD_NOPTS(roles),
		     u ? role_name(u->role) : "rep");
	field_zone(w, "timezone", N_("Time zone"), NULL, u ? u->timezone : team_zone);
	field_select(w, "locale", N_("Language"), NULL, langs, FIELD_NOPTS(langs),
		     u ? u->locale : "en");
	field_input(w, &user_inputs_def[2], u && u->extension ? u->extension : "");
	field_input(w, &user_inputs_def[u ? 4 : 3], NULL);
}

static void user_row(struct page *p, const struct user_rec *u)
{
	struct html *h = &p->h;
	HTML(h, "<tr><th scope=\"row\"><a href=\"/settings/users?edit=");
	html_url_part(h, u->login);
	HTML(h, "#edit\">");
	html_text(h, u->login);
	HTML(h, "</a></th><td>");
	html_text(h, u->name);
	HTML(h, "</td><td>");
	html_text(h, opt_label(h, roles, FIELD_NOPTS(roles), role_name(u->role)));
	HTML(h, "</td><td>");
	html_text(h, opt_label(h, langs, FIELD_NOPTS(langs), u->locale));
	HTML(h, "</td><td>");
	html_text(h, u->timezone);
	HTML(h, "</td><td>");
	html_text(h, u->extension ? u->extension : "—");
	HTML(h, "</td><td>");
	Tw(h, u->active ? N_("Yes") : N_("No"));
	HTML(h, "</td></tr>");
}

/* users_table writes one page of the team, after the login in ?after=. */
static void users_table(struct page *p, const struct user_rec *u, size_t n)
{
	struct html *h = &p->h;
	const char *after = http_query(p->r, "after"), *last = NULL;
	HTML(h, "<p class=\"hint\">");
	Tw(h, "Choose a login to edit the user.");
	HTML(h, "</p><div class=\"scroll\"><table><thead><tr>");
	static const char *const heads[] = {N_("Login"),    N_("Name"),	     N_("Role"),
					    N_("Language"), N_("Time zone"), N_("Extension"),
					    N_("Active")};
	for (size_t i = 0; i < FIELD_NOPTS(heads); i++) {
		HTML(h, "<th scope=\"col\">");
		Tw(h, heads[i]);
		HTML(h, "</th>");
	}
	HTML(h, "</tr></thead><tbody>");
	size_t shown = 0, i = 0;
	for (; i < n && shown < USERS_SHOWN; i++)
		if (!after || strcmp(u[i].login, after) > 0) {
			user_row(p, &u[i]);
			last = u[i].login;
			shown++;
		}
	HTML(h, "</tbody></table></div>");
	if (i < n && last) {
		HTML(h, "<p class=\"pager\"><a rel=\"next\" href=\"/settings/users?after=");
		html_url_part(h, last);
		HTML(h, "\">");
		Tw(h, "Next page");
		HTML(h, "</a></p>");
	}
}

static void user_edit(struct page *p, const struct field_redo *rd, const struct user_rec *u)
{
	struct html *h = &p->h;
	struct field_writer w = {.p = p, .rd = rd, .form = "edit"};
	HTML(h, "<section id=\"edit\" aria-labelledby=\"edit-h\"><h2 id=\"edit-h\">");
	Tw(h, "Edit user");
	HTML(h, ": ");
	html_text(h, u->login);
	HTML(h, "</h2><form method=\"post\" class=\"edit\" action=\"/settings/users/");
	html_url_part(h, u->login);
	HTML(h, "\">");
	page_csrf(p);
	field_alert(&w, user_fields + 1);
	user_inputs(&w, u, NULL);
	field_check(&w, "active", N_("Active: may sign in and gets clients"), u->active);
	HTML(h, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">");
	Tw(h, "Save user");
	HTML(h, "</button> <a href=\"/settings/users\">");
	Tw(h, "Cancel");
	HTML(h, "</a></div></form></section>");
}

static void user_add(struct page *p, const struct field_redo *rd, const char *team_zone)
{
	struct html *h = &p->h;
	struct field_writer w = {.p = p, .rd = rd, .form = "add"};
	HTML(h, "<section id=\"add\" aria-labelledby=\"add-h\"><h2 id=\"add-h\">");
	Tw(h, "Add a user");
	HTML(h, "</h2><form method=\"post\" action=\"/settings/users\" class=\"add\">");
	page_csrf(p);
	field_alert(&w, user_fields);
	field_input(&w, &user_inputs_def[0], "");
	user_inputs(&w, NULL, team_zone);
	field_button(h, N_("Add user"));
	HTML(h, "</form></section>");
}

/* users_render_edit shows the team; edit: the login whose edit form is open (NULL: none). */
static void users_render_edit(struct req *r, const struct field_redo *rd, const char *edit,
			      int status)
{
	struct user_rec *u, *e = NULL;
	size_t n;
	const char *zone;
	struct nc_err err = {0};
	if (app_user_list(&r->app, &u, &n, &err) < 0 ||
	    app_setting_get(&r->app, "team.timezone", &zone, &err) < 0) {
		page_fail(r, &err);
		return;
	}
	for (size_t i = 0; edit && i < n; i++)
		if (strcmp(u[i].login, edit) == 0)
			e = &u[i];
	if (edit && !e) {
		nc_error_field(&err, NC_ENOTFOUND, "login", "no user \"%.40s\"", edit);
		page_fail(r, &err);
		return;
	}
	struct page p;
	struct html *h = &p.h;
	page_begin(&p, r, page_tr(r, "Users"), "settings");
	HTML(h, "<p class=\"back\"><a href=\"/settings\">");
	Tw(h, "Settings");
	HTML(h, "</a></p><h1>");
	Tw(h, "Users");
	HTML(h, "</h1>");
	field_saved_notice(&p, "user");
	if (e)
		user_edit(&p, rd, e);
	users_table(&p, u, n);
	user_add(&p, rd, zone);
	page_end(&p, status);
}

/* users_render is the page shown again after a refused new user. */
static void users_render(struct req *r, const struct field_redo *rd, int status)
{
	users_render_edit(r, rd, NULL, status);
}

void page_users(struct req *r)
{
	users_render_edit(r, NULL, http_query(r, "edit"), 200);
}

/* user_form reads the fields both user forms send; an empty password is none. */
static void user_form(const struct form *f, struct user_input *in)
{
	in->name = form_get(f, "name");
	in->role = form_get(f, "role");
	in->timezone = form_get(f, "timezone");
	in->locale = form_get(f, "locale");
	in->extension = form_get(f, "extension");
	in->password = form_get(f, "password");
	if (in->password && !*in->password)
		in->password = NULL;
}

void page_user_add(struct req *r)
{
	struct form f;
	struct user_input in = {0};
	struct nc_err err = {0};
	int64_t id;
	if (page_form(r, &f) < 0)
		return;
	in.login = form_get(&f, "login");
	user_form(&f, &in);
	if (!in.password) /* the app allows a user without one; the page does not */
		nc_error_field(&err, NC_EINVAL, "password", "password: required");
	else if (app_user_add(&r->app, &in, &id, &err) == 0) {
		page_redirect(r, "/settings/users?saved=user");
		return;
	}
	field_refused(r, "add", &f, &err, users_render);
}

void page_user_update(struct req *r)
{
	struct form f;
	struct user_input in = {0};
	struct nc_err err = {0};
	const char *login = r->nparams ? r->params[0] : "";
	if (page_form(r, &f) < 0)
		return;
	user_form(&f, &in);
	in.active = form_get(&f, "active") ? 1 : -1; /* an unchecked box is not sent */
	if (app_user_set(&r->app, login, &in, &err) == 0) {
		page_redirect(r, "/settings/users?saved=user");
		return;
	}
	int status = field_redo_status(&err);
	if (!status)
		page_fail(r, &err);
	else
		users_render_edit(r, &(struct field_redo){.form = "edit", .f = &f, .err = &err},
				  login, status);
}

/* ---- the user's own profile ---- */

static void profile_render(struct req *r, const struct field_redo *rd, int status)
{
	struct page p;
	struct html *h = &p.h;
	struct field_writer w = {.p = &p, .rd = rd, .form = "profile"};
	static const char *const fields[] = {
	    "name", "locale", "timezone", "password", "password2", "current_password", NULL};
	const struct user_rec *u = &r->user;
	page_begin(&p, r, page_tr(r, "Your profile"), "profile");
	HTML(h, "<h1>");
	Tw(h, "Your profile");
	HTML(h, "</h1>");
	field_saved_notice(&p, "profile");
	HTML(h, "<dl class=\"facts\"><dt>");
	Tw(h, "Login");
	HTML(h, "</dt><dd>");
	html_text(h, u->login);
	HTML(h, "</dd><dt>");
	Tw(h, "Role");
	HTML(h, "</dt><dd>");
	html_text(h, opt_label(h, roles, FIELD_NOPTS(roles), role_name(u->role)));
	HTML(h, "</dd></dl><form method=\"post\" action=\"/profile\" class=\"profile\">");
	page_csrf(&p);
	field_alert(&w, fields);
	field_input(&w, &profile_inputs[0], u->name);
	field_select(&w, "locale", N_("Language"), NULL, langs, FIELD_NOPTS(langs), u->locale);
	field_zone(&w, "timezone", N_("Time zone"), N_("Dates and times are shown in this zone."),
		   u->timezone);
	HTML(h, "<fieldset><legend>");
	Tw(h, "Change password");
	HTML(h, "</legend><p class=\"hint\">");
	Tw(h, "Leave these empty to keep your password.");
	HTML(h, "</p>");
	field_input(&w, &profile_inputs[1], NULL);
	field_input(&w, &profile_inputs[2], NULL);
	field_input(&w, &profile_inputs[3], NULL);
	HTML(h, "</fieldset>");
	field_button(h, N_("Save"));
	HTML(h, "</form>");
	page_end(&p, status);
}

void page_profile(struct req *r)
{
	profile_render(r, NULL, 200);
}

/* new_password checks a password change: both new ones the same and the current one right.
 * Browsers fill the current password by themselves, so only a new one asks for a change. */
static int new_password(struct req *r, const struct form *f, const char **out, struct nc_err *err)
{
	const char *cur = form_get(f, "current_password"), *pw = form_get(f, "password"),
		   *pw2 = form_get(f, "password2");
	*out = NULL;
	if ((!pw || !*pw) && (!pw2 || !*pw2))
		return 0;
	if (!pw || !*pw)
		return nc_error_field(err, NC_EINVAL, "password", "password: required");
	if (!pw2 || strcmp(pw, pw2) != 0)
		return nc_error_field(err, NC_EINVAL, "password2", "password2: not the same");
	if (!cur || !*cur)
		return nc_error_field(err, NC_EINVAL, "current_password",
				      "current_password: required");
	int ok = app_password_verify(&r->app, cur, r->remote_addr, err);
	if (ok < 0)
		return -1;
	if (ok == 0)
		return nc_error_field(err, NC_EAUTH, "current_password",
				      "current_password: wrong password");
	*out = pw;
	return 0;
}

void page_profile_post(struct req *r)
{
	struct form f;
	struct user_input in = {0};
	struct nc_err err = {0};
	if (page_form(r, &f) < 0)
		return;
	in.name = form_get(&f, "name");
	in.locale = form_get(&f, "locale");
	in.timezone = form_get(&f, "timezone");
	in.keep_session = r->session_id; /* a new password signs out his other browsers */
	if (new_password(r, &f, &in.password, &err) == 0 &&
	    app_user_set(&r->app, r->user.login, &in, &err) == 0) {
		page_redirect(r, "/profile?saved=profile"); /* shown in the new language */
		return;
	}
	field_refused(r, "profile", &f, &err, profile_render);
}
