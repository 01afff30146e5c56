/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SystemTap grammar.
 *
 * Binary operators use bison precedences, in stap's order (lowest first):
 * assignment, ?:, ||, &&, |, ^, &, in, comparisons, shifts, '.', + -,
 * * / %, then unary and postfix operators, which are separate rules so
 * that `i--` followed by `--i` on the next line stays two statements.
 *
 * Statements need no separator, so the grammar is ambiguous exactly where
 * stap's recursive-descent parser is greedy: `x = a` then `-1` on the next
 * line, `f` then `(x)`, `a` or `$t` then `[k] in arr` (an index),
 * `@hist_log(h)` then `[k] in a` (a bucket), a simple statement then ';'.
 * Bison's default (shift) is stap's choice in each case; %expect counts
 * those conflicts so that a new one is noticed.
 *
 * The first syntax error stops the parse: error recovery would only add
 * follow-on messages to a script that has to be fixed anyway.
 */
%code requires {
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "parser/ast.h"

/* Locations carry their file: included files and macro bodies put
 * tokens of several files into one parse. */
typedef struct bt_yyltype {
	int first_line, first_column;
	int last_line, last_column;
	const char *file;
} BT_YYLTYPE;
#define BT_YYLTYPE_IS_DECLARED 1
#define BT_YYLTYPE_IS_TRIVIAL 1
#define YYLLOC_DEFAULT(cur, rhs, n)					\
	do {								\
		if (n) {						\
			(cur).first_line = YYRHSLOC(rhs, 1).first_line;	\
			(cur).first_column = YYRHSLOC(rhs, 1).first_column; \
			(cur).last_line = YYRHSLOC(rhs, n).last_line;	\
			(cur).last_column = YYRHSLOC(rhs, n).last_column; \
			(cur).file = YYRHSLOC(rhs, 1).file;		\
		} else {						\
			(cur).first_line = (cur).last_line =		\
				YYRHSLOC(rhs, 0).last_line;		\
			(cur).first_column = (cur).last_column =	\
				YYRHSLOC(rhs, 0).last_column;		\
			(cur).file = YYRHSLOC(rhs, 0).file;		\
		}							\
	} while (0)

struct parse_ctx;

struct parse_elist {
	struct bt_expr *head, *tail;
	int n;
};

struct parse_slist {
	struct bt_stmt *head, *tail;
};

struct parse_plist {
	struct bt_point *head, *tail;
};

struct parse_achain {
	struct parse_plist names, target;
};

struct parse_clist {
	struct bt_component *head, *tail;
};

struct parse_parlist {
	struct bt_param *head, *tail;
	int n;
};

struct parse_glist {
	struct bt_global *head, *tail;
};

/* foreach keys: [k1, k2-] with the one sort mark found, if any. */
struct parse_fekeys {
	struct bt_expr *head, *tail;
	int n;
	int nsort;		/* how many keys carry + or - */
	int sort_col;		/* 1-based */
	int sort_dir;
	bool bracketed;
	struct bt_expr *value;	/* v in `v = [k] in a` */
	int value_dir;		/* v+ / v- */
};
}

