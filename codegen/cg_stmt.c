// SPDX-License-Identifier: GPL-2.0
/* Statements: control flow as labels and jumps. */
#include "cg.h"

static void cg_loop_push(struct cg *c, const struct bt_loc *loc, int brk,
			 int cont)
{
	if (c->nloops == CG_MAX_LOOPS) {
		cg_error(c, loc, "loops nested too deeply (more than %d)",
			 CG_MAX_LOOPS);
		return;
	}
	c->loops[c->nloops++] = (struct cg_loop){ brk, cont };
}

static void cg_block(struct cg *c, const struct bt_stmt *st)
{
	for (; st; st = st->next)
		cg_stmt(c, st);
}

static void cg_if(struct cg *c, const struct bt_stmt *st)
{
	int f = emit_new_label(&c->b), end;

	cg_cond(c, st->cond, f);
	cg_stmt(c, st->body);
	if (!st->else_body) {
		emit_place_label(&c->b, f);
		return;
	}
	end = emit_new_label(&c->b);
	emit_ja(&c->b, end);
	emit_place_label(&c->b, f);
	cg_stmt(c, st->else_body);
	emit_place_label(&c->b, end);
}

/* while and for: [init] top: if (!cond) goto brk; body; cont: [step];
 * goto top; brk: */
static void cg_loop(struct cg *c, const struct bt_stmt *st)
{
	int top = emit_new_label(&c->b), brk = emit_new_label(&c->b);
	int cont = emit_new_label(&c->b);

	if (st->init)
		cg_stmt(c, st->init);
	emit_place_label(&c->b, top);
	if (st->cond)
		cg_cond(c, st->cond, brk);
	cg_loop_push(c, &st->loc, brk, cont);
	cg_stmt(c, st->body);
	if (c->nloops)
		c->nloops--;
	emit_place_label(&c->b, cont);
	if (st->step) {
		emit_line(&c->b, &st->step->loc);
		cg_expr_void(c, st->step);
	}
	cg_action_step(c, &st->loc);
	emit_ja(&c->b, top);
	emit_place_label(&c->b, brk);
}

/*
 * MAXACTION: bpftap counts loop iterations (while, for, and each foreach
 * step) per probe run, in a scratch word, and raises stap's error past
 * the limit (-D MAXACTION, default 1000). Straight-line code needs no
 * count: it is bounded by its length. The verifier does not follow
 * values through map memory, so each frame also counts its own
 * iterations on its stack (never more than the run's): that bound is
 * what lets it prove a loop like `while (i < n)` ends.
 * try/catch does not catch it: in stap a catch block costs an action
 * too, so each catch raises it again and the error leaves at the
 * outermost try, whose keyword it names.
 */
void cg_action_step(struct cg *c, const struct bt_loc *loc)
{
	int ntries = c->ntries, errpath;

	if (c->action_off < 0)
		c->action_off = cg_scratch_alloc(c, 8);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_10, CG_FP_SCRATCH));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_1, c->action_off));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_2, 1));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, BPF_REG_2, c->action_off));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_10, CG_FP_ACTION));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, 1));
	emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, BPF_REG_3, CG_FP_ACTION));
	if (ntries)
		loc = c->tries[0].loc;
	c->ntries = 0;
	errpath = cg_error_path(c, loc, "MAXACTION exceeded near keyword");
	c->ntries = ntries;
	emit_jmp_imm(&c->b, BPF_JGT, BPF_REG_2, c->opt->maxaction, errpath);
	emit_jmp_imm(&c->b, BPF_JGT, BPF_REG_3, c->opt->maxaction, errpath);
}

static void cg_jump_out(struct cg *c, const struct bt_stmt *st, bool brk)
{
	if (!c->nloops) {
		cg_error(c, &st->loc, "'%s' outside a loop",
			 brk ? "break" : "continue");
		return;
	}
	emit_ja(&c->b, brk ? c->loops[c->nloops - 1].brk :
		c->loops[c->nloops - 1].cont);
}

/* next: out of the probe, or in a function on to its next overload */
static void cg_next(struct cg *c, const struct bt_stmt *st)
{
	if (!c->ninl && c->hidden_inl) {
		cg_error(c, &st->loc, "'next' in a foreach inside a function "
			 "is not supported");
		return;
	}
	emit_ja(&c->b, c->ninl ? c->inl[c->ninl - 1].next_label :
		c->exit_label);
}

