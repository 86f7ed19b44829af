/* test_log.c - unit tests of util/log.c: the record's shape (UTC time, level, message), control
 * characters escaped so that no input splits a line, the level filter, an over-long message cut
 * but still one line, and whole lines from two threads logging at once (one write(2) a line). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/log.h"

struct capture {
	char path[64];
	int saved; /* the real stderr */
	char *text;
};

/* capture_start sends fd 2 to a fresh file (O_APPEND, as an admin's log file). */
static void capture_start(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "/tmp/nc_test_log.XXXXXX");
	int fd = mkstemp(c->path);
	assert_true(fd >= 0);
	close(fd);
	fd = open(c->path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	c->saved = dup(STDERR_FILENO);
	assert_true(c->saved >= 0);
	assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	close(fd);
}

/* capture_end gives fd 2 back and reads what was written into c->text. */
static void capture_end(struct capture *c)
{
	assert_int_equal(dup2(c->saved, STDERR_FILENO), STDERR_FILENO);
	close(c->saved);
	FILE *f = fopen(c->path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	c->text = calloc(1, (size_t)n + 1);
	assert_non_null(c->text);
	assert_int_equal(fread(c->text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	unlink(c->path);
}

/* a record: "YYYY-MM-DDTHH:MM:SSZ level message\n" */
static void assert_record(const char *line, const char *level, const char *msg)
{
	assert_true(strlen(line) > 21);
	assert_int_equal(line[4], '-');
	assert_int_equal(line[10], 'T');
	assert_int_equal(line[19], 'Z');
	assert_int_equal(line[20], ' ');
	char want[4400];
	snprintf(want, sizeof(want), "%s %s\n", level, msg);
	assert_string_equal(line + 21, want);
}

static void record_shape(void **state)
{
	(void)state;
	struct capture c;
	log_set_level(LOG_INFO);
	capture_start(&c);
	log_info("GET %s %d", "/api/v1/agenda", 200);
	log_error("disk %s", "full");
	capture_end(&c);
	char *second = strchr(c.text, '\n');
	assert_non_null(second);
	second++;
	char first[256];
	snprintf(first, sizeof(first), "%.*s", (int)(second - c.text), c.text);
	assert_record(first, "info", "GET /api/v1/agenda 200");
	assert_record(second, "error", "disk full");
	free(c.text);
}

static void control_characters_escaped(void **state)
{
	(void)state;
	struct capture c;
	log_set_level(LOG_INFO);
	capture_start(&c);
	log_warn("login %s", "a\r\nb\tc\x7f"
			     "d");
	capture_end(&c);
	assert_record(c.text, "warn", "login a\\x0d\\x0ab\\x09c\\x7fd");
	free(c.text);
}

static void level_filter(void **state)
{
	(void)state;
	struct capture c;
	log_set_level(LOG_WARN);
	capture_start(&c);
	log_debug("dropped %d", 1);
	log_info("dropped %d", 2);
	log_warn("kept");
	capture_end(&c);
	assert_record(c.text, "warn", "kept");
	free(c.text);

	log_set_level(LOG_DEBUG);
	capture_start(&c);
	log_debug("now kept");
	capture_end(&c);
	assert_record(c.text, "debug", "now kept");
	free(c.text);
	log_set_level(LOG_INFO);
}

static void long_message_one_line(void **state)
{
	(void)state;
	char *big = malloc(10001);
	assert_non_null(big);
	for (int i = 0; i < 10000; i++)
		big[i] = i % 100 == 99 ? '\n' : 'x'; /* escaped to 4 bytes each */
	big[10000] = 0;
	struct capture c;
	log_set_level(LOG_INFO);
	capture_start(&c);
	log_info("%s", big);
	capture_end(&c);
	size_t n = strlen(c.text);
	assert_true(n > 2000 && n < 4400);
	assert_int_equal(c.text[n - 1], '\n');
	assert_ptr_equal(strchr(c.text, '\n'), c.text + n - 1); /* one line */
	assert_memory_equal(c.text + 20, " info xxx", 9);
	free(c.text);
	free(big);
}

enum { LINES = 3000 };

static void *log_lines(void *arg)
{
	const char *who = arg;
	for (int i = 0; i < LINES; i++)
		log_info("%s line %d %s", who, i, "............................................");
	return NULL;
}

static void threads_whole_lines(void **state)
{
	(void)state;
	struct capture c;
	log_set_level(LOG_INFO);
	capture_start(&c);
	pthread_t a, b;
	assert_int_equal(pthread_create(&a, NULL, log_lines, "alpha"), 0);
	assert_int_equal(pthread_create(&b, NULL, log_lines, "bravo"), 0);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	capture_end(&c);
	int next[2] = {0, 0};
	size_t lines = 0;
	for (char *line = c.text, *end; *line; line = end + 1) {
		end = strchr(line, '\n');
		assert_non_null(end);
		*end = 0;
		int who = strncmp(line + 21, "info alpha ", 11) == 0   ? 0
			  : strncmp(line + 21, "info bravo ", 11) == 0 ? 1
								       : -1;
		assert_true(who >= 0);
		int k = -1;
		assert_int_equal(sscanf(line + 32, "line %d", &k), 1);
		assert_int_equal(k, next[who]); /* each thread's lines whole and in its order */
		next[who]++;
		lines++;
	}
	assert_int_equal(lines, 2 * LINES);
	assert_int_equal(next[0], LINES);
	assert_int_equal(next[1], LINES);
	free(c.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(record_shape),	   cmocka_unit_test(control_characters_escaped),
	    cmocka_unit_test(level_filter),	   cmocka_unit_test(long_message_one_line),
	    cmocka_unit_test(threads_whole_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
