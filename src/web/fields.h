/* fields.h - the labelled form fields of the settings, users and profile pages (page_settings.c,
 * page_users.c): inputs, selects and checkboxes with their hints, and a refused form shown again
 * with the message beside its field and everything typed kept, passwords excepted. */
#ifndef NC_FIELDS_H
#define NC_FIELDS_H

#include "web/page.h"

#include <stdbool.h>
#include <stddef.h>

/* FIELD_NOPTS gives the number of elements of the array a (options, inputs, labels). */
#define FIELD_NOPTS(a) (sizeof(a) / sizeof(a[0]))

/* A refused form: which form of the page (NULL: none), what was typed and why it was refused. */
struct field_redo {
	const char *form;
	const struct form *f;
	const struct nc_err *err;
};

/* A form being written: its fields get the ids "<form>-<name>" and, when this form is the one
 * refused, the typed values and the error. name and hint are those of the field being written. */
struct field_writer {
	struct page *p;
	const struct field_redo *rd;
	const char *form;
	const char *name, *hint;
};

/* An option of a select: label is a msgid (NULL: the value itself), shown as it is when lang
 * says which language it is already in (languages are named in their own language; "": a name
 * someone typed, in no known language). */
struct field_opt {
	const char *value, *label, *lang;
};

enum { FIELD_REQ = 1, FIELD_DECIMAL = 2, FIELD_NAME = 4 }; /* required, a sum, a person's name */

/* An input of a form: its type (text, number, month, password), label and hint (msgids); a
 * number takes min to max, a text at most max characters; flags: FIELD_* above. */
struct field_def {
	const char *name, *type, *label, *hint;
	long min, max;
	unsigned flags;
};

/* field_redo_status gives the HTTP status a form refused with err is shown again with (400, 409
 * or 422); 0 when err is not about the input, and the caller answers an error page instead. */
int field_redo_status(const struct nc_err *err);

/* field_refused answers a refused form: render shows the page again with form (the form's name
 * on the page), the typed f and err, or an error page is answered when err is not about what was
 * typed. render gets a field_redo that lives only during the call. */
void field_refused(struct req *r, const char *form, const struct form *f, const struct nc_err *err,
		   void (*render)(struct req *, const struct field_redo *, int));

/* field_redoing says whether w's form is the refused one, whose typed values are shown. */
bool field_redoing(const struct field_writer *w);

/* field_value gives what field name of w shows: the typed value ("" when none) when w's form is
 * the refused one, else current. The result is owned by the request or the caller. */
const char *field_value(const struct field_writer *w, const char *name, const char *current);

/* field_start opens field name of w: its box and its label (a msgid); hint (a msgid or NULL) is
 * written by field_end. Between them the caller writes the control, with field_attrs inside its
 * tag. */
void field_start(struct field_writer *w, const char *name, const char *label, const char *hint);
/* field_attrs writes the attributes of the current field's control: id, name, and the hint and
 * error it is described by (a refused field also gets aria-invalid and autofocus). */
void field_attrs(struct field_writer *w);
/* field_end writes the current field's hint and, when it is the refused one, the message (in the
 * user's language when known), then closes the field. */
void field_end(struct field_writer *w);

/* field_input writes the whole field of input d showing value (NULL: none; a password never
 * shows one). */
void field_input(struct field_writer *w, const struct field_def *d, const char *value);
/* field_select writes the field of a select of the n options o, value (NULL: "") selected;
 * value is listed first as an option of its own when it is none of them. label and hint are
 * msgids (hint may be NULL). */
void field_select(struct field_writer *w, const char *name, const char *label, const char *hint,
		  const struct field_opt *o, size_t n, const char *value);
/* field_zone writes a select of the time zones offered, like field_select. */
void field_zone(struct field_writer *w, const char *name, const char *label, const char *hint,
		const char *value);
/* field_check writes a checkbox that sends "1" when checked; label is a msgid. A refused form
 * shows it as it was sent. */
void field_check(struct field_writer *w, const char *name, const char *label, bool checked);

/* field_alert opens a refused form with a line saying nothing was saved; an error about no field
 * of the form (fields: NULL-ended; NULL: the keys of the settings table) is told there instead.
 * Nothing is written when w's form is not the refused one. */
void field_alert(struct field_writer *w, const char *const *fields);
/* field_saved_notice says the form of section was saved (after the redirect, ?saved=section). */
void field_saved_notice(struct page *p, const char *section);
/* field_button writes a form's submit button; label is a msgid. */
void field_button(struct html *h, const char *label);

#endif
