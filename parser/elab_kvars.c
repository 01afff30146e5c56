// SPDX-License-Identifier: GPL-2.0
/*
 * Context variables of kernel.function probes: the function's parameters
 * ($file of vfs_read) and, in .return probes, $return, named and typed
 * by the kernel's BTF (its FUNC and FUNC_PROTO; parser/tpargs.c) where
 * stap reads DWARF. Codegen reads a parameter from its argument register
 * (or the stack), $return from the return register, and follows
 * pointers with @cast's walk. In a .return probe the parameters are gone
 * (their registers are reused by then): stap saves them at entry, bpftap
 * says so instead.
 */
#include <string.h>
#include "elab_internal.h"
#include "tpargs.h"

static bool kvars_is_func(const struct bt_point *pt)
{
	return pt->type == PT_KPROBE || pt->type == PT_KRETPROBE;
}

bool elab_kvars_point(const struct bt_point *pt)
{
	return kvars_is_func(pt);
}

int elab_kvars_target(struct elab_ctx *c, struct bt_expr *e)
{
	const struct bt_point *pt = c->probe->points;
	const char *fn = pt->func_name, *name = e->name + 1;
	char names[512];
	uint32_t type;
	int index;

	if (!strcmp(e->name, "$return")) {
		if (pt->type != PT_KRETPROBE) {
			elab_error(c, &e->loc, "'$return' is only available "
				   "in a .return probe");
			return -1;
		}
		if (tpargs_func_ret(fn, &type) || !type) {
			elab_error(c, &e->loc, "'%s' returns nothing the "
				   "kernel's BTF describes: no $return", fn);
			return -1;
		}
		e->type = BT_LONG;
		return 0;
	}
	if (e->name[1] == '$') {
		elab_error(c, &e->loc, "'%s' is not available in "
			   "kernel.function probes yet", e->name);
		return -1;
	}
	if (tpargs_func_param(fn, name, &index, &type)) {
		if (tpargs_func_names(fn, names, sizeof(names)))
			names[0] = 0;
		elab_error(c, &e->loc, "kernel function '%s' has no parameter "
			   "'%s'%s%s (from the kernel's BTF)", fn, name,
			   names[0] ? "; it has " : "", names);
		return -1;
	}
	if (pt->type == PT_KRETPROBE) {
		elab_error(c, &e->loc, "'%s' is a parameter of '%s', gone at "
			   "its return: read it in the entry probe (a global "
			   "keyed by tid() carries it over)", e->name, fn);
		return -1;
	}
	e->type = BT_LONG;
	return 0;
}

bool elab_kvars_defined(struct elab_ctx *c, const struct bt_expr *e)
{
	const struct bt_point *pt = c->probe->points;
	uint32_t type;
	int index;

	if (!strcmp(e->name, "$return"))
		return pt->type == PT_KRETPROBE &&
		       !tpargs_func_ret(pt->func_name, &type) && type;
	return pt->type == PT_KPROBE && e->name[1] != '$' &&
	       !tpargs_func_param(pt->func_name, e->name + 1, &index, &type);
}