%code {
#include <stdio.h>
#include <string.h>
#include "parser/diag.h"
#include "parser/lexer.h"
#include "parser/parse.h"
#include "parser/parse_int.h"
#include "parser/preproc.h"

/* The parser's stack bounds the depth of the tree; deeper nesting is
 * refused after the parse with a clear message (see parse.c). */
#define YYMAXDEPTH 50000

static int yylex(YYSTYPE *lval, YYLTYPE *lloc, struct parse_ctx *ctx);
static void yyerror(YYLTYPE *lloc, struct parse_ctx *ctx, const char *msg);

static struct bt_loc mkloc(struct parse_ctx *ctx, const YYLTYPE *l)
{
	struct bt_loc loc = { l->file ? l->file : ctx->file, l->first_line,
			      l->first_column };

	return loc;
}

#define LOC(l) mkloc(ctx, &(l))
#define S (ctx->s)

static bool is_lvalue(const struct bt_expr *e)
{
	return e->kind == E_VAR || e->kind == E_INDEX || e->kind == E_TARGET;
}

static struct bt_expr *mk_binary(struct parse_ctx *ctx, enum bt_op op,
				 struct bt_expr *l, struct bt_expr *r,
				 const YYLTYPE *at)
{
	struct bt_expr *e = ast_expr(S, E_BINARY, mkloc(ctx, at));

	e->op = op;
	e->left = l;
	e->right = r;
	return e;
}

static struct bt_expr *mk_assign(struct parse_ctx *ctx, enum bt_op op,
				 struct bt_expr *l, struct bt_expr *r,
				 const YYLTYPE *at)
{
	struct bt_expr *e;

	if (!is_lvalue(l)) {
		struct bt_loc loc = mkloc(ctx, at);

		diag_error(&loc, "left side of '%s%s' must be a variable, "
			   "an array element or a target variable",
			   op == OP_NONE ? "" : ast_op_str(op),
			   op == OP_AGG ? "" : "=");
		return NULL;
	}
	e = ast_expr(S, E_ASSIGN, mkloc(ctx, at));
	e->op = op;
	e->left = l;
	e->right = r;
	return e;
}

static struct bt_expr *mk_unary(struct parse_ctx *ctx, enum bt_op op,
				struct bt_expr *operand, const YYLTYPE *at)
{
	struct bt_expr *e = ast_expr(S, E_UNARY, mkloc(ctx, at));

	e->op = op;
	e->left = operand;
	return e;
}

static struct bt_expr *mk_crement(struct parse_ctx *ctx,
				  enum bt_expr_kind kind,
				  struct bt_expr *operand, const YYLTYPE *at)
{
	struct bt_expr *e;

	if (!is_lvalue(operand)) {
		struct bt_loc loc = mkloc(ctx, at);

		diag_error(&loc, "operand of '%s' must be a variable, an "
			   "array element or a target variable",
			   kind == E_PREINC || kind == E_POSTINC ? "++" : "--");
		return NULL;
	}
	e = ast_expr(S, kind, mkloc(ctx, at));
	e->left = operand;
	return e;
}

static struct bt_expr *mk_var(struct parse_ctx *ctx, char *name,
			      const YYLTYPE *at)
{
	struct bt_expr *e = ast_expr(S, E_VAR, mkloc(ctx, at));

	e->name = name;
	return e;
}

static struct bt_expr *mk_num(struct parse_ctx *ctx, int64_t v, int radix,
			      const YYLTYPE *at)
{
	struct bt_expr *e = ast_expr(S, E_NUM, mkloc(ctx, at));

	e->num = v;
	e->radix = radix;
	return e;
}

static struct bt_expr *mk_str(struct parse_ctx *ctx, char *str, size_t len,
			      const YYLTYPE *at)
{
	struct bt_expr *e = ast_expr(S, E_STR, mkloc(ctx, at));

	e->str = str;
	e->len = len;
	return e;
}

static void elist_add(struct parse_elist *l, struct bt_expr *e)
{
	if (l->tail)
		l->tail->next = e;
	else
		l->head = e;
	l->tail = e;
	l->n++;
}

static void slist_add(struct parse_slist *l, struct bt_stmt *st)
{
	if (l->tail)
		l->tail->next = st;
	else
		l->head = st;
	l->tail = st;
}

static void plist_add(struct parse_plist *l, struct bt_point *p)
{
	if (l->tail)
		l->tail->next = p;
	else
		l->head = p;
	l->tail = p;
}

static void clist_add(struct parse_clist *l, struct bt_component *c)
{
	if (l->tail)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
}

static void parlist_add(struct parse_parlist *l, struct bt_param *p)
{
	if (l->tail)
		l->tail->next = p;
	else
		l->head = p;
	l->tail = p;
	l->n++;
}

static void glist_add(struct parse_glist *l, struct bt_global *g)
{
	if (l->tail)
		l->tail->next = g;
	else
		l->head = g;
	l->tail = g;
}

static struct bt_stmt *mk_simple(struct parse_ctx *ctx,
				 enum bt_stmt_kind kind, struct bt_expr *e,
				 const YYLTYPE *at)
{
	struct bt_stmt *st = ast_stmt(S, kind, mkloc(ctx, at));

	st->expr = e;
	return st;
}

static struct bt_stmt *mk_block(struct parse_ctx *ctx,
				struct parse_slist body, const YYLTYPE *at)
{
	struct bt_stmt *st = ast_stmt(S, S_BLOCK, mkloc(ctx, at));

	st->body = body.head;
	return st;
}

static bool parse_type(struct parse_ctx *ctx, const char *name,
		       const YYLTYPE *at, enum bt_type *type)
{
	struct bt_loc loc;

	if (!strcmp(name, "long")) {
		*type = BT_LONG;
		return true;
	}
	if (!strcmp(name, "string")) {
		*type = BT_STRING;
		return true;
	}
	loc = mkloc(ctx, at);
	diag_error(&loc, "unknown type '%s' (expected 'long' or 'string')",
		   name);
	return false;
}

/* One more step of $x->a[i]: ->NAME (an E_STR) or [EXPR] (an E_INDEX
 * without a base, the index in keys). */
static struct bt_expr *target_add(struct parse_ctx *ctx, struct bt_expr *t,
				  struct bt_expr *m)
{
	struct bt_expr **pp = &t->members;
	struct bt_loc loc;

	if (t->kind != E_TARGET && t->kind != E_CAST) {
		loc = m->loc;
		diag_error(&loc, "'%s' follows only a context variable%s",
			   m->kind == E_STR ? "->" : "[", m->kind == E_STR ?
			   " or @cast" : ", @cast or a histogram (@hist_log("
			   "x)[bucket])");
		return NULL;
	}
	while (*pp)
		pp = &(*pp)->next;
	*pp = m;
	return t;
}

/* @cast(ADDR, "TYPE"[, "MODULE"]): the type and module are literals. */
static struct bt_expr *mk_cast(struct parse_ctx *ctx, struct parse_elist args,
			       struct bt_loc *loc)
{
	struct bt_expr *e, *a = args.head;

	if (args.n < 2 || args.n > 3) {
		diag_error(loc, "@cast takes 2 or 3 arguments (an address, "
			   "a type name, a module), not %d", args.n);
		return NULL;
	}
	for (struct bt_expr *s = a->next; s; s = s->next)
		if (s->kind != E_STR || !s->len) {
			diag_error(&s->loc, "the %s of @cast must be a string "
				   "literal", s == a->next ? "type" :
				   "module");
			return NULL;
		}
	e = ast_expr(S, E_CAST, *loc);
	e->left = a;
	e->str = a->next->str;
	e->len = a->next->len;
	e->args = a->next->next;
	a->next = NULL;
	return e;
}

/* stap's other @ operators, which bpftap does not have: why, or NULL
 * for a name stap does not know either. */
static const char *mk_at_unsupported(const char *name)
{
	static const char *const known[][2] = {
		{ "@var", "it needs the kernel's debuginfo" },
		{ "@perf", "perf counters read in a probe are not "
			   "implemented" },
		{ "@probewrite", NULL }, { "@const", NULL },
		{ "@kregister", NULL }, { "@uregister", NULL },
		{ "@kderef", NULL }, { "@uderef", NULL },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(known[i][0], name))
			return known[i][1] ? known[i][1] : "not implemented";
	return NULL;
}

/* @count(x), @hist_linear(x, a, b, c), @defined(e), ... */
static struct bt_expr *mk_at_op(struct parse_ctx *ctx, const char *name,
				struct parse_elist args, const YYLTYPE *at)
{
	static const struct {
		const char *name;
		enum bt_expr_kind kind;
		int op;
		int nargs;
	} ops[] = {
		{ "@count", E_STAT, STAT_COUNT, 1 },
		{ "@sum", E_STAT, STAT_SUM, 1 },
		{ "@min", E_STAT, STAT_MIN, 1 },
		{ "@max", E_STAT, STAT_MAX, 1 },
		{ "@avg", E_STAT, STAT_AVG, 1 },
		{ "@variance", E_STAT, STAT_VARIANCE, 1 },
		{ "@hist_log", E_HIST, HIST_LOG, 1 },
		{ "@hist_linear", E_HIST, HIST_LINEAR, 4 },
		{ "@defined", E_DEFINED, 0, 1 },
	};
	struct bt_loc loc = mkloc(ctx, at);
	struct bt_expr *e, *first = args.head;
	size_t i;

	if (!strcmp(name, "@cast"))
		return mk_cast(ctx, args, &loc);
	/* @entry(e): a call until at_entry.c rewrites it, after -p1 */
	if (!strcmp(name, "@entry")) {
		if (args.n != 1) {
			diag_error(&loc, "@entry takes 1 argument, not %d",
				   args.n);
			return NULL;
		}
		e = ast_expr(S, E_CALL, loc);
		e->name = ast_strdup(S, name);
		e->args = first;
		return e;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(ops[i].name, name))
			break;
	if (i == sizeof(ops) / sizeof(ops[0])) {
		const char *why = mk_at_unsupported(name);

		if (why)
			diag_error(&loc, "stap's '%s' is not supported by "
				   "bpftap: %s", name, why);
		else
			diag_error(&loc, "unknown operator '%s'", name);
		return NULL;
	}
	/* @variance(x, b): stap's optional bit-shift, a literal 0..62 */
	if (ops[i].op == STAT_VARIANCE && ops[i].kind == E_STAT &&
	    args.n == 2) {
		const struct bt_expr *b = first->next;

		if (b->kind != E_NUM || b->num > 62) {
			loc = b->loc;
			diag_error(&loc, "the bit-shift of @variance must be a "
				   "number from 0 to 62");
			return NULL;
		}
	} else if (args.n != ops[i].nargs) {
		diag_error(&loc, "%s takes %d argument%s, not %d", name,
			   ops[i].nargs, ops[i].nargs == 1 ? "" : "s",
			   args.n);
		return NULL;
	}
	if (ops[i].kind != E_DEFINED && first->kind != E_VAR &&
	    first->kind != E_INDEX) {
		loc = first->loc;
		diag_error(&loc, "the argument of %s must be a statistics "
			   "variable or array element", name);
		return NULL;
	}
	e = ast_expr(S, ops[i].kind, loc);
	e->left = first;
	if (ops[i].kind == E_STAT)
		e->stat_op = ops[i].op;
	else if (ops[i].kind == E_HIST)
		e->hist_op = ops[i].op;
	if (ops[i].kind == E_HIST || ops[i].kind == E_STAT)
		e->args = first->next;
	first->next = NULL;
	return e;
}

/* The statistic of `foreach (k in arr @sum-)`: bt_stat_op + 1. */
static int fe_sort_stat(struct parse_ctx *ctx, const char *name, int dir,
			const YYLTYPE *at)
{
	static const char *const ops[] = {
		[STAT_COUNT] = "@count", [STAT_SUM] = "@sum",
		[STAT_MIN] = "@min", [STAT_MAX] = "@max", [STAT_AVG] = "@avg",
		[STAT_VARIANCE] = "@variance",
	};
	struct bt_loc loc = mkloc(ctx, at);

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(ops[i], name))
			continue;
		if (dir)
			return i + 1;
		diag_error(&loc, "expected '+' or '-' after %s (the sort "
			   "order)", name);
		return -1;
	}
	diag_error(&loc, "foreach sorts aggregates by @count, @sum, @min, "
		   "@max, @avg or @variance, not %s", name);
	return -1;
}

