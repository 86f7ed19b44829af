/* test_step_line.c - unit tests of store/step_line.c, the parse of a planned step's agenda line
 * (migration 0023): every field read, NULL told from the empty text, texts holding the
 * separators, an unknown kind read as a call; and every malformed line refused with the step
 * left as it was, so that the store reads that list from the columns instead. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/model.h"
#include "store/step_line.h"

static bool parse(struct arena *a, const char *line, struct step_rec *s)
{
	return step_line_parse(line, strlen(line), a, s);
}

static void test_every_field(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct step_rec s;
	/* "перезвонить\n" is 23 bytes of UTF-8, "Мария Кузнецова" 29 */
	const char *line = "1292932,1795156500,163602,1635146,offer,1,23,-1,29,12:"
			   "перезвонить"
			   "\n"
			   "Мария Кузнецова+79005655357";
	assert_true(parse(&a, line, &s));
	assert_int_equal(s.id, 1292932);
	assert_int_equal(s.due_at, 1795156500);
	assert_int_equal(s.client_id, 163602);
	assert_int_equal(s.call_id, 1635146);
	assert_int_equal(s.kind, STEP_OFFER);
	assert_true(s.auto_planned);
	assert_int_equal(s.status, STEP_PLANNED);
	assert_string_equal(s.note, "перезвонить\n");
	assert_null(s.cancel_reason);
	assert_string_equal(s.client_name, "Мария Кузнецова");
	assert_string_equal(s.client_phone, "+79005655357");
	assert_int_equal(s.rep_id, 0);
	assert_null(s.rep);
	assert_int_equal(s.created_at, 0);
	assert_int_equal(s.closed_at, 0);
	arena_release(&a);
}

/* NULL (-1) and the empty text (0) stay apart; no call is 0; auto is true for 1 only */
static void test_null_and_empty(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct step_rec s;
	assert_true(parse(&a, "5,-86400,7,,call,0,0,-1,0,-1:", &s));
	assert_int_equal(s.id, 5);
	assert_int_equal(s.due_at, -86400);
	assert_int_equal(s.call_id, 0);
	assert_int_equal(s.kind, STEP_CALL);
	assert_false(s.auto_planned);
	assert_non_null(s.note);
	assert_string_equal(s.note, "");
	assert_null(s.cancel_reason);
	assert_string_equal(s.client_name, "");
	assert_null(s.client_phone);
	assert_true(parse(&a, "5,0,7,,callback,2,-1,-1,-1,-1:", &s));
	assert_int_equal(s.kind, STEP_CALLBACK);
	assert_false(s.auto_planned);
	assert_null(s.note);
	assert_null(s.client_name);
	arena_release(&a);
}

/* the lengths, not the separators, cut the texts: a note may hold ",", ":" and digits */
static void test_separators_in_texts(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct step_rec s;
	assert_true(parse(&a, "9,100,8,3,meeting,0,7,4,3,2:1,2:3,4a,b:c:d,e", &s));
	assert_string_equal(s.note, "1,2:3,4");
	assert_string_equal(s.cancel_reason, "a,b:");
	assert_string_equal(s.client_name, "c:d");
	assert_string_equal(s.client_phone, ",e");
	arena_release(&a);
}

/* a word that names no kind reads as a call, as the column does (q_steps.c kind_of) */
static void test_unknown_kind(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct step_rec s;
	const char *words[] = {"cal", "calls", "Meeting", "x", ""};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		char line[64];
		snprintf(line, sizeof(line), "1,2,3,,%s,0,-1,-1,-1,-1:", words[i]);
		s.kind = STEP_OFFER;
		assert_true(parse(&a, line, &s));
		assert_int_equal(s.kind, STEP_CALL);
	}
	/* a word holding NULs after a kind's name (found by fuzz_step_line: the name was read past
	 * its end) */
	static const char nul_word[] = "9,900,8,3,meeting\0\0\0\0\0\0\0\0\0,0,7,2:19,100,,2:83,";
	s.kind = STEP_OFFER;
	assert_false(step_line_parse(nul_word, sizeof(nul_word) - 1, &a, &s)); /* lengths "7,2:" */
	static const char nul_kind[] = "9,900,8,3,meeting\0\0\0,0,-1,-1,-1,-1:";
	assert_true(step_line_parse(nul_kind, sizeof(nul_kind) - 1, &a, &s));
	assert_int_equal(s.kind, STEP_CALL);
	for (int k = 0; k < STEP__COUNT; k++) {
		char line[64];
		snprintf(line, sizeof(line), "1,2,3,,%s,0,-1,-1,-1,-1:", step_kind_name(k));
		assert_true(parse(&a, line, &s));
		assert_int_equal(s.kind, k);
	}
	arena_release(&a);
}

