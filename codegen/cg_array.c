// SPDX-License-Identifier: GPL-2.0
/*
 * Associative arrays: one BPF hash map each (object.h gives the key and
 * value layout). Every access evaluates the index expressions first, then
 * builds the key in the key buffer, so nested accesses (a[b[k]]) never
 * clobber a half-built key. The key buffer is at the bottom of the stack
 * when it fits, else in the scratch map.
 */
#include <stdio.h>
#include <string.h>
#include "cg.h"

/* The bottom of the stack: a value slot, then the key. */
#define CG_FP_VALUE	CG_FP_HELPER
#define CG_FP_KEY	(CG_FP_HELPER + 8)
#define CG_STACK_KEY	(CG_HELPER_SIZE - 8)

uint32_t cg_key_size(const struct cg_global *g)
{
	uint32_t n = 0;

	for (int i = 0; i < g->sym->nkeys; i++)
		n += g->key_width[i];
	return n;
}

uint32_t cg_key_off(const struct cg_global *g, int col)
{
	uint32_t n = 0;

	for (int i = 0; i < col && i < g->sym->nkeys; i++)
		n += g->key_width[i];
	return n;
}

uint32_t cg_str_bound(const struct cg *c, const struct bt_expr *e)
{
	uint32_t max = c->opt->maxstringlen - 1, a, b;

	switch (e->kind) {
	case E_STR:
		return e->len < max ? e->len : max;
	case E_CALL:
		if (e->builtin && e->builtin->id == BI_EXECNAME)
			return max < 15 ? max : 15;	/* TASK_COMM_LEN */
		return max;
	case E_TERNARY:
		a = cg_str_bound(c, e->left);
		b = cg_str_bound(c, e->right);
		return a > b ? a : b;
	default:
		return max;
	}
}

/* reg = pointer to the key buffer of an array of this key size. */
void cg_key_ptr(struct cg *c, int reg, uint32_t key_size)
{
	if (key_size <= CG_STACK_KEY) {
		emit(&c->b, insn_mov_reg(reg, BPF_REG_10));
		emit(&c->b, insn_alu64_imm(BPF_ADD, reg, CG_FP_KEY));
		return;
	}
	if (c->key_scratch < 0)
		c->key_scratch = cg_scratch_alloc(c, c->max_key_size);
	cg_scratch_ptr(c, reg, c->key_scratch);
}

/* Zero `size` bytes at reg + off (keys must have no stray bytes). */
static void cg_zero(struct cg *c, int reg, int32_t off, uint32_t size)
{
	for (uint32_t i = 0; i < size; i += 8)
		emit(&c->b, insn_st(BPF_DW, reg, off + i, 0));
}

/* Bytes bpf_get_current_comm writes for execname(). */
static uint32_t cg_comm_size(const struct cg *c)
{
	return c->opt->maxstringlen < 16 ? c->opt->maxstringlen : 16;
}

/*
 * A key column written straight into the key buffer when the key is
 * built, instead of evaluated into a buffer of its own first and copied:
 * execname() when the column holds a whole comm. It has no side
 * effects, so when it runs does not matter.
 */
static bool cg_key_direct(const struct cg *c, const struct cg_global *g,
			  int col, const struct bt_expr *k)
{
	return k->kind == E_CALL && k->builtin &&
	       k->builtin->id == BI_EXECNAME &&
	       g->key_width[col] >= cg_comm_size(c);
}

/* Evaluate the index expressions into temporaries (strings as pointers;
 * a direct column gets a temporary with nothing in it). */
static int cg_keys_eval(struct cg *c, const struct cg_global *g,
			const struct bt_expr *keys)
{
	int base = c->depth, i = 0;

	for (const struct bt_expr *k = keys; k; k = k->next, i++) {
		if (i < g->sym->nkeys && cg_key_direct(c, g, i, k))
			cg_push(c, &k->loc);
		else if (k->type == BT_STRING)
			cg_str_expr(c, k);
		else
			cg_expr(c, k);
	}
	return base;
}

