// SPDX-License-Identifier: GPL-2.0
/*
 * Auto-print at shutdown: every global written but never read, in
 * declaration order, as stap prints it: `x=5`, `s="text"`.
 */
#include <inttypes.h>
#include <string.h>
#include "runtime/internal.h"

static void rt_global_scalar(struct rt_session *s,
			     const struct bt_objglobal *g)
{
	FILE *out = s->opt->out;
	uint32_t off = g->data_off;
	int64_t v;

	if (g->type == BT_LONG) {
		if (off > s->data_size || s->data_size - off < sizeof(v)) {
			rt_bug(s, "global %s lies outside .data", g->name);
			return;
		}
		memcpy(&v, s->data + off, sizeof(v));
		fprintf(out, "%s=%" PRId64 "\n", g->name, v);
	} else if (g->type == BT_STRING) {
		size_t field = s->obj->strfield;
		const char *p = (const char *)s->data + off;

		if (off > s->data_size || s->data_size - off < field) {
			rt_bug(s, "global %s lies outside .data", g->name);
			return;
		}
		fprintf(out, "%s=\"%.*s\"\n", g->name,
			(int)strnlen(p, field), p);
	}
	/*
	 * BT_STATS scalars are not in .data: aggregates get their own
	 * per-CPU maps, whose layout object.h does not define yet.
	 */
}

void rt_globals_print(struct rt_session *s)
{
	const struct bt_object *obj = s->obj;
	int i;

	if (s->opt->no_global_display || rt_data_read(s))
		return;
	for (i = 0; i < obj->nglobals; i++) {
		const struct bt_objglobal *g = &obj->globals[i];

		if (!g->autoprint)
			continue;
		/*
		 * Arrays (g->map >= 0) are skipped until object.h defines
		 * their map layout (key and value encoding); they will be
		 * printed one line per element, sorted by value, descending.
		 */
		if (g->nkeys || g->map >= 0)
			continue;
		rt_global_scalar(s, g);
	}
	fflush(s->opt->out);
}
