// SPDX-License-Identifier: GPL-2.0
/*
 * Constant folding: the value of a long expression known at compile
 * time, computed as the program would (64-bit two's complement, shift
 * counts taken modulo 64 like BPF's, division truncating toward zero).
 * What the program would report at run time is left to it: a division
 * by 0, and INT64_MIN / -1, are not folded. Only expressions without
 * side effects fold, except where short-circuit rules say the rest is
 * never evaluated (0 && f(), 1 || f(), a constant ?:'s other branch).
 * Users: cg_expr (a constant becomes one mov), conditions (a constant
 * one becomes a jump or nothing, and emit_dce drops the dead branch) and
 * immediate operands (x + 1, x > 100).
 */
#include "cg.h"

static bool cg_fold_unary(const struct bt_expr *e, int64_t *v)
{
	int64_t a;

	if (!cg_fold(e->left, &a))
		return false;
	switch (e->op) {
	case OP_PLUS: *v = a; return true;
	case OP_NEG: *v = (int64_t)(0 - (uint64_t)a); return true;
	case OP_BNOT: *v = ~a; return true;
	case OP_LNOT: *v = !a; return true;
	default: return false;
	}
}

static bool cg_fold_compare(enum bt_op op, int64_t a, int64_t b, int64_t *v)
{
	switch (op) {
	case OP_LT: *v = a < b; return true;
	case OP_GT: *v = a > b; return true;
	case OP_LE: *v = a <= b; return true;
	case OP_GE: *v = a >= b; return true;
	case OP_EQ: *v = a == b; return true;
	case OP_NE: *v = a != b; return true;
	default: return false;
	}
}

static bool cg_fold_arith(enum bt_op op, int64_t a, int64_t b, int64_t *v)
{
	uint64_t ua = a, ub = b;

	switch (op) {
	case OP_ADD: *v = (int64_t)(ua + ub); return true;
	case OP_SUB: *v = (int64_t)(ua - ub); return true;
	case OP_MUL: *v = (int64_t)(ua * ub); return true;
	case OP_DIV:
	case OP_MOD:
		if (!b || (a == INT64_MIN && b == -1))
			return false;	/* the program's business */
		*v = op == OP_DIV ? a / b : a % b;
		return true;
	case OP_SHL: *v = (int64_t)(ua << (ub & 63)); return true;
	case OP_SHR: *v = a >> (ub & 63); return true;
	case OP_USHR: *v = (int64_t)(ua >> (ub & 63)); return true;
	case OP_BAND: *v = a & b; return true;
	case OP_BOR: *v = a | b; return true;
	case OP_BXOR: *v = a ^ b; return true;
	default: return cg_fold_compare(op, a, b, v);
	}
}

static bool cg_fold_binary(const struct bt_expr *e, int64_t *v)
{
	int64_t a, b;

	if (e->left->type != BT_LONG || e->right->type != BT_LONG)
		return false;
	if (e->op == OP_LAND || e->op == OP_LOR) {
		if (!cg_fold(e->left, &a))
			return false;
		/* 0 && x, 1 || x: x is never evaluated */
		if ((e->op == OP_LAND) == !a) {
			*v = e->op == OP_LOR;
			return true;
		}
		if (!cg_fold(e->right, &b))
			return false;
		*v = !!b;
		return true;
	}
	return cg_fold(e->left, &a) && cg_fold(e->right, &b) &&
	       cg_fold_arith(e->op, a, b, v);
}

bool cg_fold(const struct bt_expr *e, int64_t *v)
{
	int64_t c;

	if (!e || e->type != BT_LONG)
		return false;
	switch (e->kind) {
	case E_NUM:
		*v = e->num;
		return true;
	case E_UNARY:
		return cg_fold_unary(e, v);
	case E_BINARY:
		return cg_fold_binary(e, v);
	case E_TERNARY:
		return cg_fold(e->cond, &c) &&
		       cg_fold(c ? e->left : e->right, v);
	default:
		return false;
	}
}

bool cg_fold_imm(const struct bt_expr *e, int32_t *imm)
{
	int64_t v;

	if (!cg_fold(e, &v) || v < INT32_MIN || v > INT32_MAX)
		return false;
	*imm = (int32_t)v;
	return true;
}
