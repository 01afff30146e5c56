// SPDX-License-Identifier: GPL-2.0
/*
 * The preprocessor: script arguments, @define macros, @include and
 * %( %? %: %) conditionals, on tokens (see preproc.h). The order of the
 * layers follows stap's parse.cxx: macros are expanded below the
 * conditionals, so a condition may use macros and arguments.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* strverscmp */
#endif
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "diag.h"
#include "parse.h"
#include "parse_int.h"
#include "preproc.h"
#include "parser/grammar.h"

#define PP_MAX_EXPANSION	64	/* nested macro uses */
#define PP_MAX_INCLUDE		32	/* nested @include */

/* stap has no version of its own here: conditionals on systemtap_v see
 * the release whose language bpftap implements, or --compatible's. */
#define PP_SYSTEMTAP_V		"4.8"
static const char *pp_systemtap_v = PP_SYSTEMTAP_V;

int pp_set_compatible(const char *version)
{
	const char *p = version;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p) &&
		    (*p != '.' || !isdigit((unsigned char)p[1])))
			return -1;
	pp_systemtap_v = version;
	return 0;
}

struct pp_tokvec {
	struct lex_tok *v;
	size_t n, cap;
};

struct pp_macro {
	struct pp_macro *next;
	const char *name;		/* without the '@' */
	char **formals;
	int nformals;
	struct pp_tokvec body;
	struct bt_loc loc;		/* the name in @define */
	bool library;
};

/* An open source: the file parsed, then each file it @includes. */
struct pp_src {
	struct pp_src *up;
	struct lexer *lx;
	char *real;			/* realpath, for cycles; may be NULL */
	struct bt_loc at;		/* the @include, if included */
};

/* A macro body or an argument being read. */
struct pp_act {
	struct pp_act *up;
	const struct pp_tokvec *body;
	size_t cursor;
	struct pp_macro *macro;		/* NULL: a parameter or $N */
	struct pp_tokvec *args;		/* macro: one per formal */
	struct pp_tokvec own;		/* $N: the tokens it became */
	struct pp_act *scope;		/* resolves @NAME of our tokens */
	struct pp_act *caller;		/* macro: scope of the use */
	const struct pp_expansion *exp;
};

enum pp_state { PP_KEEP_THEN, PP_SKIP_THEN, PP_KEEP_ELSE, PP_SKIP_ELSE };

struct pp_cond {
	struct pp_cond *up;
	struct bt_loc open;
	enum pp_state state;
};

struct pp {
	struct bt_script *s;
	struct pp_src *src;
	int nsrc;
	struct pp_act *act;
	int nact;
	struct pp_macro *macros;	/* this file's */
	struct pp_cond *cond;
};

/* What the command line and the machine say, shared by every parse. */
static struct {
	char *const *args;
	int nargs;
	char *const *incdirs;
	int nincdirs;
	struct pp_macro *lib;
	struct bt_script *lib_arena;
	char *(*read_config)(size_t *len);
	char *config;
	bool config_loaded;
	char release[128];
	char machine[64];
} pp_env;

/* --- configuration --- */

void parse_set_args(char *const *args, int nargs)
{
	pp_env.args = args;
	pp_env.nargs = nargs;
}

void parse_set_incdirs(char *const *dirs, int ndirs)
{
	pp_env.incdirs = dirs;
	pp_env.nincdirs = ndirs;
}

void parse_set_kernel(const char *release, const char *machine)
{
	snprintf(pp_env.release, sizeof(pp_env.release), "%.127s", release);
	snprintf(pp_env.machine, sizeof(pp_env.machine), "%.63s", machine);
}

void parse_set_config_reader(char *(*read)(size_t *len))
{
	pp_env.read_config = read;
	free(pp_env.config);
	pp_env.config = NULL;
	pp_env.config_loaded = false;
}

static void pp_macros_free(struct pp_macro *m)
{
	struct pp_macro *next;

	for (; m; m = next) {
		next = m->next;
		free(m->formals);
		free(m->body.v);
		free(m);
	}
}

void parse_reset_env(void)
{
	pp_macros_free(pp_env.lib);
	ast_script_free(pp_env.lib_arena);
	free(pp_env.config);
	memset(&pp_env, 0, sizeof(pp_env));
}

static void pp_uname(void)
{
	struct utsname u;

	if (pp_env.release[0] || uname(&u))
		return;
	parse_set_kernel(u.release, u.machine);
}

/* --- token vectors --- */

static int pp_vec_add(struct pp_tokvec *v, const struct lex_tok *t)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		struct lex_tok *nv = realloc(v->v, cap * sizeof(*nv));

		if (!nv)
			return -1;
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = *t;
	return 0;
}

