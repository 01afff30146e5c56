// SPDX-License-Identifier: GPL-2.0
/*
 * -p1: print the AST back as SystemTap text that parses to an equal AST.
 *
 * Parentheses are derived from the grammar's precedences, so only those
 * the parse needs are printed. Simple statements always end with ';':
 * statements need no separator in stap, and without one `a = b` followed
 * by `-c` would read back as `a = b - c`.
 */
#include <inttypes.h>
#include <stdio.h>
#include "ast.h"
#include "diag.h"

/* Binding strength, weakest first; mirrors grammar.y's precedences. */
enum print_prec {
	P_ASSIGN = 1,
	P_TERNARY,
	P_LOR,
	P_LAND,
	P_BOR,
	P_BXOR,
	P_BAND,
	P_IN,
	P_CMP,
	P_SHIFT,
	P_CONCAT,
	P_ADD,
	P_MUL,
	P_UNARY,
	P_POSTFIX,
	P_PRIMARY,
};

static int print_binary_prec(enum bt_op op)
{
	switch (op) {
	case OP_LOR: return P_LOR;
	case OP_LAND: return P_LAND;
	case OP_BOR: return P_BOR;
	case OP_BXOR: return P_BXOR;
	case OP_BAND: return P_BAND;
	case OP_LT: case OP_GT: case OP_LE: case OP_GE:
	case OP_EQ: case OP_NE: case OP_MATCH: case OP_NMATCH:
		return P_CMP;
	case OP_SHL: case OP_SHR: case OP_USHR: return P_SHIFT;
	case OP_CONCAT: return P_CONCAT;
	case OP_ADD: case OP_SUB: return P_ADD;
	case OP_MUL: case OP_DIV: case OP_MOD: return P_MUL;
	default: return P_PRIMARY;
	}
}

static int print_prec(const struct bt_expr *e)
{
	switch (e->kind) {
	case E_ASSIGN: return P_ASSIGN;
	case E_TERNARY: return P_TERNARY;
	case E_BINARY: return print_binary_prec(e->op);
	case E_IN: return P_IN;
	case E_UNARY: case E_PREINC: case E_PREDEC: return P_UNARY;
	case E_POSTINC: case E_POSTDEC: return P_POSTFIX;
	default: return P_PRIMARY;
	}
}

static void print_indent(int indent, FILE *out)
{
	for (int i = 0; i < indent; i++)
		fputs("  ", out);
}


static void print_string(const char *str, size_t len, FILE *out)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, n;

	fputc('"', out);
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		case '\a': fputs("\\a", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		case '\v': fputs("\\v", out); break;
		default:
			n = c >= 0x80 ? diag_utf8_len(s, i, len) : 0;
			if (n) {
				fwrite(s + i, 1, n, out);
				i += n - 1;
			} else if (c < 0x20 || c >= 0x7f) {
				/* Three octal digits, so a following digit
				 * cannot join the escape. */
				fprintf(out, "\\%03o", c);
			} else {
				fputc(c, out);
			}
		}
	}
	fputc('"', out);
}

/* Literals are printed unsigned: the lexer never makes negative ones, and
 * 0xffffffffffffffff must come back as the same bits. */
static void print_unsigned(uint64_t v, int radix, FILE *out)
{
	if (radix == 16)
		fprintf(out, "0x%" PRIx64, v);
	else if (radix == 8)
		fprintf(out, "0%" PRIo64, v);
	else
		fprintf(out, "%" PRIu64, v);
}

static void print_expr_prec(const struct bt_expr *e, int min, FILE *out);

static void print_list(const struct bt_expr *e, int min, FILE *out)
{
	for (; e; e = e->next) {
		print_expr_prec(e, min, out);
		if (e->next)
			fputs(", ", out);
	}
}

/* `-(-a)` and `+(++a)`: without parentheses the signs would lex as one
 * '--' or '++' token. */
static bool print_unary_needs_parens(const struct bt_expr *e)
{
	const struct bt_expr *o = e->left;

	if (e->op == OP_NEG)
		return (o->kind == E_UNARY && o->op == OP_NEG) ||
		       o->kind == E_PREDEC;
	if (e->op == OP_PLUS)
		return (o->kind == E_UNARY && o->op == OP_PLUS) ||
		       o->kind == E_PREINC;
	return false;
}

