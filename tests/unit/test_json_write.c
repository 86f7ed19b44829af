/* test_json_write.c - unit tests of app/json_write.c: every writer gives byte for byte what
 * json_dumps(json_of_..., JSON_COMPACT | JSON_PRESERVE_ORDER) gives from app/json.c's trees, plus
 * what the API adds around them (the list drops "next_step", the card adds "fields" as
 * api_clients.c composed them with jansson): hand-made hard cases, then thousands of
 * pseudo-random records from a fixed seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "app/json.h"
#include "app/json_write.h"
#include "util/buf.h"

#define DUMP_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

static const char *const zones[] = {NULL,
				    "UTC",
				    "Europe/Moscow",
				    "Europe/Istanbul",
				    "Asia/Ho_Chi_Minh",
				    "America/New_York",
				    "Europe/Berlin"};
#define NZONES (sizeof(zones) / sizeof(zones[0]))

/* ---- the reference: the jansson trees, as the API composed them ---- */

/* ref_fields is the old api_clients.c json_of_fields. */
static json_t *ref_fields(const struct client_card *card, const char *tz)
{
	json_t *o = json_object();
	for (size_t i = 0; i < card->nfields; i++) {
		const struct client_field *f = &card->fields[i];
		json_t *v = json_pack("{s:s, s:s, s:o, s:o}", "value", f->value, "type", f->type,
				      "run_id", f->run_id ? json_integer(f->run_id) : json_null(),
				      "updated_at", json_time(f->updated_at, tz));
		assert_non_null(v);
		json_object_set_new(o, f->field, v);
	}
	return o;
}

static char *dump(json_t *j)
{
	assert_non_null(j);
	char *s = json_dumps(j, DUMP_FLAGS);
	json_decref(j);
	assert_non_null(s);
	return s;
}

static char *ref_client(const struct client_rec *c, const struct step_rec *next, bool without_next,
			const char *tz)
{
	json_t *j = json_of_client(c, next, tz);
	assert_non_null(j);
	if (without_next)
		json_object_del(j, "next_step");
	return dump(j);
}

static char *ref_card(const struct client_card *card, bool with_fields, const char *tz)
{
	json_t *j = json_of_card(card, tz);
	assert_non_null(j);
	if (with_fields)
		json_object_set_new(j, "fields", ref_fields(card, tz));
	return dump(j);
}

/* same fails with the first differing byte when got and want differ. */
static void same(const char *what, const char *got, size_t got_len, char *want)
{
	size_t want_len = strlen(want);
	if (got_len != want_len || memcmp(got, want, want_len) != 0) {
		size_t i = 0;
		while (i < got_len && i < want_len && got[i] == want[i])
			i++;
		size_t from = i > 60 ? i - 60 : 0;
		fail_msg("%s differs at byte %zu (lengths %zu / %zu)\n  jw:      ...%.*s\n  "
			 "jansson: ...%.*s",
			 what, i, got_len, want_len,
			 (int)(got_len - from < 160 ? got_len - from : 160), got + from,
			 (int)(want_len - from < 160 ? want_len - from : 160), want + from);
	}
	free(want);
}

/* check_all compares every writer on the card's pieces in zone tz. The buffer starts with a
 * prefix so the writers are seen to append, not overwrite. */
