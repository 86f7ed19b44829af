/* log.c - escaped one-line log records on stderr. */
#include "util/log.h"
#include "util/time.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
static int level_from_env = -1;

void log_set_level(enum log_level level)
{
	min_level = level;
	level_from_env = 0;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level_from_env < 0) {
		const char *e = getenv("NEXTCALL_LOG");
		if (e && strcmp(e, "debug") == 0)
			min_level = LOG_DEBUG;
		else if (e && strcmp(e, "warn") == 0)
			min_level = LOG_WARN;
		level_from_env = 1;
	}
	if (level < min_level)
		return;
	char msg[2048], out[4300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	static const char *const names[] = {"debug", "info", "warn", "error"};
	/* the whole line is made here and written with one write(2): stdio's stderr would take its
	 * lock around the write, and under load the server's workers, which log a line a request,
	 * queued on it (a futex wait and a context switch each time they met) */
	time_rfc3339((int64_t)time(NULL), NULL, out);
	size_t o = strlen(out);
	o += (size_t)snprintf(out + o, sizeof(out) - o, " %s ", names[level]);
	for (const unsigned char *p = (const unsigned char *)msg; *p && o < sizeof(out) - 6; p++) {
		if (*p < 0x20 || *p == 0x7f)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "\\x%02x", *p);
		else
			out[o++] = (char)*p;
	}
	out[o++] = '\n';
	for (size_t done = 0; done < o;) {
		ssize_t w = write(STDERR_FILENO, out + done, o - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* nowhere to log to: nothing better to do */
		done += (size_t)w;
	}
}
