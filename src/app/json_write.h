/* json_write.h - the hot JSON shapes of json.h written straight into a buffer, byte for byte what
 * json_dumps(json_of_..., JSON_COMPACT | JSON_PRESERVE_ORDER) gives, without building a jansson
 * tree first (the tree and its dump were four fifths of a client card request). The tree
 * builders stay the contract (and the CLI's path): a change to a shape there is made here too.
 * Strings are copied as they are (stored text is valid UTF-8), escaped as jansson does. */
#ifndef NC_APP_JSON_WRITE_H
#define NC_APP_JSON_WRITE_H

#include "app/app.h"
#include "util/buf.h"

/* jw_string writes s as a JSON string (NULL: null). */
void jw_string(struct buf *b, const char *s);
/* jw_client writes json_of_client(c, next, tz); without_next leaves "next_step" out (lists). */
void jw_client(struct buf *b, const struct client_rec *c, const struct step_rec *next,
	       bool without_next, const char *tz);
/* jw_client_open: jw_client without the closing brace, for callers that add members. */
void jw_client_open(struct buf *b, const struct client_rec *c, const struct step_rec *next,
		    bool without_next, const char *tz);
/* jw_card writes json_of_card(card, tz) plus "fields" (the API's card) when with_fields. */
void jw_card(struct buf *b, const struct client_card *card, bool with_fields, const char *tz);
void jw_call(struct buf *b, const struct call_rec *c, const char *tz);
void jw_deal(struct buf *b, const struct deal_rec *d, const char *tz);
void jw_step(struct buf *b, const struct step_rec *s, const char *tz);
/* jw_agenda writes json_of_agenda(ag, tz) (the API's agenda). */
void jw_agenda(struct buf *b, const struct agenda *ag, const char *tz);

#endif
