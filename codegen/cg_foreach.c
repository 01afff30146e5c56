// SPDX-License-Identifier: GPL-2.0
/*
 * foreach and `delete array`, in any probe. BPF can only walk a hash map
 * with bpf_for_each_map_elem, whose body is a callback (a subprogram with
 * its own stack frame), so:
 *  - a probe that iterates keeps all its locals in the scratch map, which
 *    every frame reaches through the pointer at r10-8;
 *  - break/continue return 1/0 from the callback; `next` and runtime errors
 *    set the scratch "unwind" word and return 1, and every caller checks it
 *    after the helper returns and leaves too; an error that a try around
 *    the foreach catches sets it to CG_UNWIND_CATCH, and the frame with
 *    that try clears it and runs the catch block.
 * foreach copies the elements into this CPU's sort buffer (an ARRAY map indexed by
 * CPU), then picks them in order with bpf_loop: each step selects the
 * smallest element after the previous one, equal values ordered by key,
 * which makes the order total and the same on every run; `limit N` stops
 * after N steps. That is O(n^2) comparisons, fine for the sizes scripts
 * sort (MAXMAPENTRIES).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cg.h"


/* Sort buffer header: count, previous pick, best candidate; entries. */
#define SB_COUNT	0
#define SB_PREV		8
#define SB_BEST		16
#define SB_ENTRIES	24

static bool cg_stmt_iterates(const struct bt_stmt *st)
{
	for (; st; st = st->next) {
		if (st->kind == S_FOREACH)
			return true;
		if (st->kind == S_DELETE && st->expr &&
		    st->expr->kind == E_VAR && st->expr->sym &&
		    (st->expr->sym->nkeys || st->expr->sym->type == BT_STATS))
			return true;
		if (cg_stmt_iterates(st->body) ||
		    cg_stmt_iterates(st->else_body) ||
		    cg_stmt_iterates(st->init))
			return true;
	}
	return false;
}

/* Conservative: the probe or any function of the script iterates. */
bool cg_probe_iterates(const struct bt_script *s, const struct bt_probe *p)
{
	if (p && cg_stmt_iterates(p->body))
		return true;
	for (const struct bt_func *f = s->funcs; f; f = f->next)
		if (f->used && cg_stmt_iterates(f->body))
			return true;
	return false;
}

void cg_cb_begin(struct cg *c, struct cg_cb *cb)
{
	struct cg_cbsave *sv = &cb->sv;

	sv->b = c->b;
	sv->exit_label = c->exit_label;
	sv->depth = c->depth;
	sv->nloops = c->nloops;
	sv->ninl = c->ninl;
	sv->nerrpaths = c->nerrpaths;
	sv->errpaths_cap = c->errpaths_cap;
	sv->errpaths = c->errpaths;
	sv->ntries = c->ntries;
	sv->try_base = c->try_base;
	sv->unwind_label = c->unwind_label;
	c->try_base = c->ntries;	/* the tries outside are the callers' */
	memcpy(sv->loops, c->loops, sizeof(sv->loops));
	memcpy(sv->inl, c->inl, sizeof(sv->inl));
	emit_init(&c->b);
	c->depth = 0;
	c->nloops = 0;
	c->hidden_inl += c->ninl;
	c->ninl = 0;
	c->errpaths = NULL;
	c->nerrpaths = c->errpaths_cap = 0;
	c->cb_depth++;
	if (c->unwind_off < 0)
		c->unwind_off = cg_scratch_alloc(c, 8);
	c->exit_label = emit_new_label(&c->b);
	c->unwind_label = emit_new_label(&c->b);
	cb->brk = emit_new_label(&c->b);
	cb->cont = emit_new_label(&c->b);
}

static void cg_cb_restore(struct cg *c, struct cg_cb *cb)
{
	struct cg_cbsave *sv = &cb->sv;

	emit_release(&c->b);
	free(c->errpaths);
	c->b = sv->b;
	c->exit_label = sv->exit_label;
	c->depth = sv->depth;
	c->nloops = sv->nloops;
	c->hidden_inl -= sv->ninl;
	c->ninl = sv->ninl;
	c->nerrpaths = sv->nerrpaths;
	c->errpaths_cap = sv->errpaths_cap;
	c->errpaths = sv->errpaths;
	c->ntries = sv->ntries;
	c->try_base = sv->try_base;
	c->unwind_label = sv->unwind_label;
	memcpy(c->loops, sv->loops, sizeof(sv->loops));
	memcpy(c->inl, sv->inl, sizeof(sv->inl));
	c->cb_depth--;
}

