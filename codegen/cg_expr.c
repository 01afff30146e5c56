// SPDX-License-Identifier: GPL-2.0
/*
 * Expressions on longs (and the dispatch for the rest): every value ends in
 * a temporary (see cg.h); conditions compile straight to jumps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cg.h"

/* An assignable place: a local or a scalar global. `local` is only a
 * flag after the right side is generated: a new local there may move
 * c->locals, so the store looks the local up again through `sym`. */
struct cg_lval {
	const struct cg_local *local;
	const struct cg_global *global;
	const struct bt_sym *sym;
};

static bool cg_lval(struct cg *c, const struct bt_expr *e, struct cg_lval *lv)
{
	lv->local = NULL;
	lv->global = NULL;
	lv->sym = e->sym;
	if (e->kind != E_VAR || !e->sym) {
		cg_error(c, &e->loc, "this kind of assignment is not "
			 "supported yet");
		return false;
	}
	if (e->sym->kind == SYM_GLOBAL) {
		if (e->sym->nkeys || e->sym->type == BT_STATS) {
			cg_error(c, &e->loc, "arrays and aggregates are not "
				 "supported yet");
			return false;
		}
		lv->global = cg_global_of(c, e->sym);
		return lv->global != NULL;
	}
	lv->local = cg_local_of(c, e->sym);
	return lv->local != NULL;
}

static void cg_lval_load(struct cg *c, const struct cg_lval *lv, int reg)
{
	if (lv->local) {
		const struct cg_local *l = cg_local_of(c, lv->sym);

		if (l)
			cg_local_load(c, l, reg);
		return;
	}
	emit_ld_map(&c->b, reg, BT_RELOC_DATA, lv->global->off);
	emit(&c->b, insn_ldx(BPF_DW, reg, reg, 0));
}

static void cg_lval_store(struct cg *c, const struct cg_lval *lv, int reg)
{
	int scratch = reg == BPF_REG_1 ? BPF_REG_2 : BPF_REG_1;

	if (lv->local) {
		const struct cg_local *l = cg_local_of(c, lv->sym);

		if (l)
			cg_local_store(c, l, reg, scratch);
		return;
	}
	emit_ld_map(&c->b, scratch, BT_RELOC_DATA, lv->global->off);
	emit(&c->b, insn_stx(BPF_DW, scratch, reg, 0));
}

/* Register to compute temporary t in: its own, or r0 when spilled. */
static int cg_work_reg(int t)
{
	return t < CG_TEMP_REGS ? CG_TEMP_REG0 + t : BPF_REG_0;
}

/* Record a runtime error site; returns the label of its error path. */
int cg_error_path(struct cg *c, const struct bt_loc *loc,
			 const char *what)
{
	char msg[512];
	struct cg_errpath *s;

	snprintf(msg, sizeof(msg), "%s at %s:%d:%d", what,
		 loc->file ? loc->file : "?", loc->line, loc->col);
	if (c->nerrpaths == c->errpaths_cap) {
		int ncap = c->errpaths_cap ? c->errpaths_cap * 2 : 8;
		void *p = realloc(c->errpaths, ncap * sizeof(*c->errpaths));

		if (!p) {
			c->b.oom = true;
			return c->exit_label;
		}
		c->errpaths = p;
		c->errpaths_cap = ncap;
	}
	s = &c->errpaths[c->nerrpaths++];
	s->label = emit_new_label(&c->b);
	s->error = cg_add_error(c, msg, false);
	s->catch_label = -1;
	s->catch_var = NULL;
	s->text = NULL;
	if (c->ntries) {
		/* stap's catch variable gets the message without its
		 * location ("division by 0") */
		const char *near = strstr(what, " near ");
		size_t n = near ? (size_t)(near - what) : strlen(what);

		s->catch_label = c->ntries > c->try_base ?
				 c->tries[c->ntries - 1].catch_label :
				 CG_CATCH_OUTER;
		s->catch_var = c->tries[c->ntries - 1].var;
		s->text = strndup(what, n);
		if (!s->text)
			c->b.oom = true;
	}
	return s->label;
}

static const int cg_alu_ops[] = {
	[OP_ADD] = BPF_ADD, [OP_SUB] = BPF_SUB, [OP_MUL] = BPF_MUL,
	[OP_DIV] = BPF_DIV, [OP_MOD] = BPF_MOD, [OP_SHL] = BPF_LSH,
	[OP_SHR] = BPF_ARSH, [OP_USHR] = BPF_RSH, [OP_BAND] = BPF_AND,
	[OP_BOR] = BPF_OR, [OP_BXOR] = BPF_XOR,
};

