/* commit.c - nc-commit: the bound of durable writes on this disk, for bench/run's call logging
 * figure. It inserts one row shaped like a logged call (the columns of calls, two indexes) per
 * transaction into a new SQLite database in WAL mode with nextcall's synchronous setting
 * (NEXTCALL_SYNC=normal: NORMAL, else FULL), for some seconds, and prints the commits per second.
 *
 * usage: nc-commit PATH SECONDS */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "nc-commit: %s: %s\n", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3 || atof(argv[2]) <= 0) {
		fprintf(stderr, "usage: nc-commit PATH SECONDS\n");
		return 2;
	}
	const char *sync = getenv("NEXTCALL_SYNC");
	bool normal = sync && strcmp(sync, "normal") == 0;
	double secs = atof(argv[2]);
	sqlite3 *db = NULL;
	if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
		fprintf(stderr, "nc-commit: %s: %s\n", argv[1], sqlite3_errmsg(db));
		return 1;
	}
	sqlite3_stmt *ins = NULL;
	if (exec(db, normal ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			    : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;") < 0 ||
	    exec(db,
		 "CREATE TABLE IF NOT EXISTS calls (id INTEGER PRIMARY KEY, client_id INTEGER, "
		 "rep_id INTEGER, kind TEXT, direction TEXT, started_at INTEGER, answered_at "
		 "INTEGER, ended_at INTEGER, ring_s INTEGER, talk_s INTEGER, missed INTEGER, "
		 "purpose TEXT, goal_max TEXT, goal_min TEXT, result TEXT, outcome TEXT, "
		 "phone TEXT, logged INTEGER, created_at INTEGER);"
		 /* the card's index of calls (migration 0022) over the columns this table has */
		 "CREATE INDEX IF NOT EXISTS calls_card ON calls (client_id, started_at, id, "
		 "rep_id, kind, direction, ring_s, talk_s, missed, purpose, goal_max, goal_min, "
		 "result, outcome, phone, logged);"
		 "CREATE INDEX IF NOT EXISTS calls_started ON calls (started_at);") < 0 ||
	    sqlite3_prepare_v2(
		db,
		"INSERT INTO calls (client_id, rep_id, kind, direction, started_at, "
		"answered_at, ended_at, ring_s, talk_s, missed, purpose, goal_max, "
		"goal_min, result, outcome, phone, logged, created_at) VALUES (?1, 3, "
		"'call', 'out', ?2, ?2 + 5, ?2 + 185, 5, 180, 0, 'Презентация', "
		"'Встреча', 'Отправить КП', 'max', 'next_step', '+74951234567', 1, ?2)",
		-1, &ins, NULL) != SQLITE_OK) {
		if (!ins)
			fprintf(stderr, "nc-commit: %s\n", sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	long n = 0;
	double t0 = now_s(), t = t0;
	while (t - t0 < secs) {
		sqlite3_bind_int64(ins, 1, 1 + n % 10000);
		sqlite3_bind_int64(ins, 2, 1790000000 + n);
		if (exec(db, "BEGIN IMMEDIATE") < 0 || sqlite3_step(ins) != SQLITE_DONE ||
		    sqlite3_reset(ins) != SQLITE_OK || exec(db, "COMMIT") < 0) {
			fprintf(stderr, "nc-commit: %s\n", sqlite3_errmsg(db));
			sqlite3_finalize(ins);
			sqlite3_close(db);
			return 1;
		}
		n++;
		t = now_s();
	}
	printf("nc-commit: %ld commits in %.2f s: %.0f commits/s (synchronous %s, WAL)\n", n,
	       t - t0, (double)n / (t - t0), normal ? "NORMAL" : "FULL");
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return 0;
}