static void cg_ret(struct cg *c, int v)
{
	emit_mov_imm(&c->b, BPF_REG_0, v);
	emit(&c->b, insn_exit());
}

/*
 * Finish the callback being generated: epilogues, error errpaths, then the
 * prologue (spill the argument registers listed, look up the scratch
 * value). Returns its index in c->subs, or -1.
 */
int cg_cb_end(struct cg *c, struct cg_cb *cb, const int *args,
	      const int16_t *slots, int nargs)
{
	struct emit_buf p, body;
	uint32_t jump;
	int idx = -1;

	emit_place_label(&c->b, cb->cont);
	cg_ret(c, 0);
	emit_place_label(&c->b, cb->brk);
	cg_ret(c, 1);
	emit_place_label(&c->b, c->exit_label);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_10, CG_FP_SCRATCH));
	emit(&c->b, insn_st(BPF_DW, BPF_REG_1, c->unwind_off, 1));
	emit_place_label(&c->b, c->unwind_label);
	cg_ret(c, 1);
	cg_error_paths(c);
	if (emit_resolve(&c->b) || emit_dce(&c->b)) {
		cg_error(c, &c->probe->loc, "foreach body too large");
		goto out;
	}
	/* the prologue: a failed scratch lookup returns 1, in place (the
	 * body's own epilogues may have been removed as unreachable) */
	emit_init(&p);
	body = c->b;
	c->b = p;
	for (int i = 0; i < nargs; i++)
		emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, args[i], slots[i]));
	if (c->action_off >= 0)
		emit(&c->b, insn_st(BPF_DW, BPF_REG_10, CG_FP_ACTION, 0));
	jump = cg_scratch_lookup(c);
	emit(&c->b, (struct bpf_insn){ .code = BPF_JMP | BPF_JA, .off = 2 });
	if (!c->b.oom)
		c->b.insns[jump].off = c->b.n - jump - 1;
	cg_ret(c, 1);
	p = c->b;
	c->b = body;
	idx = cg_subprog_add(c, &p);
	emit_release(&p);
out:
	cg_cb_restore(c, cb);
	return idx;
}

/*
 * The prologue p and the body in c->b (resolved) become subprogram
 * probeN_cbM of the current probe. Returns its index in c->subs, or -1
 * (out of memory, c->b.oom set).
 */
int cg_subprog_add(struct cg *c, struct emit_buf *p)
{
	struct bt_objprog prog = { 0 }, *sub;
	int idx = -1;

	if (!p->oom && cg_link(c, p, NULL, 0, &prog)) {
		prog.subprog = true;
		prog.probe = c->probe->index;
		prog.loc = c->probe->loc;
		prog.section = strdup(".text");
		if (asprintf(&prog.name, "probe%d_cb%d", c->probe->index,
			     c->ncallbacks++) < 0)
			prog.name = NULL;
		sub = realloc(c->subs, (c->nsubs + 1) * sizeof(*sub));
		if (sub) {
			c->subs = sub;
			c->subs[c->nsubs] = prog;
			idx = c->nsubs++;
		}
	}
	if (idx < 0) {
		free(prog.insns);
		free(prog.relocs);
		free(prog.lines);
		c->b.oom = true;
	}
	return idx;
}

/* reg = the callback's address (ld_imm64 of a BPF_PSEUDO_FUNC). */
void cg_ld_callback(struct cg *c, int reg, int sub)
{
	emit_ld_map(&c->b, reg, BT_RELOC_PROG(sub), 0);
	c->b.insns[c->b.n - 2].src_reg = BPF_PSEUDO_FUNC;
}

/*
 * After a helper ran a callback: leave too if it unwound, keeping the
 * word for the callers, unless it unwinds to a catch and this frame has
 * the try: then clear it and run the catch block.
 */