static void check_all(const struct client_card *card, const char *tz)
{
	struct buf b;
	buf_init(&b, 256u << 20);
	static const char pre[] = "[x]";
	for (int wn = 0; wn < 2; wn++) {
		buf_reset(&b);
		buf_adds(&b, pre);
		jw_client(&b, &card->c, card->has_next ? &card->next : NULL, wn, tz);
		assert_false(buf_failed(&b));
		assert_memory_equal(b.data, pre, 3);
		same("jw_client", b.data + 3, b.len - 3,
		     ref_client(&card->c, card->has_next ? &card->next : NULL, wn, tz));

		/* jw_client_open plus the closing brace is jw_client */
		buf_reset(&b);
		jw_client_open(&b, &card->c, card->has_next ? &card->next : NULL, wn, tz);
		buf_addc(&b, '}');
		same("jw_client_open", b.data, b.len,
		     ref_client(&card->c, card->has_next ? &card->next : NULL, wn, tz));
	}
	for (int wf = 0; wf < 2; wf++) {
		buf_reset(&b);
		buf_adds(&b, pre);
		jw_card(&b, card, wf, tz);
		assert_false(buf_failed(&b));
		same("jw_card", b.data + 3, b.len - 3, ref_card(card, wf, tz));
	}
	for (size_t i = 0; i < card->ncalls; i++) {
		buf_reset(&b);
		jw_call(&b, &card->calls[i], tz);
		same("jw_call", b.data, b.len, dump(json_of_call(&card->calls[i], tz)));
	}
	for (size_t i = 0; i < card->ndeals; i++) {
		buf_reset(&b);
		jw_deal(&b, &card->deals[i], tz);
		same("jw_deal", b.data, b.len, dump(json_of_deal(&card->deals[i], tz)));
	}
	buf_release(&b);
}

static void check_string(const char *s)
{
	struct buf b;
	buf_init(&b, 256u << 20);
	jw_string(&b, s);
	char *want;
	if (s) { /* the reference must take the string (valid UTF-8) */
		json_t *j = json_string(s);
		assert_non_null(j);
		want = json_dumps(j, DUMP_FLAGS | JSON_ENCODE_ANY);
		json_decref(j);
	} else {
		want = strdup("null");
	}
	assert_non_null(want);
	same("jw_string", b.data, b.len, want);
	buf_release(&b);
}

static void check_all_zones(const struct client_card *card)
{
	for (size_t z = 0; z < NZONES; z++)
		check_all(card, zones[z]);
}

/* ---- hand-made cases ---- */

static char *controls(void)
{
	/* every control character 0x01..0x1F, then 0x7F, quotes, backslashes and slashes */
	char *s = malloc(64);
	assert_non_null(s);
	size_t n = 0;
	for (int c = 1; c < 0x20; c++)
		s[n++] = (char)c;
	memcpy(s + n, "\x7f\"\\/\"\\\\//", 10);
	n += 10;
	s[n] = 0;
	return s;
}

/* long_text: n bytes or so of a repeated piece (multi-byte pieces straddle the 4 KiB block). */
static char *long_text(const char *piece, size_t n)
{
	size_t pl = strlen(piece);
	char *s = malloc(n + pl + 1);
	assert_non_null(s);
	size_t len = 0;
	while (len < n) {
		memcpy(s + len, piece, pl);
		len += pl;
	}
	s[len] = 0;
	return s;
}

static const char *const hard[] = {
    "",
    "plain",
    "\"quoted\"",
    "back\\slash\\",
    "a/b/c</script>",
    "tab\there\nnew\rline\bback\fform",
    "Иванов Пётр Сергеевич, ООО «Ромашка»",
    "Nguyễn Văn Thắng — Công ty TNHH",
    "Tie\xcc\x82\xcc\x81ng Vie\xcc\xa3t (combining marks)",
    "emoji 😀🚀👨‍👩‍👧 end",
    "İstanbul Şişli Çağlayan ğüöı",
    "\xe2\x80\xa8 line sep \xe2\x80\xa9 para sep \xef\xbf\xbf",
    "\x7f",
    "\x01",
    "\x1f",
};
#define NHARD (sizeof(hard) / sizeof(hard[0]))

/* times: 0 (null), DST switches (Europe/Berlin and America/New_York in March and October 2021,
 * Moscow's 2011 and 2014 changes, Istanbul's 2016 move to +03), year boundaries, negative. */
static const int64_t times[] = {
    0,		1,	    -1,		-86400 * 365, 1300575599, 1300575600,	1301180399,
    1301180400, 1414270799, 1414270800, 1458435599,   1458435600, 1473195599,	1473195600,
    1616288399, 1616288400, 1616893199, 1616893200,   1635641999, 1635642000,	1636264799,
    1636264800, 1640995199, 1640995200, 1640984399,   1640984400, 1641002399,	1641002400,
    1704067199, 1704067200, 1735689599, 1735689600,   4102444800, 253402300799,
};
#define NTIMES (sizeof(times) / sizeof(times[0]))