static struct bt_stmt *mk_foreach(struct parse_ctx *ctx,
				  struct parse_fekeys *k, char *array,
				  const YYLTYPE *array_at,
				  struct bt_expr *slice, int array_dir,
				  int sort_stat, struct bt_expr *limit,
				  struct bt_stmt *body, const YYLTYPE *at)
{
	struct bt_stmt *st = ast_stmt(S, S_FOREACH, mkloc(ctx, at));
	int nsort = k->nsort + (k->value_dir != 0) + (array_dir != 0);

	if (nsort > 1) {
		diag_error(&st->loc, "foreach can sort by one column only");
		return NULL;
	}
	st->value_var = k->value;
	st->keys = k->head;
	st->keys_bracketed = k->bracketed;
	st->array = mk_var(ctx, array, array_at);
	st->slice = slice;
	st->limit = limit;
	st->body = body;
	if (k->nsort) {
		st->sort_col = k->sort_col;
		st->sort_dir = k->sort_dir;
	} else if (k->value_dir || array_dir) {
		st->sort_col = -1;
		st->sort_dir = k->value_dir ? k->value_dir : array_dir;
	}
	st->sort_stat = sort_stat;
	return st;
}

/* foreach (b in @hist_log(x)): one plain variable, the bucket number */
static struct bt_stmt *mk_foreach_hist(struct parse_ctx *ctx,
				       struct parse_fekeys *k, const char *op,
				       struct parse_elist args,
				       const YYLTYPE *op_at,
				       struct bt_stmt *body, const YYLTYPE *at)
{
	struct bt_expr *h = mk_at_op(ctx, op, args, op_at);
	struct bt_stmt *st;