static int pp_error(const struct lex_tok *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int pp_error(const struct lex_tok *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(&t->loc, fmt, ap);
	va_end(ap);
	pp_note_chain(t->chain);
	return TOK_BT_YYerror;
}

void pp_note_chain(const struct pp_expansion *e)
{
	for (; e; e = e->parent) {
		if (e->is_macro)
			diag_note(&e->use, "in expansion of macro '%s'",
				  e->name);
		else if (e->name[0] == '$' && e->name[1] != '#')
			diag_note(&e->use, "in command line argument %s, "
				  "which is '%s' (@%s would be the string)",
				  e->name, e->value, e->name + 1);
		else
			diag_note(&e->use, "in command line argument '%s'",
				  e->name);
	}
}

/* --- sources --- */

struct pp *pp_open(struct bt_script *s, struct lexer *lx)
{
	struct pp *pp = calloc(1, sizeof(*pp));
	struct pp_src *src = calloc(1, sizeof(*src));

	if (!pp || !src) {
		free(pp);
		free(src);
		return NULL;
	}
	pp->s = s;
	src->lx = lx;
	src->real = realpath(lex_file(lx), NULL);
	pp->src = src;
	pp->nsrc = 1;
	return pp;
}

static void pp_act_free(struct pp_act *a)
{
	if (a->args) {
		for (int i = 0; i < a->macro->nformals; i++)
			free(a->args[i].v);
		free(a->args);
	}
	free(a->own.v);
	free(a);
}

static void pp_act_pop(struct pp *pp)
{
	struct pp_act *a = pp->act;

	pp->act = a->up;
	pp->nact--;
	pp_act_free(a);
}

void pp_close(struct pp *pp)
{
	struct pp_src *src;
	struct pp_cond *c;

	if (!pp)
		return;
	while (pp->act)
		pp_act_pop(pp);
	while ((src = pp->src)) {
		pp->src = src->up;
		lex_close(src->lx);
		free(src->real);
		free(src);
	}
	while ((c = pp->cond)) {
		pp->cond = c->up;
		free(c);
	}
	pp_macros_free(pp->macros);
	free(pp);
}

/*
 * The next token as written: from the macro body being read (TOK_YYEOF
 * at its end, which the caller pops), else from the innermost file,
 * going back to the including file at the end of an included one.
 */
static int pp_raw(struct pp *pp, struct lex_tok *t, bool quiet)
{
	struct pp_act *a = pp->act;
	struct pp_src *src;

	if (a) {
		if (a->cursor == a->body->n) {
			memset(t, 0, sizeof(*t));
			t->kind = TOK_YYEOF;
			return TOK_YYEOF;
		}
		*t = a->body->v[a->cursor++];
		if (t->str)
			t->str = ast_strndup(pp->s, t->str,
					     t->kind == TOK_STRING ? t->len :
					     strlen(t->str));
		if (a->macro)
			t->chain = a->exp;
		return t->kind;
	}
	for (;;) {
		src = pp->src;
		lex_set_quiet(src->lx, quiet);
		if (lex_next(src->lx, t) != TOK_YYEOF || !src->up)
			return t->kind;
		pp->src = src->up;
		pp->nsrc--;
		lex_close(src->lx);
		free(src->real);
		free(src);
	}
}

static const char *pp_tok_text(const struct lex_tok *t)
{
	switch (t->kind) {
	case TOK_YYEOF: return "end of file";
	case TOK_STRING: return "string literal";
	case TOK_NUMBER: return "number";
	default: return t->str ? t->str : "token";
	}
}

/* --- @include --- */

static char *pp_find_include(const char *from, const char *name)
{
	const char *slash = strrchr(from, '/');
	char *path = NULL;

	if (name[0] == '/')
		return strdup(name);
	/* -e scripts and stdin have no directory: use the current one. */
	if (from[0] == '<')
		slash = NULL;
	if (asprintf(&path, "%.*s%s", slash ? (int)(slash - from + 1) : 0,
		     from, name) < 0)
		return NULL;
	if (!access(path, R_OK))
		return path;
	for (int i = 0; i < pp_env.nincdirs; i++) {
		free(path);
		if (asprintf(&path, "%s/%s", pp_env.incdirs[i], name) < 0)
			return NULL;
		if (!access(path, R_OK))
			return path;
	}
	free(path);
	return NULL;
}

static int pp_cycle(struct pp *pp, const struct lex_tok *at,
		    const char *real)
{
	struct pp_src *src;

	for (src = pp->src; src; src = src->up)
		if (src->real && !strcmp(src->real, real))
			break;
	if (!src)
		return 0;
	diag_error(&at->loc, "circular @include: '%s' includes itself",
		   real);
	for (src = pp->src; src && src->up; src = src->up) {
		diag_note(&src->at, "'%s' is included from here",
			  lex_file(src->lx));
		if (src->real && !strcmp(src->real, real))
			break;
	}
	return TOK_BT_YYerror;
}

static int pp_include(struct pp *pp, struct lex_tok *at)
{
	struct lex_tok name;
	struct pp_src *src;
	char *path, *text;
	size_t len;

	if (pp->act)
		return pp_error(at, "@include cannot be used in a macro body");
	if (pp_raw(pp, &name, false) != TOK_STRING)
		return pp_error(&name, "expected a file name (a string "
				"literal) after @include, not %s",
				pp_tok_text(&name));
	if (pp->nsrc >= PP_MAX_INCLUDE)
		return pp_error(at, "@include nested too deeply (more than "
				"%d files)", PP_MAX_INCLUDE);
	path = pp_find_include(at->loc.file, name.str);
	if (!path)
		return pp_error(&name, "cannot find @include file '%s' "
				"(looked next to %s%s)", name.str,
				at->loc.file, pp_env.nincdirs ?
				" and in the -I directories" : "");
	src = calloc(1, sizeof(*src));
	if (!src)
		goto nomem;
	src->real = realpath(path, NULL);
	if (src->real && pp_cycle(pp, at, src->real)) {
		free(src->real);
		free(src);
		free(path);
		return TOK_BT_YYerror;
	}
	text = parse_read(path, &len);
	if (!text) {
		free(src->real);
		free(src);
		free(path);
		return pp_error(at, "cannot read @include file '%s'",
				name.str);
	}
	src->lx = lex_open(pp->s, diag_add_source(path, text, len), text,
			   len);
	free(text);
	free(path);
	if (!src->lx) {
		free(src->real);
		free(src);
		goto nomem;
	}
	src->at = at->loc;
	src->up = pp->src;
	pp->src = src;
	pp->nsrc++;
	return 0;
nomem:
	return pp_error(at, "out of memory");
}

/* --- script arguments --- */

/*
 * $N: the argument's own tokens, as stap inserts it "unquoted" (a number
 * is the usual case, but `probe $1 {}` or `x = $2` take any tokens). They
 * are lexed from the argument's text (whose lexical errors quote it) and
 * placed at the use, so later errors point at $N, with a note naming it.
 */
static int pp_arg_tokens(struct pp *pp, const struct lex_tok *t,
			 const char *text, struct pp_act *a)
{
	char name[64];
	struct lexer *lx;
	struct lex_tok v;
	size_t len = strlen(text);
	int rc = 0;

	snprintf(name, sizeof(name), "<command line argument %s>", t->str);
	lx = lex_open(pp->s, diag_add_source(name, text, len), text, len);
	if (!lx)
		return pp_error(t, "out of memory");
	while (!rc && lex_next(lx, &v) != TOK_YYEOF) {
		if (v.kind == TOK_BT_YYerror) {
			pp_note_chain(t->chain);
			diag_note(&t->loc, "in command line argument %s",
				  t->str);
			rc = TOK_BT_YYerror;
		} else if (v.kind == TOK_ARG) {
			rc = pp_error(t, "command line argument %s ('%s') "
				      "names another argument", t->str,
				      text);
		} else {
			v.loc = t->loc;
			v.end_line = t->end_line;
			v.end_col = t->end_col;
			if (pp_vec_add(&a->own, &v))
				rc = pp_error(t, "out of memory");
		}
	}
	lex_close(lx);
	return rc;
}

/* "@2" becomes a string, "$#" and "@#" the count, "$2" the tokens of
 * argument 2. Read as a macro body, so errors name the argument too. */
static int pp_arg(struct pp *pp, struct lex_tok *t)
{
	struct pp_expansion *e;
	struct pp_act *a;
	struct lex_tok v = *t;
	const char *text;
	unsigned long idx;
	char num[32];
	int rc = 0;

	if (t->str[1] == '#') {
		snprintf(num, sizeof(num), "%d", pp_env.nargs);
		text = num;
	} else {
		errno = 0;
		idx = strtoul(t->str + 1, NULL, 10);
		if (idx == 0 || idx > (unsigned long)pp_env.nargs ||
		    errno)
			return pp_error(t, "command line argument index %s "
					"out of range [1-%d]", t->str + 1,
					pp_env.nargs);
		text = pp_env.args[idx - 1];
	}
	a = calloc(1, sizeof(*a));
	if (!a)
		return pp_error(t, "out of memory");
	e = ast_alloc(pp->s, sizeof(*e));
	e->use = t->loc;
	e->name = t->str;
	e->value = ast_strndup(pp->s, text, strlen(text));
	e->parent = t->chain;
	v.chain = t->chain;
	if (t->str[0] == '@') {
		v.kind = TOK_STRING;
		v.len = strlen(text);
		v.str = ast_strndup(pp->s, text, v.len);
		if (pp_vec_add(&a->own, &v))
			rc = pp_error(t, "out of memory");
	} else {
		rc = pp_arg_tokens(pp, t, text, a);
	}
	if (rc) {
		pp_act_free(a);
		return rc;
	}
	for (size_t i = 0; i < a->own.n; i++)
		a->own.v[i].chain = e;
	a->body = &a->own;
	a->scope = pp->act ? pp->act->scope : NULL;
	a->up = pp->act;
	pp->act = a;
	pp->nact++;
	return 0;
}

/* --- macros --- */

static struct pp_macro *pp_find(struct pp_macro *m, const char *name)
{
	for (; m; m = m->next)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

/* The body after %(, up to the matching %) (nested %( %) kept). */
static int pp_body(struct pp *pp, struct pp_macro *m)
{
	struct lex_tok t;
	int nest = 0;

	for (;;) {
		int k = pp_raw(pp, &t, false);

		if (k == TOK_BT_YYerror)
			return k;
		if (k == TOK_YYEOF) {
			diag_error(&m->loc, "incomplete definition of macro "
				   "'@%s': missing '%%)'", m->name);
			return TOK_BT_YYerror;
		}
		if (k == TOK_PP_OPEN)
			nest++;
		else if (k == TOK_PP_CLOSE && nest-- == 0)
			return 0;
		if (pp_vec_add(&m->body, &t))
			return pp_error(&t, "out of memory");
	}
}

static int pp_formals(struct pp *pp, struct pp_macro *m, struct lex_tok *t)
{
	for (;;) {
		char **nf;

		if (pp_raw(pp, t, false) != TOK_IDENT)
			return pp_error(t, "expected a parameter name in the "
					"definition of macro '@%s'", m->name);
		nf = realloc(m->formals, (m->nformals + 1) * sizeof(*nf));
		if (!nf)
			return pp_error(t, "out of memory");
		m->formals = nf;
		m->formals[m->nformals++] = t->str;
		pp_raw(pp, t, false);
		if (t->kind == ')')
			return 0;
		if (t->kind != ',')
			return pp_error(t, "expected ',' or ')' in the "
					"parameters of macro '@%s'", m->name);
	}
}

/* The language's own @ words: a macro must not hide them. */
static bool pp_reserved(const char *name)
{
	static const char *const words[] = {
		"define", "include", "count", "sum", "min", "max", "avg",
		"variance", "hist_log", "hist_linear", "defined", "entry",
		"cast", "var",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (!strcmp(name, words[i]))
			return true;
	return false;
}

static int pp_define(struct pp *pp, struct lex_tok *at)
{
	struct pp_macro *m, *old;
	struct lex_tok t;

	if (pp->act)
		return pp_error(at, "@define cannot be used in a macro body");
	if (pp_raw(pp, &t, false) != TOK_IDENT)
		return pp_error(&t, "expected a macro name after @define");
	old = pp_find(pp->macros, t.str);
	if (old) {
		pp_error(&t, "macro '@%s' is already defined in this file",
			 t.str);
		diag_note(&old->loc, "the first definition of '@%s'", t.str);
		return TOK_BT_YYerror;
	}
	if (pp_reserved(t.str))
		return pp_error(&t, "'@%s' cannot be redefined", t.str);
	m = calloc(1, sizeof(*m));
	if (!m)
		return pp_error(&t, "out of memory");
	m->name = t.str;
	m->loc = t.loc;
	m->next = pp->macros;
	pp->macros = m;
	if (pp_raw(pp, &t, false) == '(') {
		if (pp_formals(pp, m, &t))
			return TOK_BT_YYerror;
		pp_raw(pp, &t, false);
		if (t.kind != TOK_PP_OPEN)
			return pp_error(&t, "expected '%%(' to start the body "
					"of macro '@%s'", m->name);
	} else if (t.kind != TOK_PP_OPEN) {
		return pp_error(&t, "expected '%%(' or '(' after @define %s",
				m->name);
	}
	return pp_body(pp, m);
}

/* One argument of a use: tokens up to an unnested ',' or ')'. */
static int pp_actual(struct pp *pp, struct pp_tokvec *v, struct lex_tok *t)
{
	int nest = 0;

	for (;;) {
		int k = pp_raw(pp, t, false);

		if (k == TOK_BT_YYerror || k == TOK_YYEOF)
			return k;
		if (k == '(')
			nest++;
		else if (k == ')' && nest)
			nest--;
		else if (!nest && (k == ')' || k == ','))
			return k;
		if (pp_vec_add(v, t))
			return TOK_BT_YYerror;
	}
}

static int pp_use_error(const struct lex_tok *use, const struct pp_macro *m,
			const struct lex_tok *at, const char *fmt, int n)
{
	diag_error(&at->loc, fmt, m->name, n);
	diag_note(&use->loc, "in this use of '@%s'", m->name);
	diag_note(&m->loc, "'@%s' is defined here", m->name);
	pp_note_chain(use->chain);
	return TOK_BT_YYerror;
}

static int pp_args(struct pp *pp, struct pp_act *a, const struct lex_tok *use)
{
	const struct pp_macro *m = a->macro;
	struct lex_tok t;
	int k;

	a->args = calloc(m->nformals, sizeof(*a->args));
	if (!a->args)
		return pp_error(use, "out of memory");
	if (pp_raw(pp, &t, false) != '(')
		return pp_use_error(use, m, &t, "expected '(' after macro "
				    "'@%s', which takes %d parameter(s)",
				    m->nformals);
	for (int i = 0; i < m->nformals; i++) {
		k = pp_actual(pp, &a->args[i], &t);
		if (k == TOK_BT_YYerror)
			return k;
		if (k == TOK_YYEOF)
			return pp_use_error(use, m, use, "no end to the "
					    "parameters of macro '@%s' "
					    "(%d expected)", m->nformals);
		if (k == ',' && i + 1 == m->nformals)
			return pp_use_error(use, m, &t, "too many parameters "
					    "for macro '@%s' (%d expected)",
					    m->nformals);
		if (k == ')' && i + 1 < m->nformals)
			return pp_use_error(use, m, &t, "too few parameters "
					    "for macro '@%s' (%d expected)",
					    m->nformals);
	}
	return 0;
}

static int pp_param_index(const struct pp_act *scope, const char *name)
{
	if (!scope || !scope->macro)
		return -1;
	for (int i = 0; i < scope->macro->nformals; i++)
		if (!strcmp(scope->macro->formals[i], name))
			return i;
	return -1;
}

static int pp_push(struct pp *pp, struct pp_act *a, const struct lex_tok *t)
{
	a->up = pp->act;
	pp->act = a;
	if (++pp->nact <= PP_MAX_EXPANSION)
		return 0;
	pp_error(t, "macro expansion nested too deeply (more than %d "
		 "levels): is '%s' recursive?", PP_MAX_EXPANSION, t->str);
	return TOK_BT_YYerror;
}

/* @NAME: a parameter of the macro being read, a macro of this file or
 * of the library, or (returns 1) an operator like @count. */
static int pp_expand(struct pp *pp, struct lex_tok *t)
{
	struct pp_act *scope = pp->act ? pp->act->scope : NULL;
	const char *name = t->str + 1;
	struct pp_expansion *e;
	struct pp_macro *m = NULL;
	struct pp_act *a;
	int i = pp_param_index(scope, name);

	if (i < 0) {
		/* Library macros see only the library, as in stap. */
		if (!(scope && scope->macro && scope->macro->library))
			m = pp_find(pp->macros, name);
		if (!m)
			m = pp_find(pp_env.lib, name);
		if (!m)
			return 1;
	}
	a = calloc(1, sizeof(*a));
	if (!a)
		return pp_error(t, "out of memory");
	if (i >= 0) {
		/* A parameter: its tokens as written at the use, read
		 * with the parameters of that place. */
		a->body = &scope->args[i];
		a->scope = scope->caller;
		return pp_push(pp, a, t);
	}
	e = ast_alloc(pp->s, sizeof(*e));
	e->use = t->loc;
	e->def = m->loc;
	e->name = t->str;
	e->is_macro = true;
	e->parent = t->chain;
	a->macro = m;
	a->body = &m->body;
	a->exp = e;
	a->caller = scope;
	a->scope = a;
	if (m->nformals && pp_args(pp, a, t)) {
		pp_act_free(a);
		return TOK_BT_YYerror;
	}
	return pp_push(pp, a, t);
}

/*
 * Layer 1: macros, arguments and includes. While skipping a branch,
 * nothing is expanded or reported: the tokens only have to be counted.
 */
static int pp1_next(struct pp *pp, struct lex_tok *t, bool skipping)
{
	int k, rc;

	for (;;) {
		k = pp_raw(pp, t, skipping);
		if (k == TOK_YYEOF && pp->act) {
			pp_act_pop(pp);
			continue;
		}
		if (skipping || (k != TOK_ARG && k != TOK_AT_OP))
			return k;
		if (k == TOK_ARG)
			rc = pp_arg(pp, t);
		else if (!strcmp(t->str, "@define"))
			rc = pp_define(pp, t);
		else if (!strcmp(t->str, "@include"))
			rc = pp_include(pp, t);
		else
			rc = pp_expand(pp, t);
		if (rc == 1)
			return k;
		if (rc)
			return TOK_BT_YYerror;
	}
}

struct bt_script *pp_lib_arena(void)
{
	if (!pp_env.lib_arena)
		pp_env.lib_arena = ast_script_new();
	return pp_env.lib_arena;
}

int pp_export_macros(struct pp *pp)
{
	struct pp_macro *m, *old;

	for (m = pp->macros; m; m = m->next) {
		old = pp_find(pp_env.lib, m->name);
		if (old) {
			diag_error(&m->loc, "duplicate definition of library "
				   "macro '@%s'", m->name);
			diag_note(&old->loc, "the first definition of '@%s'",
				  m->name);
			return -1;
		}
	}
	while ((m = pp->macros)) {
		pp->macros = m->next;
		m->library = true;
		m->next = pp_env.lib;
		pp_env.lib = m;
	}
	return 0;
}

/* --- conditions --- */

static const char *pp_config_value(const char *name)
{
	static char value[256];
	size_t n = strlen(name);
	const char *p;

	if (!pp_env.config_loaded) {
		size_t len;

		pp_env.config_loaded = true;
		pp_env.config = pp_env.read_config ?
				pp_env.read_config(&len) : NULL;
		if (!pp_env.config) {
			char path[256];
			FILE *f;

			pp_uname();
			snprintf(path, sizeof(path), "/boot/config-%s",
				 pp_env.release);
			f = fopen(path, "r");
			if (f) {
				pp_env.config = calloc(1, 4 << 20);
				if (pp_env.config &&
				    !fread(pp_env.config, 1, (4 << 20) - 1,
					   f))
					pp_env.config[0] = 0;
				fclose(f);
			}
		}
	}
	for (p = pp_env.config; p && *p; p = strchr(p, '\n'), p = p ? p + 1 :
	     NULL) {
		if (!strncmp(p, name, n) && p[n] == '=') {
			size_t len = strcspn(p + n + 1, "\n");

			snprintf(value, sizeof(value), "%.*s", (int)len,
				 p + n + 1);
			return value;
		}
	}
	return "";
}

/* stap's names: i386 for every i?86, arm64, powerpc, ... */
static const char *pp_arch(void)
{
	static const struct { const char *pat, *arch; } map[] = {
		{ "i?86", "i386" }, { "aarch64", "arm64" },
		{ "arm*", "arm" }, { "ppc*", "powerpc" },
		{ "s390*", "s390" }, { "sparc*", "sparc" },
		{ "mips*", "mips" }, { "sh[0-9]*", "sh" },
	};

	pp_uname();
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!fnmatch(map[i].pat, pp_env.machine, 0))
			return map[i].arch;
	return pp_env.machine;
}

static bool pp_is_cmp(int op)
{
	return op == TOK_EQ || op == TOK_NE || op == '<' || op == '>' ||
	       op == TOK_LE || op == TOK_GE;
}

static bool pp_cmp(int op, int c)
{
	switch (op) {
	case TOK_EQ: return c == 0;
	case TOK_NE: return c != 0;
	case '<': return c < 0;
	case '>': return c > 0;
	case TOK_LE: return c <= 0;
	default: return c >= 0;
	}
}

/* kernel_v, kernel_vr, systemtap_v: strverscmp, or fnmatch when the
 * right side has wildcards (== and != only), as in stap. */
static int pp_version(const char *have, const struct lex_tok *op,
		      const struct lex_tok *r, bool *v)
{
	int c;

	if (strpbrk(r->str, "*?[")) {
		if (op->kind != TOK_EQ && op->kind != TOK_NE)
			return pp_error(op, "wildcards can only be compared "
					"with '==' or '!='");
		*v = !fnmatch(r->str, have, FNM_NOESCAPE) ==
		     (op->kind == TOK_EQ);
		return 0;
	}
	c = strverscmp(have, r->str);
	*v = pp_cmp(op->kind, c);
	return 0;
}

/* arch, runtime, systemtap_privilege, CONFIG_x with a string: == and
 * != with wildcards. */
static int pp_match(const char *have, const struct lex_tok *op,
		    const struct lex_tok *r, bool *v)
{
	if (op->kind != TOK_EQ && op->kind != TOK_NE)
		return pp_error(op, "expected '==' or '!='");
	*v = !fnmatch(r->str, have, FNM_NOESCAPE) == (op->kind == TOK_EQ);
	return 0;
}

static bool pp_number(const char *s, long long *n)
{
	char *end;

	errno = 0;
	*n = strtoll(s, &end, 0);
	return *s && !*end && !errno;
}

static int pp_config(const struct lex_tok *l, const struct lex_tok *op,
		     const struct lex_tok *r, bool *v)
{
	const char *have = pp_config_value(l->str);
	long long a, b;
	char lhs[256];

	if (r->kind == TOK_STRING)
		return pp_match(have, op, r, v);
	if (r->kind == TOK_NUMBER) {
		if (!pp_number(have, &a))
			return pp_error(l, "the value of %s is not a number: "
					"'%s'", l->str, have);
		*v = pp_cmp(op->kind, a < r->num ? -1 : a > r->num);
		return 0;
	}
	if (r->kind == TOK_IDENT && !strncmp(r->str, "CONFIG_", 7)) {
		snprintf(lhs, sizeof(lhs), "%s", have);
		have = pp_config_value(r->str);
		if (pp_number(lhs, &a) && pp_number(have, &b))
			*v = pp_cmp(op->kind, a < b ? -1 : a > b);
		else
			*v = pp_cmp(op->kind, strcmp(lhs, have));
		return 0;
	}
	return pp_error(r, "expected a string, a number or a CONFIG_ option "
			"to compare %s with", l->str);
}

static int pp_need_string(const struct lex_tok *l, const struct lex_tok *r)
{
	if (r->kind == TOK_STRING)
		return 0;
	return pp_error(r, "expected a string literal to compare %s with",
			l->str);
}

static int pp_compare(const struct lex_tok *l, const struct lex_tok *op,
		      const struct lex_tok *r, bool *v)
{
	const char *w = l->kind == TOK_IDENT ? l->str : "";

	if (!pp_is_cmp(op->kind))
		return pp_error(op, "expected a comparison operator, not %s",
				pp_tok_text(op));
	pp_uname();
	if (!strcmp(w, "kernel_v") || !strcmp(w, "kernel_vr") ||
	    !strcmp(w, "systemtap_v")) {
		char base[128];

		if (pp_need_string(l, r))
			return TOK_BT_YYerror;
		snprintf(base, sizeof(base), "%.*s",
			 (int)strcspn(pp_env.release, "-"), pp_env.release);
		return pp_version(!strcmp(w, "kernel_v") ? base :
				  !strcmp(w, "kernel_vr") ? pp_env.release :
				  pp_systemtap_v, op, r, v);
	}
	if (!strcmp(w, "arch") || !strcmp(w, "runtime") ||
	    !strcmp(w, "systemtap_privilege")) {
		if (pp_need_string(l, r))
			return TOK_BT_YYerror;
		/* bpftap runs as root only: stap's "stapdev". */
		return pp_match(!strcmp(w, "arch") ? pp_arch() :
				!strcmp(w, "runtime") ? "bpf" : "stapdev",
				op, r, v);
	}
	if (!strncmp(w, "CONFIG_", 7))
		return pp_config(l, op, r, v);
	if (l->kind == TOK_STRING && r->kind == TOK_STRING) {
		*v = pp_cmp(op->kind, strcmp(l->str, r->str));
		return 0;
	}
	if (l->kind == TOK_NUMBER && r->kind == TOK_NUMBER) {
		*v = pp_cmp(op->kind, l->num < r->num ? -1 : l->num > r->num);
		return 0;
	}
	if (l->kind == TOK_STRING || l->kind == TOK_NUMBER)
		return pp_error(r, "expected a %s to compare with",
				l->kind == TOK_STRING ? "string literal" :
				"number");
	return pp_error(l, "expected kernel_v, kernel_vr, arch, runtime, "
			"systemtap_v, systemtap_privilege, CONFIG_..., "
			"defined(@NAME) or a comparison of strings or "
			"numbers in a %%( condition");
}

/* defined(@NAME) (or @defined(@NAME)): is there such a macro? */
static int pp_defined(struct pp *pp, const struct lex_tok *open, bool *v)
{
	struct lex_tok t;

	if (pp1_next(pp, &t, false) != '(')
		return pp_error(&t, "expected '(' after defined");
	if (pp1_next(pp, &t, true) != TOK_AT_OP)
		return pp_error(&t, "expected a macro name (@NAME) in "
				"defined()");
	*v = pp_find(pp->macros, t.str + 1) || pp_find(pp_env.lib, t.str + 1);
	if (pp1_next(pp, &t, false) != ')')
		return pp_error(&t, "expected ')' after defined(%s",
				"@NAME");
	(void)open;
	return 0;
}

static int pp_term(struct pp *pp, const struct lex_tok *open, bool *v)
{
	struct lex_tok l, op, r;

	if (pp1_next(pp, &l, false) == TOK_BT_YYerror)
		return TOK_BT_YYerror;
	if ((l.kind == TOK_IDENT && !strcmp(l.str, "defined")) ||
	    (l.kind == TOK_AT_OP && !strcmp(l.str, "@defined")))
		return pp_defined(pp, open, v);
	if (l.kind == TOK_YYEOF ||
	    pp1_next(pp, &op, false) == TOK_YYEOF ||
	    pp1_next(pp, &r, false) == TOK_YYEOF)
		return pp_error(open, "incomplete condition after '%%('");
	if (op.kind == TOK_BT_YYerror || r.kind == TOK_BT_YYerror)
		return TOK_BT_YYerror;
	if (l.kind == TOK_PP_THEN || op.kind == TOK_PP_THEN ||
	    r.kind == TOK_PP_THEN)
		return pp_error(l.kind == TOK_PP_THEN ? &l :
				op.kind == TOK_PP_THEN ? &op : &r,
				"incomplete condition: expected LEFT "
				"OPERATOR RIGHT before '%%?'");
	return pp_compare(&l, &op, &r, v);
}

/* After %(: terms joined by && and || (&& binds tighter), up to %?. */
static int pp_condition(struct pp *pp, const struct lex_tok *open,
			bool *result)
{
	bool all = true, v = false;
	struct lex_tok n;

	*result = false;
	for (;;) {
		if (pp_term(pp, open, &v))
			return TOK_BT_YYerror;
		all = all && v;
		pp1_next(pp, &n, false);
		if (n.kind == TOK_ANDAND)
			continue;
		*result = *result || all;
		all = true;
		if (n.kind == TOK_OROR)
			continue;
		if (n.kind == TOK_BT_YYerror)
			return TOK_BT_YYerror;
		if (n.kind != TOK_PP_THEN)
			return pp_error(&n, "expected '%%?' after the "
					"condition, not %s", pp_tok_text(&n));
		return 0;
	}
}

/* A branch not taken: up to its %: or %), over nested conditionals. */
static int pp_skip(struct pp *pp, struct lex_tok *t)
{
	int nest = 0;

	for (;;) {
		int k = pp1_next(pp, t, true);

		if (k == TOK_YYEOF)
			return k;
		if (k == TOK_PP_OPEN)
			nest++;
		else if (k == TOK_PP_CLOSE && nest)
			nest--;
		else if (!nest && (k == TOK_PP_CLOSE || k == TOK_PP_ELSE ||
				   k == TOK_PP_THEN))
			return k;
	}
}

static int pp_cond_push(struct pp *pp, const struct lex_tok *open)
{
	struct pp_cond *c;
	bool v;

	if (pp_condition(pp, open, &v))
		return TOK_BT_YYerror;
	c = calloc(1, sizeof(*c));
	if (!c)
		return pp_error(open, "out of memory");
	c->open = open->loc;
	c->state = v ? PP_KEEP_THEN : PP_SKIP_THEN;
	c->up = pp->cond;
	pp->cond = c;
	return 0;
}

static int pp_cond_token(struct pp *pp, struct lex_tok *t)
{
	struct pp_cond *c = pp->cond;

	if (t->kind == TOK_PP_OPEN)
		return pp_cond_push(pp, t);
	if (!c)
		return pp_error(t, "'%s' without a '%%(' before it",
				t->kind == TOK_PP_THEN ? "%?" :
				t->kind == TOK_PP_ELSE ? "%:" : "%)");
	if (t->kind == TOK_PP_THEN)
		return pp_error(t, "a second '%%?' in one conditional");
	if (t->kind == TOK_PP_ELSE) {
		if (c->state == PP_KEEP_ELSE || c->state == PP_SKIP_ELSE)
			return pp_error(t, "a second '%%:' in one "
					"conditional");
		c->state = c->state == PP_KEEP_THEN ? PP_SKIP_ELSE :
						      PP_KEEP_ELSE;
		return 0;
	}
	pp->cond = c->up;
	free(c);
	return 0;
}

/* %{ followed by a bpf comment: stap's BPF assembly, not C. */
static bool pp_is_bpf_asm(const char *text)
{
	text += 2;
	while (*text == ' ' || *text == '\t' || *text == '\n')
		text++;
	return !strncmp(text, "/* bpf */", 9);
}

int pp_next(struct pp *pp, struct lex_tok *t)
{
	for (;;) {
		enum pp_state st = pp->cond ? pp->cond->state : PP_KEEP_THEN;
		int k;

		if (st == PP_SKIP_THEN || st == PP_SKIP_ELSE)
			k = pp_skip(pp, t);
		else
			k = pp1_next(pp, t, false);
		if (k == TOK_YYEOF && pp->cond) {
			diag_error(&pp->cond->open, "conditional not closed: "
				   "missing '%%)' before the end of the "
				   "file");
			return TOK_BT_YYerror;
		}
		if (k == TOK_EMBEDDED && t->str && pp_is_bpf_asm(t->str))
			return pp_error(t, "embedded BPF assembly (%%{ /* bpf "
					"*/ ... %%}) is not supported: bpftap "
					"does not take stap's assembler; write "
					"the function in the script language");
		if (k == TOK_EMBEDDED)
			return pp_error(t, "embedded C code (%%{ ... %%}) is "
					"not supported: BPF programs cannot "
					"run C");
		if (k != TOK_PP_OPEN && k != TOK_PP_THEN &&
		    k != TOK_PP_ELSE && k != TOK_PP_CLOSE)
			return k;
		if (pp_cond_token(pp, t))
			return TOK_BT_YYerror;
	}
}