/* t = t OP t+1 (the caller pops t+1). */
void cg_binop(struct cg *c, enum bt_op op, int t, const struct bt_loc *loc)
{
	int a = cg_treg(c, t, BPF_REG_0);
	int b = cg_treg(c, t + 1, BPF_REG_1);
	struct bpf_insn insn = insn_alu64_reg(cg_alu_ops[op], a, b);

	if (op == OP_DIV || op == OP_MOD) {
		char what[64];

		snprintf(what, sizeof(what), "division by 0 near operator "
			 "'%s'", ast_op_str(op));
		emit_jmp_imm(&c->b, BPF_JEQ, b, 0,
			     cg_error_path(c, loc, what));
		insn.off = EMIT_OFF_SIGNED;	/* truncate toward zero */
	}
	emit(&c->b, insn);
	if (a != CG_TEMP_REG0 + t)
		cg_tset(c, t, a);
}

static int cg_jmp_op(enum bt_op op, bool negate)
{
	switch (op) {
	case OP_LT: return negate ? BPF_JSGE : BPF_JSLT;
	case OP_GT: return negate ? BPF_JSLE : BPF_JSGT;
	case OP_LE: return negate ? BPF_JSGT : BPF_JSLE;
	case OP_GE: return negate ? BPF_JSLT : BPF_JSGE;
	case OP_EQ: return negate ? BPF_JNE : BPF_JEQ;
	case OP_NE: return negate ? BPF_JEQ : BPF_JNE;
	default: return -1;
	}
}

static bool cg_is_compare(const struct bt_expr *e)
{
	return e->kind == E_BINARY && cg_jmp_op(e->op, false) >= 0;
}

/* Jump to label when the truth of e equals `when`. */
static void cg_cond_jump(struct cg *c, const struct bt_expr *e, int label,
			 bool when)
{
	int skip, t, a, b;
	int64_t v;
	int32_t imm;

	if (cg_fold(e, &v)) {
		/* always or never: a jump or nothing */
		if (!v != when)
			emit_ja(&c->b, label);
		return;
	}
	if (e->kind == E_UNARY && e->op == OP_LNOT) {
		cg_cond_jump(c, e->left, label, !when);
		return;
	}
	if (e->kind == E_BINARY && (e->op == OP_LAND || e->op == OP_LOR)) {
		/* && jumping on false, || jumping on true: both sides jump to
		 * the label; otherwise the left side short-circuits past. */
		if ((e->op == OP_LAND) != when) {
			cg_cond_jump(c, e->left, label, when);
			cg_cond_jump(c, e->right, label, when);
			return;
		}
		skip = emit_new_label(&c->b);
		cg_cond_jump(c, e->left, skip, !when);
		cg_cond_jump(c, e->right, label, when);
		emit_place_label(&c->b, skip);
		return;
	}
	if (cg_is_compare(e) && e->left->type != BT_STRING &&
	    cg_fold_imm(e->right, &imm)) {
		t = cg_expr(c, e->left);
		a = cg_treg(c, t, BPF_REG_0);
		emit_jmp_imm(&c->b, cg_jmp_op(e->op, !when), a, imm, label);
		cg_pop(c, 1);
		return;
	}
	if (cg_is_compare(e) && e->left->type != BT_STRING) {
		t = cg_expr(c, e->left);
		cg_expr(c, e->right);
		a = cg_treg(c, t, BPF_REG_0);
		b = cg_treg(c, t + 1, BPF_REG_1);
		emit_jmp_reg(&c->b, cg_jmp_op(e->op, !when), a, b, label);
		cg_pop(c, 2);
		return;
	}
	t = cg_expr(c, e);
	a = cg_treg(c, t, BPF_REG_0);
	emit_jmp_imm(&c->b, when ? BPF_JNE : BPF_JEQ, a, 0, label);
	cg_pop(c, 1);
}

void cg_cond(struct cg *c, const struct bt_expr *e, int false_label)
{
	cg_cond_jump(c, e, false_label, false);
}

/* 0 or 1 from a condition. */
static int cg_truth(struct cg *c, const struct bt_expr *e)
{
	int f = emit_new_label(&c->b), end = emit_new_label(&c->b);
	int t;

	cg_cond(c, e, f);
	t = cg_push(c, &e->loc);
	cg_tset_imm(c, t, 1);
	emit_ja(&c->b, end);
	emit_place_label(&c->b, f);
	cg_tset_imm(c, t, 0);
	emit_place_label(&c->b, end);
	return t;
}