	if (!h)
		return NULL;
	if (h->kind != E_HIST) {
		diag_error(&h->loc, "foreach walks an array or the buckets "
			   "of a histogram, not %s", op);
		return NULL;
	}
	if (k->n != 1 || k->bracketed || k->nsort || k->value) {
		diag_error(&k->head->loc, "foreach over a histogram binds one "
			   "variable (the bucket number), unsorted");
		return NULL;
	}
	st = ast_stmt(S, S_FOREACH, mkloc(ctx, at));
	st->keys = k->head;
	st->hist = h;
	st->body = body;
	return st;
}

static void fekeys_add(struct parse_ctx *ctx, struct parse_fekeys *k,
		       char *name, const YYLTYPE *at, int dir)
{
	struct bt_expr *e = mk_var(ctx, name, at);

	if (k->tail)
		k->tail->next = e;
	else
		k->head = e;
	k->tail = e;
	k->n++;
	if (dir) {
		k->nsort++;
		k->sort_col = k->n;
		k->sort_dir = dir;
	}
}

static struct bt_component *mk_comp(struct parse_ctx *ctx, char *name,
				    struct bt_expr *arg, const YYLTYPE *at)
{
	struct bt_component *c = ast_alloc(S, sizeof(*c));

	c->loc = mkloc(ctx, at);
	c->name = name;
	c->arg = arg;
	return c;
}

static void add_probe(struct parse_ctx *ctx, struct parse_plist names,
		      struct parse_plist points, bool epilogue,
		      struct bt_stmt *body, const YYLTYPE *at)
{
	struct bt_probe *p = ast_alloc(S, sizeof(*p));

	p->loc = mkloc(ctx, at);
	p->points = points.head;
	p->alias_names = names.head;
	p->alias_epilogue = epilogue;
	p->body = body;
	*ctx->ptail = p;
	ctx->ptail = &p->next;
}

static void add_globals(struct parse_ctx *ctx, struct parse_glist l,
			bool is_private)
{
	struct bt_global *g;

	for (g = l.head; g; g = g->next)
		g->is_private = is_private;
	*ctx->gtail = l.head;
	ctx->gtail = &l.tail->next;
}

static void add_func(struct parse_ctx *ctx, struct bt_func *f,
		     bool is_private)
{
	f->is_private = is_private;
	*ctx->ftail = f;
	ctx->ftail = &f->next;
}

#define CHECK(x) do { if (!(x)) YYABORT; } while (0)
}

%define api.pure full
%define api.prefix {bt_yy}
%define api.token.prefix {TOK_}
%define parse.error detailed
%locations
%param {struct parse_ctx *ctx}
%expect 25

%union {
	char *str;
	struct { char *s; size_t len; } sv;
	struct { int64_t v; int radix; } num;
	int ival;
	enum bt_type type;
	struct bt_expr *expr;
	struct bt_stmt *stmt;
	struct bt_point *point;
	struct bt_component *comp;
	struct bt_param *param;
	struct bt_global *global;
	struct bt_func *func;
	struct parse_elist elist;
	struct parse_slist slist;
	struct parse_plist plist;
	struct parse_achain achain;
	struct parse_clist clist;
	struct parse_parlist parlist;
	struct parse_glist glist;
	struct parse_fekeys fekeys;
}

%token <str> IDENT "identifier"
%token <str> TARGET "target variable"
%token <str> AT_OP "'@' operator"
%token <num> NUMBER "number"
%token <sv> STRING "string literal"

%token <str> PROBE "'probe'" GLOBAL "'global'" PRIVATE "'private'"
%token <str> FUNCTION "'function'" IF "'if'" ELSE "'else'" WHILE "'while'"
%token <str> FOR "'for'" FOREACH "'foreach'" IN "'in'" LIMIT "'limit'"
%token <str> BREAK "'break'" CONTINUE "'continue'" NEXT "'next'"
%token <str> RETURN "'return'" DELETE "'delete'" TRY "'try'"
%token <str> CATCH "'catch'"

%token INC "'++'" DEC "'--'" ARROW "'->'"
%token OROR "'||'" ANDAND "'&&'"
%token EQ "'=='" NE "'!='" LE "'<='" GE "'>='"
%token SHL "'<<'" SHR "'>>'" USHR "'>>>'"
%token ADD_ASSIGN "'+='" SUB_ASSIGN "'-='" MUL_ASSIGN "'*='"
%token DIV_ASSIGN "'/='" MOD_ASSIGN "'%='" SHL_ASSIGN "'<<='"
%token SHR_ASSIGN "'>>='" USHR_ASSIGN "'>>>='" AND_ASSIGN "'&='"
%token OR_ASSIGN "'|='" XOR_ASSIGN "'^='" CONCAT_ASSIGN "'.='"
%token AGG "'<<<'"
%token MATCH "'=~'" NMATCH "'!~'"
/* Consumed by the preprocessor (preproc.c); never reach the rules. */
%token PP_OPEN "'%('" PP_THEN "'%?'" PP_ELSE "'%:'" PP_CLOSE "'%)'"
%token <str> ARG "script argument"
%token EMBEDDED "embedded C code"

/*
 * '?' and ':' bind tighter than the assignments, as in stap's parser
 * (whose else branch is a conditional, not an assignment): `x = c ? a : b`
 * assigns the whole conditional, and `c ? a : b = 1` is an assignment to
 * a conditional, which is refused. The middle operand is any expression.
 */
%precedence THEN
%precedence ELSE
%right '=' ADD_ASSIGN SUB_ASSIGN MUL_ASSIGN DIV_ASSIGN MOD_ASSIGN
       SHL_ASSIGN SHR_ASSIGN USHR_ASSIGN AND_ASSIGN OR_ASSIGN XOR_ASSIGN
       CONCAT_ASSIGN AGG
%right '?' ':'
%left OROR
%left ANDAND
%left '|'
%left '^'
%left '&'
%precedence IN
%left EQ NE '<' '>' LE GE MATCH NMATCH
%left SHL SHR USHR
%left '.'
%left '+' '-'
%left '*' '/' '%'

