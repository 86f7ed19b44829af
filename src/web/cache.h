/* cache.h - answers of hot read routes (ROUTE_CACHE) kept per worker thread and reused while the
 * database's version (db_version) and the minute are the same: a rep's browser refreshing his day
 * gets the same bytes without the dozen queries behind them, and any commit anywhere invalidates
 * them. Keyed by user, path and query string. */
#ifndef NC_CACHE_H
#define NC_CACHE_H

#include "web/http.h"

/* cache_answer answers r from the cache when it holds a fresh answer (returns true). */
bool cache_answer(struct req *r, int64_t version);
/* cache_keep keeps r's 200 answer for later requests at the same version. */
void cache_keep(struct req *r, int64_t version);
/* cache_free_all frees every thread's cache (the server calls it after its threads stopped). */
void cache_free_all(void);

#endif
