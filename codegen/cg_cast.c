// SPDX-License-Identifier: GPL-2.0
/*
 * @cast(addr, "type"[, "kernel"])->member[i]...: kernel memory seen as a
 * value of a named kernel type, as in stap. Without debuginfo the types
 * come from the running kernel's BTF (/sys/kernel/btf/vmlinux), read at
 * compile time like the task fields of cg_task.c; C's integer types that
 * BTF may lack (u_int8_t, uint32_t, ...) are known by name.
 *
 * The value walks along the steps with an address in a temporary:
 *   ->m    through a pointer first (load it), then add the offset of m
 *          in the struct or union;
 *   [i]    in an array: add i elements; through a pointer: load it, then
 *          add i elements; right after @cast(p, "T"): p is taken as an
 *          array of T (stap's @cast(p, "char")[3]).
 * At the end an integer, enum or pointer is read (sign-extended when
 * signed), and an array gives its address, as in stap (so that
 * kernel_string(@cast(t, "task_struct")->comm) works); a struct, union
 * or function has no value. Reads go through bpf_probe_read_kernel; a
 * fault is stap's "kernel read fault" error.
 */
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include "cg.h"

/* Helper-area words: the faulting address (for the message), the read. */
#define CG_CAST_ADDR	(CG_FP_HELPER)
#define CG_CAST_BUF	(CG_FP_HELPER + 8)

/* A type as the walk sees it: a BTF id, or (id 0) a base integer type
 * known by name only. */
struct cg_ctype {
	uint32_t id;
	uint32_t size;
	bool is_signed;
};

/* C's integer types by name, for the ones BTF leaves out (it keeps only
 * what the kernel's own types use). */
static const struct {
	const char *name;
	uint32_t size;
	bool is_signed;
} cg_cast_ints[] = {
	{ "char", 1, false },	/* the kernel builds with -funsigned-char */
	{ "signed char", 1, true }, { "unsigned char", 1, false },
	{ "short", 2, true }, { "unsigned short", 2, false },
	{ "int", 4, true }, { "unsigned int", 4, false },
	{ "unsigned", 4, false },
	{ "long", 8, true }, { "unsigned long", 8, false },
	{ "long long", 8, true }, { "unsigned long long", 8, false },
	{ "int8_t", 1, true }, { "uint8_t", 1, false }, { "u_int8_t", 1, false },
	{ "int16_t", 2, true }, { "uint16_t", 2, false },
	{ "u_int16_t", 2, false },
	{ "int32_t", 4, true }, { "uint32_t", 4, false },
	{ "u_int32_t", 4, false },
	{ "int64_t", 8, true }, { "uint64_t", 8, false },
	{ "u_int64_t", 8, false },
	{ "s8", 1, true }, { "u8", 1, false }, { "__s8", 1, true },
	{ "__u8", 1, false },
	{ "s16", 2, true }, { "u16", 2, false }, { "__s16", 2, true },
	{ "__u16", 2, false },
	{ "s32", 4, true }, { "u32", 4, false }, { "__s32", 4, true },
	{ "__u32", 4, false },
	{ "s64", 8, true }, { "u64", 8, false }, { "__s64", 8, true },
	{ "__u64", 8, false },
	{ "size_t", 8, false }, { "ssize_t", 8, true }, { "bool", 1, false },
	{ "_Bool", 1, false },
};

/* The named type: "struct x", "union x", "enum x" or a bare name (a
 * struct, union, typedef, integer or enum of that name, in that order). */
static bool cg_cast_lookup(const struct btf *btf, const char *name,
			   struct cg_ctype *ty)
{
	static const struct {
		const char *prefix;
		int kind;
	} tagged[] = {
		{ "struct ", BTF_KIND_STRUCT }, { "union ", BTF_KIND_UNION },
		{ "enum ", BTF_KIND_ENUM },
	};
	static const int bare[] = {
		BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_TYPEDEF, BTF_KIND_INT,
		BTF_KIND_ENUM,
	};
	int id = -1;