static void print_expr_bare(const struct bt_expr *e, FILE *out)
{
	const struct bt_expr *m;
	int p;

	switch (e->kind) {
	case E_NUM:
		print_unsigned((uint64_t)e->num, e->radix, out);
		break;
	case E_STR:
		print_string(e->str, e->len, out);
		break;
	case E_VAR:
		fputs(e->name, out);
		break;
	case E_INDEX:
		print_expr_bare(e->base, out);
		fputc('[', out);
		print_list(e->keys, P_ASSIGN, out);
		fputc(']', out);
		break;
	case E_BINARY:
		p = print_binary_prec(e->op);
		print_expr_prec(e->left, p, out);
		fprintf(out, " %s ", ast_op_str(e->op));
		print_expr_prec(e->right, p + 1, out);
		break;
	case E_UNARY:
		fputs(ast_op_str(e->op), out);
		if (print_unary_needs_parens(e)) {
			fputc('(', out);
			print_expr_prec(e->left, P_ASSIGN, out);
			fputc(')', out);
		} else {
			print_expr_prec(e->left, P_UNARY, out);
		}
		break;
	case E_PREINC:
	case E_PREDEC:
		fputs(e->kind == E_PREINC ? "++" : "--", out);
		print_expr_prec(e->left, P_PRIMARY, out);
		break;
	case E_POSTINC:
	case E_POSTDEC:
		print_expr_prec(e->left, P_PRIMARY, out);
		fputs(e->kind == E_POSTINC ? "++" : "--", out);
		break;
	case E_ASSIGN:
		print_expr_prec(e->left, P_PRIMARY, out);
		if (e->op == OP_NONE || e->op == OP_AGG)
			fprintf(out, " %s ", ast_op_str(e->op));
		else
			fprintf(out, " %s= ", ast_op_str(e->op));
		print_expr_prec(e->right, P_ASSIGN, out);
		break;
	case E_TERNARY:
		/* Between '?' and ':' any expression; after ':' a
		 * conditional at most (an assignment needs parentheses). */
		print_expr_prec(e->cond, P_TERNARY + 1, out);
		fputs(" ? ", out);
		print_expr_prec(e->left, P_ASSIGN, out);
		fputs(" : ", out);
		print_expr_prec(e->right, P_TERNARY, out);
		break;
	case E_IN:
		if (e->keys && !e->keys->next) {
			print_expr_prec(e->keys, P_IN + 1, out);
		} else {
			fputc('[', out);
			print_list(e->keys, P_IN + 1, out);
			fputc(']', out);
		}
		fputs(" in ", out);
		print_expr_bare(e->base, out);
		break;
	case E_CALL:
		fprintf(out, "%s(", e->name);
		print_list(e->args, P_ASSIGN, out);
		fputc(')', out);
		break;
	case E_STAT:
		fprintf(out, "%s(", ast_stat_str(e->stat_op));
		print_expr_prec(e->left, P_ASSIGN, out);
		if (e->args) {		/* @variance's bit-shift */
			fputs(", ", out);
			print_list(e->args, P_ASSIGN, out);
		}
		fputc(')', out);
		break;
	case E_HIST:
		fputs(e->hist_op == HIST_LOG ? "@hist_log(" : "@hist_linear(",
		      out);
		print_expr_prec(e->left, P_ASSIGN, out);
		if (e->args)
			fputs(", ", out);
		print_list(e->args, P_ASSIGN, out);
		fputc(')', out);
		if (e->keys) {		/* a bucket */
			fputc('[', out);
			print_expr_prec(e->keys, P_ASSIGN, out);
			fputc(']', out);
		}
		break;
	case E_CAST:
	case E_TARGET:
		if (e->kind == E_TARGET) {
			fputs(e->name, out);
		} else {
			fputs("@cast(", out);
			print_expr_prec(e->left, P_ASSIGN, out);
			fputs(", ", out);
			print_string(e->str, e->len, out);
			if (e->args) {
				fputs(", ", out);
				print_string(e->args->str, e->args->len, out);
			}
			fputc(')', out);
		}
		for (m = e->members; m; m = m->next) {
			if (m->kind == E_STR) {
				fprintf(out, "->%s", m->str);
				continue;
			}
			fputc('[', out);
			print_expr_prec(m->keys, P_ASSIGN, out);
			fputc(']', out);
		}
		break;
	case E_WILDCARD:
		fputc('*', out);
		break;
	case E_DEFINED:
		fputs("@defined(", out);
		print_expr_prec(e->left, P_ASSIGN, out);
		fputc(')', out);
		break;
	}
}

static void print_expr_prec(const struct bt_expr *e, int min, FILE *out)
{
	if (!e) {
		fputs("/* missing */", out);
		return;
	}
	if (print_prec(e) < min) {
		fputc('(', out);
		print_expr_bare(e, out);
		fputc(')', out);
	} else {
		print_expr_bare(e, out);
	}
}

