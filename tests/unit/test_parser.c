// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the parser: tree shapes for every operator level, every
 * statement, foreach and probe point form, declarations, error messages
 * with their caret lines, and hostile inputs that must fail cleanly.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "parser/ast.h"
#include "parser/diag.h"
#include "parser/parse.h"

#define PARSE(s, name, text) parse_string(s, name, text, strlen(text))

static struct bt_script *cur;
static char err_buf[8192];

/* Parses `text` as t.stp; diag's output lands in err_buf. */
static int parse_capture(const char *text, size_t len)
{
	FILE *tmp = tmpfile();
	int saved = dup(2), rc;
	size_t got;

	ck_assert_ptr_nonnull(tmp);
	ast_script_free(cur);
	diag_reset();
	cur = ast_script_new();
	fflush(stderr);
	dup2(fileno(tmp), 2);
	rc = parse_string(cur, "t.stp", text, len);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	got = fread(err_buf, 1, sizeof(err_buf) - 1, tmp);
	err_buf[got] = 0;
	fclose(tmp);
	return rc;
}

static int parse_text(const char *text)
{
	return parse_capture(text, strlen(text));
}

static void teardown(void)
{
	ast_script_free(cur);
	cur = NULL;
	diag_reset();
}

/* A compact Lisp-like rendering of a tree, for checking shapes. */
static void shape_expr(const struct bt_expr *e, FILE *f);

static void shape_list(const struct bt_expr *e, FILE *f)
{
	for (; e; e = e->next) {
		fputc(' ', f);
		shape_expr(e, f);
	}
}

static void shape_expr(const struct bt_expr *e, FILE *f)
{
	const struct bt_expr *m;

	switch (e->kind) {
	case E_NUM:
		fprintf(f, "%lld", (long long)e->num);
		break;
	case E_STR:
		fprintf(f, "\"%s\"", e->str);
		break;
	case E_VAR:
		fputs(e->name, f);
		break;
	case E_INDEX:
		fprintf(f, "(idx %s", e->base->name);
		shape_list(e->keys, f);
		fputc(')', f);
		break;
	case E_BINARY:
		fprintf(f, "(%s ", ast_op_str(e->op));
		shape_expr(e->left, f);
		fputc(' ', f);
		shape_expr(e->right, f);
		fputc(')', f);
		break;
	case E_UNARY:
		fprintf(f, "(u%s ", ast_op_str(e->op));
		shape_expr(e->left, f);
		fputc(')', f);
		break;
	case E_PREINC: case E_PREDEC: case E_POSTINC: case E_POSTDEC:
		fprintf(f, "(%s ", e->kind == E_PREINC ? "pre++" :
			e->kind == E_PREDEC ? "pre--" :
			e->kind == E_POSTINC ? "post++" : "post--");
		shape_expr(e->left, f);
		fputc(')', f);
		break;
	case E_ASSIGN:
		fprintf(f, "(%s%s ", e->op == OP_NONE || e->op == OP_AGG ?
			"" : ast_op_str(e->op), e->op == OP_AGG ? "<<<" : "=");
		shape_expr(e->left, f);
		fputc(' ', f);
		shape_expr(e->right, f);
		fputc(')', f);
		break;
	case E_TERNARY:
		fputs("(? ", f);
		shape_expr(e->cond, f);
		fputc(' ', f);
		shape_expr(e->left, f);
		fputc(' ', f);
		shape_expr(e->right, f);
		fputc(')', f);
		break;
	case E_IN:
		fprintf(f, "(in %s", e->base->name);
		shape_list(e->keys, f);
		fputc(')', f);
		break;
	case E_CALL:
		fprintf(f, "(call %s", e->name);
		shape_list(e->args, f);
		fputc(')', f);
		break;
	case E_STAT:
		fprintf(f, "(%s ", ast_stat_str(e->stat_op));
		shape_expr(e->left, f);
		shape_list(e->args, f);
		fputc(')', f);
		break;
	case E_HIST:
		fprintf(f, "(%s ", e->hist_op == HIST_LOG ? "@hist_log" :
			"@hist_linear");
		shape_expr(e->left, f);
		shape_list(e->args, f);
		if (e->keys) {
			fputs(" [", f);
			shape_expr(e->keys, f);
			fputc(']', f);
		}
		fputc(')', f);
		break;
	case E_TARGET:
		fputs(e->name, f);
		for (m = e->members; m; m = m->next)
			fprintf(f, "->%s", m->str);
		break;
	case E_WILDCARD:
		fputc('*', f);
		break;
	case E_DEFINED:
		fputs("(@defined ", f);
		shape_expr(e->left, f);
		fputc(')', f);
		break;
	}
}

static char shape_buf[4096];

static const char *shape(const struct bt_expr *e)
{
	FILE *f = fmemopen(shape_buf, sizeof(shape_buf), "w");

	shape_expr(e, f);
	fclose(f);
	return shape_buf;
}

/* The statements of the first probe's body. */
static const struct bt_stmt *body(void)
{
	ck_assert_ptr_nonnull(cur->probes);
	return cur->probes->body->body;
}

/* Parses `probe begin { TEXT }` and renders its first expression. */
static const char *expr_shape(const char *text)
{
	char buf[1024];
	const struct bt_stmt *st;

	snprintf(buf, sizeof(buf), "probe begin { %s }", text);
	ck_assert_msg(parse_text(buf) == 0, "%s: %s", text, err_buf);
	st = body();
	ck_assert_int_eq(st->kind, S_EXPR);
	return shape(st->expr);
}