static const int64_t amounts[] = {
    0,
    1,
    -1,
    5,
    -5,
    10,
    -10,
    99,
    100,
    -100,
    101,
    12345,
    -12345,
    199999999,
    100000000,
    123456789012,
    12345678901234,
    -99,
    1000000000000000,
    999999999999999999,
    -999999999999999999,
    INT64_MAX / 100 * 100,
    INT64_MIN / 100 * 100,
    33,
    67,
    250,
};
#define NAMOUNTS (sizeof(amounts) / sizeof(amounts[0]))

static void test_strings(void **state)
{
	(void)state;
	check_string(NULL);
	for (size_t i = 0; i < NHARD; i++)
		check_string(hard[i]);
	char *c = controls();
	check_string(c);
	free(c);
	/* every ASCII byte at every place of plain strings around 8 and 16 bytes: the writer tests
	 * 8 bytes at a time */
	static const size_t lens[] = {1, 7, 8, 9, 15, 16, 17};
	for (int ch = 1; ch < 0x80; ch++)
		for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++)
			for (size_t len = lens[l], at = 0; at < len; at++) {
				char t[20];
				memset(t, 'x', len);
				t[len] = 0;
				t[at] = (char)ch;
				check_string(t);
			}
	/* long strings around and past the 4 KiB staging block */
	const char *pieces[] = {"a", "\"", "\\", "\x01", "й", "ệ", "😀", "ab\"\\\ncd"};
	const size_t sizes[] = {4094, 4095, 4096, 4097, 4100, 8191, 8192, 20000, 70001};
	for (size_t p = 0; p < sizeof(pieces) / sizeof(pieces[0]); p++)
		for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			char *s = long_text(pieces[p], sizes[z]);
			check_string(s);
			free(s);
		}
}

/* hard_card fills card with every member set, the strings taken from hard[k...]. */
static void hard_card(struct client_card *card, struct client_rec *c, size_t k, const char **phones,
		      size_t nphones)
{
	memset(card, 0, sizeof(*card));
	c->id = 1000 + (int64_t)k;
	c->name = hard[k % NHARD];
	c->company = hard[(k + 1) % NHARD];
	c->category = (enum category)(k % CAT__COUNT);
	c->refusal_reason = hard[(k + 2) % NHARD];
	c->never_reason = hard[(k + 3) % NHARD];
	c->never_note = hard[(k + 4) % NHARD];
	c->owner = hard[(k + 5) % NHARD];
	c->segment = hard[(k + 6) % NHARD];
	c->source = hard[(k + 7) % NHARD];
	c->last_contact_at = times[k % NTIMES];
	c->created_at = times[(k + 1) % NTIMES];
	c->updated_at = times[(k + 2) % NTIMES];
	c->phones = phones;
	c->nphones = nphones;
	card->c = *c;
}