static void cg_unwind_check(struct cg *c)
{
	int go_on = emit_new_label(&c->b);

	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_10, CG_FP_SCRATCH));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_1, c->unwind_off));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_2, 0, go_on);
	if (c->ntries > c->try_base) {
		int leave = emit_new_label(&c->b);

		emit_jmp_imm(&c->b, BPF_JNE, BPF_REG_2, CG_UNWIND_CATCH,
			     leave);
		emit(&c->b, insn_st(BPF_DW, BPF_REG_1, c->unwind_off, 0));
		emit_ja(&c->b, c->tries[c->ntries - 1].catch_label);
		emit_place_label(&c->b, leave);
	}
	emit_ja(&c->b, c->cb_depth ? c->unwind_label : c->exit_label);
	emit_place_label(&c->b, go_on);
}

/* In a callback, for a try of an outer frame: unwind to its catch. */
void cg_unwind_to_catch(struct cg *c)
{
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_10, CG_FP_SCRATCH));
	emit(&c->b, insn_st(BPF_DW, BPF_REG_1, c->unwind_off,
			    CG_UNWIND_CATCH));
	emit_ja(&c->b, c->unwind_label);
}

/* bpf_for_each_map_elem(map, callback, NULL, 0) */
void cg_for_each_call(struct cg *c, int map, int sub)
{
	emit_ld_map(&c->b, BPF_REG_1, map, 0);
	cg_ld_callback(c, BPF_REG_2, sub);
	emit_mov_imm(&c->b, BPF_REG_3, 0);
	emit_mov_imm(&c->b, BPF_REG_4, 0);
	emit(&c->b, insn_call(BPF_FUNC_for_each_map_elem));
}

/* Assign a local from memory at (pointer spilled at slot) + off. */
static void cg_bind(struct cg *c, const struct bt_expr *var, int16_t slot,
		    int32_t off)
{
	const struct cg_local *l;

	if (!var || !var->sym)
		return;
	l = cg_local_of(c, var->sym);
	if (!l)
		return;
	if (var->sym->type != BT_STRING) {
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_10, slot));
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_1, off));
		cg_local_store(c, l, BPF_REG_1, BPF_REG_2);
		return;
	}
	cg_scratch_ptr(c, BPF_REG_1, l->off);
	emit_mov_imm(&c->b, BPF_REG_2, c->strfield);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_10, slot));
	if (off)
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, off));
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
}

/* Bind the key variables (and the value variable) of a foreach. */
static void cg_bind_all(struct cg *c, const struct bt_stmt *st,
			const struct cg_global *g, int16_t kslot,
			int16_t vslot, int32_t voff)
{
	const struct bt_expr *k = st->keys;
	int32_t off = 0;

	for (int i = 0; i < g->sym->nkeys && k; i++, k = k->next) {
		cg_bind(c, k, kslot, off);
		off += g->key_width[i];
	}
	if (st->value_var)
		cg_bind(c, st->value_var, vslot, voff);
}

/* The limit (if any) goes to a scratch word. */
static int32_t cg_limit_setup(struct cg *c, const struct bt_stmt *st)
{
	int32_t off;
	int t, r;

	if (!st->limit)
		return -1;
	off = cg_scratch_alloc(c, 8);
	t = cg_expr(c, st->limit);
	r = cg_treg(c, t, BPF_REG_2);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_10, CG_FP_SCRATCH));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, r, off));
	cg_pop(c, 1);
	return off;
}

static void cg_body(struct cg *c, const struct bt_stmt *st, struct cg_cb *cb)
{
	cg_action_step(c, &st->loc);
	c->loops[c->nloops++] = (struct cg_loop){ cb->brk, cb->cont };
	cg_stmt(c, st->body);
	c->nloops--;
	emit_ja(&c->b, cb->cont);
}

static const struct cg_global *cg_foreach_array(struct cg *c,
						const struct bt_expr *a)
{
	const struct cg_global *g = a && a->sym ? cg_global_of(c, a->sym) :
				    NULL;

	if (g && g->map < 0) {
		cg_error(c, &a->loc, "'%s' is not an array", a->sym->name);
		return NULL;
	}
	return g;
}

/* Bytes of one sort-buffer entry: the key, then the value copied. */
static uint32_t cg_entry_size(const struct cg_global *g, uint32_t vsize)
{
	return (g->key_size + vsize + 7) & ~7u;
}

