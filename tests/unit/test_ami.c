/* test_ami.c - unit tests of tel/ami.c: the real Asterisk captures parse to the same messages for
 * every split of the stream (whole, 1 byte, seeded random, the recorded socket reads), bare LF,
 * header lookup rules, dropped oversized or malformed messages, and the action writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "tel/ami.h"
#include "util/buf.h"
#include "util/md5.h"
#include "testdata.h"

/* read_data loads tests/data/asterisk/NAME. */
static void read_data(const char *name, struct buf *b)
{
	char rel[256];
	snprintf(rel, sizeof(rel), "asterisk/%s", name);
	test_data(rel, b);
}

/* A transcript of what the parser reported, to compare splits byte for byte. */
struct seen {
	struct buf log;
	int msgs, events, drops;
};

static void on_msg(const struct ami_msg *m, void *ctx)
{
	struct seen *s = ctx;
	s->msgs++;
	s->events += m->is_event;
	buf_printf(&s->log, "%c %s\x1f", m->is_event ? 'E' : 'R', m->name);
	for (size_t i = 0; i < m->n; i++)
		buf_printf(&s->log, "%s\x1e%s\x1f", m->h[i].key, m->h[i].val);
	buf_addc(&s->log, '\n');
}

static void on_drop(const char *why, void *ctx)
{
	struct seen *s = ctx;
	s->drops++;
	buf_printf(&s->log, "DROP %s\n", why);
}

static void seen_init(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	buf_init(&s->log, 0);
}

/* feed_split parses data in chunks: chunk == 0 means seeded random sizes 1..700. */
static void feed_split(const char *data, size_t len, size_t chunk, unsigned seed, struct seen *s,
		       char *banner, size_t bsize)
{
	struct ami_parser *p = ami_parser_new();
	size_t off = 0;
	unsigned r = seed;
	seen_init(s);
	while (off < len) {
		size_t k = chunk;
		if (k == 0) {
			r = r * 1103515245u + 12345u;
			k = 1 + (r >> 16) % 700;
		}
		if (k > len - off)
			k = len - off;
		ami_feed(p, data + off, k, on_msg, on_drop, s);
		off += k;
	}
	if (banner)
		snprintf(banner, bsize, "%s", ami_banner(p));
	ami_parser_free(p);
}

/* feed_jsonl replays the recorded socket reads ("dir":"recv") and checks they add up to raw. */
static void feed_jsonl(const char *name, const struct buf *raw, struct seen *s)
{
	struct buf j, all;
	struct ami_parser *p = ami_parser_new();
	read_data(name, &j);
	buf_init(&all, 0);
	seen_init(s);
	char *line = j.data;
	while (line < j.data + j.len) {
		char *nl = memchr(line, '\n', (size_t)(j.data + j.len - line));
		size_t ll = nl ? (size_t)(nl - line) : (size_t)(j.data + j.len - line);
		json_error_t jerr;
		json_t *o = json_loadb(line, ll, 0, &jerr);
		assert_non_null(o);
		const char *dir = json_string_value(json_object_get(o, "dir"));
		json_t *d = json_object_get(o, "data");
		if (dir && strcmp(dir, "recv") == 0 && json_is_string(d)) {
			buf_add(&all, json_string_value(d), json_string_length(d));
			ami_feed(p, json_string_value(d), json_string_length(d), on_msg, on_drop,
				 s);
		}
		json_decref(o);
		line += ll + 1;
	}
	assert_int_equal(all.len, raw->len);
	assert_memory_equal(all.data, raw->data, raw->len);
	buf_release(&all);
	buf_release(&j);
	ami_parser_free(p);
}

struct capture {
	const char *raw, *jsonl;
	int msgs;
};

static const struct capture captures[] = {
    {"ami_nextcall_events_call_cdr.raw", "ami_nextcall_events_call_cdr.jsonl", 471},
    {"ami_nextcall_events_on.raw", "ami_nextcall_events_on.jsonl", 876},
    {"ami_edge_cases.raw", "ami_edge_cases.jsonl", 2},
    {"ami_md5_login.raw", "ami_md5_login.jsonl", -1},
};