static int cg_unary(struct cg *c, const struct bt_expr *e)
{
	int t, r;

	if (e->op == OP_LNOT)
		return cg_truth(c, e);
	t = cg_expr(c, e->left);
	if (e->op == OP_PLUS)
		return t;
	r = cg_treg(c, t, BPF_REG_0);
	if (e->op == OP_NEG)
		emit(&c->b, (struct bpf_insn){ .code = BPF_ALU64 | BPF_NEG,
					       .dst_reg = r });
	else
		emit(&c->b, insn_alu64_imm(BPF_XOR, r, -1));
	if (r != CG_TEMP_REG0 + t)
		cg_tset(c, t, r);
	return t;
}

/* t OP imm, for a constant right side (not a division by 0: that one
 * reports its error at run time; not a shift by 64 or more, which the
 * verifier refuses as an immediate). */
static bool cg_binop_imm(struct cg *c, const struct bt_expr *e, int t)
{
	int32_t imm;
	int r;

	if (e->op >= sizeof(cg_alu_ops) / sizeof(cg_alu_ops[0]) ||
	    (!cg_alu_ops[e->op] && e->op != OP_ADD) ||
	    !cg_fold_imm(e->right, &imm) ||
	    ((e->op == OP_DIV || e->op == OP_MOD) && !imm) ||
	    ((e->op == OP_SHL || e->op == OP_SHR || e->op == OP_USHR) &&
	     (imm < 0 || imm > 63)))	/* the verifier's rule */
		return false;
	r = cg_treg(c, t, BPF_REG_0);
	emit(&c->b, (struct bpf_insn){
		.code = BPF_ALU64 | BPF_OP(cg_alu_ops[e->op]) | BPF_K,
		.dst_reg = r, .imm = imm,
		.off = e->op == OP_DIV || e->op == OP_MOD ? EMIT_OFF_SIGNED : 0
	});
	if (r != CG_TEMP_REG0 + t)
		cg_tset(c, t, r);
	return true;
}

static int cg_binary(struct cg *c, const struct bt_expr *e)
{
	int t;

	if (e->op == OP_LAND || e->op == OP_LOR || cg_is_compare(e)) {
		if (cg_is_compare(e) && e->left->type == BT_STRING)
			return cg_str_compare(c, e);
		return cg_truth(c, e);
	}
	if (e->op == OP_CONCAT)
		return cg_str_expr(c, e);
	if (e->op == OP_MATCH || e->op == OP_NMATCH)
		return cg_regex_match(c, e);
	t = cg_expr(c, e->left);
	if (cg_binop_imm(c, e, t))
		return t;
	cg_expr(c, e->right);
	cg_binop(c, e->op, t, &e->loc);
	cg_pop(c, 1);
	return t;
}

static int cg_var(struct cg *c, const struct bt_expr *e)
{
	struct cg_lval lv;
	int t, r;

	if (e->type == BT_STRING)
		return cg_str_expr(c, e);
	t = cg_push(c, &e->loc);
	if (!cg_lval(c, e, &lv))
		return t;
	r = cg_work_reg(t);
	cg_lval_load(c, &lv, r);
	cg_tset(c, t, r);
	return t;
}

/*
 * ++ and -- (and += / -= of a global in statement context): globals use an
 * atomic fetch-and-add so concurrent probes on other CPUs never lose an
 * update; locals are private to this probe run.
 */
static int cg_crement(struct cg *c, const struct bt_expr *lvalue,
		      int delta_t, bool post, bool want)
{
	struct cg_lval lv;
	int t = delta_t, r, d;

	if (!cg_lval(c, lvalue, &lv))
		return t;
	r = cg_work_reg(t);
	if (lv.global) {
		d = cg_treg(c, t, BPF_REG_2);
		if (d != BPF_REG_2)
			emit(&c->b, insn_mov_reg(BPF_REG_2, d));
		emit_ld_map(&c->b, BPF_REG_1, BT_RELOC_DATA, lv.global->off);
		emit(&c->b, insn_atomic64(want ? BPF_ADD | BPF_FETCH : BPF_ADD,
					  BPF_REG_1, BPF_REG_2, 0));
		if (!want)
			return t;
		/* r2 = old value; pre-forms return old + delta */
		if (!post) {
			d = cg_treg(c, t, BPF_REG_3);
			emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_2, d));
		}
		cg_tset(c, t, BPF_REG_2);
		return t;
	}
	d = cg_treg(c, t, BPF_REG_3);
	if (d != BPF_REG_3)
		emit(&c->b, insn_mov_reg(BPF_REG_3, d));
	cg_lval_load(c, &lv, BPF_REG_4);
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_3, BPF_REG_4));
	cg_lval_store(c, &lv, BPF_REG_3);
	cg_tset(c, t, post ? BPF_REG_4 : BPF_REG_3);
	(void)r;
	return t;
}

