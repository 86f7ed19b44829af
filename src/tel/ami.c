/* ami.c - incremental AMI parser and action writer (see ami.h). The parser copies the current
 * message into one fixed buffer, so its memory is bounded whatever the peer sends. */
#include "tel/ami.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/xmalloc.h"

struct ami_parser {
	char mem[AMI_MSG_MAX + 1]; /* the current message: "key\0value\0" per header */
	size_t len;		   /* bytes of mem in use */
	size_t line_start;	   /* where the current line starts in mem */
	size_t line_len;	   /* raw bytes of the current line seen so far */
	char line_first;	   /* its first byte, to tell "\r" from data */
	uint32_t koff[AMI_HEADERS_MAX];
	uint32_t voff[AMI_HEADERS_MAX];
	size_t n;	  /* headers complete */
	const char *drop; /* reason the current message is being dropped, or NULL */
	bool started;	  /* the first line has been seen (banner decided) */
	char banner[128];
};

struct ami_parser *ami_parser_new(void)
{
	return xcalloc(1, sizeof(struct ami_parser));
}

void ami_parser_free(struct ami_parser *p)
{
	free(p);
}

const char *ami_banner(const struct ami_parser *p)
{
	return p->banner;
}

static void reset_msg(struct ami_parser *p)
{
	p->len = 0;
	p->line_start = 0;
	p->n = 0;
	p->drop = NULL;
}

static void start_drop(struct ami_parser *p, const char *why)
{
	if (!p->drop)
		p->drop = why;
}

/* emit hands the complete message to on_msg; the headers point into p->mem. */
static void emit(struct ami_parser *p, void (*on_msg)(const struct ami_msg *, void *), void *ctx)
{
	struct ami_header h[AMI_HEADERS_MAX];
	struct ami_msg m = {.h = h, .n = p->n, .is_event = false, .name = ""};
	for (size_t i = 0; i < p->n; i++) {
		h[i].key = p->mem + p->koff[i];
		h[i].val = p->mem + p->voff[i];
	}
	const char *ev = ami_get(&m, "Event");
	const char *resp = ami_get(&m, "Response");
	/* OriginateResponse carries both: the Event header decides. */
	if (ev) {
		m.is_event = true;
		m.name = ev;
	} else if (resp) {
		m.name = resp;
	}
	if (on_msg)
		on_msg(&m, ctx);
}

/* end_line handles a complete line, stored at mem[line_start..len) without its LF. Returns 1
 * when a message was dropped. */
static int end_line(struct ami_parser *p, void (*on_msg)(const struct ami_msg *, void *),
		    void (*on_drop)(const char *, void *), void *ctx)
{
	bool empty = p->line_len == 0 || (p->line_len == 1 && p->line_first == '\r');
	int dropped = 0;

	p->line_len = 0;
	if (empty) {
		if (p->drop) {
			if (on_drop)
				on_drop(p->drop, ctx);
			dropped = 1;
		} else if (p->n > 0) {
			emit(p, on_msg, ctx);
		}
		p->started = true;
		reset_msg(p);
		return dropped;
	}
	if (p->drop)
		return 0;
	char *line = p->mem + p->line_start;
	size_t ll = p->len - p->line_start;
	if (ll > 0 && line[ll - 1] == '\r')
		ll--;
	if (!p->started) {
		p->started = true;
		size_t bl = strlen(AMI_BANNER);
		if (ll >= bl && memcmp(line, AMI_BANNER, bl) == 0) {
			size_t c = ll < sizeof(p->banner) - 1 ? ll : sizeof(p->banner) - 1;
			memcpy(p->banner, line, c);
			p->banner[c] = '\0';
			p->len = p->line_start;
			return 0;
		}
	}
	char *colon = memchr(line, ':', ll);
	if (!colon || colon == line) {
		start_drop(p, "line without a key and colon");
		return 0;
	}
	if (p->n >= AMI_HEADERS_MAX) {
		start_drop(p, "more than 128 headers");
		return 0;
	}
	/* mem has one spare byte past AMI_MSG_MAX, so the final NUL always fits. */
	line[ll] = '\0';
	*colon = '\0';
	char *v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	p->koff[p->n] = (uint32_t)p->line_start;
	p->voff[p->n] = (uint32_t)(v - p->mem);
	p->n++;
	p->len = p->line_start + ll + 1;
	p->line_start = p->len;
	return 0;
}

/* add_bytes appends part of a line, or starts dropping when a cap is passed. */
static void add_bytes(struct ami_parser *p, const char *s, size_t k)
{
	if (k == 0)
		return;
	if (p->line_len == 0)
		p->line_first = s[0];
	p->line_len += k;
	if (p->drop)
		return;
	if (p->line_len > AMI_LINE_MAX + 1) { /* +1: the CR */
		start_drop(p, "line longer than 4096 bytes");
		return;
	}
	if (p->len + k > AMI_MSG_MAX) {
		start_drop(p, "message longer than 65536 bytes");
		return;
	}
	memcpy(p->mem + p->len, s, k);
	p->len += k;
}

int ami_feed(struct ami_parser *p, const char *buf, size_t n,
	     void (*on_msg)(const struct ami_msg *, void *),
	     void (*on_drop)(const char *why, void *), void *ctx)
{
	int dropped = 0;
	while (n > 0) {
		const char *nl = memchr(buf, '\n', n);
		size_t k = nl ? (size_t)(nl - buf) : n;
		add_bytes(p, buf, k);
		if (!nl)
			break;
		dropped += end_line(p, on_msg, on_drop, ctx);
		buf += k + 1;
		n -= k + 1;
	}
	return dropped;
}

const char *ami_get_nth(const struct ami_msg *m, const char *key, size_t nth)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcasecmp(m->h[i].key, key) == 0 && nth-- == 0)
			return m->h[i].val;
	return NULL;
}

const char *ami_get(const struct ami_msg *m, const char *key)
{
	return ami_get_nth(m, key, 0);
}

static bool safe_value(const char *s)
{
	return s && !strpbrk(s, "\r\n");
}

static bool safe_key(const char *s)
{
	return safe_value(s) && *s && !strchr(s, ':');
}

int ami_action(struct buf *out, const char *action, ...)
{
	va_list ap;
	const char *k, *v;
	int rc = 0;

	if (!safe_value(action) || !*action)
		return -1;
	va_start(ap, action);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		if (!safe_key(k) || !safe_value(v))
			rc = -1;
	}
	va_end(ap);
	if (rc < 0)
		return -1;
	size_t mark = out->len;
	buf_adds(out, "Action: ");
	buf_adds(out, action);
	buf_adds(out, "\r\n");
	va_start(ap, action);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		buf_adds(out, k);
		buf_adds(out, ": ");
		buf_adds(out, v);
		buf_adds(out, "\r\n");
	}
	va_end(ap);
	buf_adds(out, "\r\n");
	if (buf_failed(out)) {
		buf_truncate(out, mark);
		return -1;
	}
	return 0;
}

void ami_ids_init(struct ami_ids *ids, const char *prefix)
{
	size_t j = 0;
	for (const char *s = prefix; s && *s && j < sizeof(ids->prefix) - 1; s++) {
		char c = *s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_')
			ids->prefix[j++] = c;
	}
	ids->prefix[j] = '\0';
	ids->next = 1;
}

char *ami_next_id(struct ami_ids *ids, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s-%llu", ids->prefix, ids->next++);
	return out;
}