%type <expr> expr unary postfix primary target opt_expr glit carg
%type <str> member
%type <expr> string opt_limit ginit ix fe_slice
%type <elist> exprs opt_args ixlist
%type <stmt> stmt block simple_stmt
%type <slist> stmts
%type <plist> points
%type <achain> achain
%type <point> point
%type <clist> comps
%type <comp> comp
%type <str> cname catom
%type <ival> sort_mark pflags
%type <num> gsize gshape
%type <type> opt_type
%type <param> param
%type <parlist> params opt_params
%type <glist> gvars
%type <global> gvar
%type <func> func_head
%type <fekeys> fe_head fe_keys fe_klist

%start script

%%

script:
	  %empty
	| script item
	;

item:
	  GLOBAL gvars			{ add_globals(ctx, $2, false); }
	| PRIVATE GLOBAL gvars		{ add_globals(ctx, $3, true); }
	| func_head block
		{ $1->body = $2; add_func(ctx, $1, false); }
	| PRIVATE func_head block
		{ $2->body = $3; add_func(ctx, $2, true); }
	| PROBE points block

		{
			struct parse_plist none = { 0 };

			add_probe(ctx, none, $2, false, $3, &@1);
		}
	| PROBE achain block
		{ add_probe(ctx, $2.names, $2.target, false, $3, &@1); }
	| PROBE points ADD_ASSIGN points block
		{ add_probe(ctx, $2, $4, true, $5, &@1); }
	| ';'
	;

/* probe a = b = kernel.trace("x") { }: every point list but the last is
 * a name of the alias (stap's form; `probe a, b = ...` is read too) */
achain:
	  points '=' points
		{ $$.names = $1; $$.target = $3; }
	| achain '=' points
		{
			$$.names = $1.names;
			$$.names.tail->next = $1.target.head;
			$$.names.tail = $1.target.tail;
			$$.target = $3;
		}
	;

/* global a, b = 5, s = "x", c[100], d%, e%[10]: stap puts the '%' of a
 * wrapping array before its size; e[10]% is read too (bpftap wrote that
 * before it knew). */
gvars:
	  gvar
		{ $$ = (struct parse_glist){ 0 }; glist_add(&$$, $1); }
	| gvars ',' gvar	{ $$ = $1; glist_add(&$$, $3); }
	;

gvar:
	  IDENT gshape ginit
		{
			$$ = ast_alloc(S, sizeof(*$$));
			$$->loc = LOC(@1);
			$$->name = $1;
			$$->size = $2.v;
			$$->wrap = $2.radix;
			$$->init = $3;
			if ($2.v && $3) {
				diag_error(&$$->loc, "array '%s' cannot have "
					   "an initial value", $1);
				YYABORT;
			}
		}
	;

/* The size and the wrap mark of a global, in either order as stap
 * takes them (a[100]%, a%[100], a%): v is the size (0: none), radix 1
 * for a wrapping array. */
gshape:
	  %empty		{ $$.v = 0; $$.radix = 0; }
	| gsize			{ $$.v = $1.v; $$.radix = 0; }
	| gsize '%'		{ $$.v = $1.v; $$.radix = 1; }
	| '%'			{ $$.v = 0; $$.radix = 1; }
	| '%' gsize		{ $$.v = $2.v; $$.radix = 1; }
	;

gsize:
	  '[' NUMBER ']'
		{
			$$ = $2;
			if ($2.v < 1) {
				struct bt_loc loc = LOC(@2);

				diag_error(&loc, "array size must be a "
					   "positive number");
				YYABORT;
			}
		}
	;

ginit:
	  %empty	{ $$ = NULL; }
	| '=' glit	{ $$ = $2; }
	;

glit:
	  NUMBER	{ $$ = mk_num(ctx, $1.v, $1.radix, &@1); }
	| '-' NUMBER
		{
			$$ = mk_unary(ctx, OP_NEG,
				      mk_num(ctx, $2.v, $2.radix, &@2), &@1);
		}
	| string
	;

string:
	  STRING	{ $$ = mk_str(ctx, $1.s, $1.len, &@1); }
	;

/* function name:type (a:type, b), and stap's overload priority, as in
 * function name(a):2 */
func_head:
	  FUNCTION IDENT opt_type '(' opt_params ')'
		{
			$$ = ast_alloc(S, sizeof(*$$));
			$$->loc = LOC(@2);
			$$->name = $2;
			$$->ret_type = $3;
			$$->params = $5.head;
			$$->nparams = $5.n;
		}
	| FUNCTION IDENT opt_type '(' opt_params ')' ':' NUMBER
		{
			$$ = ast_alloc(S, sizeof(*$$));
			$$->loc = LOC(@2);
			$$->name = $2;
			$$->ret_type = $3;
			$$->params = $5.head;
			$$->nparams = $5.n;
			$$->has_priority = true;
			$$->priority = $8.v;
		}
	;

opt_type:
	  %empty	{ $$ = BT_UNKNOWN; }
	| ':' IDENT	{ CHECK(parse_type(ctx, $2, &@2, &$$)); }
	;

opt_params:
	  %empty	{ $$ = (struct parse_parlist){ 0 }; }
	| params
	;

params:
	  param
		{ $$ = (struct parse_parlist){ 0 }; parlist_add(&$$, $1); }
	| params ',' param	{ $$ = $1; parlist_add(&$$, $3); }
	;

param:
	  IDENT opt_type
		{
			$$ = ast_alloc(S, sizeof(*$$));
			$$->loc = LOC(@1);
			$$->name = $1;
			$$->type = $2;
		}
	;

/* Probe points: kernel.function("f").return ?, timer.ms(10), ... */
points:
	  point		{ $$ = (struct parse_plist){ 0 }; plist_add(&$$, $1); }
	| points ',' point	{ $$ = $1; plist_add(&$$, $3); }
	;

