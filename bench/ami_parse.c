/* ami_parse.c - nc-ami-parse: AMI parsing speed against the raw read speed of the same bytes
 * (issue 7's figure). The captures of a real Asterisk are repeated in memory to about 100 MB,
 * then timed: a bare scan of the lines, read() of the bytes from a file in the page cache,
 * ami_feed in 4 KiB chunks, and ami_feed with pbx_feed behind it. */
#include "tel/ami.h"
#include "tel/pbx.h"
#include "util/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define TARGET_BYTES (100u << 20)
#define CHUNK	     4096 /* what one read() from the AMI socket gives at most */
#define ROUNDS	     7	  /* each figure is the best of these: the others met other work */

/* the captures' lab: reps' extensions 201..204, calls from outside enter at from-trunk */
static const struct pbx_ext exts[] = {
    {"201", "ann"}, {"202", "bob"}, {"203", "cid"}, {"204", "dee"}};
static const char *const external[] = {"from-trunk"};
static const struct pbx_config cfg = {exts, 4, external, 1};

struct count {
	size_t msgs, events, drops, calls, rings;
	struct pbx *x;
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* load appends the file at path to b; without its banner line unless first, because the banner
 * only opens a stream and would be a line without a colon in the middle of one. */
static int load(struct buf *b, const char *path, int first)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "nc-ami-parse: %s: %s\n", path, strerror(errno));
		return -1;
	}
	struct buf one;
	buf_init(&one, 0);
	char chunk[CHUNK];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&one, chunk, n);
	fclose(f);
	const char *s = one.data;
	size_t len = one.len;
	if (!first && len >= strlen(AMI_BANNER) && memcmp(s, AMI_BANNER, strlen(AMI_BANNER)) == 0) {
		const char *nl = memchr(s, '\n', len);
		size_t skip = nl ? (size_t)(nl - s) + 1 : len;
		s += skip;
		len -= skip;
	}
	buf_add(b, s, len);
	buf_release(&one);
	return 0;
}

/* ends_with_ci tells whether the n bytes at s end with suffix, ignoring case. */
static int ends_with_ci(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

/* add_copy appends copy number k of the captures' bytes to all, with every Uniqueid and Linkedid
 * value prefixed by "k<k>-": each copy's calls are new calls to the correlator, as on a PBX, not
 * late events of calls it has just completed (which it ignores). */
static void add_copy(struct buf *all, const char *s, size_t n, size_t k)
{
	char tag[32];
	int tlen = snprintf(tag, sizeof(tag), "k%zu-", k);
	while (n > 0) {
		const char *nl = memchr(s, '\n', n);
		size_t len = nl ? (size_t)(nl - s) + 1 : n;
		const char *colon = memchr(s, ':', len);
		if (colon && (ends_with_ci(s, (size_t)(colon - s), "uniqueid") ||
			      ends_with_ci(s, (size_t)(colon - s), "linkedid"))) {
			size_t key = (size_t)(colon - s) + 1;
			while (key < len && s[key] == ' ')
				key++;
			buf_add(all, s, key);
			buf_add(all, tag, (size_t)tlen);
			buf_add(all, s + key, len - key);
		} else {
			buf_add(all, s, len);
		}
		s += len;
		n -= len;
	}
}

/* scan is the floor of any line parser: find each line end, nothing else. */
static size_t scan(const char *s, size_t n)
{
	size_t lines = 0;
	for (size_t off = 0; off < n; off += CHUNK) {
		size_t k = n - off < CHUNK ? n - off : CHUNK;
		const char *p = s + off, *end = p + k;
		while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			lines++;
			p++;
		}
	}
	return lines;
}

/* read_all reads the file in CHUNK reads, as the link reads its socket; returns bytes read. */
static size_t read_all(const char *path)
{
	char chunk[CHUNK];
	size_t total = 0;
	ssize_t k;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	while ((k = read(fd, chunk, sizeof(chunk))) > 0)
		total += (size_t)k;
	close(fd);
	return total;
}

static void on_msg(const struct ami_msg *m, void *ctx)
{
	struct count *c = ctx;
	c->msgs++;
	c->events += m->is_event;
	if (c->x)
		pbx_feed(c->x, m, 0);
}

static void on_drop(const char *why, void *ctx)
{
	(void)why;
	((struct count *)ctx)->drops++;
}