static void test_ami__every_split_gives_same_messages(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof(captures) / sizeof(captures[0]); c++) {
		struct buf raw;
		struct seen whole, other;
		char banner[128];
		read_data(captures[c].raw, &raw);
		feed_split(raw.data, raw.len, raw.len, 0, &whole, banner, sizeof(banner));
		assert_string_equal(banner, "Asterisk Call Manager/11.0.0");
		assert_int_equal(whole.drops, 0);
		if (captures[c].msgs >= 0)
			assert_int_equal(whole.msgs, captures[c].msgs);
		assert_true(whole.msgs > 0);
		for (unsigned seed = 0; seed < 6; seed++) {
			size_t chunk = seed == 0 ? 1 : seed == 1 ? 2 : 0;
			feed_split(raw.data, raw.len, chunk, seed, &other, NULL, 0);
			assert_int_equal(other.msgs, whole.msgs);
			assert_int_equal(other.log.len, whole.log.len);
			assert_memory_equal(other.log.data, whole.log.data, whole.log.len);
			buf_release(&other.log);
		}
		feed_jsonl(captures[c].jsonl, &raw, &other);
		assert_int_equal(other.log.len, whole.log.len);
		assert_memory_equal(other.log.data, whole.log.data, whole.log.len);
		buf_release(&other.log);
		buf_release(&whole.log);
		buf_release(&raw);
	}
}

/* The first message found in text, copied out for checks (valid while the parser lives). */
struct first {
	int n;
	char name[64];
	int is_event;
	char vals[8][64];
};

static const char *first_keys[] = {"event",    "CHANVARIABLE", "SystemName", "Padded",
				   "Response", "missing",      "Uniqueid",   "Channel"};

static void on_first(const struct ami_msg *m, void *ctx)
{
	struct first *f = ctx;
	if (f->n++ > 0)
		return;
	snprintf(f->name, sizeof(f->name), "%s", m->name);
	f->is_event = m->is_event;
	for (size_t i = 0; i < 8; i++) {
		const char *v = ami_get(m, first_keys[i]);
		snprintf(f->vals[i], sizeof(f->vals[i]), "%s", v ? v : "(null)");
	}
	const char *v2 = ami_get_nth(m, "ChanVariable", 1);
	assert_string_equal(v2 ? v2 : "(null)", "B=2");
	assert_null(ami_get_nth(m, "ChanVariable", 2));
}

static void test_ami__header_lookup_rules(void **state)
{
	(void)state;
	const char *text = "Event: Newchannel\nChanVariable: A=1\r\nChanVariable: B=2\r\n"
			   "SystemName: \r\nPadded:   \t x y \r\nUniqueid: 1.0\r\nuniqueid: 2.0\r\n"
			   "Channel:Local/201@phones-1;1\n\n";
	struct ami_parser *p = ami_parser_new();
	struct first f = {0};
	assert_int_equal(ami_feed(p, text, strlen(text), on_first, NULL, &f), 0);
	assert_int_equal(f.n, 1);
	assert_true(f.is_event);
	assert_string_equal(f.name, "Newchannel");
	assert_string_equal(f.vals[0], "Newchannel");
	assert_string_equal(f.vals[1], "A=1");
	assert_string_equal(f.vals[2], "");
	assert_string_equal(f.vals[3], "x y ");
	assert_string_equal(f.vals[4], "(null)");
	assert_string_equal(f.vals[5], "(null)");
	assert_string_equal(f.vals[6], "1.0");
	assert_string_equal(f.vals[7], "Local/201@phones-1;1");
	assert_string_equal(ami_banner(p), "");
	ami_parser_free(p);
}

static void test_ami__originate_response_is_an_event(void **state)
{
	(void)state;
	const char *text = "Event: OriginateResponse\r\nPrivilege: call,all\r\nActionID: c2c-1\r\n"
			   "Response: Failure\r\nReason: 5\r\n\r\n";
	struct seen s;
	feed_split(text, strlen(text), 3, 0, &s, NULL, 0);
	assert_int_equal(s.events, 1);
	assert_non_null(strstr(s.log.data, "E OriginateResponse\x1f"));
	buf_release(&s.log);
}

struct drop_case {
	const char *name;
	size_t line_len; /* a value this long in the middle message */
	int headers;	 /* number of headers in the middle message */
	const char *why;
};

static const struct drop_case drop_cases[] = {
    {"long line", 5000, 3, "line longer than 4096 bytes"},	 {"max line", 4090, 3, NULL},
    {"129 headers", 10, 129, "more than 128 headers"},		 {"128 headers", 10, 128, NULL},
    {"total size", 4000, 20, "message longer than 65536 bytes"},
};

/* Each case: a good message, the case's message, a good message; the good ones always come out. */
static void test_ami__oversized_dropped_then_resync(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof(drop_cases) / sizeof(drop_cases[0]); c++) {
		const struct drop_case *dc = &drop_cases[c];
		struct buf in;
		buf_init(&in, 0);
		buf_adds(&in, "Asterisk Call Manager/11.0.0\r\nEvent: A\r\n\r\nEvent: Big\r\n");
		for (int h = 1; h < dc->headers; h++) {
			buf_printf(&in, "K%d: ", h);
			for (size_t i = 0; i < dc->line_len; i++)
				buf_addc(&in, 'x');
			buf_adds(&in, "\r\n");
		}
		buf_adds(&in, "\r\nEvent: B\r\n\r\n");
		for (size_t chunk = 0; chunk < 3; chunk++) {
			struct seen s;
			feed_split(in.data, in.len,
				   chunk == 0	? in.len
				   : chunk == 1 ? 1
						: 0,
				   7, &s, NULL, 0);
			assert_int_equal(s.drops, dc->why ? 1 : 0);
			assert_int_equal(s.msgs, dc->why ? 2 : 3);
			assert_non_null(strstr(s.log.data, "E A\x1f"));
			assert_non_null(strstr(s.log.data, "E B\x1f"));
			if (dc->why)
				assert_non_null(strstr(s.log.data, dc->why));
			buf_release(&s.log);
		}
		buf_release(&in);
	}
}

