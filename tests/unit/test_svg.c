/* test_svg.c - unit tests of io/svg.c: every chart is well-formed XML with its accessible name,
 * axes, legend, value labels and mark line; hostile text is escaped; 1 and 366 points, zeros and
 * no data all draw without NaN. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/svg.h"

/* well_formed checks that the tags of s nest (a small checker: enough for our own output, which
 * has no comments, CDATA or processing instructions) and that no text holds a raw < or &. */
static bool well_formed(const char *s)
{
	const char *stack[64];
	size_t depth = 0, lens[64];
	for (const char *p = s; *p; p++) {
		if (*p == '&') {
			size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz#0123456789");
			if (p[1 + n] != ';' || n == 0)
				return false;
			continue;
		}
		if (*p != '<')
			continue;
		const char *end = strchr(p, '>');
		if (!end)
			return false;
		bool closing = p[1] == '/', self = end[-1] == '/';
		const char *name = p + 1 + closing;
		size_t n = strcspn(name, " />");
		if (closing) {
			if (depth == 0 || lens[depth - 1] != n ||
			    strncmp(stack[depth - 1], name, n))
				return false;
			depth--;
		} else if (!self) {
			if (depth == 64)
				return false;
			stack[depth] = name, lens[depth] = n, depth++;
		}
		for (const char *q = p + 1; q < end; q++)
			if (*q == '<')
				return false;
		p = end;
	}
	return depth == 0;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void no_nan(const char *s)
{
	assert_null(strstr(s, "nan"));
	assert_null(strstr(s, "inf"));
}

static void test_svg__bars_with_mark(void **state)
{
	const char *labels[] = {"anna", "oleg", "mike"};
	const double conv[] = {0.25, 0.08, 0.125};
	const struct chart_series s = {"Conversion", conv};
	const struct chart c = {.title = "Conversion by rep",
				.labels = labels,
				.npoints = 3,
				.series = &s,
				.nseries = 1,
				.percent = true,
				.mark = 0.1,
				.mark_label = "Allowed level"};
	struct buf b;
	buf_init(&b, 0);
	svg_bars(&c, &b);
	assert_true(well_formed(b.data));
	no_nan(b.data);
	assert_non_null(strstr(b.data, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(b.data, "width=\"640\" height=\"280\""));
	assert_non_null(strstr(b.data, "role=\"img\""));
	assert_non_null(strstr(b.data, "aria-label=\"Conversion by rep\""));
	assert_non_null(strstr(b.data, "<title>Conversion by rep</title>"));
	assert_int_equal(count(b.data, "<rect x="), 3);	  /* one bar per rep */
	assert_non_null(strstr(b.data, ">25.0%</text>")); /* values on the bars */
	assert_non_null(strstr(b.data, ">12.5%</text>"));
	assert_non_null(strstr(b.data, ">0%</text>")); /* axis ticks */
	assert_non_null(strstr(b.data, ">anna</text>"));
	assert_non_null(strstr(b.data, "class=\"mark\""));
	assert_non_null(strstr(b.data, ">Allowed level 10.0%</text>"));
	assert_non_null(strstr(b.data, "<title>oleg: 8.0%</title>"));
	assert_null(strstr(b.data, "style")); /* a strict CSP forbids inline style */
	buf_release(&b);
}

static void test_svg__lines_legend_and_labels(void **state)
{
	const char *labels[] = {"11-01", "11-02", "11-03"};
	const double in[] = {3, 5, 2}, out[] = {10, 0, 7}, missed[] = {1, 1, 0};
	const struct chart_series s[] = {{"Incoming", in}, {"Outgoing", out}, {"Missed", missed}};
	const struct chart c = {.title = "Calls per day",
				.labels = labels,
				.npoints = 3,
				.series = s,
				.nseries = 3,
				.mark = -1,
				.width = 800,
				.height = 300};
	struct buf b;
	buf_init(&b, 0);
	svg_lines(&c, &b);
	assert_true(well_formed(b.data));
	no_nan(b.data);
	assert_non_null(strstr(b.data, "viewBox=\"0 0 800 300\""));
	assert_int_equal(count(b.data, "<polyline"), 3);
	assert_non_null(strstr(b.data, ">Incoming</text>")); /* legend */
	assert_non_null(strstr(b.data, ">Missed</text>"));
	assert_non_null(strstr(b.data, ">10</text>")); /* every value labelled */
	assert_non_null(strstr(b.data, ">11-02</text>"));
	assert_non_null(strstr(b.data, "<title>11-02, Outgoing: 0</title>"));
	assert_null(strstr(b.data, "class=\"mark\""));
	buf_release(&b);
}

static void test_svg__lines_366_points(void **state)
{
	static double v[366];
	static char names[366][12];
	const char *labels[366];
	for (int i = 0; i < 366; i++) {
		v[i] = i % 7 == 0 ? 0 : (i * 37) % 50;
		snprintf(names[i], sizeof(names[i]), "d%d", i);
		labels[i] = names[i];
	}
	v[100] = 99;
	const struct chart_series s = {"Incoming", v};
	const struct chart c = {.title = "Year",
				.labels = labels,
				.npoints = 366,
				.series = &s,
				.nseries = 1,
				.mark = -1};
	struct buf b;
	buf_init(&b, 0);
	svg_lines(&c, &b);
	assert_true(well_formed(b.data));
	no_nan(b.data);
	assert_int_equal(count(b.data, "<polyline"), 1);
	assert_non_null(strstr(b.data, ">99</text>")); /* the highest point keeps its label */
	assert_true(count(b.data, "<circle") < 10);    /* no marker soup */
	size_t xl = count(b.data, ">d");
	assert_true(xl >= 4 && xl <= 20); /* x labels thinned out */
	assert_true(b.len < 40000);
	buf_release(&b);
}

static void test_svg__one_point_and_zeros(void **state)
{
	const char *labels[] = {"2026-11-01"};
	const double zero[] = {0};
	const struct chart_series s = {"Incoming", zero};
	const struct chart c = {.title = "Calls",
				.labels = labels,
				.npoints = 1,
				.series = &s,
				.nseries = 1,
				.mark = -1};
	struct buf b;
	buf_init(&b, 0);
	svg_lines(&c, &b);
	assert_true(well_formed(b.data));
	no_nan(b.data);
	assert_non_null(strstr(b.data, "<circle cx=\"338.0\"")); /* in the middle */
	assert_non_null(strstr(b.data, ">1</text>"));		 /* a scale even for zeros */
	buf_reset(&b);
	svg_bars(&c, &b);
	assert_true(well_formed(b.data));
	no_nan(b.data);
	buf_reset(&b);
	svg_funnel(&c, &b);
	assert_true(well_formed(b.data));
	no_nan(b.data);
	buf_release(&b);
}

static void test_svg__no_data(void **state)
{
	const struct chart c = {.title = "Funnel", .mark = -1};
	struct buf b;
	buf_init(&b, 0);
	svg_funnel(&c, &b);
	assert_true(well_formed(b.data));
	assert_non_null(strstr(b.data, ">No data</text>"));
	buf_reset(&b);
	const struct chart d = {.title = "Lines", .mark = -1, .empty_text = "Нет данных"};
	svg_lines(&d, &b);
	assert_true(well_formed(b.data));
	assert_non_null(strstr(b.data, ">Нет данных</text>"));
	buf_reset(&b);
	svg_bars(&d, &b);
	assert_true(well_formed(b.data));
	buf_release(&b);
}

static void test_svg__funnel_shares(void **state)
{
	const char *labels[] = {"Calls", "Visit", "Contract"};
	const double v[] = {200, 50, 10};
	const struct chart_series s = {"Count", v};
	const struct chart c = {.title = "Funnel",
				.labels = labels,
				.npoints = 3,
				.series = &s,
				.nseries = 1,
				.mark = -1};
	struct buf b;
	buf_init(&b, 0);
	svg_funnel(&c, &b);
	assert_true(well_formed(b.data));
	assert_non_null(strstr(b.data, ">200</text>"));
	assert_non_null(strstr(b.data, ">50 \xC2\xB7 25.0%</text>"));
	assert_non_null(strstr(b.data, ">10 \xC2\xB7 20.0%</text>"));
	assert_non_null(strstr(b.data, ">Contract</text>"));
	assert_int_equal(count(b.data, "<rect x="), 3);
	buf_release(&b);
}

static void test_svg__hostile_text_escaped(void **state)
{
	const char *labels[] = {"<script>alert(1)</script>", "a&b \"q\" 'x'", "bad\xff\x01"};
	const double v[] = {1, 2, 3};
	const struct chart_series s[] = {{"</title><script>", v}, {"ok", v}};
	const struct chart c = {.title = "<b>\"T\" & 'x'</b>",
				.labels = labels,
				.npoints = 3,
				.series = s,
				.nseries = 2,
				.mark = 2,
				.mark_label = "<i>"};
	struct buf b;
	buf_init(&b, 0);
	svg_bars(&c, &b);
	assert_true(well_formed(b.data));
	assert_null(strstr(b.data, "<script"));
	assert_null(strstr(b.data, "<b>"));
	assert_null(strstr(b.data, "<i>"));
	assert_null(strstr(b.data, "\x01"));
	assert_non_null(strstr(b.data, "aria-label=\"&lt;b&gt;&quot;T&quot; &amp; &#39;x&#39;"));
	assert_non_null(strstr(b.data, "&lt;script&gt;"));
	assert_non_null(strstr(b.data, "bad\xEF\xBF\xBD"));
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_svg__bars_with_mark),
	    cmocka_unit_test(test_svg__lines_legend_and_labels),
	    cmocka_unit_test(test_svg__lines_366_points),
	    cmocka_unit_test(test_svg__one_point_and_zeros),
	    cmocka_unit_test(test_svg__no_data),
	    cmocka_unit_test(test_svg__funnel_shares),
	    cmocka_unit_test(test_svg__hostile_text_escaped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