static void test_clients(void **state)
{
	(void)state;
	const char *phones[] = {"+74951234567", "+84912345678", "+905321234567", "", "+1\"2\\3"};
	struct client_card card;
	struct client_rec c;
	/* every string NULL (name is required by the tree builder), no phones, no times */
	memset(&c, 0, sizeof(c));
	memset(&card, 0, sizeof(card));
	card.c.name = "";
	check_all_zones(&card);
	card.c.id = -1;
	card.c.category = CAT_NEVER;
	check_all_zones(&card);
	card.c.id = INT64_MAX;
	check_all_zones(&card);
	card.c.id = INT64_MIN;
	check_all_zones(&card);
	/* every hard string in every member, with and without a next step */
	for (size_t k = 0; k < NHARD; k++) {
		hard_card(&card, &c, k, phones, k % 6);
		check_all_zones(&card);
		card.has_next = true;
		card.next.id = (int64_t)k + 7;
		card.next.kind = (enum step_kind)(k % STEP__COUNT);
		card.next.due_at = times[(k + 5) % NTIMES];
		card.next.note = "not in the client shape";
		check_all_zones(&card);
	}
	/* the control characters and long strings in the client */
	char *ctl = controls(), *lng = long_text("Привет \"мир\" \\ 😀 ", 9000);
	hard_card(&card, &c, 3, phones, 5);
	card.c.name = ctl;
	card.c.never_note = lng;
	card.c.company = lng;
	check_all_zones(&card);
	free(ctl);
	free(lng);
	/* each time in every zone */
	for (size_t t = 0; t < NTIMES; t++) {
		hard_card(&card, &c, t, phones, 2);
		card.c.last_contact_at = times[t];
		card.c.created_at = times[(t + 1) % NTIMES];
		card.c.updated_at = times[(t + 2) % NTIMES];
		card.has_next = true;
		card.next.id = 1;
		card.next.due_at = times[t];
		check_all_zones(&card);
	}
	/* many phones */
	const char *many[300];
	char num[300][16];
	for (size_t i = 0; i < 300; i++) {
		snprintf(num[i], sizeof(num[i]), "+7916%07zu", i * 7919);
		many[i] = num[i];
	}
	hard_card(&card, &c, 5, many, 300);
	check_all_zones(&card);
}

static void test_calls_deals(void **state)
{
	(void)state;
	struct client_card card;
	struct client_rec c;
	enum { NCALLS = 200, NDEALS = NAMOUNTS * 4 };
	struct call_rec calls[NCALLS];
	struct deal_rec deals[NDEALS];
	hard_card(&card, &c, 2, NULL, 0);
	memset(calls, 0, sizeof(calls));
	memset(deals, 0, sizeof(deals));
	char *lng = long_text("Nguyễn \"Văn\" \\ /\x01", 5000);
	for (size_t i = 0; i < NCALLS; i++) {
		struct call_rec *x = &calls[i];
		x->id = (int64_t)i * 13 - 50;
		x->client_id = i % 5 == 0 ? 0 : (int64_t)i + 1;
		x->rep_id = 3;
		x->kind = (enum contact_kind)(i % CONTACT__COUNT);
		x->direction = (int)(i % (DIR__COUNT + 1)) - 1;
		x->started_at = times[i % NTIMES];
		x->answered_at = x->ended_at = 12345;
		x->ring_s = i % 7 == 0 ? -1 : (int)i * 3;
		x->talk_s = i % 11 == 0 ? 2147483647 : (int)i;
		x->missed = i % 3 == 0;
		bool nulls = i % 4 == 1;
		x->purpose = nulls ? NULL : hard[i % NHARD];
		x->goal_max = nulls ? NULL : hard[(i + 1) % NHARD];
		x->goal_min = nulls ? NULL : hard[(i + 2) % NHARD];
		x->result = (int)(i % (RESULT__COUNT + 1)) - 1;
		x->outcome = nulls ? NULL : hard[(i + 3) % NHARD];
		x->refusal_reason = nulls ? NULL : hard[(i + 4) % NHARD];
		x->phone = nulls ? NULL : hard[(i + 5) % NHARD];
		x->pbx_id = nulls ? NULL : "1700000000.42";
		x->recording_url = nulls ? NULL : "https://pbx.example/rec/a b/\"c\".wav";
		x->logged = i % 2 == 0;
		x->rep = nulls ? NULL : hard[(i + 6) % NHARD];
		x->client_name = "not in the shape";
		x->phone_e164 = nulls ? NULL : i == 17 ? lng : "+74951234567";
	}
	for (size_t i = 0; i < NDEALS; i++) {
		struct deal_rec *d = &deals[i];
		d->id = (int64_t)i + 1;
		d->client_id = i % 9 == 0 ? 0 : 1000 - (int64_t)i;
		d->amount = amounts[i % NAMOUNTS];
		d->stage = (enum deal_stage)(i % DEAL__COUNT);
		d->created_at = times[i % NTIMES];
		d->closed_at = i % 2 ? 0 : times[(i + 3) % NTIMES];
	}
	card.calls = calls;
	card.ncalls = NCALLS;
	card.deals = deals;
	card.ndeals = NDEALS;
	card.has_next = true;
	card.next.id = 9;
	card.next.due_at = 1616893200;
	/* fields: hard names and values, a name given twice (the last value in the first place) */
	struct client_field fields[2 * NHARD + 3];
	size_t nf = 0;
	for (size_t i = 0; i < NHARD; i++) {
		fields[nf++] = (struct client_field){hard[i], hard[(i + 1) % NHARD], "text",
						     i % 2 ? 0 : (int64_t)i + 1, times[i % NTIMES]};
		fields[nf++] = (struct client_field){hard[(i + 3) % NHARD], hard[i], "number",
						     -(int64_t)i, times[(i + 4) % NTIMES]};
	}
	fields[nf++] = (struct client_field){"budget", "1 000 000", "number", 5, 1640995200};
	fields[nf++] = (struct client_field){lng, lng, "choice", 0, 0};
	fields[nf++] = (struct client_field){"budget", "2 000 000", "datetime", 0, 1};
	card.fields = fields;
	card.nfields = nf;
	check_all_zones(&card);
	/* the empty card: no calls, deals, fields */
	card.ncalls = card.ndeals = card.nfields = 0;
	check_all_zones(&card);
	free(lng);
}

