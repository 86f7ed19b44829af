/* test_pbx.c - unit tests of tel/pbx.c: the calls built from the real Asterisk captures match
 * calls.json's scenarios and PROTOCOL.md's figures for any split of the stream, ringing
 * notifications go out for inbound calls only, and odd event orders neither leak nor crash. */
#include <math.h>
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
#include "tel/pbx.h"
#include "util/buf.h"
#include "testdata.h"

static const struct pbx_ext exts[] = {
    {"201", "ann"}, {"202", "bob"}, {"203", "cid"}, {"204", "dee"}};
static const char *const external[] = {"from-trunk"};
static const struct pbx_config cfg = {exts, 4, external, 1};

/* read_data loads tests/data/asterisk/NAME. */
static void read_data(const char *name, struct buf *b)
{
	char rel[256];
	snprintf(rel, sizeof(rel), "asterisk/%s", name);
	test_data(rel, b);
}

#define MAX_OUT 32

struct out {
	struct pbx_call calls[MAX_OUT];
	int ncalls;
	char rings[MAX_OUT][128];
	int nrings;
	struct pbx *x;
	double now;
};

static void on_call(const struct pbx_call *c, void *ctx)
{
	struct out *o = ctx;
	assert_true(o->ncalls < MAX_OUT);
	o->calls[o->ncalls++] = *c;
	o->calls[o->ncalls - 1].rep = c->rep; /* a pointer into cfg: stays valid */
}

static void on_ringing(const struct pbx_ringing *r, void *ctx)
{
	struct out *o = ctx;
	assert_true(o->nrings < MAX_OUT);
	snprintf(o->rings[o->nrings++], sizeof(o->rings[0]), "%s %s %s %s", r->ext,
		 r->login ? r->login : "-", r->number, r->linkedid);
}

static void on_msg(const struct ami_msg *m, void *ctx)
{
	struct out *o = ctx;
	pbx_feed(o->x, m, o->now);
}

/* replay feeds a capture in chunks (0: seeded random 1..700) through parser and correlator. */
static void replay(const char *name, size_t chunk, unsigned seed, struct out *o)
{
	struct buf raw;
	unsigned r = seed;
	read_data(name, &raw);
	memset(o, 0, sizeof(*o));
	o->x = pbx_new(&cfg, on_call, on_ringing, o);
	struct ami_parser *p = ami_parser_new();
	for (size_t off = 0; off < raw.len;) {
		size_t k = chunk;
		if (k == 0) {
			r = r * 1103515245u + 12345u;
			k = 1 + (r >> 16) % 700;
		}
		if (k > raw.len - off)
			k = raw.len - off;
		assert_int_equal(ami_feed(p, raw.data + off, k, on_msg, NULL, o), 0);
		off += k;
	}
	assert_int_equal(pbx_active(o->x), 0);
	pbx_free(o->x);
	ami_parser_free(p);
	buf_release(&raw);
}

struct expect {
	const char *kind, *id; /* the scenario in calls.json */
	const char *linkedid;
	enum pbx_dir dir;
	const char *number, *rang, *answered_ext, *rep;
	bool answered, missed;
	const char *status;
	double ring_s, talk_s; /* PROTOCOL.md §5: 3.00/12.01/7.00/4.00/15.00 s of ringing */
	int cause;
};