START_TEST(test_precedence)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		/* each level against its neighbours */
		{ "a = b ? c : d", "(= a (? b c d))" },
		{ "a ? b : (c = d)", "(? a b (= c d))" },
		{ "a = b ? c : d ? e : f", "(= a (? b c (? d e f)))" },
		{ "a ? b = 1 : c", "(? a (= b 1) c)" },
		{ "a || b ? c : d", "(? (|| a b) c d)" },
		{ "a || b && c", "(|| a (&& b c))" },
		{ "a && b | c", "(&& a (| b c))" },
		{ "a | b ^ c", "(| a (^ b c))" },
		{ "a ^ b & c", "(^ a (& b c))" },
		{ "a & b in c", "(& a (in c b))" },
		{ "a < b in c", "(in c (< a b))" },
		{ "a == b < c", "(< (== a b) c)" },
		{ "a < b << c", "(< a (<< b c))" },
		{ "a << b . c", "(<< a (. b c))" },
		{ "a . b + c", "(. a (+ b c))" },
		{ "a + b * c", "(+ a (* b c))" },
		{ "-a * b", "(* (u- a) b)" },
		{ "-a++", "(u- (post++ a))" },
		{ "!a && !b", "(&& (u! a) (u! b))" },
		{ "~a | +b", "(| (u~ a) (u+ b))" },
		{ "(a + b) * c", "(* (+ a b) c)" },
		{ "a >>> b >> c", "(>> (>>> a b) c)" },
		{ "a % b / c", "(/ (% a b) c)" },
		{ "a >= b != c <= d", "(<= (!= (>= a b) c) d)" },
		{ "a > b", "(> a b)" },
		/* unary minus on a literal stays a unary node */
		{ "-5", "(u- 5)" },
		{ "- -a", "(u- (u- a))" },
		{ "-(-a)", "(u- (u- a))" },
		{ "--a", "(pre-- a)" },
		{ "++a[1]", "(pre++ (idx a 1))" },
		{ "$x--", "(post-- $x)" },
		/* postfix/prefix interplay */
		{ "a++ + ++b", "(+ (post++ a) (pre++ b))" },
		{ "a-- - --b", "(- (post-- a) (pre-- b))" },
		/* in */
		{ "[a, b + 1] in c", "(in c a (+ b 1))" },
		{ "[*, b, *] in c", "(in c * b *)" },
		{ "a[*]", "(idx a *)" },
		{ "!(a in b)", "(u! (in b a))" },
		{ "(a in b) == 1", "(== (in b a) 1)" },
		/* primaries */
		{ "f(a, 1, \"s\")", "(call f a 1 \"s\")" },
		{ "f()", "(call f)" },
		{ "a[1, \"x\", b]", "(idx a 1 \"x\" b)" },
		{ "$p->a->b", "$p->a->b" },
		{ "$$parms . $$return", "(. $$parms $$return)" },
		{ "@count(x) + @sum(x[1])", "(+ (@count x) (@sum (idx x 1)))" },
		{ "@min(x) @max(x)", "(@min x)" },
		{ "@avg(x) - @variance(x)", "(- (@avg x) (@variance x))" },
		{ "@variance(x[1], 62)", "(@variance (idx x 1) 62)" },
		{ "@hist_log(h)", "(@hist_log h)" },
		{ "@hist_log(h)[b + 1] * 2", "(* (@hist_log h [(+ b 1)]) 2)" },
		{ "@hist_linear(h, 0, 100, 10)",
		  "(@hist_linear h 0 100 10)" },
		{ "@defined($x->y)", "(@defined $x->y)" },
		{ "\"a\" \"b\" . c", "(. \"ab\" c)" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(!strcmp(expr_shape(cases[i].in), cases[i].out),
			      "%s: got %s, want %s", cases[i].in, shape_buf,
			      cases[i].out);
}
END_TEST

START_TEST(test_associativity)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "a - b - c", "(- (- a b) c)" },
		{ "a / b * c", "(* (/ a b) c)" },
		{ "a . b . c", "(. (. a b) c)" },
		{ "a << b << c", "(<< (<< a b) c)" },
		{ "a < b < c", "(< (< a b) c)" },
		{ "a && b && c", "(&& (&& a b) c)" },
		{ "a || b || c", "(|| (|| a b) c)" },
		{ "a & b & c", "(& (& a b) c)" },
		{ "a = b = c", "(= a (= b c))" },
		{ "a += b -= c", "(+= a (-= b c))" },
		{ "a ? b : c ? d : e", "(? a b (? c d e))" },
		{ "a ? b ? c : d : e", "(? a (? b c d) e)" },
		{ "a <<< b + 1", "(<<< a (+ b 1))" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(!strcmp(expr_shape(cases[i].in), cases[i].out),
			      "%s: got %s, want %s", cases[i].in, shape_buf,
			      cases[i].out);
}
END_TEST

START_TEST(test_assign_ops)
{
	static const struct {
		const char *text;
		enum bt_op op;
	} cases[] = {
		{ "=", OP_NONE }, { "+=", OP_ADD }, { "-=", OP_SUB },
		{ "*=", OP_MUL }, { "/=", OP_DIV }, { "%=", OP_MOD },
		{ "<<=", OP_SHL }, { ">>=", OP_SHR }, { ">>>=", OP_USHR },
		{ "&=", OP_BAND }, { "|=", OP_BOR }, { "^=", OP_BXOR },
		{ ".=", OP_CONCAT }, { "<<<", OP_AGG },
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bt_expr *e;

		snprintf(buf, sizeof(buf), "probe begin { x[1] %s 2 }",
			 cases[i].text);
		ck_assert_msg(parse_text(buf) == 0, "%s", err_buf);
		e = body()->expr;
		ck_assert_int_eq(e->kind, E_ASSIGN);
		ck_assert_int_eq(e->op, cases[i].op);
		ck_assert_int_eq(e->left->kind, E_INDEX);
		ck_assert_int_eq(e->loc.col, 20);	/* the operator */
	}
}
END_TEST

START_TEST(test_literals)
{
	const struct bt_expr *e;

	expr_shape("0x1F + 010 + 9");
	e = body()->expr;
	ck_assert_int_eq(e->right->num, 9);
	ck_assert_int_eq(e->right->radix, 10);
	ck_assert_int_eq(e->left->right->num, 8);
	ck_assert_int_eq(e->left->right->radix, 8);
	ck_assert_int_eq(e->left->left->num, 31);
	ck_assert_int_eq(e->left->left->radix, 16);

	expr_shape("\"a\\0b\"");
	e = body()->expr;
	ck_assert_int_eq(e->kind, E_STR);
	ck_assert_uint_eq(e->len, 3);
	ck_assert(memcmp(e->str, "a\0b", 4) == 0);
}
END_TEST

START_TEST(test_greedy_statements)
{
	const struct bt_stmt *st;

	/* Statements need no separator; an expression goes on as long as
	 * it can, as in stap. */
	ck_assert_int_eq(parse_text("probe begin { x = 5\n -1\n a = 1 b = 2 "
				    "i--\n--i\n f\n(1) }"), 0);
	st = body();
	ck_assert_str_eq(shape(st->expr), "(= x (- 5 1))");
	st = st->next;
	ck_assert_str_eq(shape(st->expr), "(= a 1)");
	st = st->next;
	ck_assert_str_eq(shape(st->expr), "(= b 2)");
	st = st->next;
	ck_assert_str_eq(shape(st->expr), "(post-- i)");
	st = st->next;
	ck_assert_str_eq(shape(st->expr), "(pre-- i)");
	st = st->next;
	ck_assert_str_eq(shape(st->expr), "(call f 1)");
	ck_assert_ptr_null(st->next);
}
END_TEST