/* check_agenda compares jw_agenda (and jw_step on each step) with json_of_agenda in zone tz. */
static void check_agenda(const struct agenda *ag, const char *tz)
{
	struct buf b;
	buf_init(&b, 256u << 20);
	buf_adds(&b, "[x]");
	jw_agenda(&b, ag, tz);
	assert_false(buf_failed(&b));
	assert_memory_equal(b.data, "[x]", 3);
	same("jw_agenda", b.data + 3, b.len - 3, dump(json_of_agenda(ag, tz)));
	for (size_t i = 0; i < ag->noverdue; i++) {
		buf_reset(&b);
		jw_step(&b, &ag->overdue[i], tz);
		same("jw_step", b.data, b.len, dump(json_of_step(&ag->overdue[i], tz)));
	}
	buf_release(&b);
}

/* hard_step fills a step with every member set from hard[k...], or every optional one NULL. */
static void hard_step(struct step_rec *s, size_t k, bool nulls)
{
	memset(s, 0, sizeof(*s));
	s->id = (int64_t)k * 31 - 7;
	s->client_id = (int64_t)k + 100;
	s->call_id = nulls ? 0 : (int64_t)k - 3;
	s->rep_id = 2;
	s->kind = (enum step_kind)(k % STEP__COUNT);
	s->due_at = times[k % NTIMES];
	s->status = (enum step_status)(k % STEP_STATUS__COUNT);
	s->auto_planned = k % 2;
	s->note = nulls ? NULL : hard[k % NHARD];
	s->cancel_reason = nulls ? NULL : hard[(k + 1) % NHARD];
	s->rep = nulls ? NULL : hard[(k + 2) % NHARD];
	s->client_name = nulls ? NULL : hard[(k + 3) % NHARD];
	s->client_phone = nulls ? NULL : hard[(k + 4) % NHARD];
}

/* Numbers at every length's edges (9, 10, 11, 99, 100, ... up to the int64 limits), both
 * signs, as a step's ids, against jansson. */
static void test_int_edges(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 1u << 20);
	for (int k = 0; k <= 18; k++) {
		int64_t p = 1;
		for (int j = 0; j < k; j++)
			p *= 10;
		const int64_t vs[] = {p - 1, p,	       p + 1,	  -(p - 1),
				      -p,    -(p + 1), INT64_MAX, INT64_MIN};
		for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
			struct step_rec s;
			hard_step(&s, (size_t)k, false);
			s.id = vs[i];
			s.client_id = vs[i] == INT64_MIN ? INT64_MAX : -vs[i];
			s.call_id = vs[i];
			buf_reset(&b);
			jw_step(&b, &s, "Europe/Moscow");
			assert_false(buf_failed(&b));
			same("jw_step", b.data, b.len, dump(json_of_step(&s, "Europe/Moscow")));
		}
	}
	buf_release(&b);
}

