// SPDX-License-Identifier: GPL-2.0
/*
 * Context read from the current task: ppid, euid, egid, pexecname, sid,
 * pgrp; and the constant strings pp() and probefunc().
 *
 * No helper returns these, so the program walks kernel memory itself:
 * bpf_get_current_task(), then bpf_probe_read_kernel() along a path of
 * fields (task->real_parent->tgid, task->cred->euid.val, ...). The
 * offsets of those fields come from the running kernel's BTF
 * (/sys/kernel/btf/vmlinux) at compile time, not from headers or CO-RE
 * relocations: an object that uses these functions is only correct on
 * the kernel it was compiled on (the same holds for tracepoint fields).
 *
 * A failed read (a NULL pointer on the way) fills its destination with
 * zeroes, so the next step reads from a small address, fails again, and
 * the function gives 0 or "" instead of faulting.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "cg.h"
#include "cg_str.h"
#include "../parser/tpargs.h"

/* One step of a path: the member path inside struct `type` ("euid.val",
 * "numbers.nr": arrays step into element 0), plus `index` elements of
 * the member when `index_enum` names an enumerator (pids[PIDTYPE_SID]). */
struct cg_task_step {
	const char *type;
	const char *member;
	const char *index_enum;
};

/* What a function reads: pointers to follow, then the value itself. */
struct cg_task_path {
	enum bt_builtin_id id;
	int nderef;
	struct cg_task_step steps[3];	/* nderef pointers, then the value */
	uint32_t size;			/* bytes of the value; 0: a string */
};

static const struct cg_task_path cg_task_paths[] = {
	{ BI_PPID, 1, { { "task_struct", "real_parent" },
			{ "task_struct", "tgid" } }, 4 },
	{ BI_PEXECNAME, 1, { { "task_struct", "real_parent" },
			     { "task_struct", "comm" } }, 0 },
	{ BI_EUID, 1, { { "task_struct", "cred" },
			{ "cred", "euid.val" } }, 4 },
	{ BI_EGID, 1, { { "task_struct", "cred" },
			{ "cred", "egid.val" } }, 4 },
	{ BI_SID, 2, { { "task_struct", "signal" },
		       { "signal_struct", "pids", "PIDTYPE_SID" },
		       { "pid", "numbers.nr" } }, 4 },
	{ BI_PGRP, 2, { { "task_struct", "signal" },
			{ "signal_struct", "pids", "PIDTYPE_PGID" },
			{ "pid", "numbers.nr" } }, 4 },
};

/* The kernel's BTF: the one elaboration loaded (parser/tpargs.c). */
struct btf *cg_btf_vmlinux(int *err)
{
	return tpargs_vmlinux_btf(err);
}

/* The type behind typedefs and qualifiers. */
const struct btf_type *cg_btf_skip(const struct btf *btf, uint32_t *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t && (btf_is_typedef(t) || btf_is_const(t) ||
		     btf_is_volatile(t) || btf_is_restrict(t) ||
		     btf_is_type_tag(t))) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

/* Member `name` of struct/union t, also inside anonymous members:
 * its byte offset and type id; -1 when there is none, -2 when it is a
 * bitfield (no byte offset). */
long cg_btf_member(const struct btf *btf, const struct btf_type *t,
		   const char *name, size_t len, uint32_t *type)
{
	const struct btf_member *m = btf_members(t);

	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);
		long off = btf_member_bit_offset(t, i) / 8, sub;
		uint32_t id = m->type;
		const struct btf_type *mt;

		if (mn && *mn) {
			if (strlen(mn) == len && !strncmp(mn, name, len)) {
				*type = m->type;
				if (btf_member_bitfield_size(t, i) ||
				    btf_member_bit_offset(t, i) % 8)
					return -2;
				return off;
			}
			continue;
		}
		mt = cg_btf_skip(btf, &id);
		if (!mt || !(btf_is_struct(mt) || btf_is_union(mt)))
			continue;
		sub = cg_btf_member(btf, mt, name, len, type);
		if (sub != -1)
			return sub < 0 ? sub : off + sub;
	}
	return -1;
}

static bool cg_task_enum(const struct btf *btf, const char *name, long *v)
{
	for (uint32_t id = 1; id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_enum *e;

		if (!btf_is_enum(t))
			continue;
		e = btf_enum(t);
		for (int i = 0; i < btf_vlen(t); i++, e++)
			if (!strcmp(btf__name_by_offset(btf, e->name_off),
				    name)) {
				*v = e->val;
				return true;
			}
	}
	return false;
}

/* Byte offset of a step's field in its struct, or -1 (what went wrong
 * goes to *what). */
static long cg_task_offset(const struct btf *btf,
			   const struct cg_task_step *s, const char **what)
{
	int sid = btf__find_by_name_kind(btf, s->type, BTF_KIND_STRUCT);
	const struct btf_type *t;
	const char *p = s->member, *dot;
	uint32_t id = sid;
	long off = 0, m, idx;

	*what = s->type;
	if (sid <= 0)
		return -1;
	t = btf__type_by_id(btf, id);
	for (; p; p = dot ? dot + 1 : NULL) {
		dot = strchr(p, '.');
		*what = s->member;
		if (!t || !(btf_is_struct(t) || btf_is_union(t)))
			return -1;
		m = cg_btf_member(btf, t, p, dot ? (size_t)(dot - p) :
				   strlen(p), &id);
		if (m < 0)
			return -1;
		off += m;
		t = cg_btf_skip(btf, &id);
		while (t && btf_is_array(t) && dot) {
			id = btf_array(t)->type;	/* element 0 */
			t = cg_btf_skip(btf, &id);
		}
	}
	if (!s->index_enum)
		return off;
	*what = s->index_enum;
	if (!t || !btf_is_array(t) || !cg_task_enum(btf, s->index_enum, &idx))
		return -1;
	id = btf_array(t)->type;
	return off + idx * btf__resolve_size(btf, id);
}