static int count_stmts(const struct bt_stmt *st)
{
	int n = 0;

	for (; st; st = st->next)
		n++;
	return n;
}

START_TEST(test_statements)
{
	const struct bt_stmt *st;

	ck_assert_int_eq(parse_text(
		"probe begin {\n"
		"  { a = 1; b = 2 }\n"				/* 2 */
		"  if (a) b = 1; else b = 2\n"			/* 3 */
		"  if (a) { }\n"				/* 4 */
		"  while (a < 3) a++\n"				/* 5 */
		"  for (i = 0; i < 3; i++) ;\n"			/* 6 */
		"  for (;;) break\n"				/* 7 */
		"  continue; next; return; return a + 1\n"	/* 8 */
		"  delete a; delete a[1, 2]\n"			/* 9 */
		"  try { error(\"x\") } catch { }\n"		/* 10 */
		"  try { } catch (msg) { println(msg) }\n"	/* 11 */
		"  ;\n"						/* 12 */
		"}"), 0);
	st = body();
	ck_assert_int_eq(count_stmts(st), 15);

	ck_assert_int_eq(st->kind, S_BLOCK);
	ck_assert_int_eq(count_stmts(st->body), 2);
	ck_assert_int_eq(st->loc.line, 2);
	ck_assert_int_eq(st->loc.col, 3);

	st = st->next;
	ck_assert_int_eq(st->kind, S_IF);
	ck_assert_int_eq(st->loc.line, 3);
	ck_assert_int_eq(st->loc.col, 3);
	ck_assert_str_eq(shape(st->cond), "a");
	ck_assert_int_eq(st->body->kind, S_EXPR);
	ck_assert_ptr_nonnull(st->else_body);
	ck_assert_str_eq(shape(st->else_body->expr), "(= b 2)");

	st = st->next;
	ck_assert_int_eq(st->kind, S_IF);
	ck_assert_int_eq(st->body->kind, S_BLOCK);
	ck_assert_ptr_null(st->body->body);
	ck_assert_ptr_null(st->else_body);

	st = st->next;
	ck_assert_int_eq(st->kind, S_WHILE);
	ck_assert_str_eq(shape(st->cond), "(< a 3)");
	ck_assert_str_eq(shape(st->body->expr), "(post++ a)");

	st = st->next;
	ck_assert_int_eq(st->kind, S_FOR);
	ck_assert_int_eq(st->init->kind, S_EXPR);
	ck_assert_str_eq(shape(st->init->expr), "(= i 0)");
	ck_assert_str_eq(shape(st->cond), "(< i 3)");
	ck_assert_str_eq(shape(st->step), "(post++ i)");
	ck_assert_int_eq(st->body->kind, S_EMPTY);

	st = st->next;
	ck_assert_int_eq(st->kind, S_FOR);
	ck_assert_ptr_null(st->init);
	ck_assert_ptr_null(st->cond);
	ck_assert_ptr_null(st->step);
	ck_assert_int_eq(st->body->kind, S_BREAK);

	st = st->next;
	ck_assert_int_eq(st->kind, S_CONTINUE);
	st = st->next;
	ck_assert_int_eq(st->kind, S_NEXT);
	st = st->next;
	ck_assert_int_eq(st->kind, S_RETURN);
	ck_assert_ptr_null(st->expr);
	st = st->next;
	ck_assert_int_eq(st->kind, S_RETURN);
	ck_assert_str_eq(shape(st->expr), "(+ a 1)");

	st = st->next;
	ck_assert_int_eq(st->kind, S_DELETE);
	ck_assert_str_eq(shape(st->expr), "a");
	st = st->next;
	ck_assert_int_eq(st->kind, S_DELETE);
	ck_assert_str_eq(shape(st->expr), "(idx a 1 2)");

	st = st->next;
	ck_assert_int_eq(st->kind, S_TRY);
	ck_assert_int_eq(st->body->kind, S_BLOCK);
	ck_assert_int_eq(st->else_body->kind, S_BLOCK);
	ck_assert_ptr_null(st->catch_var);
	st = st->next;
	ck_assert_int_eq(st->kind, S_TRY);
	ck_assert_str_eq(st->catch_var->name, "msg");
	ck_assert_int_eq(count_stmts(st->else_body->body), 1);

	st = st->next;
	ck_assert_int_eq(st->kind, S_EMPTY);
	ck_assert_int_eq(st->loc.line, 12);
}
END_TEST

START_TEST(test_dangling_else)
{
	const struct bt_stmt *st;

	ck_assert_int_eq(parse_text("probe begin { if (a) if (b) x = 1 "
				    "else x = 2 }"), 0);
	st = body();
	ck_assert_ptr_null(st->else_body);
	ck_assert_ptr_nonnull(st->body->else_body);

	ck_assert_int_eq(parse_text("probe begin { if (a) x = 1 else if (b) "
				    "x = 2 else x = 3 }"), 0);
	st = body();
	ck_assert_int_eq(st->else_body->kind, S_IF);
	ck_assert_ptr_nonnull(st->else_body->else_body);
}
END_TEST

struct fe_case {
	const char *head;
	int nkeys;
	bool bracketed;
	bool value;
	int sort_col;
	int sort_dir;
	bool limit;
};