static void test_agenda(void **state)
{
	(void)state;
	enum { NSTEPS = 2 * NTIMES, NVIOL = 3 * NHARD };
	struct step_rec steps[NSTEPS];
	struct agenda_violation viol[NVIOL];
	for (size_t i = 0; i < NSTEPS; i++)
		hard_step(&steps[i], i, i % 3 == 1);
	static const char *const rules[] = {"next_step_missing", "cadence_exceeded",
					    "decision_passed"};
	for (size_t i = 0; i < NVIOL; i++)
		viol[i] = (struct agenda_violation){(int64_t)i * 977 - 5, hard[i % NHARD],
						    rules[i % 3], times[i % NTIMES]};
	struct agenda ag;
	/* the empty agenda: the team's (no rep), nothing to do */
	memset(&ag, 0, sizeof(ag));
	ag.timezone = "UTC";
	for (size_t z = 0; z < NZONES; z++)
		check_agenda(&ag, zones[z]);
	/* a rep's, with every hard string, each time, steps with and without their optional members
	 */
	for (size_t k = 0; k < NHARD; k++) {
		ag.rep = hard[k];
		ag.timezone = zones[1 + k % (NZONES - 1)];
		ag.day_start = times[k % NTIMES];
		ag.day_end = times[(k + 1) % NTIMES];
		ag.overdue = steps;
		ag.noverdue = k % 2 ? NSTEPS : 1;
		ag.today = steps + k;
		ag.ntoday = NSTEPS - k;
		ag.violations = viol;
		ag.nviolations = k % 3 ? NVIOL : 0;
		ag.overdue_total = (int64_t)k * 1000;
		ag.calls_today = -(int64_t)k;
		ag.planned_today = INT64_MAX - (int64_t)k;
		ag.pool_now = INT64_MIN + (int64_t)k;
		ag.pool_future = (int64_t)k;
		for (size_t z = 0; z < NZONES; z++)
			check_agenda(&ag, zones[z]);
	}
	/* long and control strings */
	char *ctl = controls(), *lng = long_text("Trần \"Thị\" \\ 😀 ", 9000);
	steps[0].note = lng;
	steps[0].client_name = ctl;
	viol[0].client_name = lng;
	ag.rep = ctl;
	ag.noverdue = 3;
	ag.nviolations = 2;
	check_agenda(&ag, "Asia/Ho_Chi_Minh");
	/* a rep's own lists: every step with his one login (its member made once, then copied),
	 * plain, to escape, and too long to keep */
	const char *logins[] = {"rep02", "a\"b\\c\n", lng};
	ag.overdue = ag.today = steps;
	ag.noverdue = ag.ntoday = NSTEPS;
	for (size_t l = 0; l < sizeof(logins) / sizeof(logins[0]); l++) {
		for (size_t i = 0; i < NSTEPS; i++)
			steps[i].rep = logins[l];
		steps[NSTEPS / 2].rep = logins[(l + 1) % 3]; /* another one between */
		check_agenda(&ag, "Europe/Moscow");
	}
	free(ctl);
	free(lng);
}

/* ---- generated records ---- */

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t pick(size_t n)
{
	return (size_t)(next_rand() % n);
}

/* Pieces of valid UTF-8 the generated strings are made of. */
static const char *const pieces[] = {
    "a",
    "Z",
    "0",
    " ",
    "\"",
    "\\",
    "/",
    "\x01",
    "\x07",
    "\b",
    "\t",
    "\n",
    "\x0b",
    "\f",
    "\r",
    "\x1b",
    "\x1f",
    "\x7f",
    "й",
    "Ж",
    "ё",
    "ệ",
    "ữ",
    "e\xcc\x81",
    "ğ",
    "İ",
    "€",
    "😀",
    "👨‍👩‍👧",
    "\xf4\x8f\xbf\xbf",
    "\xc2\x80",
    "{",
    "}",
    ":",
    ",",
    "null",
};
#define NPIECES (sizeof(pieces) / sizeof(pieces[0]))