static void test_refused(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	const char *bad[] = {
	    "",
	    "1",
	    "1,2,3,,call,0,-1,-1,-1,-1",     /* no ":" */
	    "1,2,3,,call,0,-1,-1,-1,-1:x",   /* a byte after the texts */
	    "1,2,3,,call,0,2,-1,-1,-1:x",    /* a text past the end */
	    "1,2,3,,call,0,1,1,1,1:xyz",     /* the texts end past the line */
	    "1,2,3,,call,0,-2,-1,-1,-1:",    /* a length below -1 */
	    "1,2,3,,call,0,-1,-1,-1:",	     /* a length missing */
	    "1,2,3,,call,0,-1,-1,-1,-1,-1:", /* one too many */
	    "1,2,3,,call,-1,-1,-1,-1:",	     /* auto missing */
	    "1,2,3,call,0,-1,-1,-1,-1:",     /* call_id missing */
	    "x,2,3,,call,0,-1,-1,-1,-1:",    /* no digit */
	    "-,2,3,,call,0,-1,-1,-1,-1:",
	    "1 ,2,3,,call,0,-1,-1,-1,-1:",
	    "1,2.5,3,,call,0,-1,-1,-1,-1:", /* a real */
	    "1,2,3,,call",
	    "1234567890123456789,2,3,,call,0,-1,-1,-1,-1:", /* 19 digits */
	    "1,2,3,,call,0,99999999999999999999,-1,-1,-1:",
	    "1,2,3,,call,0,-1,-1,-1,-1:\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct step_rec s, was;
		memset(&s, 0x5a, sizeof(s));
		memcpy(&was, &s, sizeof(s));
		if (parse(&a, bad[i], &s))
			fail_msg("taken: \"%s\"", bad[i]);
		assert_memory_equal(&s, &was, sizeof(s));
	}
	/* the largest numbers taken: 18 digits, either sign */
	struct step_rec s;
	assert_true(
	    parse(&a, "999999999999999999,-999999999999999999,1,2,visit,1,-1,-1,-1,-1:", &s));
	assert_int_equal(s.id, INT64_C(999999999999999999));
	assert_int_equal(s.due_at, -INT64_C(999999999999999999));
	assert_int_equal(s.kind, STEP_VISIT);
	/* len bytes of the line only: a line cut short is refused, its bytes past len not read */
	const char *full = "1,2,3,,call,0,-1,-1,2,-1:ab";
	assert_false(step_line_parse(full, strlen(full) - 1, &a, &s));
	assert_true(step_line_parse(full, strlen(full), &a, &s));
	assert_string_equal(s.client_name, "ab");
	arena_release(&a);
}

/* every length of number from 1 to 18 digits, with many bytes after it and with few, either
 * sign, leading zeros, and bytes that are no digit right after digits (0xfa and above, ':' and
 * '/' either side of the digits) */
static void test_numbers_every_length(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	const char *digits = "907856341203948576";
	for (int len = 1; len <= 18; len++) {
		char num[24], line[128];
		struct step_rec s;
		snprintf(num, sizeof(num), "%.*s", len, digits);
		long long want = strtoll(num, NULL, 10);
		snprintf(line, sizeof(line), "%s,-%s,1,%s,call,0,-1,-1,-1,-1:", num, num, num);
		if (!parse(&a, line, &s))
			fail_msg("refused: %s", line);
		assert_int_equal(s.id, want);
		assert_int_equal(s.due_at, -want);
		assert_int_equal(s.call_id, want);
		/* the last length, zeros in front, 3 bytes after it: fewer than eight left */
		snprintf(line, sizeof(line), "1,2,3,,call,0,-1,-1,-1,%.*s3:abc", len - 1,
			 "00000000000000000");
		if (!parse(&a, line, &s))
			fail_msg("refused: %s", line);
		assert_string_equal(s.client_phone, "abc");
		/* a zero in front is one digit more */
		snprintf(line, sizeof(line), "0%s,2,3,,call,0,-1,-1,-1,-1:", num);
		if (len < 18) {
			assert_true(parse(&a, line, &s));
			assert_int_equal(s.id, want);
		} else {
			assert_false(parse(&a, line, &s));
		}
	}
	const char *after[] = {"\xfa",
			       "\xff",
			       ":",
			       "/",
			       "\xfa"
			       "9",
			       "\xff"
			       "0,"};
	for (size_t i = 0; i < sizeof(after) / sizeof(after[0]); i++) {
		char line[96];
		struct step_rec s;
		snprintf(line, sizeof(line), "12%s345678901,2,3,,call,0,-1,-1,-1,-1:", after[i]);
		assert_false(parse(&a, line, &s));
		snprintf(line, sizeof(line), "1234567890%s1,2,3,,call,0,-1,-1,-1,-1:", after[i]);
		assert_false(parse(&a, line, &s));
	}
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_field),
	    cmocka_unit_test(test_null_and_empty),
	    cmocka_unit_test(test_separators_in_texts),
	    cmocka_unit_test(test_unknown_kind),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_numbers_every_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
