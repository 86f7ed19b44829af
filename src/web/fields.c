/* fields.c - the labelled form fields of the settings, users and profile pages, and the messages
 * shown beside a refused one. */
#include "web/fields.h"

#include <string.h>

/* The messages beside the fields, by form (NULL: any), field and code (NC_OK: any); the app's
 * own message (English) is shown for anything else. */
static const struct {
	const char *form, *field;
	enum nc_code code;
	const char *msg;
} field_msgs[] = {
    {"segment", "name", NC_ECONFLICT, N_("A segment with this name already exists.")},
    {"source", "name", NC_ECONFLICT, N_("A lead source with this name already exists.")},
    {NULL, "name", NC_OK, N_("Enter a name: not blank and not too long.")},
    {NULL, "login", NC_ECONFLICT, N_("This login or extension is already taken.")},
    {NULL, "login", NC_OK,
     N_("Use 1 to 32 characters: lowercase Latin letters, digits, dot, dash or underscore.")},
    {NULL, "extension", NC_ECONFLICT, N_("This extension already belongs to another user.")},
    {NULL, "extension", NC_OK, N_("Use digits or a PBX device name, like 201 or SIP/201.")},
    {NULL, "role", NC_OK, N_("Choose a role from the list.")},
    {NULL, "timezone", NC_OK, N_("Choose a time zone from the list.")},
    {NULL, "locale", NC_OK, N_("Choose a language from the list.")},
    {NULL, "password", NC_OK, N_("A password needs 8 to 1024 characters.")},
    {NULL, "password2", NC_OK, N_("The two new passwords are not the same.")},
    {NULL, "current_password", NC_EAUTH, N_("This is not your current password.")},
    {NULL, "current_password", NC_OK, N_("Enter your current password to change it.")},
    {NULL, "active", NC_OK, N_("An admin cannot deactivate himself: ask another admin.")},
    {NULL, "min_days", NC_OK, N_("Enter a number of days from 1 to 365.")},
    {NULL, "max_days", NC_OK, N_("Enter a number of days from the shortest gap to 365.")},
    {NULL, "source", NC_OK, N_("Choose a lead source from the list.")},
    {NULL, "month", NC_OK, N_("Choose a month.")},
    {NULL, "amount", NC_OK, N_("Enter a sum like 15000 or 15000.50.")},
};

/* fill gives msgid translated, with {min} and {max} replaced by the numbers. */
static const char *fill(struct page *p, const char *msgid, long min, long max)
{
	const char *s = T(&p->h, msgid);
	struct buf b;
	buf_init(&b, 4096);
	while (*s) {
		if (strncmp(s, "{min}", 5) == 0 || strncmp(s, "{max}", 5) == 0) {
			buf_printf(&b, "%ld", s[2] == 'i' ? min : max);
			s += 5;
		} else {
			buf_addc(&b, *s++);
		}
	}
	const char *out = arena_strdup(&p->r->a, b.data);
	buf_release(&b);
	return out;
}

/* err_text gives the sentence shown for err in form, in the user's language when known. */
static const char *err_text(struct page *p, const char *form, const struct nc_err *err)
{
	const struct setting_def *d = err->field[0] ? setting_find(err->field) : NULL;
	/* TRANSLATORS: keep {min} and {max} as they are: they become numbers. */
	static const char *const int_msg = N_("Enter a whole number from {min} to {max}.");
	/* TRANSLATORS: keep {max} as it is: it becomes a number. */
	static const char *const text_msg = N_("This text is too long: at most {max} bytes.");
	/* TRANSLATORS: keep {max} as it is: it becomes a number. */
	static const char *const list_msg = N_("Each phrase may have at most {max} bytes.");
	if (d && d->type == SET_INT)
		return fill(p, int_msg, d->min, d->max);
	if (d && d->type == SET_TEXT)
		return fill(p, text_msg, 0, d->max);
	if (d && d->type == SET_LIST)
		return fill(p, list_msg, 0, d->max);
	if (d && d->type == SET_REGION)
		return T(&p->h, "Choose a country from the list.");
	if (d && d->type == SET_ZONE)
		return T(&p->h, "Choose a time zone from the list.");
	for (size_t i = 0; i < sizeof(field_msgs) / sizeof(field_msgs[0]); i++)
		if ((!field_msgs[i].form || strcmp(field_msgs[i].form, form) == 0) &&
		    strcmp(field_msgs[i].field, err->field) == 0 &&
		    (field_msgs[i].code == NC_OK || field_msgs[i].code == err->code))
			return T(&p->h, field_msgs[i].msg);
	return err->msg;
}