	memset(ty, 0, sizeof(*ty));
	for (size_t i = 0; i < sizeof(tagged) / sizeof(*tagged); i++)
		if (!strncmp(name, tagged[i].prefix, strlen(tagged[i].prefix)))
			id = btf__find_by_name_kind(btf, name +
						    strlen(tagged[i].prefix),
						    tagged[i].kind);
	for (size_t i = 0; id < 0 && !strchr(name, ' ') &&
	     i < sizeof(bare) / sizeof(*bare); i++)
		id = btf__find_by_name_kind(btf, name, bare[i]);
	if (id > 0) {
		ty->id = id;
		return true;
	}
	for (size_t i = 0; i < sizeof(cg_cast_ints) / sizeof(*cg_cast_ints);
	     i++)
		if (!strcmp(name, cg_cast_ints[i].name)) {
			ty->size = cg_cast_ints[i].size;
			ty->is_signed = cg_cast_ints[i].is_signed;
			return true;
		}
	return false;
}

/* Bytes of a type (typedefs and qualifiers seen through), 0 if none. */
static uint32_t cg_cast_size(const struct btf *btf, const struct cg_ctype *ty)
{
	long n;

	if (!ty->id)
		return ty->size;
	n = btf__resolve_size(btf, ty->id);
	return n > 0 ? (uint32_t)n : 0;
}

/* reg = the 8-byte pointer, or (size < 8) the integer, at address reg;
 * a fault is the error at loc. r0-r5 are clobbered. */
static void cg_cast_read(struct cg *c, int reg, uint32_t size, bool sign,
			 const struct bt_loc *loc, const char *near)
{
	int ok = emit_new_label(&c->b), shift = 64 - 8 * (int)size;

	emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, reg, CG_CAST_ADDR));
	emit(&c->b, insn_st(BPF_DW, BPF_REG_10, CG_CAST_BUF, 0));
	emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_10));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, CG_CAST_BUF));
	emit_mov_imm(&c->b, BPF_REG_2, size);
	emit(&c->b, insn_mov_reg(BPF_REG_3, reg));
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel));
	emit_jmp_imm(&c->b, BPF_JSGE, BPF_REG_0, 0, ok);
	cg_raise_fmt(c, loc, near, "kernel read fault at 0x%llx "
		     "[man error::fault]", 1);
	emit_place_label(&c->b, ok);
	emit(&c->b, insn_ldx(size == 8 ? BPF_DW : size == 4 ? BPF_W :
			     size == 2 ? BPF_H : BPF_B, reg, BPF_REG_10,
			     CG_CAST_BUF));
	if (sign && shift) {
		emit(&c->b, insn_alu64_imm(BPF_LSH, reg, shift));
		emit(&c->b, insn_alu64_imm(BPF_ARSH, reg, shift));
	}
}

struct cg_cast_walk {
	struct cg *c;
	const struct bt_expr *e;
	const struct btf *btf;
	struct cg_ctype ty;
	int t;				/* the address's temporary */
	char what[256];			/* the text so far, for messages */
};

static int cg_cast_reg(struct cg_cast_walk *w)
{
	return cg_treg(w->c, w->t, BPF_REG_0);
}

/* Through a pointer: load it; the type becomes what it points to. */
static void cg_cast_deref(struct cg_cast_walk *w, const struct bt_loc *loc,
			  const char *near, uint32_t target)
{
	int r = cg_cast_reg(w);

	cg_cast_read(w->c, r, 8, false, loc, near);
	cg_tset(w->c, w->t, r);
	w->ty.id = target;
}