/* reg = this CPU's sort buffer (r0 clobbered); NULL jumps to fail. */
static void cg_sortbuf(struct cg *c, int map, int reg, int fail)
{
	emit(&c->b, insn_call(BPF_FUNC_get_smp_processor_id));
	emit(&c->b, insn_stx(BPF_W, BPF_REG_10, BPF_REG_0, CB_FP_CPU));
	emit_ld_map(&c->b, BPF_REG_1, map, 0);
	emit(&c->b, insn_mov_reg(BPF_REG_2, BPF_REG_10));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_2, CB_FP_CPU));
	emit(&c->b, insn_call(BPF_FUNC_map_lookup_elem));
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, 0, fail);
	if (reg != BPF_REG_0)
		emit(&c->b, insn_mov_reg(reg, BPF_REG_0));
}

/* dst = sb + SB_ENTRIES + idx * esz, with idx checked against cap. */
static void cg_entry_ptr(struct cg *c, int dst, int sb, int idx,
			 uint32_t cap, uint32_t esz, int fail)
{
	emit_jmp_imm(&c->b, BPF_JGE, idx, cap, fail);
	emit(&c->b, insn_mov_reg(dst, idx));
	emit(&c->b, insn_alu64_imm(BPF_MUL, dst, esz));
	emit(&c->b, insn_alu64_reg(BPF_ADD, dst, sb));
	emit(&c->b, insn_alu64_imm(BPF_ADD, dst, SB_ENTRIES));
}

/*
 * For an array of aggregates sorted by value: the statistic of the
 * element (over all CPUs; the callback sees this CPU's copy only) after
 * its key in the entry. r8 = the entry; the key is copied to the key
 * buffer the statistics code reads, and the entry pointer is kept in
 * the value slot, since the statistics code takes r6-r9 as temporaries.
 */
static void cg_collect_stat(struct cg *c, const struct bt_stmt *st,
			    const struct cg_global *g)
{
	enum bt_stat_op op = st->sort_stat ? st->sort_stat - 1 : STAT_COUNT;
	int t;

	emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, BPF_REG_8, CB_FP_VALUE));
	cg_key_ptr(c, BPF_REG_1, g->key_size);
	emit_mov_imm(&c->b, BPF_REG_2, g->key_size);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_10, CB_FP_KEY));
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel));
	t = cg_stat_compute(c, g, op, &st->loc);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_10, CB_FP_VALUE));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, cg_treg(c, t, BPF_REG_2),
			     g->key_size));
	cg_pop(c, 1);
}

/* Collect callback: append (key, value) to the sort buffer; st is the
 * foreach when the value is a statistic to compute, else NULL; with a
 * slice (blk: its block), only the elements that match. */
static int cg_collect_cb(struct cg *c, const struct cg_global *g,
			 int sbmap, uint32_t cap, uint32_t vsize,
			 const struct bt_stmt *st, const struct bt_expr *slice,
			 int32_t blk)
{
	static const int args[] = { BPF_REG_2, BPF_REG_3 };
	static const int16_t slots[] = { CB_FP_KEY, CB_FP_VALUE };
	uint32_t esz = cg_entry_size(g, vsize);
	struct cg_cb cb;

	cg_cb_begin(c, &cb);
	if (slice)
		cg_slice_match(c, g, slice, blk, CB_FP_KEY, cb.cont);
	cg_sortbuf(c, sbmap, BPF_REG_6, cb.brk);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_7, BPF_REG_6, SB_COUNT));
	cg_entry_ptr(c, BPF_REG_8, BPF_REG_6, BPF_REG_7, cap, esz, cb.brk);
	emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_8));
	emit_mov_imm(&c->b, BPF_REG_2, g->key_size);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_10, CB_FP_KEY));
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel));
	if (vsize && !st) {
		emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_8));
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, g->key_size));
		emit_mov_imm(&c->b, BPF_REG_2, vsize);
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_10,
				     CB_FP_VALUE));
		emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel));
	}
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_7, 1));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_6, BPF_REG_7, SB_COUNT));
	if (st)
		cg_collect_stat(c, st, g);
	emit_ja(&c->b, cb.cont);
	return cg_cb_end(c, &cb, args, slots, 2);
}

/*
 * Compare the field at off of entries xr and yr: jump to gt, lt, or fall
 * through when equal. Strings (of `width` bytes) compare as unsigned
 * bytes up to the NUL. Uses r1-r5.
 */
static void cg_cmp_field(struct cg *c, int xr, int yr, int32_t off,
			 enum bt_type type, uint32_t width, int gt, int lt)
{
	int top, eq = emit_new_label(&c->b);