void ast_print_expr(const struct bt_expr *e, FILE *out)
{
	print_expr_prec(e, P_ASSIGN, out);
}

static void print_stmt(const struct bt_stmt *st, int indent, FILE *out);

static void print_block(const struct bt_stmt *st, int indent, FILE *out)
{
	const struct bt_stmt *s;

	fputs("{\n", out);
	for (s = st->body; s; s = s->next) {
		print_indent(indent + 1, out);
		print_stmt(s, indent + 1, out);
		fputc('\n', out);
	}
	print_indent(indent, out);
	fputc('}', out);
}

/* The statement after `if (...)`, `while (...)`: a block stays on the
 * header's line, anything else goes on its own line, indented. */
static void print_body(const struct bt_stmt *body, int indent, FILE *out)
{
	if (body->kind == S_BLOCK) {
		fputc(' ', out);
		print_block(body, indent, out);
	} else {
		fputc('\n', out);
		print_indent(indent + 1, out);
		print_stmt(body, indent + 1, out);
	}
}

static void print_sort(int col, int want, int dir, FILE *out)
{
	if (col == want && dir)
		fputc(dir > 0 ? '+' : '-', out);
}

static void print_foreach(const struct bt_stmt *st, int indent, FILE *out)
{
	const struct bt_expr *k;
	bool brackets = st->keys_bracketed || (st->keys && st->keys->next);
	int col = 1;

	fputs("foreach (", out);
	if (st->value_var) {
		fputs(st->value_var->name, out);
		if (!st->sort_stat)
			print_sort(st->sort_col, -1, st->sort_dir, out);
		fputs(" = ", out);
	}
	if (brackets)
		fputc('[', out);
	for (k = st->keys; k; k = k->next, col++) {
		fputs(k->name, out);
		print_sort(st->sort_col, col, st->sort_dir, out);
		if (k->next)
			fputs(", ", out);
	}
	if (brackets)
		fputc(']', out);
	if (st->hist) {
		fputs(" in ", out);
		ast_print_expr(st->hist, out);
	} else {
		fprintf(out, " in %s", st->array ? st->array->name : "?");
	}
	if (st->slice) {
		fputc('[', out);
		print_list(st->slice, P_ASSIGN, out);
		fputc(']', out);
	}
	if (st->sort_stat)
		fprintf(out, " %s", ast_stat_str(st->sort_stat - 1));
	if (!st->value_var || st->sort_stat)
		print_sort(st->sort_col, -1, st->sort_dir, out);
	if (st->limit) {
		fputs(" limit ", out);
		ast_print_expr(st->limit, out);
	}
	fputc(')', out);
	print_body(st->body, indent, out);
}

static void print_if(const struct bt_stmt *st, int indent, FILE *out)
{
	const struct bt_stmt *e = st->else_body;

	fputs("if (", out);
	ast_print_expr(st->cond, out);
	fputc(')', out);
	print_body(st->body, indent, out);
	if (!e)
		return;
	if (st->body->kind == S_BLOCK) {
		fputs(" else", out);
	} else {
		fputc('\n', out);
		print_indent(indent, out);
		fputs("else", out);
	}
	if (e->kind == S_IF) {
		/* else if chains stay flat */
		fputc(' ', out);
		print_stmt(e, indent, out);
	} else {
		print_body(e, indent, out);
	}
}

static void print_simple(const char *kw, const struct bt_expr *e, FILE *out)
{
	fputs(kw, out);
	if (e) {
		if (*kw)
			fputc(' ', out);
		ast_print_expr(e, out);
	}
	fputc(';', out);
}