static bool cg_cast_member(struct cg_cast_walk *w, const struct bt_expr *m)
{
	uint32_t id = w->ty.id, mid;
	const struct btf_type *bt = id ? cg_btf_skip(w->btf, &id) : NULL;
	long off;
	int r;

	if (bt && btf_is_ptr(bt)) {
		cg_cast_deref(w, &m->loc, "operator '->'", bt->type);
		id = w->ty.id;
		bt = cg_btf_skip(w->btf, &id);
	}
	if (!bt || !(btf_is_struct(bt) || btf_is_union(bt))) {
		cg_error(w->c, &m->loc, "'%s' is not a struct or union: it "
			 "has no member '%s'", w->what, m->str);
		return false;
	}
	off = cg_btf_member(w->btf, bt, m->str, strlen(m->str), &mid);
	if (off == -2) {
		cg_error(w->c, &m->loc, "member '%s' of '%s' is a bitfield, "
			 "which bpftap cannot read", m->str, w->what);
		return false;
	}
	if (off < 0) {
		cg_error(w->c, &m->loc, "'%s' has no member '%s'", w->what,
			 m->str);
		return false;
	}
	if (off) {
		r = cg_cast_reg(w);
		emit(&w->c->b, insn_alu64_imm(BPF_ADD, r, (int32_t)off));
		cg_tset(w->c, w->t, r);
	}
	w->ty.id = mid;
	return true;
}

/* address += index * scale (the index a constant or an expression) */
static void cg_cast_offset(struct cg_cast_walk *w, const struct bt_expr *i,
			   uint32_t scale)
{
	struct cg *c = w->c;
	int r, ti, ri;

	if (i->kind == E_NUM) {
		r = cg_cast_reg(w);
		if (i->num)
			emit_mov_imm(&c->b, BPF_REG_1, i->num * (int64_t)scale);
		if (i->num)
			emit(&c->b, insn_alu64_reg(BPF_ADD, r, BPF_REG_1));
		cg_tset(c, w->t, r);
		return;
	}
	ti = cg_expr(c, i);
	ri = cg_treg(c, ti, BPF_REG_1);
	if (ri != BPF_REG_1)
		emit(&c->b, insn_mov_reg(BPF_REG_1, ri));
	emit(&c->b, insn_alu64_imm(BPF_MUL, BPF_REG_1, (int32_t)scale));
	cg_pop(c, 1);
	r = cg_cast_reg(w);
	emit(&c->b, insn_alu64_reg(BPF_ADD, r, BPF_REG_1));
	cg_tset(c, w->t, r);
}

static bool cg_cast_index(struct cg_cast_walk *w, const struct bt_expr *m,
			  bool first)
{
	uint32_t id = w->ty.id, scale;
	const struct btf_type *bt = id ? cg_btf_skip(w->btf, &id) : NULL;
	struct cg_ctype elem = w->ty;

	if (bt && btf_is_array(bt)) {
		elem.id = btf_array(bt)->type;
	} else if (bt && btf_is_ptr(bt)) {
		cg_cast_deref(w, &m->loc, "operator '['", bt->type);
		elem.id = w->ty.id;
	} else if (!first) {
		cg_error(w->c, &m->loc, "'%s' is not an array or a pointer: "
			 "it cannot be indexed", w->what);
		return false;
	}
	scale = cg_cast_size(w->btf, &elem);
	if (!scale) {
		cg_error(w->c, &m->loc, "the elements of '%s' have no size",
			 w->what);
		return false;
	}
	cg_cast_offset(w, m->keys, scale);
	w->ty = elem;
	return true;
}

/* The value at the end of the walk, in the address's temporary. */
static bool cg_cast_value(struct cg_cast_walk *w)
{
	uint32_t id = w->ty.id, size;
	const struct btf_type *bt = id ? cg_btf_skip(w->btf, &id) : NULL;
	bool sign = w->ty.is_signed;
	int r;

	if (!bt) {
		size = w->ty.size;
	} else if (btf_is_array(bt)) {
		return true;		/* its address */
	} else if (btf_is_int(bt)) {
		size = bt->size;
		sign = btf_int_encoding(bt) & BTF_INT_SIGNED;
	} else if (btf_is_any_enum(bt)) {
		size = bt->size;
		sign = btf_kflag(bt);
	} else if (btf_is_ptr(bt)) {
		size = 8;
	} else {
		cg_error(w->c, &w->e->loc, "'%s' is a %s, not a value: name "
			 "one of its members", w->what, btf_is_struct(bt) ?
			 "struct" : btf_is_union(bt) ? "union" : "function");
		return false;
	}
	if (size != 1 && size != 2 && size != 4 && size != 8) {
		cg_error(w->c, &w->e->loc, "'%s' has %u bytes: bpftap reads "
			 "integers of 1, 2, 4 or 8", w->what, size);
		return false;
	}
	r = cg_cast_reg(w);
	cg_cast_read(w->c, r, size, sign, &w->e->loc,
		     w->e->members ? (w->e->members->kind == E_STR ?
				      "operator '->'" : "operator '['") :
		     "operator '@cast'");
	cg_tset(w->c, w->t, r);
	return true;
}