	if (type != BT_STRING) {
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, xr, off));
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, yr, off));
		emit_jmp_reg(&c->b, BPF_JSGT, BPF_REG_1, BPF_REG_2, gt);
		emit_jmp_reg(&c->b, BPF_JSLT, BPF_REG_1, BPF_REG_2, lt);
		emit_place_label(&c->b, eq);
		return;
	}
	top = emit_new_label(&c->b);
	emit(&c->b, insn_mov_reg(BPF_REG_3, xr));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, off));
	emit(&c->b, insn_mov_reg(BPF_REG_4, yr));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_4, off));
	emit_mov_imm(&c->b, BPF_REG_5, 0);
	emit_place_label(&c->b, top);
	emit_jmp_imm(&c->b, BPF_JGE, BPF_REG_5, width, eq);
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_1, BPF_REG_3, 0));
	emit(&c->b, insn_ldx(BPF_B, BPF_REG_2, BPF_REG_4, 0));
	emit_jmp_reg(&c->b, BPF_JGT, BPF_REG_1, BPF_REG_2, gt);
	emit_jmp_reg(&c->b, BPF_JLT, BPF_REG_1, BPF_REG_2, lt);
	emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_1, 0, eq);
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, 1));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_4, 1));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_5, 1));
	emit_ja(&c->b, top);
	emit_place_label(&c->b, eq);
}

/*
 * A string key column: keys are zero-padded, so strcmp order is the
 * order of the column's bytes, compared a word at a time, byte-swapped
 * so the first byte weighs most. Unrolled, with one branch per word, it
 * costs the verifier one path per word; the byte loop above is walked
 * once per byte on every path, and made a foreach over a string-keyed
 * array the costliest program to load.
 */
static void cg_cmp_key_str(struct cg *c, int xr, int yr, int32_t off,
			   uint32_t width, int gt, int lt)
{
	int eq = emit_new_label(&c->b), diff = emit_new_label(&c->b);

	for (uint32_t w = 0; w < width; w += 8) {
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, xr, off + w));
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, yr, off + w));
		emit_jmp_reg(&c->b, BPF_JNE, BPF_REG_1, BPF_REG_2, diff);
	}
	emit_ja(&c->b, eq);
	emit_place_label(&c->b, diff);
	emit(&c->b, insn_be64(BPF_REG_1));
	emit(&c->b, insn_be64(BPF_REG_2));
	emit_jmp_reg(&c->b, BPF_JGT, BPF_REG_1, BPF_REG_2, gt);
	emit_ja(&c->b, lt);
	emit_place_label(&c->b, eq);
}

/*
 * Continue only when entry X (pointer xr, position xi) comes after entry
 * Y (yr, yi) in the sort order; else jump to fail. Equal sort fields are
 * ordered by the keys, column by column ascending, so the order is the
 * same on every run (hash maps iterate in a per-map random order).
 */
static void cg_after(struct cg *c, const struct cg_global *g, int xr, int xi,
		     int yr, int yi, int32_t soff, enum bt_type stype,
		     uint32_t swidth, int dir, int fail)
{
	const struct bt_sym *s = g->sym;
	int ok = emit_new_label(&c->b);
	int32_t off = 0;

	if (stype == BT_STRING && soff < (int32_t)g->key_size)	/* a key */
		cg_cmp_key_str(c, xr, yr, soff, swidth, dir > 0 ? ok : fail,
			       dir > 0 ? fail : ok);
	else
		cg_cmp_field(c, xr, yr, soff, stype, swidth,
			     dir > 0 ? ok : fail, dir > 0 ? fail : ok);
	for (int i = 0; i < s->nkeys; i++) {
		if (s->keys[i] == BT_STRING)
			cg_cmp_key_str(c, xr, yr, off, g->key_width[i], ok,
				       fail);
		else
			cg_cmp_field(c, xr, yr, off, s->keys[i],
				     g->key_width[i], ok, fail);
		off += g->key_width[i];
	}
	emit_jmp_reg(&c->b, BPF_JGT, xi, yi, ok);
	emit_ja(&c->b, fail);
	emit_place_label(&c->b, ok);
}

struct cg_sortspec {
	const struct cg_global *g;
	int map;
	uint32_t cap, esz;
	int32_t soff;
	enum bt_type stype;
	uint32_t swidth;	/* bytes of the sort field */
	int dir;
};

