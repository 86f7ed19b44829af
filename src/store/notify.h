/* notify.h - PostgreSQL LISTEN/NOTIFY for several server instances on one database: a listener
 * thread on its own connection, and the sending side over an ordinary connection. */
#ifndef NC_NOTIFY_H
#define NC_NOTIFY_H

#include "store/db.h"

struct notify;

/* A callback receives each payload (valid during the call only) on the listener thread. */
typedef void (*notify_cb)(const char *payload, void *arg);

/* notify_listen opens its own connection to target (a postgres:// URL), runs LISTEN channel
 * and starts a thread calling cb for each notification; when the connection drops it reconnects
 * with a growing pause (1 s up to 30 s). Returns NULL with err when the first connection or the
 * thread fails. Free with notify_stop. */
struct notify *notify_listen(const char *target, const char *channel, notify_cb cb, void *arg,
			     struct nc_err *err);

/* notify_stop stops the thread within about half a second, joins it and frees n (NULL is fine). */
void notify_stop(struct notify *n);

/* notify_send runs pg_notify(channel, payload) on db (PostgreSQL only; does nothing on SQLite).
 * Inside a transaction the notification leaves at its commit. */
int notify_send(struct db *db, const char *channel, const char *payload, struct nc_err *err);

#endif
