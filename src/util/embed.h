/* embed.h - files compiled into the binary (migrations, web assets) by scripts/embed.py. */
#ifndef NC_EMBED_H
#define NC_EMBED_H

#include <stddef.h>

struct embedded_file {
	const char *name; /* base name, e.g. "0001_init.sql" */
	const char *data; /* NUL-terminated */
	size_t len;
};

/* Tables end with an entry whose name is NULL, sorted by name. */
extern const struct embedded_file embedded_migrations[];
/* the example call scripts the demo team gets (examples/scripts) */
extern const struct embedded_file embedded_demo_scripts[];

#endif