START_TEST(test_foreach)
{
	static const struct fe_case cases[] = {
		{ "k in a", 1, false, false, 0, 0, false },
		{ "[k] in a", 1, true, false, 0, 0, false },
		{ "[k1, k2] in a", 2, true, false, 0, 0, false },
		{ "k+ in a", 1, false, false, 1, 1, false },
		{ "k- in a", 1, false, false, 1, -1, false },
		{ "[k1, k2-] in a", 2, true, false, 2, -1, false },
		{ "[k1+, k2] in a", 2, true, false, 1, 1, false },
		{ "k in a+", 1, false, false, -1, 1, false },
		{ "k in a-", 1, false, false, -1, -1, false },
		{ "k in a- limit 5", 1, false, false, -1, -1, true },
		{ "k in a limit n + 1", 1, false, false, 0, 0, true },
		{ "v = [k] in a", 1, true, true, 0, 0, false },
		{ "v = k in a", 1, false, true, 0, 0, false },
		{ "v- = [k] in a", 1, true, true, -1, -1, false },
		{ "v+ = [k1, k2] in a limit 3", 2, true, true, -1, 1, true },
		{ "v = [k1, k2+] in a", 2, true, true, 2, 1, false },
		{ "v = [k] in a+", 1, true, true, -1, 1, false },
	};
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fe_case *c = &cases[i];
		const struct bt_stmt *st;

		snprintf(buf, sizeof(buf), "probe begin { foreach (%s) "
			 "println(1) }", c->head);
		ck_assert_msg(parse_text(buf) == 0, "%s: %s", c->head,
			      err_buf);
		st = body();
		ck_assert_int_eq(st->kind, S_FOREACH);
		ck_assert_msg(st->sort_col == c->sort_col &&
			      st->sort_dir == c->sort_dir,
			      "%s: sort %d/%d", c->head, st->sort_col,
			      st->sort_dir);
		ck_assert_int_eq(st->keys_bracketed, c->bracketed);
		ck_assert_int_eq(st->value_var != NULL, c->value);
		ck_assert_int_eq(st->limit != NULL, c->limit);
		ck_assert_str_eq(st->array->name, "a");
		ck_assert_int_eq(st->array->kind, E_VAR);
		ck_assert_int_eq(st->keys->kind, E_VAR);
		ck_assert_int_eq(st->keys->next != NULL, c->nkeys == 2);
		ck_assert_int_eq(st->body->kind, S_EXPR);
	}
	ck_assert_int_ne(parse_text("probe begin { foreach ([a+, b-] in x) "
				    "{ } }"), 0);
	ck_assert(strstr(err_buf, "t.stp:1:15: error: foreach can sort by "
			 "one column only"));
	ck_assert_int_ne(parse_text("probe begin { foreach (k+ in x-) { } }"),
			 0);
	/* the buckets of a histogram */
	ck_assert_int_eq(parse_text("probe begin { foreach (b in "
				    "@hist_linear(h, 0, 9, 3)) { } }"), 0);
	ck_assert_str_eq(shape(body()->hist), "(@hist_linear h 0 9 3)");
	ck_assert_str_eq(body()->keys->name, "b");
	ck_assert_ptr_null(body()->array);
	ck_assert_int_ne(parse_text("probe begin { foreach ([a, b] in "
				    "@hist_log(h)) { } }"), 0);
	ck_assert(strstr(err_buf, "foreach over a histogram binds one "
			 "variable"));
	ck_assert_int_ne(parse_text("probe begin { foreach (b in @count(h)) "
				    "{ } }"), 0);
	ck_assert_int_ne(parse_text("probe begin { x = @count(h)[1] }"), 0);
	ck_assert(strstr(err_buf, "'[' follows only a context variable, "
			 "@cast or a histogram"));
	/* a slice, then the order */
	ck_assert_int_eq(parse_text("probe begin { foreach ([k, j] in a[1, *]+"
				    " limit 2) { } }"), 0);
	ck_assert_str_eq(shape(body()->slice), "1");
	ck_assert_int_eq(body()->slice->next->kind, E_WILDCARD);
	ck_assert_int_eq(body()->sort_col, -1);
	ck_assert_int_ne(parse_text("probe begin { foreach (k in a+[1]) { } }"),
			 0);
	ck_assert_int_ne(parse_text("probe begin { x = *; }"), 0);
	/* aggregates: the statistic to sort by, before the order */
	ck_assert_int_eq(parse_text("probe begin { foreach ([k] in a @avg- "
				    "limit 2) { } }"), 0);
	ck_assert_int_eq(body()->sort_col, -1);
	ck_assert_int_eq(body()->sort_dir, -1);
	ck_assert_int_eq(body()->sort_stat, STAT_AVG + 1);
	ck_assert_int_ne(parse_text("probe begin { foreach (k in a @sum) "
				    "{ } }"), 0);
	ck_assert(strstr(err_buf, "t.stp:1:31: error: expected '+' or '-' "
			 "after @sum"));
	ck_assert_int_ne(parse_text("probe begin { foreach (k+ in a @sum+) "
				    "{ } }"), 0);
	ck_assert(strstr(err_buf, "foreach can sort by one column only"));
}
END_TEST

static const struct bt_point *point(int probe, int n)
{
	const struct bt_probe *p = cur->probes;
	const struct bt_point *pt;

	while (probe--)
		p = p->next;
	for (pt = p->points; n--; )
		pt = pt->next;
	return pt;
}

static const char *comp_names(const struct bt_point *pt)
{
	const struct bt_component *c;
	FILE *f = fmemopen(shape_buf, sizeof(shape_buf), "w");

	for (c = pt->comps; c; c = c->next) {
		fputs(c->name, f);
		if (c->arg) {
			fputc('(', f);
			shape_expr(c->arg, f);
			fputc(')', f);
		}
		if (c->next)
			fputc('|', f);
	}
	fclose(f);
	return shape_buf;
}