/* execname() into the column at r + off, `width` bytes. */
static void cg_key_comm(struct cg *c, int r, uint32_t off, uint32_t width)
{
	uint32_t n = cg_comm_size(c), z = n & ~7u;

	/* the kernel pads the n bytes it writes with zeroes */
	cg_zero(c, r, off + z, width - z);
	if (r != BPF_REG_1)
		emit(&c->b, insn_mov_reg(BPF_REG_1, r));
	if (off)
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, off));
	emit_mov_imm(&c->b, BPF_REG_2, n);
	emit(&c->b, insn_call(BPF_FUNC_get_current_comm));
}

/*
 * The string in temporary t into the column at (key temp kt) + off. A
 * column narrower than the string can be: when the copy fills it and
 * the string goes on, its last byte becomes 0xff, which no stored key
 * has, so the lookup misses, as it must.
 */
static void cg_key_string(struct cg *c, int kt, uint32_t off, uint32_t width,
			  int t, bool may_overflow)
{
	int r = cg_treg(c, kt, BPF_REG_1), v, fits = emit_new_label(&c->b);

	cg_zero(c, r, off, width);
	if (r != BPF_REG_1)
		emit(&c->b, insn_mov_reg(BPF_REG_1, r));
	if (off)
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, off));
	emit_mov_imm(&c->b, BPF_REG_2, width);
	v = cg_treg(c, t, BPF_REG_3);
	if (v != BPF_REG_3)
		emit(&c->b, insn_mov_reg(BPF_REG_3, v));
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
	if (!may_overflow)
		return;
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_0, width, fits);
	/* width bytes copied: is the string's next byte its NUL? */
	emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_10));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, CG_FP_VALUE));
	emit_mov_imm(&c->b, BPF_REG_2, 1);
	v = cg_treg(c, t, BPF_REG_3);
	if (v != BPF_REG_3)
		emit(&c->b, insn_mov_reg(BPF_REG_3, v));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, width - 1));
	emit(&c->b, insn_st(BPF_DW, BPF_REG_10, CG_FP_VALUE, 0));
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel));
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_0, BPF_REG_10, CG_FP_VALUE));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, 0, fits);
	r = cg_treg(c, kt, BPF_REG_1);
	emit(&c->b, insn_st(BPF_B, r, off + width - 1, 0xff));
	emit_place_label(&c->b, fits);
}

/* Copy the evaluated key columns (temporaries from `base`) into the key
 * buffer; pops them. keys are the index expressions (a direct column is
 * written from its expression, not its temporary). */
void cg_keys_store(struct cg *c, const struct cg_global *g,
			  const struct bt_expr *keys, int base)
{
	const struct bt_sym *s = g->sym;
	uint32_t off = 0;
	int kt = cg_push(c, NULL);
	int r;

	r = kt < CG_TEMP_REGS ? CG_TEMP_REG0 + kt : BPF_REG_0;
	cg_key_ptr(c, r, g->key_size);
	cg_tset(c, kt, r);
	for (int i = 0; i < s->nkeys && keys; i++, keys = keys->next) {
		uint32_t w = g->key_width[i];
		int v;

		if (s->keys[i] != BT_STRING) {
			v = cg_treg(c, base + i, BPF_REG_2);
			r = cg_treg(c, kt, BPF_REG_1);
			emit(&c->b, insn_stx(BPF_DW, r, v, off));
		} else if (cg_key_direct(c, g, i, keys)) {
			cg_key_comm(c, cg_treg(c, kt, BPF_REG_1), off, w);
		} else {
			cg_key_string(c, kt, off, w, base + i,
				      cg_str_bound(c, keys) > w - 1);
		}
		off += w;
	}
	c->depth = base;
}

void cg_key_build(struct cg *c, const struct cg_global *g,
		  const struct bt_expr *keys)
{
	cg_keys_store(c, g, keys, cg_keys_eval(c, g, keys));
}

/* r1 = map, r2 = key pointer: the first two arguments of map helpers. */
static void cg_map_args(struct cg *c, const struct cg_global *g)
{
	emit_ld_map(&c->b, BPF_REG_1, g->map, 0);
	cg_key_ptr(c, BPF_REG_2, g->key_size);
}