/*
 * Find callback (bpf_loop index j in r1): entry j is a candidate when it
 * comes after the previous pick and before the best candidate so far.
 * r6 = sort buffer, r7 = j, r8 = &entry[j], r9 = the other entry.
 */
static int cg_find_cb(struct cg *c, const struct cg_sortspec *ss)
{
	static const int args[] = { BPF_REG_1 };
	static const int16_t slots[] = { CB_FP_KEY };
	struct cg_cb cb;
	int no_prev, no_best;

	cg_cb_begin(c, &cb);
	no_prev = emit_new_label(&c->b);
	no_best = emit_new_label(&c->b);
	cg_sortbuf(c, ss->map, BPF_REG_6, cb.brk);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_7, BPF_REG_10, CB_FP_KEY));
	emit(&c->b, insn_alu64_imm(BPF_AND, BPF_REG_7, 0x7fffffff));
	cg_entry_ptr(c, BPF_REG_8, BPF_REG_6, BPF_REG_7, ss->cap, ss->esz,
		     cb.brk);
	/* after the previous pick */
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_6, SB_PREV));
	emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_0, 0, no_prev);
	cg_entry_ptr(c, BPF_REG_9, BPF_REG_6, BPF_REG_0, ss->cap, ss->esz,
		     cb.brk);
	cg_after(c, ss->g, BPF_REG_8, BPF_REG_7, BPF_REG_9, BPF_REG_0,
		 ss->soff, ss->stype, ss->swidth, ss->dir, cb.cont);
	emit_place_label(&c->b, no_prev);
	/* before the best so far (the best comes after it) */
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_6, SB_BEST));
	emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_0, 0, no_best);
	cg_entry_ptr(c, BPF_REG_9, BPF_REG_6, BPF_REG_0, ss->cap, ss->esz,
		     cb.brk);
	cg_after(c, ss->g, BPF_REG_9, BPF_REG_0, BPF_REG_8, BPF_REG_7,
		 ss->soff, ss->stype, ss->swidth, ss->dir, cb.cont);
	emit_place_label(&c->b, no_best);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_6, BPF_REG_7, SB_BEST));
	emit_ja(&c->b, cb.cont);
	return cg_cb_end(c, &cb, args, slots, 1);
}

/* bpf_loop(n in reg, callback, NULL, 0) */
void cg_bpf_loop(struct cg *c, int nreg, int sub)
{
	if (nreg != BPF_REG_1)
		emit(&c->b, insn_mov_reg(BPF_REG_1, nreg));
	cg_ld_callback(c, BPF_REG_2, sub);
	emit_mov_imm(&c->b, BPF_REG_3, 0);
	emit_mov_imm(&c->b, BPF_REG_4, 0);
	emit(&c->b, insn_call(BPF_FUNC_loop));
}

/* One step of the sorted walk: pick the next element, run the body. */
static int cg_step_cb(struct cg *c, const struct bt_stmt *st,
		      const struct cg_global *g, const struct cg_sortspec *ss,
		      int find)
{
	struct cg_cb cb;

	cg_cb_begin(c, &cb);
	cg_sortbuf(c, ss->map, BPF_REG_6, cb.brk);
	emit(&c->b, insn_st(BPF_DW, BPF_REG_6, SB_BEST, -1));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_6, SB_COUNT));
	cg_bpf_loop(c, BPF_REG_1, find);
	cg_sortbuf(c, ss->map, BPF_REG_6, cb.brk);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_7, BPF_REG_6, SB_BEST));
	emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_7, 0, cb.brk);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_6, BPF_REG_7, SB_PREV));
	cg_entry_ptr(c, BPF_REG_8, BPF_REG_6, BPF_REG_7, ss->cap, ss->esz,
		     cb.brk);
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, BPF_REG_8, CB_FP_KEY));
	cg_bind_all(c, st, g, CB_FP_KEY, CB_FP_KEY, g->key_size);
	cg_body(c, st, &cb);
	return cg_cb_end(c, &cb, NULL, NULL, 0);
}