static const struct expect expected[] = {
    {"inbound", "answered", "1795367457.0", PBX_INBOUND, "5551001", "201", "201", "ann", true,
     false, "ANSWER", 3.0, 8.5, 16},
    {"inbound", "missed-timeout", "1795367471.4", PBX_INBOUND, "5551002", "202", "", "bob", false,
     true, "NOANSWER", 12.0, 0, 16},
    {"inbound", "missed-abandoned", "1795367485.8", PBX_INBOUND, "5551003", "202", "", "bob", false,
     true, "CANCEL", 7.0, 0, 19},
    {"inbound", "busy", "1795367494.12", PBX_INBOUND, "5551004", "203", "", "cid", false, true,
     "BUSY", 0, 0, 17},
    {"inbound", "ringgroup", "1795367496.16", PBX_INBOUND, "5551005", "201", "201", "ann", true,
     false, "ANSWER", 3.0, 8.5, 16},
    {"inbound", "announcement", "1795367510.22", PBX_INBOUND, "5551006", "", "", NULL, false, false,
     "", 0, 0, 16},
    {"inbound", "quoting", "1795367516.24", PBX_INBOUND, "+15551007007", "", "", NULL, false, false,
     "", 0, 0, 16},
    {"inbound", "utf8", "1795367523.26", PBX_INBOUND, "5551008", "", "", NULL, false, false, "", 0,
     0, 16},
    {"click-to-call", "answered", "1795367529.28", PBX_OUTBOUND, "5552001", "204", "204", "dee",
     true, false, "ANSWER", 4.0, 6.5, 16},
    {"click-to-call", "noanswer", "1795367543.32", PBX_OUTBOUND, "5552002", "204", "204", "dee",
     false, false, "NOANSWER", 15.0, 0, 16},
    {"click-to-call", "busy", "1795367561.36", PBX_OUTBOUND, "5552003", "204", "204", "dee", false,
     false, "BUSY", 0, 0, 16},
    {"click-to-call", "congestion", "1795367564.40", PBX_OUTBOUND, "5552004", "204", "204", "dee",
     false, false, "CONGESTION", 0, 0, 16},
    /* the agent leg never answered: no customer leg, so no number (it is in the Originate) */
    {"click-to-call", "agent-noanswer", "1795367567.44", PBX_OUTBOUND, "", "202", "", "bob", false,
     false, "", 8.0, 0, 19},
    {"click-to-call", "agent-busy", "1795367577.46", PBX_OUTBOUND, "", "203", "", "cid", false,
     false, "BUSY", 0, 0, 17},
    {"click-to-call", "sync", "1795367581.48", PBX_OUTBOUND, "5552001", "204", "204", "dee", true,
     false, "ANSWER", 4.0, 6.5, 16},
};

#define NEXPECTED (sizeof(expected) / sizeof(expected[0]))

/* scenario_window finds kind/id in calls.json and returns its start and end times. */
static void scenario_window(json_t *calls, const char *kind, const char *id, double *start,
			    double *end)
{
	size_t i;
	json_t *c;
	json_array_foreach(calls, i, c)
	{
		if (strcmp(json_string_value(json_object_get(c, "kind")), kind) == 0 &&
		    strcmp(json_string_value(json_object_get(c, "id")), id) == 0) {
			*start = json_real_value(json_object_get(c, "start"));
			*end = json_real_value(json_object_get(c, "end"));
			return;
		}
	}
	fail_msg("scenario %s/%s not in calls.json", kind, id);
}

static void check_calls(const struct out *o, json_t *calls)
{
	assert_int_equal(o->ncalls, NEXPECTED); /* bad-exten made no call */
	for (size_t i = 0; i < NEXPECTED; i++) {
		const struct expect *e = &expected[i];
		const struct pbx_call *c = NULL;
		for (int j = 0; j < o->ncalls; j++)
			if (strcmp(o->calls[j].linkedid, e->linkedid) == 0)
				c = &o->calls[j];
		if (!c)
			fail_msg("no call %s for %s/%s", e->linkedid, e->kind, e->id);
		double start = 0, end = 0;
		scenario_window(calls, e->kind, e->id, &start, &end);
		assert_true(c->start >= start && c->end <= end);
		assert_int_equal(c->dir, e->dir);
		assert_string_equal(c->number, e->number);
		assert_string_equal(c->rang_ext, e->rang);
		assert_string_equal(c->answered_ext, e->answered_ext);
		if (e->rep)
			assert_string_equal(c->rep, e->rep);
		else
			assert_null(c->rep);
		assert_int_equal(c->answered, e->answered);
		assert_int_equal(c->missed, e->missed);
		assert_string_equal(c->dial_status, e->status);
		if (fabs(c->ring_s - e->ring_s) > 0.05 || fabs(c->talk_s - e->talk_s) > 0.05)
			fail_msg("%s/%s: ring %.3f talk %.3f", e->kind, e->id, c->ring_s,
				 c->talk_s);
		assert_int_equal(c->cause, e->cause);
	}
}

static const char *expected_rings[] = {
    "201 ann 5551001 1795367457.0",  "202 bob 5551002 1795367471.4",
    "202 bob 5551003 1795367485.8",  "201 ann 5551005 1795367496.16",
    "202 bob 5551005 1795367496.16",
};