/* Prints at the current position; the caller has indented. */
static void print_stmt(const struct bt_stmt *st, int indent, FILE *out)
{
	switch (st->kind) {
	case S_BLOCK:
		print_block(st, indent, out);
		break;
	case S_EXPR:
		print_simple("", st->expr, out);
		break;
	case S_IF:
		print_if(st, indent, out);
		break;
	case S_WHILE:
		fputs("while (", out);
		ast_print_expr(st->cond, out);
		fputc(')', out);
		print_body(st->body, indent, out);
		break;
	case S_FOR:
		fputs("for (", out);
		if (st->init && st->init->expr)
			ast_print_expr(st->init->expr, out);
		fputc(';', out);
		if (st->cond) {
			fputc(' ', out);
			ast_print_expr(st->cond, out);
		}
		fputc(';', out);
		if (st->step) {
			fputc(' ', out);
			ast_print_expr(st->step, out);
		}
		fputc(')', out);
		print_body(st->body, indent, out);
		break;
	case S_FOREACH:
		print_foreach(st, indent, out);
		break;
	case S_BREAK:
		print_simple("break", NULL, out);
		break;
	case S_CONTINUE:
		print_simple("continue", NULL, out);
		break;
	case S_NEXT:
		print_simple("next", NULL, out);
		break;
	case S_RETURN:
		print_simple("return", st->expr, out);
		break;
	case S_DELETE:
		print_simple("delete", st->expr, out);
		break;
	case S_TRY:
		fputs("try ", out);
		print_block(st->body, indent, out);
		fputs(" catch ", out);
		if (st->catch_var)
			fprintf(out, "(%s) ", st->catch_var->name);
		print_block(st->else_body, indent, out);
		break;
	case S_EMPTY:
		fputc(';', out);
		break;
	}
}

void ast_print_stmt(const struct bt_stmt *st, int indent, FILE *out)
{
	print_indent(indent, out);
	print_stmt(st, indent, out);
	fputc('\n', out);
}

static void print_comp_arg(const struct bt_expr *a, FILE *out)
{
	if (a->kind == E_STR) {
		print_string(a->str, a->len, out);
	} else if (a->num < 0) {
		fputc('-', out);
		print_unsigned(-(uint64_t)a->num, a->radix, out);
	} else {
		print_unsigned(a->num, a->radix, out);
	}
}

void ast_print_point(const struct bt_point *p, FILE *out)
{
	const struct bt_component *c;

	for (c = p->comps; c; c = c->next) {
		fputs(c->name, out);
		if (c->arg) {
			fputc('(', out);
			print_comp_arg(c->arg, out);
			fputc(')', out);
		}
		if (c->next)
			fputc('.', out);
	}
	if (p->sufficient)
		fputc('!', out);
	else if (p->optional)
		fputc('?', out);
}

static void print_points(const struct bt_point *p, FILE *out)
{
	for (; p; p = p->next) {
		ast_print_point(p, out);
		if (p->next)
			fputs(", ", out);
	}
}

static void print_global(const struct bt_global *g, FILE *out)
{
	if (g->is_private)
		fputs("private ", out);
	fprintf(out, "global %s", g->name);
	if (g->wrap)
		fputc('%', out);
	if (g->size)
		fprintf(out, "[%" PRId64 "]", g->size);
	if (g->init) {
		fputs(" = ", out);
		ast_print_expr(g->init, out);
	}
	fputc('\n', out);
}

static void print_func(const struct bt_func *f, FILE *out)
{
	const struct bt_param *p;

	if (f->is_private)
		fputs("private ", out);
	fprintf(out, "function %s", f->name);
	if (f->ret_type == BT_LONG || f->ret_type == BT_STRING)
		fprintf(out, ":%s", ast_type_str(f->ret_type));
	fputc('(', out);
	for (p = f->params; p; p = p->next) {
		fputs(p->name, out);
		if (p->type == BT_LONG || p->type == BT_STRING)
			fprintf(out, ":%s", ast_type_str(p->type));
		if (p->next)
			fputs(", ", out);
	}
	fputc(')', out);
	if (f->has_priority)
		fprintf(out, ":%" PRId64, f->priority);
	fputc(' ', out);
	print_block(f->body, 0, out);
	fputc('\n', out);
}

static void print_probe(const struct bt_probe *p, FILE *out)
{
	fputs("probe ", out);
	if (p->alias_names) {
		/* stap writes several names as a = b = target */
		for (const struct bt_point *n = p->alias_names; n;
		     n = n->next) {
			ast_print_point(n, out);
			fputs(n->next ? " = " : "", out);
		}
		fputs(p->alias_epilogue ? " += " : " = ", out);
	}
	print_points(p->points, out);
	fputc(' ', out);
	print_block(p->body, 0, out);
	fputc('\n', out);
}

void ast_print(const struct bt_script *s, FILE *out)
{
	const struct bt_global *g;
	const struct bt_func *f;
	const struct bt_probe *p;
	bool sep = false;

	for (g = s->globals; g; g = g->next) {
		print_global(g, out);
		sep = true;
	}
	for (f = s->funcs; f; f = f->next) {
		if (sep)
			fputc('\n', out);
		print_func(f, out);
		sep = true;
	}
	for (p = s->probes; p; p = p->next) {
		if (sep)
			fputc('\n', out);
		print_probe(p, out);
		sep = true;
	}
}