static void cg_foreach_sorted(struct cg *c, const struct bt_stmt *st,
			      const struct cg_global *g)
{
	const struct bt_sym *s = g->sym;
	bool by_value = st->sort_col < 0;
	/* no sort asked: by key, not the hash map's random order */
	int col = st->sort_col > 0 ? st->sort_col - 1 : 0;
	uint32_t vsize = 0, cap = s->global && s->global->size > 0 ?
			 s->global->size : c->opt->maxmapentries;
	struct cg_sortspec ss = { .g = g, .dir = st->sort_dir >= 0 ? 1 : -1 };
	int32_t lim = cg_limit_setup(c, st);
	int collect, find, step, done = emit_new_label(&c->b);
	int32_t blk;
	char name[32];

	/* aggregates sort by a statistic (@count unless written) */
	if (s->type != BT_STATS)
		vsize = g->value_size;
	else if (by_value)
		vsize = 8;
	if (by_value) {
		ss.soff = g->key_size;
		ss.stype = s->type == BT_STATS ? BT_LONG : s->type;
		ss.swidth = vsize;
	} else {
		ss.soff = cg_key_off(g, col);
		ss.stype = col < s->nkeys ? s->keys[col] : BT_LONG;
		ss.swidth = col < s->nkeys ? g->key_width[col] : 8;
	}
	ss.cap = cap;
	ss.esz = cg_entry_size(g, vsize);
	snprintf(name, sizeof(name), "bpftap_sort%d", c->obj->nmaps);
	ss.map = cg_add_map(c, name, BPF_MAP_TYPE_ARRAY, 4,
			    SB_ENTRIES + cap * ss.esz, c->ncpus);
	blk = st->slice ? cg_slice_block(c, g, st->slice) : 0;
	collect = cg_collect_cb(c, g, ss.map, cap, vsize,
				s->type == BT_STATS && by_value ? st : NULL,
				st->slice, blk);
	find = cg_find_cb(c, &ss);
	step = cg_step_cb(c, st, g, &ss, find);
	if (collect < 0 || find < 0 || step < 0)
		return;
	/* empty this CPU's buffer, collect, then walk */
	cg_sortbuf(c, ss.map, BPF_REG_1, done);
	emit(&c->b, insn_st(BPF_DW, BPF_REG_1, SB_COUNT, 0));
	emit(&c->b, insn_st(BPF_DW, BPF_REG_1, SB_PREV, -1));
	cg_for_each_call(c, g->map, collect);
	/* pending temporaries of the caller live in r6-r9: use r0-r5 */
	cg_sortbuf(c, ss.map, BPF_REG_1, done);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_1, SB_COUNT));
	if (lim >= 0) {
		int keep = emit_new_label(&c->b);

		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_10,
				     CG_FP_SCRATCH));
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_1, lim));
		emit_jmp_reg(&c->b, BPF_JSLE, BPF_REG_3, BPF_REG_2, keep);
		emit(&c->b, insn_mov_reg(BPF_REG_3, BPF_REG_2));
		emit_place_label(&c->b, keep);
		emit_jmp_imm(&c->b, BPF_JSLE, BPF_REG_3, 0, done);
	}
	cg_bpf_loop(c, BPF_REG_3, step);
	cg_unwind_check(c);
	emit_place_label(&c->b, done);
}

/*
 * foreach (b in @hist_log(x)): b takes every bucket number, 0 to the
 * last, as in stap (the counts are read with @hist_log(x)[b]). The body
 * is a bpf_loop callback like a step of the sorted walk, so the verifier
 * walks it once, not once per bucket.
 */
static void cg_foreach_hist(struct cg *c, const struct bt_stmt *st)
{
	static const int args[] = { BPF_REG_1 };
	static const int16_t slots[] = { CB_FP_KEY };
	uint32_t nb = cg_stat_nbuckets(c, st->hist);
	const struct cg_local *l;
	struct cg_cb cb;
	int sub;

	if (!nb)
		return;
	cg_cb_begin(c, &cb);
	l = st->keys && st->keys->sym ? cg_local_of(c, st->keys->sym) : NULL;
	if (l) {
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_10,
				     CB_FP_KEY));
		cg_local_store(c, l, BPF_REG_1, BPF_REG_2);
	}
	cg_body(c, st, &cb);
	sub = cg_cb_end(c, &cb, args, slots, 1);
	if (sub < 0)
		return;
	emit_mov_imm(&c->b, BPF_REG_1, nb);
	cg_bpf_loop(c, BPF_REG_1, sub);
	cg_unwind_check(c);
}