/* gen_str makes a string (or NULL when nullable), kept in pool[*used]. */
static const char *gen_str(char **pool, size_t *used, bool nullable)
{
	size_t r = pick(100);
	if (nullable && r < 15)
		return NULL;
	size_t n = r < 20 ? 0 : r < 97 ? pick(40) : 1000 + pick(5000);
	struct buf b;
	buf_init(&b, 0);
	for (size_t i = 0; i < n; i++)
		buf_adds(&b, pieces[pick(NPIECES)]);
	size_t len;
	char *s = buf_detach(&b, &len);
	assert_non_null(s);
	pool[(*used)++] = s;
	return s;
}

static int64_t gen_time(void)
{
	size_t r = pick(10);
	if (r < 2)
		return 0;
	if (r < 6)
		return times[pick(NTIMES)] + (int64_t)pick(7201) - 3600;
	return (int64_t)(next_rand() % 4102444800u);
}

static int64_t gen_int(void)
{
	switch (pick(5)) {
	case 0:
		return 0;
	case 1:
		return (int64_t)pick(1000);
	case 2:
		return -(int64_t)pick(1000000);
	case 3:
		return (int64_t)next_rand();
	default:
		return (int64_t)(next_rand() >> 20);
	}
}

static int64_t gen_money(void)
{
	switch (pick(4)) {
	case 0:
		return amounts[pick(NAMOUNTS)];
	case 1:
		return (int64_t)pick(100000000) - 50000000;
	case 2:
		return (int64_t)(next_rand() >> (10 + pick(50))) * (pick(2) ? 1 : -1);
	default:
		return (int64_t)pick(10000) * 100;
	}
}

static void test_generated(void **state)
{
	(void)state;
	enum { ROUNDS = 3000, POOL = 4096 };
	char **pool = calloc(POOL, sizeof(char *));
	assert_non_null(pool);
	for (int round = 0; round < ROUNDS; round++) {
		size_t used = 0;
		struct client_card card;
		memset(&card, 0, sizeof(card));
		struct client_rec *c = &card.c;
		c->id = gen_int();
		c->name = gen_str(pool, &used, false);
		c->company = gen_str(pool, &used, true);
		c->category = (enum category)pick(CAT__COUNT);
		c->refusal_reason = gen_str(pool, &used, true);
		c->never_reason = gen_str(pool, &used, true);
		c->never_note = gen_str(pool, &used, true);
		c->owner = gen_str(pool, &used, true);
		c->segment = gen_str(pool, &used, true);
		c->source = gen_str(pool, &used, true);
		c->last_contact_at = gen_time();
		c->created_at = gen_time();
		c->updated_at = gen_time();
		const char *phones[8];
		c->nphones = pick(9);
		for (size_t i = 0; i < c->nphones; i++)
			phones[i] = gen_str(pool, &used, false);
		c->phones = phones;
		card.has_next = pick(2);
		card.next.id = gen_int();
		card.next.kind = (enum step_kind)pick(STEP__COUNT);
		card.next.due_at = gen_time();
		struct call_rec calls[12];
		struct deal_rec deals[12];
		struct client_field fields[10];
		card.ncalls = pick(13);
		card.ndeals = pick(13);
		card.nfields = pick(11);
		for (size_t i = 0; i < card.ncalls; i++) {
			struct call_rec *x = &calls[i];
			memset(x, 0, sizeof(*x));
			x->id = gen_int();
			x->client_id = gen_int();
			x->kind = (enum contact_kind)pick(CONTACT__COUNT);
			x->direction = (int)pick(DIR__COUNT + 1) - 1;
			x->started_at = gen_time();
			x->ring_s = (int)gen_int();
			x->talk_s = (int)gen_int();
			x->missed = pick(2);
			x->purpose = gen_str(pool, &used, true);
			x->goal_max = gen_str(pool, &used, true);
			x->goal_min = gen_str(pool, &used, true);
			x->result = (int)pick(RESULT__COUNT + 1) - 1;
			x->outcome = gen_str(pool, &used, true);
			x->refusal_reason = gen_str(pool, &used, true);
			x->phone = gen_str(pool, &used, true);
			x->pbx_id = gen_str(pool, &used, true);
			x->recording_url = gen_str(pool, &used, true);
			x->logged = pick(2);
			x->rep = gen_str(pool, &used, true);
			x->phone_e164 = gen_str(pool, &used, true);
		}
		for (size_t i = 0; i < card.ndeals; i++) {
			struct deal_rec *d = &deals[i];
			memset(d, 0, sizeof(*d));
			d->id = gen_int();
			d->client_id = gen_int();
			d->amount = gen_money();
			d->stage = (enum deal_stage)pick(DEAL__COUNT);
			d->created_at = gen_time();
			d->closed_at = gen_time();
		}
		for (size_t i = 0; i < card.nfields; i++) {
			struct client_field *f = &fields[i];
			/* names from a small set so that some repeat */
			static const char *const names[] = {"budget", "Бюджет", "ngân sách", "a\"b",
							    "x/y\\z"};
			f->field = pick(3) ? names[pick(5)] : gen_str(pool, &used, false);
			f->value = gen_str(pool, &used, false);
			f->type = gen_str(pool, &used, false);
			f->run_id = gen_int();
			f->updated_at = gen_time();
		}
		card.calls = calls;
		card.deals = deals;
		card.fields = fields;
		check_all(&card, zones[pick(NZONES)]);
		assert_true(used <= POOL);
		for (size_t i = 0; i < used; i++)
			free(pool[i]);
	}
	free(pool);
}

