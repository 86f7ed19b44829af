/* fuzz_script.c - libFuzzer target for the call-script loader and validator: any text is read,
 * validated when it parses, and every finding keeps its promises (a code, a message without
 * CR/LF, a position); the arena is released each run, so a leak shows. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct script s;
	struct script_findings f = {0};
	bool parsed;

	arena_init(&a);
	size_t nerr = script_check((const char *)data, size, &a, &s, &parsed, &f);
	if (!parsed && nerr == 0)
		abort(); /* a refused text always says why */
	for (size_t i = 0; i < f.n; i++) {
		const struct script_finding *x = &f.v[i];
		if (!x->code || !x->message || strpbrk(x->message, "\r\n") || x->pos.line < 1 ||
		    x->pos.col < 1)
			abort();
	}
	if (parsed) {
		/* the parsed graph is consistent: targets resolved, a wording per line */
		if (s.nnodes == 0 || s.nnodes > SCRIPT_MAX_NODES)
			abort();
		for (size_t i = 0; i < s.nnodes; i++) {
			const struct script_node *nd = &s.nodes[i];
			if (nd->nsay == 0)
				abort();
			for (size_t j = 0; j < nd->noptions; j++)
				if (nd->options[j].target !=
				    script_node_find(&s, nd->options[j].target_id))
					abort();
		}
	}
	arena_release(&a);
	return 0;
}
