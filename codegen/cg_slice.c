// SPDX-License-Identifier: GPL-2.0
/*
 * Array slices: `*` in an index list stands for any value, as in stap:
 * `[k, *] in a` (some element matches), `delete a[k, *]` (every one that
 * matches), `foreach ([x, y] in a[k, *])` (only those). The indexes that
 * are given are evaluated once, laid out as a key of the array in the
 * scratch value (wildcard columns left 0), and each element's key is
 * compared with them, column by column, in a bpf_for_each_map_elem
 * callback (or the foreach collect callback). Equal strings are equal
 * bytes there, as keys are zero-padded to their column's width.
 */
#include "cg.h"

bool cg_has_wildcard(const struct bt_expr *keys)
{
	for (; keys; keys = keys->next)
		if (keys->kind == E_WILDCARD)
			return true;
	return false;
}

/* The given indexes as a key of g, in the scratch value: its offset. */
int32_t cg_slice_block(struct cg *c, const struct cg_global *g,
		       const struct bt_expr *keys)
{
	int base = c->depth, i = 0, t;
	int32_t blk;

	for (const struct bt_expr *k = keys; k; k = k->next, i++) {
		if (k->kind != E_WILDCARD) {
			if (k->type == BT_STRING)
				cg_str_expr(c, k);
			else
				cg_expr(c, k);
			continue;
		}
		t = cg_push(c, &k->loc);
		if (i < g->sym->nkeys && g->sym->keys[i] == BT_STRING) {
			emit_ld_map(&c->b, BPF_REG_0, BT_RELOC_DATA,
				    c->zero_off);
			cg_tset(c, t, BPF_REG_0);
		} else {
			cg_tset_imm(c, t, 0);
		}
	}
	cg_keys_store(c, g, keys, base);
	blk = cg_scratch_alloc(c, g->key_size);
	cg_scratch_ptr(c, BPF_REG_1, blk);
	emit_mov_imm(&c->b, BPF_REG_2, g->key_size);
	cg_key_ptr(c, BPF_REG_3, g->key_size);
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel));
	return blk;
}

/*
 * Jump to nomatch unless the key that the stack slot kslot points to has
 * the slice block's values in the columns given (not '*'). Uses r0-r3.
 */
void cg_slice_match(struct cg *c, const struct cg_global *g,
		    const struct bt_expr *keys, int32_t blk, int16_t kslot,
		    int nomatch)
{
	int32_t off = 0;
	int i = 0;

	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_10, kslot));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_10, CG_FP_SCRATCH));
	for (const struct bt_expr *k = keys; k && i < g->sym->nkeys;
	     k = k->next, i++) {
		int32_t size = g->key_width[i];

		for (int32_t w = 0; k->kind != E_WILDCARD && w < size; w += 8) {
			emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_3,
					     off + w));
			emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_2,
					     blk + off + w));
			emit_jmp_reg(&c->b, BPF_JNE, BPF_REG_0, BPF_REG_1,
				     nomatch);
		}
		off += size;
	}
}

static const struct cg_global *cg_slice_array(struct cg *c,
					      const struct bt_expr *e)
{
	const struct bt_sym *s = e->base ? e->base->sym : NULL;
	const struct cg_global *g = s ? cg_global_of(c, s) : NULL;

	if (g && g->map < 0) {
		cg_error(c, &e->loc, "'%s' is not an array", s->name);
		return NULL;
	}
	return g;
}

/* [k, *] in a: 1 when some element matches (the walk stops there). */
int cg_slice_in(struct cg *c, const struct bt_expr *e)
{
	static const int args[] = { BPF_REG_2 };
	static const int16_t slots[] = { CB_FP_KEY };
	const struct cg_global *g = cg_slice_array(c, e);
	int32_t blk, found;
	struct cg_cb cb;
	int sub, t;

	if (!g)
		return cg_push(c, &e->loc);
	blk = cg_slice_block(c, g, e->keys);
	found = cg_scratch_alloc(c, 8);
	cg_scratch_ptr(c, BPF_REG_1, found);
	emit(&c->b, insn_st(BPF_DW, BPF_REG_1, 0, 0));
	cg_cb_begin(c, &cb);
	cg_slice_match(c, g, e->keys, blk, CB_FP_KEY, cb.cont);
	cg_scratch_ptr(c, BPF_REG_1, found);
	emit(&c->b, insn_st(BPF_DW, BPF_REG_1, 0, 1));
	emit_ja(&c->b, cb.brk);
	sub = cg_cb_end(c, &cb, args, slots, 1);
	if (sub >= 0)
		cg_for_each_call(c, g->map, sub);
	t = cg_push(c, &e->loc);
	cg_scratch_ptr(c, BPF_REG_1, found);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_1, 0));
	cg_tset(c, t, BPF_REG_1);
	return t;
}

/* delete a[k, *]: every element that matches. */
void cg_slice_delete(struct cg *c, const struct bt_expr *e)
{
	const struct cg_global *g = cg_slice_array(c, e);

	if (g)
		cg_delete_where(c, g, e->keys, cg_slice_block(c, g, e->keys));
}