static void on_call(const struct pbx_call *call, void *ctx)
{
	(void)call;
	((struct count *)ctx)->calls++;
}

static void on_ringing(const struct pbx_ringing *r, void *ctx)
{
	(void)r;
	((struct count *)ctx)->rings++;
}

/* parse feeds the bytes in CHUNK pieces to a new parser (and a correlator when with_pbx). */
static void parse(const char *s, size_t n, int with_pbx, struct count *c)
{
	memset(c, 0, sizeof(*c));
	if (with_pbx)
		c->x = pbx_new(&cfg, on_call, on_ringing, c);
	struct ami_parser *p = ami_parser_new();
	for (size_t off = 0; off < n; off += CHUNK)
		ami_feed(p, s + off, n - off < CHUNK ? n - off : CHUNK, on_msg, on_drop, c);
	ami_parser_free(p);
	pbx_free(c->x);
	c->x = NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr,
			"usage: nc-ami-parse CAPTURE.raw...\n"
			"Times AMI parsing of the captures repeated to about 100 MB against "
			"a bare line scan and read() of the same bytes.\n");
		return 2;
	}
	struct buf once, all;
	buf_init(&once, 0);
	buf_init(&all, 0);
	for (int i = 1; i < argc; i++)
		if (load(&once, argv[i], i == 1) < 0)
			return 1;
	if (once.len == 0) {
		fprintf(stderr, "nc-ami-parse: the captures are empty\n");
		return 1;
	}
	/* the first copy keeps the banner, the next ones are the same bytes without it */
	const char *body = once.data;
	size_t body_len = once.len;
	const char *nl = memchr(body, '\n', body_len);
	if (nl && memcmp(body, AMI_BANNER, strlen(AMI_BANNER)) == 0) {
		buf_add(&all, body, (size_t)(nl - body) + 1);
		body_len -= (size_t)(nl - body) + 1;
		body = nl + 1;
	}
	size_t copies = 0;
	while (all.len < TARGET_BYTES && !buf_failed(&all)) {
		add_copy(&all, body, body_len, copies);
		copies++;
	}
	if (buf_failed(&all) || body_len == 0) {
		fprintf(stderr, "nc-ami-parse: out of memory\n");
		return 1;
	}

	char path[] = "/tmp/nc-ami-parse.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, all.data, all.len) != (ssize_t)all.len) {
		fprintf(stderr, "nc-ami-parse: temporary file: %s\n", strerror(errno));
		return 1;
	}
	close(fd);

	double best[4] = {1e9, 1e9, 1e9, 1e9};
	size_t lines = 0, got = 0;
	struct count plain, pbx;
	for (int r = 0; r < ROUNDS; r++) {
		double t = now_s();
		lines = scan(all.data, all.len);
		double t1 = now_s();
		got = read_all(path);
		double t2 = now_s();
		parse(all.data, all.len, 0, &plain);
		double t3 = now_s();
		parse(all.data, all.len, 1, &pbx);
		double t4 = now_s();
		double d[4] = {t1 - t, t2 - t1, t3 - t2, t4 - t3};
		for (int i = 0; i < 4; i++)
			if (d[i] < best[i])
				best[i] = d[i];
	}
	unlink(path);
	if (got != all.len) {
		fprintf(stderr, "nc-ami-parse: read %zu bytes of %zu\n", got, all.len);
		return 1;
	}

	double mb = (double)all.len / 1e6;
	printf("bytes %zu (%zu copies of %zu bytes of %d captures), lines %zu, messages %zu, "
	       "events %zu, dropped %zu, calls %zu, rings %zu\n",
	       all.len, copies, once.len, argc - 1, lines, plain.msgs, plain.events, plain.drops,
	       pbx.calls, pbx.rings);
	static const char *const name[4] = {"scan", "read", "ami", "ami+pbx"};
	for (int i = 0; i < 4; i++)
		printf("%s %.1f MB/s %.0f events/s %.4f s\n", name[i], mb / best[i],
		       (double)plain.events / best[i], best[i]);
	printf("ratio ami/scan %.3f ami/read %.3f ami+pbx/scan %.3f ami+pbx/read %.3f\n",
	       best[0] / best[2], best[1] / best[2], best[0] / best[3], best[1] / best[3]);
	buf_release(&once);
	buf_release(&all);
	return 0;
}