START_TEST(test_probe_points)
{
	const struct bt_point *pt;

	ck_assert_int_eq(parse_text(
		"probe begin, begin(-5), end, error { }\n"
		"probe timer.ms(10), timer.profile { }\n"
		"probe kernel.trace(\"syscalls:sys_enter_read\") { }\n"
		"probe kernel.function(\"vfs_read\").return ? { }\n"
		"probe process(\"/bin/ls\").function(\"main\"), "
		"process(123).function(\"*\") ! { }\n"
		"probe perf.type(1).config(0).sample(1000) { }\n"
		"probe syscall.*, sys_*.return, *_x, syscall.open ? { }\n"
		"probe timer.ms(0x10), begin(-010) { }\n"), 0);
	ck_assert_str_eq(comp_names(point(0, 0)), "begin");
	ck_assert_str_eq(comp_names(point(0, 1)), "begin(-5)");
	ck_assert_int_eq(point(0, 1)->comps->arg->kind, E_NUM);
	ck_assert_str_eq(comp_names(point(0, 2)), "end");
	ck_assert_str_eq(comp_names(point(0, 3)), "error");
	ck_assert_str_eq(comp_names(point(1, 0)), "timer|ms(10)");
	ck_assert_str_eq(comp_names(point(1, 1)), "timer|profile");
	ck_assert_str_eq(comp_names(point(2, 0)),
			 "kernel|trace(\"syscalls:sys_enter_read\")");
	pt = point(3, 0);
	ck_assert_str_eq(comp_names(pt), "kernel|function(\"vfs_read\")|"
			 "return");
	ck_assert(pt->optional);
	ck_assert(!pt->sufficient);
	ck_assert_int_eq(pt->loc.line, 4);
	ck_assert_int_eq(pt->loc.col, 7);
	ck_assert_int_eq(pt->comps->next->next->loc.col, 35);
	ck_assert_str_eq(comp_names(point(4, 0)),
			 "process(\"/bin/ls\")|function(\"main\")");
	ck_assert(!point(4, 0)->optional);
	pt = point(4, 1);
	ck_assert_str_eq(comp_names(pt), "process(123)|function(\"*\")");
	ck_assert(pt->sufficient);
	ck_assert(pt->optional);	/* '!' implies '?' */
	ck_assert_str_eq(comp_names(point(5, 0)),
			 "perf|type(1)|config(0)|sample(1000)");
	ck_assert_str_eq(comp_names(point(6, 0)), "syscall|*");
	ck_assert_str_eq(comp_names(point(6, 1)), "sys_*|return");
	ck_assert_str_eq(comp_names(point(6, 2)), "*_x");
	ck_assert_str_eq(comp_names(point(6, 3)), "syscall|open");
	ck_assert(point(6, 3)->optional);
	ck_assert_int_eq(point(7, 0)->comps->next->arg->radix, 16);
	ck_assert_int_eq(point(7, 1)->comps->arg->num, -8);
	ck_assert_int_eq(point(7, 1)->comps->arg->radix, 8);

	/* A wildcard name is written without spaces. */
	ck_assert_int_ne(parse_text("probe sys_ * { }"), 0);
	ck_assert(strstr(err_buf, "t.stp:1:12: error:"));
	ck_assert_int_ne(parse_text("probe begin end { }"), 0);
}
END_TEST

START_TEST(test_aliases)
{
	const struct bt_probe *p;

	ck_assert_int_eq(parse_text(
		"probe syscall.read = kernel.trace(\"syscalls:sys_enter_read\")"
		" { fd = $fd }\n"
		"probe a.b, c = timer.ms(1), timer.ms(2) { }\n"
		"probe a.b += timer.s(1) { }\n"
		"probe a.b { }\n"
		"probe x = y = z = timer.s(1), timer.s(2) { }\n"), 0);
	p = cur->probes;
	ck_assert_ptr_nonnull(p->alias_names);
	ck_assert_str_eq(comp_names(p->alias_names), "syscall|read");
	ck_assert(!p->alias_epilogue);
	ck_assert_str_eq(comp_names(p->points), "kernel|trace(\"syscalls:"
			 "sys_enter_read\")");
	p = p->next;
	ck_assert_ptr_nonnull(p->alias_names->next);
	ck_assert_ptr_nonnull(p->points->next);
	p = p->next;
	ck_assert(p->alias_epilogue);
	ck_assert_str_eq(comp_names(p->alias_names), "a|b");
	p = p->next;
	ck_assert_ptr_null(p->alias_names);
	ck_assert_int_eq(p->loc.line, 4);
	ck_assert_int_eq(p->loc.col, 1);
	/* stap's form for several names: all but the last list */
	p = p->next;
	ck_assert_str_eq(comp_names(p->alias_names), "x");
	ck_assert_str_eq(comp_names(p->alias_names->next), "y");
	ck_assert_str_eq(comp_names(p->alias_names->next->next), "z");
	ck_assert_ptr_null(p->alias_names->next->next->next);
	ck_assert_ptr_nonnull(p->points->next);
}
END_TEST

START_TEST(test_globals)
{
	const struct bt_global *g;

	ck_assert_int_eq(parse_text(
		"global a, b = 5, s = \"x\", c[100], d%, e%[10], f[3]%\n"
		"global n = -7;\n"
		"private global p = 0x10;;\n"
		"probe begin { }\n"
		"global late\n"), 0);
	g = cur->globals;
	ck_assert_str_eq(g->name, "a");
	ck_assert_ptr_null(g->init);
	ck_assert_int_eq(g->size, 0);
	ck_assert(!g->wrap);
	g = g->next;
	ck_assert_str_eq(g->name, "b");
	ck_assert_str_eq(shape(g->init), "5");
	ck_assert_int_eq(g->loc.col, 11);
	g = g->next;
	ck_assert_int_eq(g->init->kind, E_STR);
	ck_assert_str_eq(g->init->str, "x");
	g = g->next;
	ck_assert_str_eq(g->name, "c");
	ck_assert_int_eq(g->size, 100);
	ck_assert(!g->wrap);
	g = g->next;
	ck_assert_str_eq(g->name, "d");
	ck_assert_int_eq(g->size, 0);
	ck_assert(g->wrap);
	g = g->next;
	ck_assert_int_eq(g->size, 10);
	ck_assert(g->wrap);
	g = g->next;	/* bpftap's older spelling */
	ck_assert_int_eq(g->size, 3);
	ck_assert(g->wrap);
	g = g->next;
	ck_assert_str_eq(shape(g->init), "(u- 7)");
	ck_assert(!g->is_private);
	g = g->next;
	ck_assert(g->is_private);
	ck_assert_int_eq(g->init->radix, 16);
	g = g->next;
	ck_assert_str_eq(g->name, "late");
	ck_assert_ptr_null(g->next);

	ck_assert_int_ne(parse_text("global a[0]"), 0);
	ck_assert_int_ne(parse_text("global a[5] = 1"), 0);
	ck_assert_int_ne(parse_text("global a = b"), 0);
}
END_TEST

START_TEST(test_functions)
{
	const struct bt_func *f;

	ck_assert_int_eq(parse_text(
		"function f(a, b:string) { return a }\n"
		"function g:string (a:long) { return \"x\" }\n"
		"function h:long() { }\n"
		"private function p() { }\n"), 0);
	f = cur->funcs;
	ck_assert_str_eq(f->name, "f");
	ck_assert_int_eq(f->ret_type, BT_UNKNOWN);
	ck_assert_int_eq(f->nparams, 2);
	ck_assert_int_eq(f->params->type, BT_UNKNOWN);
	ck_assert_str_eq(f->params->next->name, "b");
	ck_assert_int_eq(f->params->next->type, BT_STRING);
	ck_assert_int_eq(f->body->kind, S_BLOCK);
	ck_assert_int_eq(f->loc.col, 10);
	f = f->next;
	ck_assert_int_eq(f->ret_type, BT_STRING);
	ck_assert_int_eq(f->nparams, 1);
	ck_assert_int_eq(f->params->type, BT_LONG);
	f = f->next;
	ck_assert_int_eq(f->ret_type, BT_LONG);
	ck_assert_int_eq(f->nparams, 0);
	ck_assert_ptr_null(f->params);
	ck_assert(!f->is_private);
	f = f->next;
	ck_assert(f->is_private);

	ck_assert_int_ne(parse_text("function f:int() { }"), 0);
	ck_assert(strstr(err_buf, "t.stp:1:12: error: unknown type 'int'"));
}
END_TEST