void cg_foreach(struct cg *c, const struct bt_stmt *st)
{
	const struct cg_global *g;

	if (st->hist) {
		cg_foreach_hist(c, st);
		return;
	}
	g = cg_foreach_array(c, st->array);
	if (!g)
		return;
	cg_foreach_sorted(c, st, g);
}

/* delete a: every element (a scalar aggregate: every CPU's copy). */
void cg_delete_all(struct cg *c, const struct bt_expr *e)
{
	const struct cg_global *g = cg_foreach_array(c, e);

	if (!g)
		return;
	if (!g->sym->nkeys) {
		/* a scalar aggregate: zero every CPU's copy; the CPU
		 * number is a temporary (kept across helper calls) */
		int top = emit_new_label(&c->b), next = emit_new_label(&c->b);
		int done = emit_new_label(&c->b), cpu = cg_push(c, &e->loc);

		emit(&c->b, insn_st(BPF_DW, BPF_REG_10, CG_FP_HELPER + 8, 0));
		cg_tset_imm(c, cpu, 0);
		emit_place_label(&c->b, top);
		emit(&c->b, insn_mov_reg(BPF_REG_3, cg_treg(c, cpu,
							     BPF_REG_3)));
		cg_cpu_bound(c, BPF_REG_3, done);
		emit_ld_map(&c->b, BPF_REG_1, g->map, 0);
		cg_key_ptr(c, BPF_REG_2, 8);
		emit(&c->b, insn_call(BPF_FUNC_map_lookup_percpu_elem));
		emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_0, 0, next);
		emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_0));
		emit_mov_imm(&c->b, BPF_REG_2, g->value_size);
		emit_ld_map(&c->b, BPF_REG_3, BT_RELOC_DATA, c->zero_off);
		emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel));
		emit_place_label(&c->b, next);
		emit(&c->b, insn_mov_reg(BPF_REG_3, cg_treg(c, cpu,
							     BPF_REG_3)));
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, 1));
		cg_tset(c, cpu, BPF_REG_3);
		emit_ja(&c->b, top);
		emit_place_label(&c->b, done);
		cg_pop(c, 1);
		return;
	}
	cg_delete_where(c, g, NULL, 0);
}

/* Delete every element of array g, or (slice) those whose key matches
 * the slice block blk, from a for_each callback (r1 = the map). */
void cg_delete_where(struct cg *c, const struct cg_global *g,
		     const struct bt_expr *slice, int32_t blk)
{
	static const int args[] = { BPF_REG_1, BPF_REG_2 };
	static const int16_t slots[] = { CB_FP_VALUE, CB_FP_KEY };
	struct cg_cb cb;
	int sub;

	cg_cb_begin(c, &cb);
	if (slice)
		cg_slice_match(c, g, slice, blk, CB_FP_KEY, cb.cont);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_10, CB_FP_VALUE));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_10, CB_FP_KEY));
	emit(&c->b, insn_call(BPF_FUNC_map_delete_elem));
	emit_ja(&c->b, cb.cont);
	sub = cg_cb_end(c, &cb, args, slots, 2);
	if (sub >= 0)
		cg_for_each_call(c, g->map, sub);
}

/* Append the callbacks after the entry programs; fix their references. */
bool cg_subprogs_append(struct cg *c)
{
	struct bt_object *o = c->obj;
	int base = o->nprogs;
	struct bt_objprog *p;

	if (!c->nsubs)
		return true;
	p = realloc(o->progs, (o->nprogs + c->nsubs) * sizeof(*p));
	if (!p) {
		for (int i = 0; i < c->nsubs; i++) {
			free(c->subs[i].insns);
			free(c->subs[i].relocs);
			free(c->subs[i].lines);
			free(c->subs[i].name);
			free(c->subs[i].section);
		}
		c->nsubs = 0;
		return false;
	}
	o->progs = p;
	memcpy(o->progs + o->nprogs, c->subs, c->nsubs * sizeof(*p));
	o->nprogs += c->nsubs;
	c->nsubs = 0;
	for (int i = 0; i < o->nprogs; i++)
		for (uint32_t r = 0; r < o->progs[i].nrelocs; r++) {
			int32_t m = o->progs[i].relocs[r].map;

			if (m <= BT_RELOC_PROG(0))
				o->progs[i].relocs[r].map =
					BT_RELOC_PROG(base +
						      BT_RELOC_PROG_INDEX(m));
		}
	return true;
}