static void test_generated_agendas(void **state)
{
	(void)state;
	enum { ROUNDS = 1500, POOL = 4096 };
	char **pool = calloc(POOL, sizeof(char *));
	assert_non_null(pool);
	static const char *const rules[] = {"next_step_missing", "cadence_exceeded",
					    "decision_passed"};
	for (int round = 0; round < ROUNDS; round++) {
		size_t used = 0;
		struct step_rec steps[16];
		struct agenda_violation viol[12];
		struct agenda ag;
		memset(&ag, 0, sizeof(ag));
		ag.rep = gen_str(pool, &used, true);
		ag.timezone = zones[1 + pick(NZONES - 1)];
		ag.day_start = gen_time();
		ag.day_end = gen_time();
		size_t n = pick(17);
		for (size_t i = 0; i < n; i++) {
			struct step_rec *x = &steps[i];
			memset(x, 0, sizeof(*x));
			x->id = gen_int();
			x->client_id = gen_int();
			x->call_id = gen_int();
			x->kind = (enum step_kind)pick(STEP__COUNT);
			x->due_at = gen_time();
			x->status = (enum step_status)pick(STEP_STATUS__COUNT);
			x->auto_planned = pick(2);
			x->note = gen_str(pool, &used, true);
			x->cancel_reason = gen_str(pool, &used, true);
			x->rep = gen_str(pool, &used, true);
			x->client_name = gen_str(pool, &used, true);
			x->client_phone = gen_str(pool, &used, true);
		}
		ag.overdue = steps;
		ag.noverdue = n ? pick(n + 1) : 0;
		ag.today = steps + ag.noverdue;
		ag.ntoday = n - ag.noverdue;
		ag.nviolations = pick(13);
		for (size_t i = 0; i < ag.nviolations; i++)
			viol[i] = (struct agenda_violation){gen_int(), gen_str(pool, &used, false),
							    rules[pick(3)], gen_time()};
		ag.violations = viol;
		ag.overdue_total = gen_int();
		ag.calls_today = gen_int();
		ag.planned_today = gen_int();
		ag.pool_now = gen_int();
		ag.pool_future = gen_int();
		check_agenda(&ag, pick(4) ? ag.timezone : zones[pick(NZONES)]);
		assert_true(used <= POOL);
		for (size_t i = 0; i < used; i++)
			free(pool[i]);
	}
	free(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strings),	      cmocka_unit_test(test_clients),
	    cmocka_unit_test(test_calls_deals),	      cmocka_unit_test(test_generated),
	    cmocka_unit_test(test_int_edges),	      cmocka_unit_test(test_agenda),
	    cmocka_unit_test(test_generated_agendas),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