static void test_ami__malformed_dropped(void **state)
{
	(void)state;
	static const char text[] =
	    "Event: A\r\nno colon here\r\nX: 1\r\n\r\n: empty key\r\n\r\n\r\n\r\n"
	    "\x00\xff\x01: bin\r\n\r\nEvent: B\r\n\r\n";
	struct seen s;
	feed_split(text, sizeof(text) - 1, 1, 0, &s, NULL, 0);
	assert_int_equal(s.drops, 2);
	assert_int_equal(s.msgs, 2); /* the binary-keyed one is kept: callers skip unknown keys */
	assert_non_null(strstr(s.log.data, "E B\x1f"));
	buf_release(&s.log);
}

static void test_ami__action_writer(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(ami_action(&b, "Originate", "ActionID", "nc-a1-1", "Channel",
				    "Local/204@phones", "Async", "true", NULL),
			 0);
	assert_string_equal(b.data, "Action: Originate\r\nActionID: nc-a1-1\r\n"
				    "Channel: Local/204@phones\r\nAsync: true\r\n\r\n");
	size_t len = b.len;
	static const char *bad[][2] = {
	    {"CallerID", "x\r\nAction: Command"},
	    {"CallerID", "x\nAction: Command"},
	    {"Call\rerID", "x"},
	    {"Key: Inject", "x"},
	    {"", "x"},
	    {"CallerID", "\r"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(
		    ami_action(&b, "Ping", "ActionID", "1", bad[i][0], bad[i][1], NULL), -1);
	assert_int_equal(ami_action(&b, "Ping\r\nAction: Command", NULL), -1);
	assert_int_equal(b.len, len);
	buf_release(&b);
}

static void test_ami__action_ids_unique_per_connection(void **state)
{
	(void)state;
	struct ami_ids a, b;
	char x[64], y[64], z[64];
	ami_ids_init(&a, "nc-host1-\r\n7");
	ami_ids_init(&b, "nc-host1-8");
	ami_next_id(&a, x, sizeof(x));
	ami_next_id(&a, y, sizeof(y));
	ami_next_id(&b, z, sizeof(z));
	assert_string_equal(x, "nc-host1-7-1");
	assert_string_equal(y, "nc-host1-7-2");
	assert_string_equal(z, "nc-host1-8-1");
}

/* The MD5 challenge login: RFC 1321's test vectors, and the Key the captured session sent for
 * challenge 139016874 and secret nextcall-secret (ami_md5_login.raw / .sent). */
static void test_ami__md5_challenge_key(void **state)
{
	(void)state;
	static const char *const v[][2] = {
	    {"", "d41d8cd98f00b204e9800998ecf8427e"},
	    {"abc", "900150983cd24fb0d6963f7d28e17f72"},
	    {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
	    {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
	     "57edf4a22be3c955ac49da2e2107b67a"},
	    {"139016874nextcall-secret", "fa5c28e795dd8266bfdf2fdfd9811986"},
	};
	char out[33];
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		md5_hex(v[i][0], strlen(v[i][0]), out);
		assert_string_equal(out, v[i][1]);
	}
	/* every length around the 56- and 64-byte block edges */
	char buf[200];
	memset(buf, 'a', sizeof(buf));
	md5_hex(buf, 55, out);
	assert_string_equal(out, "ef1772b6dff9a122358552954ad0df65");
	md5_hex(buf, 56, out);
	assert_string_equal(out, "3b0c8ac703f828b04c6c197006d17218");
	md5_hex(buf, 64, out);
	assert_string_equal(out, "014842d480b571495a4a0363793f7367");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ami__every_split_gives_same_messages),
	    cmocka_unit_test(test_ami__header_lookup_rules),
	    cmocka_unit_test(test_ami__originate_response_is_an_event),
	    cmocka_unit_test(test_ami__oversized_dropped_then_resync),
	    cmocka_unit_test(test_ami__malformed_dropped),
	    cmocka_unit_test(test_ami__action_writer),
	    cmocka_unit_test(test_ami__action_ids_unique_per_connection),
	    cmocka_unit_test(test_ami__md5_challenge_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