/* r3 = r0 + off; read size bytes from there into dst (r1). */
static void cg_task_read_at(struct cg *c, int32_t off, uint32_t size,
			    int helper)
{
	emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_0));
	if (off)
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, off));
	emit_mov_imm(&c->b, BPF_REG_2, size);
	emit(&c->b, insn_call(helper));
}

/* r1 = the helper area at the bottom of the stack (8 bytes used). */
static void cg_task_helper_dst(struct cg *c)
{
	emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_10));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, CG_FP_HELPER));
}

static int cg_task_read(struct cg *c, const struct bt_expr *e,
			const struct cg_task_path *p)
{
	long offs[3];
	const char *what;
	struct btf *btf;
	int err, i, t, n = p->nderef + 1;

	btf = cg_btf_vmlinux(&err);
	if (!btf) {
		cg_error(c, &e->loc, "%s() needs the kernel's BTF "
			 "(/sys/kernel/btf/vmlinux) to find the fields of "
			 "task_struct: %s", e->builtin->name, strerror(err));
		return cg_push(c, &e->loc);
	}
	for (i = 0; i < n; i++) {
		offs[i] = cg_task_offset(btf, &p->steps[i], &what);
		if (offs[i] < 0 || offs[i] > INT16_MAX) {
			cg_error(c, &e->loc, "%s(): the kernel's BTF has no "
				 "'%s' in struct %s", e->builtin->name, what,
				 p->steps[i].type);
			return cg_push(c, &e->loc);
		}
	}
	/* a string's buffer first: making it may use r0 */
	t = p->size ? cg_push(c, &e->loc) :
	    cg_str_buffer_n(c, &e->loc, c->strfield);
	emit(&c->b, insn_call(BPF_FUNC_get_current_task));
	for (i = 0; i < n; i++) {
		if (i == p->nderef && !p->size) {
			uint32_t len = c->opt->maxstringlen < 16 ?
				       c->opt->maxstringlen : 16;

			cg_str_tmov(c, BPF_REG_1, t);
			cg_task_read_at(c, offs[i], len,
					BPF_FUNC_probe_read_kernel_str);
			return t;
		}
		cg_task_helper_dst(c);
		cg_task_read_at(c, offs[i], i < p->nderef ? 8 : p->size,
				BPF_FUNC_probe_read_kernel);
		emit(&c->b, insn_ldx(i < p->nderef ? BPF_DW : BPF_W,
				     BPF_REG_0, BPF_REG_10, CG_FP_HELPER));
	}
	cg_tset(c, t, BPF_REG_0);
	return t;
}

/* A string known at compile time, materialised like a literal. */
static int cg_task_const_str(struct cg *c, const struct bt_expr *e,
			     const char *s)
{
	size_t n = strlen(s), max = c->opt->maxstringlen - 1;
	int t = cg_str_buffer_n(c, &e->loc, c->strfield);

	cg_str_store_bytes(c, cg_treg(c, t, BPF_REG_1), 0, s,
			   n < max ? n : max);
	return t;
}

/* pp(): the point as stap prints it, without '?'/'!'; a tracepoint
 * with its system, as resolved. */
static int cg_task_pp(struct cg *c, const struct bt_expr *e)
{
	const struct bt_point *pt = c->point;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int t;

	if (!f) {
		c->b.oom = true;
		return cg_push(c, &e->loc);
	}
	if ((pt->type == PT_TRACEPOINT || pt->type == PT_RAW_TRACEPOINT) &&
	    pt->tp_system && pt->tp_event) {
		fprintf(f, "kernel.trace(\"%s:%s\")", pt->tp_system,
			pt->tp_event);
	} else {
		struct bt_point bare = *pt;

		bare.optional = bare.sufficient = false;
		ast_print_point(&bare, f);
	}
	fclose(f);
	t = cg_task_const_str(c, e, text ? text : "");
	free(text);
	return t;
}

/* probefunc(): the function of a kprobe or uprobe, "" elsewhere. */
static int cg_task_probefunc(struct cg *c, const struct bt_expr *e)
{
	const struct bt_point *pt = c->point;
	bool func = pt->type == PT_KPROBE || pt->type == PT_KRETPROBE ||
		    pt->type == PT_UPROBE || pt->type == PT_URETPROBE;

	return cg_task_const_str(c, e, func && pt->func_name ?
				 pt->func_name : "");
}

bool cg_task_builtin(struct cg *c, const struct bt_expr *e, int *t)
{
	switch (e->builtin->id) {
	case BI_PP:
		*t = cg_task_pp(c, e);
		return true;
	case BI_PROBEFUNC:
		*t = cg_task_probefunc(c, e);
		return true;
	default:
		break;
	}
	for (size_t i = 0; i < sizeof(cg_task_paths) / sizeof(*cg_task_paths);
	     i++)
		if (cg_task_paths[i].id == e->builtin->id) {
			*t = cg_task_read(c, e, &cg_task_paths[i]);
			return true;
		}
	return false;
}
