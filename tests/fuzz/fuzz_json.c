/* fuzz_json.c - libFuzzer target for the API's request bodies: the bytes go through
 * http_json_parse (UTF-8 check, jansson, object check), then through the body readers of
 * POST /calls, /meetings, /clients and PATCH /clients/{id} (api_body.h), and the strings they
 * accept through the parsers the app applies next (times, money, enums, phones). Checked on the
 * way: a refusal is one 400 answer holding a well-formed {"error": {code, message, field}}; an
 * accepted string is valid UTF-8 without NUL; money and times read back what they print. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "io/phone.h"
#include "util/time.h"
#include "util/utf8.h"
#include "web/api_body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* check_refusal aborts unless r holds one 400 answer with a well-formed error object. */
static void check_refusal(struct req *r)
{
	if (r->status != 400 || !r->content_type || !r->out.len)
		abort();
	json_t *j = json_loadb(r->out.data, r->out.len, JSON_REJECT_DUPLICATES, NULL);
	json_t *e = json_object_get(j, "error");
	json_t *field = json_object_get(e, "field");
	if (!json_is_string(json_object_get(e, "code")) ||
	    !json_is_string(json_object_get(e, "message")) ||
	    !(json_is_string(field) || json_is_null(field)))
		abort();
	json_decref(j);
}

/* check_text aborts when an accepted string is not valid UTF-8 without NUL or is over max. */
static void check_text(const char *s, size_t max)
{
	if (s && (strlen(s) > max || !utf8_valid(s, strlen(s))))
		abort();
}

/* check_money: an amount money_parse takes prints as one it reads back to the same value. */
static void check_money(const char *s)
{
	int64_t v, back;
	char out[32];
	if (!s || money_parse(s, &v) < 0)
		return;
	money_format(v, out);
	if (v < 0 || money_parse(out, &back) < 0 || back != v)
		abort();
}

/* check_when: a time time_parse_when takes prints as RFC 3339 that reads back to the moment. */
static void check_when(const char *s, const char *tz)
{
	struct nc_when w;
	struct nc_err err = {0};
	char out[32];
	int64_t back;
	if (!s)
		return;
	if (time_parse_when(s, tz, "at", &w, &err) < 0) {
		if (err.code != NC_EINVAL || strpbrk(err.msg, "\r\n") ||
		    !utf8_valid(err.msg, strlen(err.msg)))
			abort();
		return;
	}
	time_rfc3339(w.t, tz, out);
	if (time_parse_rfc3339(out, "at", &back, &err) < 0 || back != w.t)
		abort();
}

/* check_phone: a phone the reader accepted either normalises to E.164 or is refused cleanly. */
static void check_phone(const char *s)
{
	char e164[PHONE_E164_MAX];
	struct nc_err err = {0};
	if (phone_normalize(s, "RU", e164, "phones", &err) < 0) {
		if (e164[0] || err.code != NC_EINVAL || !utf8_valid(err.msg, strlen(err.msg)))
			abort();
		return;
	}
	size_t n = strlen(e164);
	if (n < 8 || n > 16 || e164[0] != '+' || e164[1] == '0' ||
	    strspn(e164 + 1, "0123456789") != n - 1)
		abort();
}

/* answered resets the answer of r before the next reader, returning whether one was set. */
static bool answered(struct req *r)
{
	bool was = r->status != 0;
	if (was)
		check_refusal(r);
	r->status = 0;
	r->content_type = NULL;
	buf_reset(&r->out);
	return was;
}

static void contact(struct req *r, json_t *body, enum contact_kind kind)
{
	struct contact_input in;
	if (api_read_contact(r, body, kind, &in) < 0) {
		if (!answered(r))
			abort(); /* refused without an answer */
		return;
	}
	if (answered(r) || in.client_id < 1 || in.kind != kind || in.talk_s < -1 ||
	    in.talk_s > 86400)
		abort();
	const char *texts[] = {in.rep,	     in.direction, in.result,	   in.at,
			       in.next_kind, in.next_due,  in.never_reason};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		check_text(texts[i], 64);
	const char *long_texts[] = {in.purpose, in.goal_max, in.goal_min, in.refused,
				    in.never_note};
	for (size_t i = 0; i < sizeof(long_texts) / sizeof(long_texts[0]); i++)
		check_text(long_texts[i], 1000);
	check_text(in.offer, 40);
	check_text(in.won, 40);
	if (in.direction)
		(void)direction_parse(in.direction);
	if (in.result)
		(void)result_parse(in.result);
	if (in.next_kind)
		(void)step_kind_parse(in.next_kind);
	if (in.never_reason)
		(void)never_reason_parse(in.never_reason);
	check_money(in.offer);
	check_money(in.won);
	check_when(in.at, "Europe/Moscow");
	check_when(in.next_due, "Asia/Ho_Chi_Minh");
}

static void client(struct req *r, json_t *body, bool update)
{
	struct client_input in;
	if (api_read_client(r, body, update, &in) < 0) {
		if (!answered(r))
			abort();
		return;
	}
	if (answered(r) || (in.nphones && !in.phones))
		abort();
	const char *texts[] = {in.name, in.company, in.owner, in.segment, in.source};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		check_text(texts[i], 300);
	for (size_t i = 0; i < in.nphones; i++) {
		check_text(in.phones[i], 64);
		check_phone(in.phones[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req r;
	memset(&r, 0, sizeof(r));
	arena_init(&r.a);
	buf_init(&r.body, 0);
	buf_add(&r.body, data, size);
	buf_init(&r.out, 0);
	json_t *body = http_json_parse(&r);
	if (!body) {
		if (!answered(&r))
			abort();
	} else {
		if (answered(&r) || !json_is_object(body))
			abort();
		contact(&r, body, CONTACT_CALL);
		contact(&r, body, CONTACT_MEETING);
		client(&r, body, false);
		client(&r, body, true);
	}
	arena_release(&r.a); /* frees the parsed body too */
	buf_release(&r.body);
	buf_release(&r.out);
	return 0;
}