point:
	  comps pflags
		{
			$$ = ast_alloc(S, sizeof(*$$));
			$$->loc = $1.head->loc;
			$$->comps = $1.head;
			$$->optional = $2 & 1;
			$$->sufficient = ($2 & 2) != 0;
		}
	;

pflags:
	  %empty	{ $$ = 0; }
	| '?'		{ $$ = 1; }
	| '!'		{ $$ = 3; }	/* as in stap: also optional */
	;

comps:
	  comp		{ $$ = (struct parse_clist){ 0 }; clist_add(&$$, $1); }
	| comps '.' comp	{ $$ = $1; clist_add(&$$, $3); }
	;

comp:
	  cname			{ $$ = mk_comp(ctx, $1, NULL, &@1); }
	| cname '(' carg ')'	{ $$ = mk_comp(ctx, $1, $3, &@1); }
	;

/* A name with wildcards (sys_*) is several tokens written together. */
cname:
	  catom
	| cname catom
		{
			if (@2.file != @1.file ||
			    @2.first_line != @1.last_line ||
			    @2.first_column != @1.last_column + 1) {
				struct bt_loc loc = LOC(@2);

				diag_error(&loc, "syntax error, unexpected "
					   "'%s' in a probe point", $2);
				YYABORT;
			}
			$$ = ast_alloc(S, strlen($1) + strlen($2) + 1);
			strcpy($$, $1);
			strcat($$, $2);
		}
	;

catom:
	  IDENT
	| '*'		{ $$ = "*"; }
	| RETURN | FUNCTION | PROBE | GLOBAL | PRIVATE | IF | ELSE | WHILE
	| FOR | FOREACH | IN | LIMIT | BREAK | CONTINUE | NEXT | DELETE
	| TRY | CATCH
	;

carg:
	  NUMBER	{ $$ = mk_num(ctx, $1.v, $1.radix, &@1); }
	| '-' NUMBER	{ $$ = mk_num(ctx, -(uint64_t)$2.v, $2.radix, &@1); }
	| string
	;

/* Statements */
block:
	  '{' stmts '}'		{ $$ = mk_block(ctx, $2, &@1); }
	;

stmts:
	  %empty		{ $$ = (struct parse_slist){ 0 }; }
	| stmts stmt		{ $$ = $1; slist_add(&$$, $2); }
	;

/* stap lets a simple statement swallow one ';' after it, which is what
 * makes `if (x) a = 1; else b = 2` work. */
stmt:
	  block
	| simple_stmt
	| simple_stmt ';'
	| ';'		{ $$ = ast_stmt(S, S_EMPTY, LOC(@1)); }
	| IF '(' expr ')' stmt %prec THEN
		{
			$$ = ast_stmt(S, S_IF, LOC(@1));
			$$->cond = $3;
			$$->body = $5;
		}
	| IF '(' expr ')' stmt ELSE stmt
		{
			$$ = ast_stmt(S, S_IF, LOC(@1));
			$$->cond = $3;
			$$->body = $5;
			$$->else_body = $7;
		}
	| WHILE '(' expr ')' stmt
		{
			$$ = ast_stmt(S, S_WHILE, LOC(@1));
			$$->cond = $3;
			$$->body = $5;
		}
	| FOR '(' opt_expr ';' opt_expr ';' opt_expr ')' stmt
		{
			$$ = ast_stmt(S, S_FOR, LOC(@1));
			if ($3)
				$$->init = mk_simple(ctx, S_EXPR, $3, &@3);
			$$->cond = $5;
			$$->step = $7;
			$$->body = $9;
		}
	| FOREACH '(' fe_head IN IDENT fe_slice sort_mark opt_limit ')' stmt
		{
			$$ = mk_foreach(ctx, &$3, $5, &@5, $6, $7, 0, $8,
					$10, &@1);
			CHECK($$);
		}
	| FOREACH '(' fe_head IN IDENT fe_slice AT_OP sort_mark opt_limit ')'
	  stmt
		{
			int op = fe_sort_stat(ctx, $7, $8, &@7);

			CHECK(op > 0);
			$$ = mk_foreach(ctx, &$3, $5, &@5, $6, $8, op, $9,
					$11, &@1);
			CHECK($$);
		}
	| FOREACH '(' fe_head IN AT_OP '(' opt_args ')' ')' stmt
		{
			CHECK($$ = mk_foreach_hist(ctx, &$3, $5, $7, &@5,
						   $10, &@1));
		}
	| TRY block CATCH block
		{
			$$ = ast_stmt(S, S_TRY, LOC(@1));
			$$->body = $2;
			$$->else_body = $4;
		}
	| TRY block CATCH '(' IDENT ')' block
		{
			$$ = ast_stmt(S, S_TRY, LOC(@1));
			$$->body = $2;
			$$->catch_var = mk_var(ctx, $5, &@5);
			$$->else_body = $7;
		}
	;

simple_stmt:
	  expr			{ $$ = mk_simple(ctx, S_EXPR, $1, &@1); }
	| BREAK			{ $$ = ast_stmt(S, S_BREAK, LOC(@1)); }
	| CONTINUE		{ $$ = ast_stmt(S, S_CONTINUE, LOC(@1)); }
	| NEXT			{ $$ = ast_stmt(S, S_NEXT, LOC(@1)); }
	| RETURN		{ $$ = ast_stmt(S, S_RETURN, LOC(@1)); }
	| RETURN expr		{ $$ = mk_simple(ctx, S_RETURN, $2, &@1); }
	| DELETE expr
		{
			if ($2->kind != E_VAR && $2->kind != E_INDEX) {
				diag_error(&$2->loc, "delete needs a variable "
					   "or an array element");
				YYABORT;
			}
			$$ = mk_simple(ctx, S_DELETE, $2, &@1);
		}
	;