START_TEST(test_locations)
{
	const struct bt_stmt *st;
	const struct bt_expr *e;

	ck_assert_int_eq(parse_text("probe begin {\n"
				    "\tx = a + b * f(c)\n"
				    "\tif (y) z[1]++\n"
				    "}"), 0);
	st = body();
	ck_assert_int_eq(st->loc.line, 2);
	ck_assert_int_eq(st->loc.col, 2);
	e = st->expr;
	ck_assert_int_eq(e->loc.col, 4);		/* = */
	ck_assert_int_eq(e->left->loc.col, 2);		/* x */
	ck_assert_int_eq(e->right->loc.col, 8);		/* + */
	ck_assert_int_eq(e->right->right->loc.col, 12);	/* * */
	ck_assert_int_eq(e->right->right->right->loc.col, 14);	/* f */
	ck_assert_str_eq(e->loc.file, "t.stp");
	st = st->next;
	ck_assert_int_eq(st->loc.line, 3);
	ck_assert_int_eq(st->loc.col, 2);		/* if */
	e = st->body->expr;
	ck_assert_int_eq(e->kind, E_POSTINC);
	ck_assert_int_eq(e->loc.col, 13);		/* ++ */
	ck_assert_int_eq(e->left->loc.col, 9);		/* z */
	ck_assert_ptr_eq(cur->main_file, e->loc.file);
}
END_TEST

START_TEST(test_error_messages)
{
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
		{ "probe begin { x = }",
		  "t.stp:1:19: error: syntax error, unexpected '}'\n"
		  "probe begin { x = }\n"
		  "                  ^\n" },
		{ "probe begin {\n\tif (x) \t1 + = 2 }",
		  "t.stp:2:14: error: syntax error, unexpected '='\n"
		  "\tif (x) \t1 + = 2 }\n"
		  "\t       \t    ^\n" },
		{ "probe begin { 1 = 2 }",
		  "t.stp:1:17: error: left side of '=' must be a variable, an "
		  "array element or a target variable\n"
		  "probe begin { 1 = 2 }\n"
		  "                ^\n" },
		{ "probe begin { f() += 1 }",
		  "t.stp:1:19: error: left side of '+=' must be" },
		/* stap: the else branch is a conditional, not an assignment */
		{ "probe begin { a ? b : c = d }",
		  "t.stp:1:25: error: left side of '=' must be" },
		{ "global a%[2]%", "t.stp:1:13: error: syntax error" },
		{ "probe begin { 5++ }",
		  "t.stp:1:16: error: operand of '++' must be" },
		{ "probe begin { delete 1 }",
		  "t.stp:1:22: error: delete needs a variable" },
		{ "probe begin { @nosuch(x) }",
		  "t.stp:1:15: error: unknown operator '@nosuch'" },
		{ "probe begin { x = @var(\"jiffies\") }",
		  "t.stp:1:19: error: stap's '@var' is not supported by "
		  "bpftap: it needs the kernel's debuginfo" },
		{ "probe begin { @count(x, y) }",
		  "t.stp:1:15: error: @count takes 1 argument, not 2" },
		{ "probe begin { @sum(1) }",
		  "t.stp:1:20: error: the argument of @sum must be" },
		{ "probe begin { @variance(x, 63) }",
		  "t.stp:1:28: error: the bit-shift of @variance must be a "
		  "number from 0 to 62" },
		{ "probe begin { @variance(x, n) }",
		  "t.stp:1:28: error: the bit-shift of @variance must be" },
		{ "probe begin { @variance(x, 1, 2) }",
		  "t.stp:1:15: error: @variance takes 1 argument, not 3" },
		{ "probe begin { @hist_linear(h, 1) }",
		  "t.stp:1:15: error: @hist_linear takes 4 arguments, not 2" },
		{ "global", "t.stp:1:7: error: syntax error, unexpected end of "
		  "file, expecting identifier" },
		{ "probe { }", "t.stp:1:7: error: syntax error, unexpected "
		  "'{'" },
		{ "foo", "t.stp:1:1: error: syntax error, unexpected "
		  "identifier" },
		{ "probe begin { x = \"abc }\n",
		  "t.stp:1:19: error: unterminated string literal\n" },
		{ "probe begin %{ int x; %}",
		  "t.stp:1:13: error: embedded C code (%{ ... %}) is not "
		  "supported: BPF programs cannot run C\n"
		  "probe begin %{ int x; %}\n"
		  "            ^\n" },
		{ "function f() %{ /* C */ %}",
		  "t.stp:1:14: error: embedded C code" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(parse_text(cases[i].in), -1);
		ck_assert_msg(!strncmp(err_buf, cases[i].out,
				       strlen(cases[i].out)),
			      "%s:\ngot:\n%s\nwant:\n%s", cases[i].in, err_buf,
			      cases[i].out);
		ck_assert_int_ge(diag_error_count(), 1);
	}
}
END_TEST

START_TEST(test_empty_and_comments_only)
{
	ck_assert_int_eq(parse_text(""), 0);
	ck_assert_ptr_null(cur->probes);
	ck_assert_ptr_null(cur->globals);
	ck_assert_ptr_null(cur->funcs);
	ck_assert_int_eq(parse_text("# nothing\n/* at all */ ;;\n"), 0);
	ck_assert_ptr_null(cur->probes);
	ck_assert_str_eq(err_buf, "");
}
END_TEST

static char *repeat(const char *pre, const char *unit, int n,
		    const char *mid, const char *unit2, const char *post)
{
	size_t len = strlen(pre) + (strlen(unit) + strlen(unit2)) * n +
		     strlen(mid) + strlen(post) + 1;
	char *buf = malloc(len), *p = buf;
	int i;

	p = stpcpy(p, pre);
	for (i = 0; i < n; i++)
		p = stpcpy(p, unit);
	p = stpcpy(p, mid);
	for (i = 0; i < n; i++)
		p = stpcpy(p, unit2);
	stpcpy(p, post);
	return buf;
}