static void test_pbx__captures_give_expected_calls(void **state)
{
	(void)state;
	static const char *names[] = {"ami_nextcall_events_call_cdr.raw",
				      "ami_nextcall_events_on.raw"};
	struct buf cj;
	read_data("calls.json", &cj);
	json_error_t jerr;
	json_t *calls = json_loadb(cj.data, cj.len, 0, &jerr);
	assert_non_null(calls);
	static struct out o;
	for (size_t n = 0; n < 2; n++)
		for (unsigned split = 0; split < 5; split++) {
			size_t chunk = split == 0 ? SIZE_MAX : split == 1 ? 1 : 0;
			replay(names[n], chunk, split, &o);
			check_calls(&o, calls);
			assert_int_equal(o.nrings, 5);
			for (int i = 0; i < 5; i++)
				assert_string_equal(o.rings[i], expected_rings[i]);
		}
	json_decref(calls);
	buf_release(&cj);
}

/* feed_text parses AMI text (events separated by empty lines) into the correlator. */
static void feed_text(struct out *o, const char *text)
{
	struct ami_parser *p = ami_parser_new();
	ami_feed(p, text, strlen(text), on_msg, NULL, o);
	ami_parser_free(p);
}

static void test_pbx__dial_without_dialend_closed_by_hangup(void **state)
{
	(void)state;
	static struct out o;
	memset(&o, 0, sizeof(o));
	o.x = pbx_new(&cfg, on_call, on_ringing, &o);
	o.now = 1000.0; /* no Timestamp: the time passed in is used */
	feed_text(&o, "Event: Newchannel\r\nChannel: PJSIP/trunk-1\r\nContext: from-trunk\r\n"
		      "CallerIDNum: <unknown>\r\nUniqueid: u1\r\nLinkedid: u1\r\n\r\n"
		      "Event: DialBegin\r\nChannel: PJSIP/trunk-1\r\nCallerIDNum: 5550100\r\n"
		      "Uniqueid: u1\r\nLinkedid: u1\r\nDestChannel: PJSIP/201-2\r\n"
		      "DestUniqueid: u2\r\nDestLinkedid: u1\r\nDialString: 201\r\n\r\n"
		      "Event: Newstate\r\nChannel: PJSIP/201-2\r\nChannelStateDesc: Ringing\r\n"
		      "Uniqueid: u2\r\nLinkedid: u1\r\n\r\n");
	assert_int_equal(o.nrings, 1);
	assert_string_equal(o.rings[0], "201 ann 5550100 u1");
	o.now = 1006.5;
	feed_text(&o, "Event: Hangup\r\nUniqueid: u2\r\nLinkedid: u1\r\nCause: 19\r\n\r\n"
		      "Event: Hangup\r\nUniqueid: u1\r\nLinkedid: u1\r\nCause: 16\r\n\r\n"
		      /* late events of a finished call, and a Hangup of an unknown one */
		      "Event: DialEnd\r\nUniqueid: u1\r\nLinkedid: u1\r\nDestUniqueid: u2\r\n"
		      "DialStatus: CANCEL\r\n\r\n"
		      "Event: Hangup\r\nUniqueid: z\r\nLinkedid: z\r\n\r\n");
	assert_int_equal(o.ncalls, 1);
	assert_int_equal(pbx_active(o.x), 0);
	assert_true(o.calls[0].missed);
	assert_true(fabs(o.calls[0].ring_s - 6.5) < 1e-9);
	assert_int_equal(o.calls[0].cause, 19);
	pbx_free(o.x);
}

/* A reconnect: a call that ended while the link was down (not in the CoreShowChannels list) is
 * completed by the resync, once; a listed channel of an unknown call starts following it; the
 * late events of the completed call count nothing. */