opt_expr:
	  %empty	{ $$ = NULL; }
	| expr
	;

/* foreach ([k1, k2-] in a), foreach (v- = [k] in a+ limit 5), ... */
fe_head:
	  fe_keys
	| IDENT sort_mark '=' fe_keys
		{
			$$ = $4;
			$$.value = mk_var(ctx, $1, &@1);
			$$.value_dir = $2;
		}
	;

fe_keys:
	  IDENT sort_mark
		{
			$$ = (struct parse_fekeys){ 0 };
			fekeys_add(ctx, &$$, $1, &@1, $2);
		}
	| '[' fe_klist ']'	{ $$ = $2; $$.bracketed = true; }
	;

fe_klist:
	  IDENT sort_mark
		{
			$$ = (struct parse_fekeys){ 0 };
			fekeys_add(ctx, &$$, $1, &@1, $2);
		}
	| fe_klist ',' IDENT sort_mark
		{
			$$ = $1;
			fekeys_add(ctx, &$$, $3, &@3, $4);
		}
	;

/* foreach ([a, b] in arr[k, *]): only the elements whose index matches */
fe_slice:
	  %empty		{ $$ = NULL; }
	| '[' ixlist ']'	{ $$ = $2.head; }
	;

sort_mark:
	  %empty	{ $$ = 0; }
	| '+'		{ $$ = 1; }
	| '-'		{ $$ = -1; }
	;

opt_limit:
	  %empty	{ $$ = NULL; }
	| LIMIT expr	{ $$ = $2; }
	;

/* Expressions */
expr:
	  expr '=' expr
		{ CHECK($$ = mk_assign(ctx, OP_NONE, $1, $3, &@2)); }
	| expr ADD_ASSIGN expr
		{ CHECK($$ = mk_assign(ctx, OP_ADD, $1, $3, &@2)); }
	| expr SUB_ASSIGN expr
		{ CHECK($$ = mk_assign(ctx, OP_SUB, $1, $3, &@2)); }
	| expr MUL_ASSIGN expr
		{ CHECK($$ = mk_assign(ctx, OP_MUL, $1, $3, &@2)); }
	| expr DIV_ASSIGN expr
		{ CHECK($$ = mk_assign(ctx, OP_DIV, $1, $3, &@2)); }
	| expr MOD_ASSIGN expr
		{ CHECK($$ = mk_assign(ctx, OP_MOD, $1, $3, &@2)); }
	| expr SHL_ASSIGN expr
		{ CHECK($$ = mk_assign(ctx, OP_SHL, $1, $3, &@2)); }
	| expr SHR_ASSIGN expr
		{ CHECK($$ = mk_assign(ctx, OP_SHR, $1, $3, &@2)); }
	| expr USHR_ASSIGN expr
		{ CHECK($$ = mk_assign(ctx, OP_USHR, $1, $3, &@2)); }
	| expr AND_ASSIGN expr
		{ CHECK($$ = mk_assign(ctx, OP_BAND, $1, $3, &@2)); }
	| expr OR_ASSIGN expr
		{ CHECK($$ = mk_assign(ctx, OP_BOR, $1, $3, &@2)); }
	| expr XOR_ASSIGN expr
		{ CHECK($$ = mk_assign(ctx, OP_BXOR, $1, $3, &@2)); }
	| expr CONCAT_ASSIGN expr
		{ CHECK($$ = mk_assign(ctx, OP_CONCAT, $1, $3, &@2)); }
	| expr AGG expr
		{ CHECK($$ = mk_assign(ctx, OP_AGG, $1, $3, &@2)); }
	| expr '?' expr ':' expr
		{
			$$ = ast_expr(S, E_TERNARY, LOC(@2));
			$$->cond = $1;
			$$->left = $3;
			$$->right = $5;
		}
	| expr OROR expr	{ $$ = mk_binary(ctx, OP_LOR, $1, $3, &@2); }
	| expr ANDAND expr	{ $$ = mk_binary(ctx, OP_LAND, $1, $3, &@2); }
	| expr '|' expr		{ $$ = mk_binary(ctx, OP_BOR, $1, $3, &@2); }
	| expr '^' expr		{ $$ = mk_binary(ctx, OP_BXOR, $1, $3, &@2); }
	| expr '&' expr		{ $$ = mk_binary(ctx, OP_BAND, $1, $3, &@2); }
	| expr IN IDENT
		{
			$$ = ast_expr(S, E_IN, LOC(@2));
			$$->keys = $1;
			$$->base = mk_var(ctx, $3, &@3);
		}
	| '[' ixlist ']' IN IDENT
		{
			$$ = ast_expr(S, E_IN, LOC(@4));
			$$->keys = $2.head;
			$$->base = mk_var(ctx, $5, &@5);
		}
	| expr EQ expr		{ $$ = mk_binary(ctx, OP_EQ, $1, $3, &@2); }
	| expr NE expr		{ $$ = mk_binary(ctx, OP_NE, $1, $3, &@2); }
	| expr '<' expr		{ $$ = mk_binary(ctx, OP_LT, $1, $3, &@2); }
	| expr '>' expr		{ $$ = mk_binary(ctx, OP_GT, $1, $3, &@2); }
	| expr LE expr		{ $$ = mk_binary(ctx, OP_LE, $1, $3, &@2); }
	| expr GE expr		{ $$ = mk_binary(ctx, OP_GE, $1, $3, &@2); }
	| expr MATCH expr	{ $$ = mk_binary(ctx, OP_MATCH, $1, $3, &@2); }
	| expr NMATCH expr
		{ $$ = mk_binary(ctx, OP_NMATCH, $1, $3, &@2); }
	| expr SHL expr		{ $$ = mk_binary(ctx, OP_SHL, $1, $3, &@2); }
	| expr SHR expr		{ $$ = mk_binary(ctx, OP_SHR, $1, $3, &@2); }
	| expr USHR expr	{ $$ = mk_binary(ctx, OP_USHR, $1, $3, &@2); }
	| expr '.' expr		{ $$ = mk_binary(ctx, OP_CONCAT, $1, $3, &@2); }
	| expr '+' expr		{ $$ = mk_binary(ctx, OP_ADD, $1, $3, &@2); }
	| expr '-' expr		{ $$ = mk_binary(ctx, OP_SUB, $1, $3, &@2); }
	| expr '*' expr		{ $$ = mk_binary(ctx, OP_MUL, $1, $3, &@2); }
	| expr '/' expr		{ $$ = mk_binary(ctx, OP_DIV, $1, $3, &@2); }
	| expr '%' expr		{ $$ = mk_binary(ctx, OP_MOD, $1, $3, &@2); }
	| unary
	;