static void check_refused(char *text)
{
	ck_assert_int_eq(parse_text(text), -1);
	ck_assert_msg(strstr(err_buf, "t.stp:1:") &&
		      strstr(err_buf, "error: nesting too deep (more than "
			     "1000 levels)"), "got: %.300s", err_buf);
	free(text);
}

START_TEST(test_deep_nesting)
{
	char *ok;

	check_refused(repeat("probe begin { x = ", "(", 10000, "1", ")",
			     " }"));
	check_refused(repeat("probe begin ", "{", 10000, "", "}", ""));
	check_refused(repeat("probe begin { ", "if (1) ", 10000, "x = 1",
			     "", " }"));
	check_refused(repeat("probe begin { x = ", "- ", 10000, "1", "",
			     " }"));
	check_refused(repeat("probe begin { x = 1", " + 1", 10000, "", "",
			     " }"));
	check_refused(repeat("probe begin { x = ", "a = ", 10000, "1", "",
			     " }"));
	check_refused(repeat("probe begin { x = ", "a ? 1 : ", 10000, "1",
			     "", " }"));
	check_refused(repeat("probe begin { ", "while (1) ", 3000, "x = 1",
			     "", " }"));
	check_refused(repeat("probe begin { x = ", "f(", 5000, "1", ")",
			     " }"));

	/* Deep but within the limit is fine. */
	ok = repeat("probe begin { x = ", "(", 900, "1", ")", " }");
	ck_assert_int_eq(parse_text(ok), 0);
	free(ok);
	ok = repeat("probe begin { ", "if (1) ", 400, "x = 1", "", " }");
	ck_assert_int_eq(parse_text(ok), 0);
	free(ok);
}
END_TEST

START_TEST(test_hostile_input)
{
	static const char nul[] = "probe begin { printf(\"a\0b\") }\n\0\0\0";
	unsigned char garbage[4096];
	unsigned seed = 12345;
	size_t i;
	int round;

	ck_assert_int_eq(parse_capture(nul, sizeof(nul) - 1), -1);
	ck_assert(strstr(err_buf, "t.stp:2:1: error: unexpected byte 0x00"));

	for (round = 0; round < 50; round++) {
		for (i = 0; i < sizeof(garbage); i++) {
			seed = seed * 1103515245 + 12345;
			garbage[i] = seed >> 16;
		}
		ck_assert_int_eq(parse_capture((char *)garbage,
					       sizeof(garbage)), -1);
		ck_assert(strstr(err_buf, "t.stp:"));
	}

	ck_assert_int_eq(parse_text("probe begin { /* never closed\n"), -1);
	ck_assert(strstr(err_buf, "t.stp:1:15: error: unterminated comment"));
	ck_assert_int_eq(parse_text("probe begin { x = \"never closed\n"),
			 -1);
	ck_assert_int_eq(parse_text("probe begin { x = "
				    "99999999999999999999999 }"), -1);
	ck_assert(strstr(err_buf, "out of range"));
	ck_assert_int_eq(parse_text("%{ #include <linux/sched.h> %}"), -1);
	ck_assert_int_eq(parse_text("probe begin { x = 1 }}"), -1);
	ck_assert_int_eq(parse_text("probe begin {"), -1);
	ck_assert_int_eq(parse_text("probe"), -1);
	ck_assert_int_eq(parse_text("probe begin {\n\n"), -1);
	ck_assert(strstr(err_buf, "t.stp:3:1: error: syntax error, "
			 "unexpected end of file"));
}
END_TEST

START_TEST(test_long_lines)
{
	size_t n = 200000;
	char *text = malloc(n + 64);
	char *p;

	/* A very long line of valid statements, then an error at its end:
	 * the excerpt is cut to a window around the column. */
	p = stpcpy(text, "probe begin { ");
	while ((size_t)(p - text) < n)
		p = stpcpy(p, "x = 1; ");
	stpcpy(p, "@ }");
	ck_assert_int_eq(parse_text(text), -1);
	ck_assert(strlen(err_buf) < 600);
	ck_assert(strstr(err_buf, "error: unexpected character '@'\n..."));
	ck_assert(strstr(err_buf, "x = 1; @ }\n"));
	free(text);
}
END_TEST

START_TEST(test_parse_file_errors)
{
	struct bt_script *s = ast_script_new();
	FILE *tmp = tmpfile();
	int saved = dup(2);
	size_t got;

	fflush(stderr);
	dup2(fileno(tmp), 2);
	ck_assert_int_eq(parse_file(s, "/nonexistent/x.stp"), -1);
	ck_assert_int_eq(parse_file(s, "/"), -1);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	got = fread(err_buf, 1, sizeof(err_buf) - 1, tmp);
	err_buf[got] = 0;
	fclose(tmp);
	ck_assert(strstr(err_buf, "bpftap: error: /nonexistent/x.stp: No such "
			 "file or directory\n"));
	ck_assert(strstr(err_buf, "bpftap: error: /: not a regular file\n"));
	ast_script_free(s);
}
END_TEST

/* diag_set_color(1): gcc's colours, which stay out of captured stderr. */
START_TEST(test_diag_color)
{
	diag_set_color(1);
	ck_assert_int_eq(parse_text("probe begin { x = }"), -1);
	diag_set_color(-1);
	ck_assert_str_eq(err_buf,
			 "\033[1mt.stp:1:19:\033[m \033[1;31merror:\033[m "
			 "syntax error, unexpected '}'\n"
			 "probe begin { x = }\n"
			 "                  \033[1;32m^\033[m\n");
	/* not a terminal: no colour */
	ck_assert_int_eq(parse_text("probe begin { x = }"), -1);
	ck_assert(!strchr(err_buf, '\033'));
	ck_assert(strstr(err_buf, "t.stp:1:19: error: syntax error"));
}
END_TEST

