/* ami.h - the Asterisk Manager Interface wire format: an incremental parser of the server's byte
 * stream into messages (any split of the stream gives the same messages) and the action writer. */
#ifndef NC_AMI_H
#define NC_AMI_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

#define AMI_LINE_MAX	4096	    /* longest line kept (Asterisk's own input limit is 1024) */
#define AMI_HEADERS_MAX 128	    /* AST_MAX_MANHEADERS */
#define AMI_MSG_MAX	(64 * 1024) /* total bytes of one message */
#define AMI_BANNER	"Asterisk Call Manager/"

struct ami_header {
	const char *key; /* NUL-terminated, as sent */
	const char *val; /* NUL-terminated, leading blanks skipped, no CR/LF */
};

/* One message. Valid only during the on_msg callback: the parser owns the memory. */
struct ami_msg {
	const struct ami_header *h;
	size_t n;
	bool is_event;	  /* has an Event: header */
	const char *name; /* the Event: or Response: value, "" when neither */
};

struct ami_parser;

/* ami_parser_new returns an empty parser (fixed memory, about AMI_MSG_MAX); free it with
 * ami_parser_free (NULL is fine). */
struct ami_parser *ami_parser_new(void);
void ami_parser_free(struct ami_parser *p);

/* ami_banner returns the banner line seen at the start of the stream ("" until then); owned by
 * p. */
const char *ami_banner(const struct ami_parser *p);

/* ami_feed parses n more bytes of the stream. For each complete message it calls on_msg; for a
 * message it has to drop (a line over AMI_LINE_MAX, more than AMI_HEADERS_MAX headers, more than
 * AMI_MSG_MAX bytes, a line without a colon) it calls on_drop (may be NULL) with a reason and
 * resynchronises at the next empty line. Returns the number of messages dropped in this call. */
int ami_feed(struct ami_parser *p, const char *buf, size_t n,
	     void (*on_msg)(const struct ami_msg *, void *),
	     void (*on_drop)(const char *why, void *), void *ctx);

/* ami_get returns the value of the first header named key (case-insensitive), NULL if absent. */
const char *ami_get(const struct ami_msg *m, const char *key);

/* ami_get_nth returns the value of the nth (0-based) header named key, NULL if fewer. */
const char *ami_get_nth(const struct ami_msg *m, const char *key, size_t nth);

/* ami_action appends "Action: action\r\n", then each key/value pair of the NULL-terminated
 * varargs list (const char *key, const char *value, ..., NULL) as "Key: Value\r\n", then an empty
 * line. Returns 0, or -1 without touching out when a key or value holds CR or LF (header
 * injection), a key is empty or holds ':', or out failed. */
int ami_action(struct buf *out, const char *action, ...) __attribute__((sentinel));

struct ami_ids {
	char prefix[32];
	unsigned long long next;
};

/* ami_ids_init sets a per-connection ActionID prefix (ASCII letters, digits, '-', '_' kept;
 * others dropped), because OriginateResponse reaches every session (PROTOCOL.md pitfall 11). */
void ami_ids_init(struct ami_ids *ids, const char *prefix);

/* ami_next_id writes "<prefix>-<n>" into out (size outsz, NUL-terminated) and returns out. */
char *ami_next_id(struct ami_ids *ids, char *out, size_t outsz);

#endif