unary:
	  postfix
	| '-' unary		{ $$ = mk_unary(ctx, OP_NEG, $2, &@1); }
	| '+' unary		{ $$ = mk_unary(ctx, OP_PLUS, $2, &@1); }
	| '!' unary		{ $$ = mk_unary(ctx, OP_LNOT, $2, &@1); }
	| '~' unary		{ $$ = mk_unary(ctx, OP_BNOT, $2, &@1); }
	| INC primary
		{ CHECK($$ = mk_crement(ctx, E_PREINC, $2, &@1)); }
	| DEC primary
		{ CHECK($$ = mk_crement(ctx, E_PREDEC, $2, &@1)); }
	;

postfix:
	  primary
	| primary INC
		{ CHECK($$ = mk_crement(ctx, E_POSTINC, $1, &@2)); }
	| primary DEC
		{ CHECK($$ = mk_crement(ctx, E_POSTDEC, $1, &@2)); }
	;

primary:
	  NUMBER		{ $$ = mk_num(ctx, $1.v, $1.radix, &@1); }
	| string
	| '(' expr ')'		{ $$ = $2; }
	| IDENT			{ $$ = mk_var(ctx, $1, &@1); }
	| IDENT '[' ixlist ']'
		{
			$$ = ast_expr(S, E_INDEX, LOC(@1));
			$$->base = mk_var(ctx, $1, &@1);
			$$->keys = $3.head;
		}
	| IDENT '(' opt_args ')'
		{
			$$ = ast_expr(S, E_CALL, LOC(@1));
			$$->name = $1;
			$$->args = $3.head;
		}
	| target	/* with @count(x) and the other @ operators */
	;

target:
	  TARGET
		{
			$$ = ast_expr(S, E_TARGET, LOC(@1));
			$$->name = $1;
		}
	| AT_OP '(' opt_args ')'
		{ CHECK($$ = mk_at_op(ctx, $1, $3, &@1)); }
	| target ARROW member
		{
			CHECK($$ = target_add(ctx, $1, mk_str(ctx, $3,
							      strlen($3),
							      &@3)));
		}
	| target '[' expr ']'
		{
			struct bt_expr *m;

			if ($1->kind == E_HIST && !$1->keys) {
				/* @hist_log(x)[b]: bucket b's count */
				$1->keys = $3;
				$$ = $1;
			} else {
				m = ast_expr(S, E_INDEX, LOC(@2));
				m->keys = $3;
				CHECK($$ = target_add(ctx, $1, m));
			}
		}
	;

/* After '->' a keyword is a member name too ($file->function). */
member:
	  IDENT | PROBE | GLOBAL | PRIVATE | FUNCTION | IF | ELSE | WHILE
	| FOR | FOREACH | IN | LIMIT | BREAK | CONTINUE | NEXT | RETURN
	| DELETE | TRY | CATCH
	;

opt_args:
	  %empty	{ $$ = (struct parse_elist){ 0 }; }
	| exprs
	;

exprs:
	  expr		{ $$ = (struct parse_elist){ 0 }; elist_add(&$$, $1); }
	| exprs ',' expr	{ $$ = $1; elist_add(&$$, $3); }
	;

/* Index lists, where `*` stands for any value (elaboration allows it
 * only in `in`, delete and foreach). */
ixlist:
	  ix		{ $$ = (struct parse_elist){ 0 }; elist_add(&$$, $1); }
	| ixlist ',' ix		{ $$ = $1; elist_add(&$$, $3); }
	;

ix:
	  expr
	| '*'		{ $$ = ast_expr(S, E_WILDCARD, LOC(@1)); }
	;

%%

static int yylex(YYSTYPE *lval, YYLTYPE *lloc, struct parse_ctx *ctx)
{
	struct lex_tok t;
	int kind = pp_next(ctx->pp, &t);

	ctx->last_chain = t.chain;
	lloc->file = t.loc.file;
	lloc->first_line = t.loc.line;
	lloc->first_column = t.loc.col;
	lloc->last_line = t.end_line;
	lloc->last_column = t.end_col;
	switch (kind) {
	case TOK_NUMBER:
		lval->num.v = t.num;
		lval->num.radix = t.radix;
		break;
	case TOK_STRING:
		lval->sv.s = t.str;
		lval->sv.len = t.len;
		break;
	default:
		lval->str = t.str;
		break;
	}
	return kind;
}

static void yyerror(YYLTYPE *lloc, struct parse_ctx *ctx, const char *msg)
{
	struct bt_loc loc = mkloc(ctx, lloc);

	/* Only a very deep expression or statement nest fills the stack. */
	if (!strcmp(msg, "memory exhausted"))
		diag_error(&loc, "nesting too deep (more than %d levels)",
			   PARSE_MAX_DEPTH);
	else
		diag_error(&loc, "%s", msg);
	pp_note_chain(ctx->last_chain);
}

int parse_run(struct parse_ctx *ctx)
{
	return yyparse(ctx) ? -1 : 0;
}
