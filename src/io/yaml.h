/* yaml.h - reading a call script (core/script.h) from the YAML text a head of sales writes, with
 * libfyaml; the format is documented in docs/scripts.md. */
#ifndef NC_IO_YAML_H
#define NC_IO_YAML_H

#include "core/script.h"

/* script_parse reads a script from YAML text of len bytes into out, everything
 * allocated in a. Syntax errors, missing or mistyped keys and unknown enum values become
 * findings with their line and column. Returns 0 when a script was read (it may still be
 * invalid: run script_validate), -1 when not. Never crashes on any input; memory is bounded by
 * SCRIPT_MAX_BYTES, SCRIPT_MAX_NODES and a nesting limit. */
int script_parse(const char *text, size_t len, struct arena *a, struct script *out,
		 struct script_findings *f);

/* script_check parses and validates: the number of errors (0: valid). out is usable when
 * parsing succeeded (*parsed true). */
size_t script_check(const char *text, size_t len, struct arena *a, struct script *out, bool *parsed,
		    struct script_findings *f);

#endif