static void cg_return(struct cg *c, const struct bt_stmt *st)
{
	struct cg_inline *in;
	int t, r;

	if (!c->ninl && c->hidden_inl) {
		cg_error(c, &st->loc, "return from a function inside a "
			 "foreach is not supported yet");
		return;
	}
	if (!c->ninl) {
		/* a return in a probe body leaves the probe, like next */
		emit_ja(&c->b, c->exit_label);
		return;
	}
	in = &c->inl[c->ninl - 1];
	if (st->expr) {
		if (in->strbuf >= 0) {
			/* into the call's own buffer: the function's locals
			 * may be reused by the next call */
			t = cg_str_expr(c, st->expr);
			cg_scratch_ptr(c, BPF_REG_1, in->strbuf);
			cg_str_copy_ptr(c, BPF_REG_1, t);
			cg_pop(c, 1);
			cg_scratch_ptr(c, BPF_REG_0, in->strbuf);
			cg_tset(c, in->result, BPF_REG_0);
		} else {
			t = cg_expr(c, st->expr);
			r = cg_treg(c, t, BPF_REG_0);
			cg_pop(c, 1);
			cg_tset(c, in->result, r);
		}
	}
	emit_ja(&c->b, in->ret_label);
}

/* delete a[k]; delete x (a scalar: back to 0 or "") */
static void cg_delete(struct cg *c, const struct bt_stmt *st)
{
	const struct bt_expr *e = st->expr;
	const struct bt_sym *s = e->sym;
	const struct cg_global *g;

	if (e->kind == E_INDEX) {
		if (cg_has_wildcard(e->keys))
			cg_slice_delete(c, e);
		else
			cg_index_delete(c, e);
		return;
	}
	if (e->kind != E_VAR || !s) {
		cg_error(c, &e->loc, "cannot delete this");
		return;
	}
	if (s->nkeys || s->type == BT_STATS) {
		cg_delete_all(c, e);
		return;
	}
	if (s->kind != SYM_GLOBAL) {
		cg_local_zero(c, cg_local_of(c, s), BPF_REG_1);
		return;
	}
	g = cg_global_of(c, s);
	if (!g)
		return;
	emit_ld_map(&c->b, BPF_REG_1, BT_RELOC_DATA, g->off);
	emit(&c->b, insn_st(BPF_DW, BPF_REG_1, 0, 0));
}

/* try { body } catch (var) { handler }: runtime errors raised in the body
 * (in this probe's frame, inlined functions included) run the handler
 * instead of ending the session. */
static void cg_try(struct cg *c, const struct bt_stmt *st)
{
	int catch_label = emit_new_label(&c->b), end = emit_new_label(&c->b);
	int depth = c->depth;

	if (c->ntries == CG_MAX_TRY) {
		cg_error(c, &st->loc, "try blocks nested too deeply (more "
			 "than %d)", CG_MAX_TRY);
		return;
	}
	c->tries[c->ntries++] = (struct cg_try){
		catch_label, st->catch_var ? st->catch_var->sym : NULL,
		&st->loc };
	cg_stmt(c, st->body);
	c->ntries--;
	emit_ja(&c->b, end);
	emit_place_label(&c->b, catch_label);
	c->depth = depth;
	cg_stmt(c, st->else_body);
	emit_place_label(&c->b, end);
}

/* error(msg) inside try: the message goes to the catch variable. */
bool cg_try_catch_string(struct cg *c, const struct bt_expr *msg)
{
	const struct cg_try *tr;
	const struct cg_local *l;
	int t, r;

	if (!c->ntries)
		return false;
	tr = &c->tries[c->ntries - 1];
	if (tr->var && (l = cg_local_of(c, tr->var))) {
		t = cg_push(c, &msg->loc);
		r = t < CG_TEMP_REGS ? CG_TEMP_REG0 + t : BPF_REG_0;
		cg_scratch_ptr(c, r, l->off);
		cg_tset(c, t, r);
		cg_str_copy(c, t, 0, msg);
		cg_pop(c, 1);
	} else {
		/* still evaluate the message for its side effects */
		int before = c->depth;

		cg_str_expr(c, msg);
		c->depth = before;
	}
	if (c->ntries > c->try_base)
		emit_ja(&c->b, tr->catch_label);
	else
		cg_unwind_to_catch(c);
	return true;
}

void cg_stmt(struct cg *c, const struct bt_stmt *st)
{
	uint32_t mark;

	if (!st)
		return;
	/* scratch taken for the statement's values is free after it */
	mark = cg_scratch_mark(c);
	emit_line(&c->b, &st->loc);
	switch (st->kind) {
	case S_BLOCK:
		cg_block(c, st->body);
		break;
	case S_EXPR:
		cg_expr_void(c, st->expr);
		break;
	case S_IF:
		cg_if(c, st);
		break;
	case S_WHILE:
	case S_FOR:
		cg_loop(c, st);
		break;
	case S_BREAK:
		cg_jump_out(c, st, true);
		break;
	case S_CONTINUE:
		cg_jump_out(c, st, false);
		break;
	case S_NEXT:
		cg_next(c, st);
		break;
	case S_RETURN:
		cg_return(c, st);
		break;
	case S_EMPTY:
		break;
	case S_DELETE:
		cg_delete(c, st);
		break;
	case S_FOREACH:
		cg_foreach(c, st);
		break;
	case S_TRY:
		cg_try(c, st);
		break;
	}
	cg_scratch_release(c, mark);
}