int field_redo_status(const struct nc_err *err)
{
	switch (err->code) {
	case NC_EINVAL:
		return 400;
	case NC_ECONFLICT:
		return 409;
	case NC_ERULE:
		return 422;
	case NC_EAUTH: /* a wrong current password, named as a field */
		return err->field[0] ? 400 : 0;
	default:
		return 0;
	}
}

void field_refused(struct req *r, const char *form, const struct form *f, const struct nc_err *err,
		   void (*render)(struct req *, const struct field_redo *, int))
{
	int status = field_redo_status(err);
	if (!status) {
		page_fail(r, err);
		return;
	}
	render(r, &(struct field_redo){.form = form, .f = f, .err = err}, status);
}

bool field_redoing(const struct field_writer *w)
{
	return w->rd && w->rd->form && strcmp(w->rd->form, w->form) == 0;
}

/* is_bad: name is the refused field of w's form. */
static bool is_bad(const struct field_writer *w, const char *name)
{
	return field_redoing(w) && strcmp(w->rd->err->field, name) == 0;
}

const char *field_value(const struct field_writer *w, const char *name, const char *current)
{
	if (!field_redoing(w))
		return current;
	const char *v = form_get(w->rd->f, name);
	return v ? v : "";
}

/* id_of gives the element id of field name of w's form: "<form>-<name><suffix>", dots as
 * dashes. */
static const char *id_of(const struct field_writer *w, const char *name, const char *suffix)
{
	char *id = arena_printf(&w->p->r->a, "%s-%s%s", w->form, name, suffix);
	for (char *c = id; *c; c++)
		if (*c == '.')
			*c = '-';
	return id;
}

void field_start(struct field_writer *w, const char *name, const char *label, const char *hint)
{
	struct html *h = &w->p->h;
	w->name = name;
	w->hint = hint;
	HTML(h, "<div");
	html_attr(h, "class", is_bad(w, name) ? "field invalid" : "field");
	HTML(h, "><label");
	html_attr(h, "for", id_of(w, name, ""));
	HTML(h, ">");
	Tw(h, label);
	HTML(h, "</label>");
}

void field_attrs(struct field_writer *w)
{
	struct html *h = &w->p->h;
	bool bad = is_bad(w, w->name);
	html_attr(h, "id", id_of(w, w->name, ""));
	html_attr(h, "name", w->name);
	if (bad) /* the one refused field: the browser brings it into view, without script */
		HTML(h, " aria-invalid=\"true\" autofocus");
	if (bad || w->hint)
		html_attrf(h, "aria-describedby", "%s%s%s", bad ? id_of(w, w->name, "-err") : "",
			   bad && w->hint ? " " : "", w->hint ? id_of(w, w->name, "-hint") : "");
}

void field_end(struct field_writer *w)
{
	struct html *h = &w->p->h;
	if (w->hint) {
		HTML(h, "<p class=\"hint\"");
		html_attr(h, "id", id_of(w, w->name, "-hint"));
		HTML(h, ">");
		Tw(h, w->hint);
		HTML(h, "</p>");
	}
	if (is_bad(w, w->name)) {
		HTML(h, "<p class=\"field-error\"");
		html_attr(h, "id", id_of(w, w->name, "-err"));
		HTML(h, ">");
		html_text(h, err_text(w->p, w->form, w->rd->err));
		HTML(h, "</p>");
	}
	HTML(h, "</div>");
}

void field_input(struct field_writer *w, const struct field_def *d, const char *value)
{
	struct html *h = &w->p->h;
	bool secret = strcmp(d->type, "password") == 0, num = strcmp(d->type, "number") == 0;
	field_start(w, d->name, d->label, d->hint);
	HTML(h, "<input");
	html_attr(h, "type", d->type);
	field_attrs(w);
	html_attr(h, "value", secret ? NULL : field_value(w, d->name, value));
	if (num) {
		html_attrf(h, "min", "%ld", d->min);
		html_attrf(h, "max", "%ld", d->max);
	} else if (d->max > 0) {
		html_attrf(h, "maxlength", "%ld", d->max);
	}
	html_attr(h, "autocomplete",
		  secret
		      ? (strcmp(d->name, "current_password") ? "new-password" : "current-password")
		  : d->flags & FIELD_NAME ? "name"
					  : "off");
	if (d->flags & FIELD_DECIMAL)
		HTML(h, " inputmode=\"decimal\"");
	if (d->flags & FIELD_REQ)
		HTML(h, " required");
	HTML(h, ">");
	field_end(w);
}

