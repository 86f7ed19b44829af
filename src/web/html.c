/* html.c - the escaping page writer. */
#include "web/html.h"
#include "web/i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void html_raw_(struct html *h, const char *literal)
{
	buf_adds(h->out, literal);
}

/* escape appends s[0..n) escaped; invalid UTF-8 becomes U+FFFD. */
static void escape(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		const unsigned char *run = p;
		while (p < end && *p >= 0x20 && *p < 0x80 && !strchr("&<>\"'", *p))
			p++;
		buf_add(b, run, (size_t)(p - run));
		if (p >= end)
			break;
		unsigned char c = *p;
		if (c == '&')
			buf_adds(b, "&amp;");
		else if (c == '<')
			buf_adds(b, "&lt;");
		else if (c == '>')
			buf_adds(b, "&gt;");
		else if (c == '"')
			buf_adds(b, "&quot;");
		else if (c == '\'')
			buf_adds(b, "&#39;");
		if (c < 0x80) {
			if (c < 0x20 && (c == '\n' || c == '\t' || c == '\r'))
				buf_addc(b, (char)c);
			else if (c < 0x20 || c == 0x7f)
				buf_adds(b, "\xef\xbf\xbd");
			p++;
			continue;
		}
		/* a multi-byte sequence: copy when well-formed */
		size_t len = c >= 0xf0 && c < 0xf5   ? 4
			     : c >= 0xe0	     ? 3
			     : c >= 0xc2 && c < 0xe0 ? 2
						     : 0;
		bool ok = len && p + len <= end;
		for (size_t i = 1; ok && i < len; i++)
			ok = (p[i] & 0xc0) == 0x80;
		if (ok && len == 3 && ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0)))
			ok = false;
		if (ok && len == 4 && ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90)))
			ok = false;
		if (ok) {
			buf_add(b, p, len);
			p += len;
		} else {
			buf_adds(b, "\xef\xbf\xbd");
			p++;
		}
	}
}

void html_text(struct html *h, const char *s)
{
	if (s)
		escape(h->out, s, strlen(s));
}

void html_textf(struct html *h, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		escape(h->out, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static bool name_ok(const char *name)
{
	if (!name || !*name)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return true;
}

void html_attr(struct html *h, const char *name, const char *value)
{
	if (!value || !name_ok(name))
		return;
	buf_printf(h->out, " %s=\"", name);
	escape(h->out, value, strlen(value));
	buf_addc(h->out, '"');
}

void html_attrf(struct html *h, const char *name, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	html_attr(h, name, tmp);
}

void html_int(struct html *h, int64_t v)
{
	buf_printf(h->out, "%lld", (long long)v);
}

void html_url_part(struct html *h, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
			buf_addc(h->out, (char)*p);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			buf_add(h->out, e, 3);
		}
	}
}

const char *T(const struct html *h, const char *msgid)
{
	return i18n_get(h->lang, msgid);
}

void Tw(struct html *h, const char *msgid)
{
	html_text(h, i18n_get(h->lang, msgid));
}

void html_option(struct html *h, const char *value, const char *label, const char *current)
{
	HTML(h, "<option");
	html_attr(h, "value", value);
	if (current && strcmp(value, current) == 0)
		HTML(h, " selected");
	HTML(h, ">");
	html_text(h, label);
	HTML(h, "</option>");
}