static void test_pbx__resync_after_reconnect(void **state)
{
	(void)state;
	static struct out o;
	memset(&o, 0, sizeof(o));
	o.x = pbx_new(&cfg, on_call, on_ringing, &o);
	o.now = 2000.0;
	feed_text(&o, "Event: Newchannel\r\nChannel: PJSIP/trunk-1\r\nContext: from-trunk\r\n"
		      "CallerIDNum: 5550100\r\nUniqueid: a1\r\nLinkedid: a1\r\n\r\n"
		      "Event: DialBegin\r\nChannel: PJSIP/trunk-1\r\nCallerIDNum: 5550100\r\n"
		      "Uniqueid: a1\r\nLinkedid: a1\r\nDestChannel: PJSIP/201-2\r\n"
		      "DestUniqueid: a2\r\nDestLinkedid: a1\r\nDialString: 201\r\n\r\n");
	o.now = 2003.0;
	feed_text(&o, "Event: DialEnd\r\nUniqueid: a1\r\nLinkedid: a1\r\nDestUniqueid: a2\r\n"
		      "DialStatus: ANSWER\r\n\r\n"
		      "Event: BridgeEnter\r\nUniqueid: a2\r\nLinkedid: a1\r\n"
		      "BridgeNumChannels: 2\r\n\r\n");
	assert_int_equal(pbx_active(o.x), 1);
	/* the link drops; after the new login the list shows only a call that began meanwhile */
	o.now = 2030.0;
	pbx_resync_begin(o.x);
	feed_text(&o, "Event: CoreShowChannel\r\nActionID: x-1\r\nChannel: PJSIP/trunk-7\r\n"
		      "Context: from-trunk\r\nCallerIDNum: 5550199\r\nUniqueid: b1\r\n"
		      "Linkedid: b1\r\nChannelStateDesc: Up\r\nDuration: 00:00:10\r\n"
		      "BridgeId: br-1\r\n\r\n"
		      "Event: CoreShowChannel\r\nActionID: x-1\r\nChannel: PJSIP/202-8\r\n"
		      "Context: phones\r\nUniqueid: b2\r\nLinkedid: b1\r\n"
		      "ChannelStateDesc: Up\r\nDuration: 00:00:09\r\nBridgeId: br-1\r\n\r\n");
	pbx_resync_end(o.x, o.now);
	assert_int_equal(o.ncalls, 1); /* a1 ended while the link was down */
	assert_string_equal(o.calls[0].linkedid, "a1");
	assert_int_equal(o.calls[0].dir, PBX_INBOUND);
	assert_true(o.calls[0].answered);
	assert_string_equal(o.calls[0].answered_ext, "201");
	assert_true(fabs(o.calls[0].ring_s - 3.0) < 1e-9);
	assert_int_equal(pbx_active(o.x), 1); /* b1 is followed */
	/* a1's late events change nothing; b1 ends normally */
	o.now = 2040.0;
	feed_text(&o, "Event: Hangup\r\nUniqueid: a2\r\nLinkedid: a1\r\nCause: 16\r\n\r\n"
		      "Event: Hangup\r\nUniqueid: a1\r\nLinkedid: a1\r\nCause: 16\r\n\r\n"
		      "Event: Hangup\r\nUniqueid: b2\r\nLinkedid: b1\r\nCause: 16\r\n\r\n"
		      "Event: Hangup\r\nUniqueid: b1\r\nLinkedid: b1\r\nCause: 16\r\n\r\n");
	assert_int_equal(o.ncalls, 2);
	assert_string_equal(o.calls[1].linkedid, "b1");
	assert_int_equal(o.calls[1].dir, PBX_INBOUND);
	assert_string_equal(o.calls[1].number, "5550199");
	assert_true(o.calls[1].answered);
	assert_string_equal(o.calls[1].rep, "bob");
	assert_true(o.calls[1].start <= 2020.0 + 1e-9);
	assert_true(o.calls[1].talk_s >= 10.0);
	assert_int_equal(pbx_active(o.x), 0);
	/* CoreShowChannel items outside a resync (another session's list) start nothing */
	feed_text(&o, "Event: CoreShowChannel\r\nActionID: y-1\r\nChannel: PJSIP/trunk-9\r\n"
		      "Context: from-trunk\r\nUniqueid: c1\r\nLinkedid: c1\r\n\r\n");
	assert_int_equal(pbx_active(o.x), 0);
	pbx_free(o.x);
}

static void test_pbx__free_with_calls_in_progress(void **state)
{
	(void)state;
	static struct out o;
	memset(&o, 0, sizeof(o));
	o.x = pbx_new(&cfg, on_call, on_ringing, &o);
	feed_text(&o, "Event: Newchannel\r\nUniqueid: a\r\nLinkedid: a\r\nTimestamp: bad\r\n\r\n"
		      "Event: Newchannel\r\nUniqueid: b\r\nLinkedid: b\r\n\r\n");
	assert_int_equal(pbx_active(o.x), 2);
	assert_int_equal(o.ncalls, 0);
	pbx_free(o.x);
	pbx_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pbx__captures_give_expected_calls),
	    cmocka_unit_test(test_pbx__dial_without_dialend_closed_by_hangup),
	    cmocka_unit_test(test_pbx__free_with_calls_in_progress),
	    cmocka_unit_test(test_pbx__resync_after_reconnect),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