static const struct cg_global *cg_array_global(struct cg *c,
					       const struct bt_expr *e)
{
	const struct bt_sym *s = e->base ? e->base->sym : e->sym;
	const struct cg_global *g;

	if (!s)
		return NULL;
	g = cg_global_of(c, s);
	if (g && g->map < 0) {
		cg_error(c, &e->loc, "'%s' is not an array", s->name);
		return NULL;
	}
	return g;
}

/* Evaluate keys, build the key and look the element up: r0 = value or
 * NULL. */
static const struct cg_global *cg_lookup(struct cg *c,
					 const struct bt_expr *e)
{
	const struct cg_global *g = cg_array_global(c, e);

	if (!g)
		return NULL;
	cg_key_build(c, g, e->keys);
	cg_map_args(c, g);
	emit(&c->b, insn_call(BPF_FUNC_map_lookup_elem));
	return g;
}

/* The runtime error of inserting into a full array. */
static int cg_overflow_path(struct cg *c, const struct bt_expr *e)
{
	char what[160];
	const struct bt_sym *s = e->base ? e->base->sym : e->sym;

	snprintf(what, sizeof(what), "Array overflow, check MAXMAPENTRIES "
		 "near identifier '%s'", s ? s->name : "?");
	return cg_error_path(c, &e->loc, what);
}

/* a[k] as an rvalue: 0 or "" when missing. */
int cg_index_read(struct cg *c, const struct bt_expr *e)
{
	const struct cg_global *g;
	int t, miss = emit_new_label(&c->b), end = emit_new_label(&c->b);

	if (e->type == BT_STATS) {
		cg_error(c, &e->loc, "an aggregate is read with @count, "
			 "@sum, ...");
		return cg_push(c, &e->loc);
	}
	g = cg_lookup(c, e);
	t = cg_push(c, &e->loc);
	if (!g)
		return t;
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, 0, miss);
	if (e->type == BT_STRING) {
		cg_tset(c, t, BPF_REG_0);
		emit_ja(&c->b, end);
		emit_place_label(&c->b, miss);
		emit_ld_map(&c->b, BPF_REG_0, BT_RELOC_DATA, c->zero_off);
		cg_tset(c, t, BPF_REG_0);
	} else {
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_0, 0));
		cg_tset(c, t, BPF_REG_0);
		emit_ja(&c->b, end);
		emit_place_label(&c->b, miss);
		cg_tset_imm(c, t, 0);
	}
	emit_place_label(&c->b, end);
	return t;
}

/* [k1, k2] in a */
int cg_index_in(struct cg *c, const struct bt_expr *e)
{
	const struct cg_global *g = cg_lookup(c, e);
	int t = cg_push(c, &e->loc);
	int miss = emit_new_label(&c->b), end = emit_new_label(&c->b);

	if (!g)
		return t;
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, 0, miss);
	cg_tset_imm(c, t, 1);
	emit_ja(&c->b, end);
	emit_place_label(&c->b, miss);
	cg_tset_imm(c, t, 0);
	emit_place_label(&c->b, end);
	return t;
}

/*
 * r0 = pointer to the element, inserting it (zeroed) when missing: the
 * path of ++, +=, <<< and friends. Keys are in the key buffer already.
 */
void cg_index_slot(struct cg *c, const struct cg_global *g,
		   const struct bt_expr *e)
{
	int found = emit_new_label(&c->b);

	cg_map_args(c, g);
	emit(&c->b, insn_call(BPF_FUNC_map_lookup_elem));
	emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_0, 0, found);
	cg_map_args(c, g);
	emit_ld_map(&c->b, BPF_REG_3, BT_RELOC_DATA, c->zero_off);
	emit_mov_imm(&c->b, BPF_REG_4, BPF_NOEXIST);
	/* 0, or -EEXIST when another CPU inserted it first: both are fine;
	 * when the map is full the second lookup fails too */
	emit(&c->b, insn_call(BPF_FUNC_map_update_elem));
	cg_map_args(c, g);
	emit(&c->b, insn_call(BPF_FUNC_map_lookup_elem));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, 0, cg_overflow_path(c, e));
	emit_place_label(&c->b, found);
}

