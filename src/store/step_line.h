/* step_line.h - a planned step's agenda line (migration 0023): the columns the rep's step lists
 * read, kept by the database in one text, so that a list reads one column a step instead of ten.
 *
 *   line = id "," due_at "," client_id "," [call_id] "," kind "," auto ","
 *          note_len "," cancel_reason_len "," client_name_len "," client_phone_len ":"
 *          note cancel_reason client_name client_phone
 *
 * The numbers are decimal (a minus sign allowed), call_id empty for NULL; each length is the
 * byte count of its text, -1 for NULL; the texts follow one another, the sum of the lengths
 * ending the line. LINE_OF (store/q_steps.c) and the triggers of 0023 write it. */
#ifndef NC_STORE_STEP_LINE_H
#define NC_STORE_STEP_LINE_H

#include "store/store.h"
#include "util/arena.h"

#include <stdbool.h>
#include <stddef.h>

/* step_line_parse reads the len bytes of line into s (a planned step: status planned, no rep,
 * created_at and closed_at 0), its texts copied into a; false, with s unchanged, when line is
 * not such a line (anything after the last text, a number out of range, a length past the end). */
bool step_line_parse(const char *line, size_t len, struct arena *a, struct step_rec *s);

#endif