static void option(struct html *h, const struct field_opt *o, bool selected)
{
	HTML(h, "<option");
	html_attr(h, "value", o->value);
	html_attr(h, "lang", o->lang);
	if (selected)
		HTML(h, " selected");
	HTML(h, ">");
	if (o->label && !o->lang)
		Tw(h, o->label);
	else
		html_text(h, o->label ? o->label : o->value);
	HTML(h, "</option>");
}

void field_select(struct field_writer *w, const char *name, const char *label, const char *hint,
		  const struct field_opt *o, size_t n, const char *value)
{
	struct html *h = &w->p->h;
	const char *v = field_value(w, name, value ? value : "");
	bool listed = false;
	for (size_t i = 0; i < n; i++)
		listed |= strcmp(o[i].value, v) == 0;
	field_start(w, name, label, hint);
	HTML(h, "<select");
	field_attrs(w);
	HTML(h, ">");
	if (!listed)
		option(h, &(struct field_opt){.value = v}, true);
	for (size_t i = 0; i < n; i++)
		option(h, &o[i], strcmp(o[i].value, v) == 0);
	HTML(h, "</select>");
	field_end(w);
}

void field_check(struct field_writer *w, const char *name, const char *label, bool checked)
{
	struct html *h = &w->p->h;
	if (field_redoing(w))
		checked = form_get(w->rd->f, name) != NULL;
	w->name = name;
	w->hint = NULL;
	HTML(h, "<div");
	html_attr(h, "class", is_bad(w, name) ? "field check invalid" : "field check");
	HTML(h, "><input type=\"checkbox\" value=\"1\"");
	field_attrs(w);
	if (checked)
		HTML(h, " checked");
	HTML(h, "><label");
	html_attr(h, "for", id_of(w, name, ""));
	HTML(h, ">");
	Tw(h, label);
	HTML(h, "</label>");
	field_end(w);
}

void field_alert(struct field_writer *w, const char *const *fields)
{
	if (!field_redoing(w))
		return;
	struct html *h = &w->p->h;
	const char *field = w->rd->err->field;
	bool known = !fields && setting_find(field);
	for (size_t i = 0; fields && fields[i]; i++)
		known |= strcmp(fields[i], field) == 0;
	HTML(h, "<p class=\"alert\" role=\"alert\">");
	if (known)
		Tw(h, "Nothing was saved: correct the field marked below.");
	else
		html_text(h, err_text(w->p, w->form, w->rd->err));
	HTML(h, "</p>");
}

void field_saved_notice(struct page *p, const char *section)
{
	const char *s = http_query(p->r, "saved");
	if (!s || strcmp(s, section) != 0)
		return;
	HTML(&p->h, "<p class=\"notice\" role=\"status\">");
	Tw(&p->h, "Saved.");
	HTML(&p->h, "</p>");
}

void field_button(struct html *h, const char *label)
{
	HTML(h, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">");
	Tw(h, label);
	HTML(h, "</button></div>");
}

/* the time zones offered (a stored other one is listed too: see field_select) */
static const char *const zones[] = {"UTC",
				    "Europe/Kaliningrad",
				    "Europe/Moscow",
				    "Europe/Samara",
				    "Asia/Yekaterinburg",
				    "Asia/Omsk",
				    "Asia/Novosibirsk",
				    "Asia/Krasnoyarsk",
				    "Asia/Irkutsk",
				    "Asia/Yakutsk",
				    "Asia/Vladivostok",
				    "Asia/Magadan",
				    "Asia/Kamchatka",
				    "Europe/Minsk",
				    "Europe/Kyiv",
				    "Europe/Istanbul",
				    "Asia/Baku",
				    "Asia/Tashkent",
				    "Asia/Almaty",
				    "Asia/Ho_Chi_Minh",
				    "Europe/London",
				    "Europe/Berlin",
				    "America/New_York",
				    "America/Chicago",
				    "America/Denver",
				    "America/Los_Angeles"};
#define NZONES FIELD_NOPTS(zones)

void field_zone(struct field_writer *w, const char *name, const char *label, const char *hint,
		const char *value)
{
	struct field_opt o[NZONES];
	for (size_t i = 0; i < NZONES; i++)
		o[i] = (struct field_opt){.value = zones[i]};
	field_select(w, name, label, hint, o, NZONES, value);
}