static int cg_incdec(struct cg *c, const struct bt_expr *e, bool want)
{
	bool inc = e->kind == E_PREINC || e->kind == E_POSTINC;
	bool post = e->kind == E_POSTINC || e->kind == E_POSTDEC;
	int t = cg_push(c, &e->loc);

	cg_tset_imm(c, t, inc ? 1 : -1);
	if (e->left->kind == E_INDEX)
		return cg_index_add(c, e->left, t, post, want);
	return cg_crement(c, e->left, t, post, want);
}

static int cg_assign(struct cg *c, const struct bt_expr *e, bool want)
{
	struct cg_lval lv;
	int t, r;

	if (e->op == OP_AGG)
		return cg_stat_add(c, e);
	if (e->left->kind == E_INDEX)
		return cg_index_assign(c, e, want);
	if (e->left->type == BT_STRING || e->op == OP_CONCAT)
		return cg_str_expr(c, e);
	if (!want && (e->op == OP_ADD || e->op == OP_SUB) &&
	    e->left->kind == E_VAR && e->left->sym &&
	    e->left->sym->kind == SYM_GLOBAL) {
		t = cg_expr(c, e->right);
		if (e->op == OP_SUB) {
			r = cg_treg(c, t, BPF_REG_0);
			emit(&c->b, (struct bpf_insn){
				.code = BPF_ALU64 | BPF_NEG, .dst_reg = r });
			if (r != CG_TEMP_REG0 + t)
				cg_tset(c, t, r);
		}
		return cg_crement(c, e->left, t, true, false);
	}
	if (!cg_lval(c, e->left, &lv))
		return cg_push(c, &e->loc);
	if (e->op == OP_NONE) {
		t = cg_expr(c, e->right);
	} else {
		t = cg_push(c, &e->loc);
		r = cg_work_reg(t);
		cg_lval_load(c, &lv, r);
		cg_tset(c, t, r);
		cg_expr(c, e->right);
		cg_binop(c, e->op, t, &e->loc);
		cg_pop(c, 1);
	}
	r = cg_treg(c, t, BPF_REG_0);
	cg_lval_store(c, &lv, r);
	return t;
}

static int cg_ternary(struct cg *c, const struct bt_expr *e)
{
	int f = emit_new_label(&c->b), end = emit_new_label(&c->b);
	int t;

	cg_cond(c, e->cond, f);
	t = cg_expr(c, e->left);
	cg_pop(c, 1);
	emit_ja(&c->b, end);
	emit_place_label(&c->b, f);
	cg_expr(c, e->right);
	emit_place_label(&c->b, end);
	return t;
}

static int cg_expr_want(struct cg *c, const struct bt_expr *e, bool want)
{
	int64_t v;
	int t;

	if ((e->kind == E_UNARY || e->kind == E_BINARY ||
	     e->kind == E_TERNARY) && cg_fold(e, &v)) {
		t = cg_push(c, &e->loc);
		cg_tset_imm(c, t, v);
		return t;
	}
	switch (e->kind) {
	case E_NUM:
		t = cg_push(c, &e->loc);
		cg_tset_imm(c, t, e->num);
		return t;
	case E_STR:
		return cg_str_expr(c, e);
	case E_VAR:
		return cg_var(c, e);
	case E_BINARY:
		return cg_binary(c, e);
	case E_UNARY:
		return cg_unary(c, e);
	case E_PREINC: case E_PREDEC: case E_POSTINC: case E_POSTDEC:
		return cg_incdec(c, e, want);
	case E_ASSIGN:
		return cg_assign(c, e, want);
	case E_TERNARY:
		return cg_ternary(c, e);
	case E_CALL:
		return cg_call(c, e);
	case E_INDEX:
		return cg_index_read(c, e);
	case E_IN:
		return cg_has_wildcard(e->keys) ? cg_slice_in(c, e) :
		       cg_index_in(c, e);
	case E_STAT:
		return cg_stat_read(c, e);
	case E_HIST:
		if (e->keys)
			return cg_stat_bucket(c, e);
		cg_error(c, &e->loc, "a histogram can only be printed");
		break;
	case E_TARGET:
		return cg_context_var(c, e);
	case E_CAST:
		return cg_cast(c, e);
	case E_DEFINED:	/* elaboration folds @defined to a number */
		cg_error(c, &e->loc, "@defined was not resolved");
		break;
	case E_WILDCARD:	/* elaboration allows it in slices only */
		cg_error(c, &e->loc, "'*' is only an array index");
		break;
	}
	return cg_push(c, &e->loc);
}

int cg_expr(struct cg *c, const struct bt_expr *e)
{
	return cg_expr_want(c, e, true);
}

/* An expression statement: the value is dropped. */
void cg_expr_void(struct cg *c, const struct bt_expr *e)
{
	int before = c->depth;

	cg_expr_want(c, e, false);
	c->depth = before;
}