START_TEST(test_multiple_sources)
{
	/* Library files and the user script share one script: items are
	 * appended, and each keeps its own file name. */
	cur = ast_script_new();
	ck_assert_int_eq(PARSE(cur, "lib.stp", "global g\n"
			       "function lf() { }\nprobe a = begin { }"), 0);
	ck_assert_int_eq(PARSE(cur, "user.stp", "global u\n"
				      "function uf() { }\nprobe a { }"),
			 0);
	ck_assert_str_eq(cur->globals->next->name, "u");
	ck_assert_str_eq(cur->funcs->next->name, "uf");
	ck_assert_str_eq(cur->probes->next->loc.file, "user.stp");
	ck_assert_str_eq(cur->probes->loc.file, "lib.stp");
	ck_assert_str_eq(cur->main_file, "lib.stp");
	ck_assert_ptr_null(cur->probes->next->next);
}
END_TEST

static char *print_script(const struct bt_script *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ast_print(s, f);
	fclose(f);
	return buf;
}

START_TEST(test_print)
{
	static const char want[] =
		"global a = 5\n"
		"global s = \"x\\\"y\\n\"\n"
		"global c%[100]\n"
		"\n"
		"function f:string(x:long, y) {\n"
		"  return sprintf(\"%d\", x);\n"
		"}\n"
		"\n"
		"probe begin, timer.ms(10)? {\n"
		"  x = -(-1) * (2 + 3);\n"
		"  if (x) {\n"
		"    y = x ? 1 : 2;\n"
		"  } else if (!x)\n"
		"    next;\n"
		"  else\n"
		"    ;\n"
		"  foreach ([k, v-] in c limit 5)\n"
		"    delete c[k, v];\n"
		"  try {\n"
		"  } catch (e) {\n"
		"    println(e);\n"
		"  }\n"
		"}\n"
		"\n"
		"probe x.y += kernel.function(\"f\").return! {\n"
		"}\n";
	struct bt_script *again = ast_script_new();
	char *out, *out2, why[256];

	ck_assert_int_eq(parse_text(
		"global a = 5, s = \"x\\\"y\\n\", c[100]%\n"
		"function f:string(x:long, y) { return sprintf(\"%d\", x) }\n"
		"probe begin, timer.ms(10) ? { x = - -1 * (2 + 3)\n"
		"if (x) { y = (x ? 1 : 2) } else if (!x) next else ;\n"
		"foreach ([k, v-] in c limit 5) delete c[k, v]\n"
		"try { } catch (e) { println(e) } }\n"
		"probe x.y += kernel.function(\"f\").return ! { }\n"), 0);
	out = print_script(cur);
	ck_assert_str_eq(out, want);

	ck_assert_int_eq(parse_string(again, "again", out, strlen(out)), 0);
	ck_assert(ast_equal(cur, again, why, sizeof(why)));
	out2 = print_script(again);
	ck_assert_str_eq(out, out2);
	free(out);
	free(out2);
	ast_script_free(again);
}
END_TEST

START_TEST(test_print_pieces)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_int_eq(parse_text("probe kernel.trace(\"a:b\") ! "
				    "{ x = a[1] <<< 2 - -3 }"), 0);
	f = open_memstream(&buf, &len);
	ast_print_point(cur->probes->points, f);
	fputc('|', f);
	ast_print_expr(body()->expr, f);
	fputc('|', f);
	ast_print_stmt(body(), 2, f);
	fclose(f);
	ck_assert_str_eq(buf, "kernel.trace(\"a:b\")!|x = a[1] <<< 2 - -3|"
			 "    x = a[1] <<< 2 - -3;\n");
	free(buf);
}
END_TEST

START_TEST(test_equal)
{
	struct bt_script *a = ast_script_new(), *b = ast_script_new();
	char why[256];

	cur = NULL;
	ck_assert_int_eq(PARSE(a, "a", "probe begin { x = 1 + 2 }"), 0);
	ck_assert_int_eq(PARSE(b, "b", "\n\nprobe begin {\n"
				      "  x = (1 + 2)\n}"), 0);
	ck_assert(ast_equal(a, b, why, sizeof(why)));
	ck_assert_str_eq(why, "");
	ast_script_free(b);

	b = ast_script_new();
	ck_assert_int_eq(PARSE(b, "b", "probe begin { x = 1 + 3 }"), 0);
	ck_assert(!ast_equal(a, b, why, sizeof(why)));
	ck_assert_msg(strstr(why, "numbers differ"), "%s", why);
	ast_script_free(b);

	b = ast_script_new();
	ck_assert_int_eq(PARSE(b, "b", "probe begin { x = 1 + 0x2 }"), 0);
	ck_assert(!ast_equal(a, b, NULL, 0));
	ast_script_free(b);

	b = ast_script_new();
	ck_assert_int_eq(PARSE(b, "b", "probe begin? { x = 1 + 2 }"), 0);
	ck_assert(!ast_equal(a, b, why, sizeof(why)));
	ck_assert_msg(strstr(why, "flags"), "%s", why);
	ast_script_free(b);
	ast_script_free(a);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(ast_op_str(OP_USHR), ">>>");
	ck_assert_str_eq(ast_op_str(OP_AGG), "<<<");
	ck_assert_str_eq(ast_op_str(OP_LNOT), "!");
	ck_assert_str_eq(ast_stat_str(STAT_VARIANCE), "@variance");
	ck_assert_str_eq(ast_type_str(BT_STRING), "string");
	ck_assert_str_eq(ast_type_str(BT_STATS), "stats");
}
END_TEST

static Suite *parser_suite(void)
{
	Suite *s = suite_create("parser");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_precedence);
	tcase_add_test(tc, test_associativity);
	tcase_add_test(tc, test_assign_ops);
	tcase_add_test(tc, test_literals);
	tcase_add_test(tc, test_greedy_statements);
	tcase_add_test(tc, test_statements);
	tcase_add_test(tc, test_dangling_else);
	tcase_add_test(tc, test_foreach);
	tcase_add_test(tc, test_probe_points);
	tcase_add_test(tc, test_aliases);
	tcase_add_test(tc, test_globals);
	tcase_add_test(tc, test_functions);
	tcase_add_test(tc, test_locations);
	tcase_add_test(tc, test_error_messages);
	tcase_add_test(tc, test_empty_and_comments_only);
	tcase_add_test(tc, test_deep_nesting);
	tcase_add_test(tc, test_hostile_input);
	tcase_add_test(tc, test_long_lines);
	tcase_add_test(tc, test_parse_file_errors);
	tcase_add_test(tc, test_multiple_sources);
	tcase_add_test(tc, test_diag_color);
	tcase_add_test(tc, test_print);
	tcase_add_test(tc, test_print_pieces);
	tcase_add_test(tc, test_equal);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(parser_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