static void cg_cast_text(struct cg_cast_walk *w, const struct bt_expr *m)
{
	size_t n = strlen(w->what);

	if (n >= sizeof(w->what) - 1)
		return;
	if (!m)
		snprintf(w->what, sizeof(w->what), "@cast(..., \"%s\")",
			 w->e->str);
	else if (m->kind == E_STR)
		snprintf(w->what + n, sizeof(w->what) - n, "->%s", m->str);
	else
		snprintf(w->what + n, sizeof(w->what) - n, "[...]");
}

/* The steps of e->members from the value of type w->ty at the address
 * in temporary w->t, then the value. */
static int cg_cast_walk(struct cg_cast_walk *w)
{
	for (const struct bt_expr *m = w->e->members; m; m = m->next) {
		if (!(m->kind == E_STR ? cg_cast_member(w, m) :
		      cg_cast_index(w, m, m == w->e->members)))
			return w->t;
		cg_cast_text(w, m);
	}
	cg_cast_value(w);
	return w->t;
}

int cg_cast(struct cg *c, const struct bt_expr *e)
{
	struct cg_cast_walk w = { .c = c, .e = e };
	int err;

	w.t = cg_expr(c, e->left);
	w.btf = cg_btf_vmlinux(&err);
	if (!w.btf) {
		cg_error(c, &e->loc, "@cast needs the kernel's BTF "
			 "(/sys/kernel/btf/vmlinux): %s", strerror(err));
		return w.t;
	}
	if (!cg_cast_lookup(w.btf, e->str, &w.ty)) {
		cg_error(c, &e->loc, "the kernel has no type '%s' (looked up "
			 "in its BTF)", e->str);
		return w.t;
	}
	cg_cast_text(&w, NULL);
	return cg_cast_walk(&w);
}

int cg_btf_value(struct cg *c, const struct bt_expr *e, int t,
		 uint32_t type)
{
	struct cg_cast_walk w = { .c = c, .e = e, .t = t };
	const struct btf_type *bt;
	uint32_t id = type;
	int err, r;

	w.btf = cg_btf_vmlinux(&err);
	if (!w.btf) {
		cg_error(c, &e->loc, "'%s' needs the kernel's BTF "
			 "(/sys/kernel/btf/vmlinux): %s", e->name,
			 strerror(err));
		return t;
	}
	snprintf(w.what, sizeof(w.what), "%s", e->name);
	bt = cg_btf_skip(w.btf, &id);
	if (bt && btf_is_ptr(bt) && e->members) {
		/* the value points at what the steps walk */
		w.ty.id = bt->type;
		return cg_cast_walk(&w);
	}
	if (e->members) {
		cg_error(c, &e->members->loc, "'%s' is not a pointer: nothing "
			 "follows it", e->name);
		return t;
	}
	if (bt && (btf_is_int(bt) || btf_is_any_enum(bt)) && bt->size < 8) {
		/* the low bytes of the u64 slot */
		int shift = 64 - 8 * (int)bt->size;
		bool sign = btf_is_int(bt) ?
			    (btf_int_encoding(bt) & BTF_INT_SIGNED) :
			    btf_kflag(bt);

		r = cg_treg(c, t, BPF_REG_0);
		emit(&c->b, insn_alu64_imm(BPF_LSH, r, shift));
		emit(&c->b, insn_alu64_imm(sign ? BPF_ARSH : BPF_RSH, r,
					   shift));
		cg_tset(c, t, r);
	}
	return t;
}