/* a[k] = v, a[k] op= v, a[k]++ ...: the value first, then the keys. */
int cg_index_assign(struct cg *c, const struct bt_expr *e, bool want)
{
	const struct bt_expr *lv = e->left;
	const struct cg_global *g = cg_array_global(c, lv);
	int t, r;

	if (!g)
		return cg_push(c, &e->loc);
	if (e->op == OP_NONE) {
		t = lv->type == BT_STRING ? cg_str_expr(c, e->right) :
		    cg_expr(c, e->right);
		cg_key_build(c, g, lv->keys);
		cg_map_args(c, g);
		r = cg_treg(c, t, BPF_REG_3);
		if (lv->type == BT_STRING) {
			if (r != BPF_REG_3)
				emit(&c->b, insn_mov_reg(BPF_REG_3, r));
		} else {
			emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, r,
					     CG_FP_VALUE));
			emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_10));
			emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3,
						   CG_FP_VALUE));
		}
		emit_mov_imm(&c->b, BPF_REG_4, BPF_ANY);
		emit(&c->b, insn_call(BPF_FUNC_map_update_elem));
		emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_0, 0,
			     cg_overflow_path(c, lv));
		return t;
	}
	if (lv->type != BT_LONG) {
		cg_error(c, &e->loc, "this assignment to an array element is "
			 "not supported yet");
		return cg_push(c, &e->loc);
	}
	t = cg_expr(c, e->right);
	if (e->op == OP_SUB) {
		r = cg_treg(c, t, BPF_REG_0);
		emit(&c->b, (struct bpf_insn){ .code = BPF_ALU64 | BPF_NEG,
					       .dst_reg = r });
		cg_tset(c, t, r);
	}
	if (e->op == OP_ADD || e->op == OP_SUB)
		return cg_index_add(c, lv, t, false, want);
	/* other operators: read, combine, write back (not atomic) */
	cg_key_build(c, g, lv->keys);
	cg_index_slot(c, g, lv);
	{
		int p = cg_push(c, &e->loc), a, b;

		cg_tset(c, p, BPF_REG_0);
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_0, 0));
		a = cg_push(c, &e->loc);
		cg_tset(c, a, BPF_REG_0);
		b = cg_push(c, &e->loc);
		cg_tset(c, b, cg_treg(c, t, BPF_REG_0));
		cg_binop(c, e->op, a, &e->loc);
		r = cg_treg(c, a, BPF_REG_2);
		emit(&c->b, insn_stx(BPF_DW, cg_treg(c, p, BPF_REG_1), r, 0));
		cg_tset(c, t, r);
	}
	c->depth = t + 1;
	return t;
}

/* a[k] += delta (t), and ++/--: an atomic add on the element. */
int cg_index_add(struct cg *c, const struct bt_expr *lv, int t, bool post,
		 bool want)
{
	const struct cg_global *g = cg_array_global(c, lv);
	int d;

	if (!g)
		return t;
	cg_key_build(c, g, lv->keys);
	cg_index_slot(c, g, lv);
	d = cg_treg(c, t, BPF_REG_2);
	if (d != BPF_REG_2)
		emit(&c->b, insn_mov_reg(BPF_REG_2, d));
	emit(&c->b, insn_atomic64(want ? BPF_ADD | BPF_FETCH : BPF_ADD,
				  BPF_REG_0, BPF_REG_2, 0));
	if (!want)
		return t;
	if (!post)
		emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_2,
					   cg_treg(c, t, BPF_REG_3)));
	cg_tset(c, t, BPF_REG_2);
	return t;
}

/* delete a[k] */
void cg_index_delete(struct cg *c, const struct bt_expr *e)
{
	const struct cg_global *g = cg_array_global(c, e);

	if (!g)
		return;
	cg_key_build(c, g, e->keys);
	cg_map_args(c, g);
	emit(&c->b, insn_call(BPF_FUNC_map_delete_elem));
}
