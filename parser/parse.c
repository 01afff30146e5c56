// SPDX-License-Identifier: GPL-2.0
/*
 * Pass 1 entry points: read a source, register it with diag, run the
 * grammar, and refuse trees too deep for the recursive passes after us.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "diag.h"
#include "lexer.h"
#include "parse.h"
#include "parse_int.h"
#include "preproc.h"
#include "parser/grammar.h"

/* Larger inputs are refused: flex indexes its buffer with an int. */
#define PARSE_MAX_INPUT	(256 * 1024 * 1024)
/* A file read as a script (the main one, @include, -I libraries): the
 * bound bpftap sets on its inputs (runtime/checks.c). */
#define PARSE_MAX_FILE	(16 * 1024 * 1024)

/*
 * The walk is bounded by the limit itself (it never descends past
 * PARSE_MAX_DEPTH), so it is safe on any tree the grammar can build,
 * including long left-leaning chains like 1+1+...+1.
 */
static bool depth_expr(const struct bt_expr *e, int depth);

static bool depth_fail(const struct bt_loc *loc)
{
	diag_error(loc, "nesting too deep (more than %d levels)",
		   PARSE_MAX_DEPTH);
	return false;
}

static bool depth_list(const struct bt_expr *e, int depth)
{
	for (; e; e = e->next)
		if (!depth_expr(e, depth))
			return false;
	return true;
}

static bool depth_expr(const struct bt_expr *e, int depth)
{
	if (!e)
		return true;
	if (depth > PARSE_MAX_DEPTH)
		return depth_fail(&e->loc);
	return depth_expr(e->left, depth + 1) &&
	       depth_expr(e->right, depth + 1) &&
	       depth_expr(e->cond, depth + 1) &&
	       depth_expr(e->base, depth + 1) &&
	       depth_list(e->keys, depth + 1) &&
	       depth_list(e->args, depth + 1) &&
	       depth_list(e->members, depth + 1);
}

static bool depth_stmt(const struct bt_stmt *st, int depth)
{
	for (; st; st = st->next) {
		if (depth > PARSE_MAX_DEPTH)
			return depth_fail(&st->loc);
		if (!depth_expr(st->expr, depth + 1) ||
		    !depth_expr(st->cond, depth + 1) ||
		    !depth_stmt(st->init, depth + 1) ||
		    !depth_expr(st->step, depth + 1) ||
		    !depth_stmt(st->body, depth + 1) ||
		    !depth_stmt(st->else_body, depth + 1) ||
		    !depth_expr(st->value_var, depth + 1) ||
		    !depth_list(st->keys, depth + 1) ||
		    !depth_expr(st->array, depth + 1) ||
		    !depth_list(st->slice, depth + 1) ||
		    !depth_expr(st->hist, depth + 1) ||
		    !depth_expr(st->limit, depth + 1) ||
		    !depth_expr(st->catch_var, depth + 1))
			return false;
	}
	return true;
}

static int parse_check_depth(struct bt_func *f, struct bt_probe *p)
{
	for (; f; f = f->next)
		if (!depth_stmt(f->body, 1))
			return -1;
	for (; p; p = p->next)
		if (!depth_stmt(p->body, 1))
			return -1;
	return 0;
}

static struct pp *parse_open(struct bt_script *s, const char *file,
			     const char *text, size_t len)
{
	struct lexer *lx = lex_open(s, file, text, len);
	struct pp *pp = lx ? pp_open(s, lx) : NULL;

	if (!pp) {
		lex_close(lx);
		fprintf(stderr, "bpftap: error: out of memory\n");
	}
	return pp;
}

int parse_string(struct bt_script *s, const char *name, const char *text,
		 size_t len)
{
	struct parse_ctx ctx = { .s = s };
	struct bt_func **ftail;
	struct bt_probe **ptail;
	int rc;

	if (len > PARSE_MAX_INPUT) {
		fprintf(stderr, "bpftap: error: %s: input too large (more "
			"than %d MiB)\n", name, PARSE_MAX_INPUT >> 20);
		return -1;
	}
	ctx.file = diag_add_source(name, text, len);
	if (!s->main_file)
		s->main_file = ctx.file;
	for (ctx.gtail = &s->globals; *ctx.gtail; )
		ctx.gtail = &(*ctx.gtail)->next;
	for (ctx.ftail = &s->funcs; *ctx.ftail; )
		ctx.ftail = &(*ctx.ftail)->next;
	for (ctx.ptail = &s->probes; *ctx.ptail; )
		ctx.ptail = &(*ctx.ptail)->next;
	ftail = ctx.ftail;
	ptail = ctx.ptail;
	ctx.pp = parse_open(s, ctx.file, text, len);
	if (!ctx.pp)
		return -1;
	rc = parse_run(&ctx);
	pp_close(ctx.pp);
	if (rc == 0)
		rc = parse_check_depth(*ftail, *ptail);
	return rc;
}

/*
 * Open a file to read as a script: a regular file of at most
 * PARSE_MAX_FILE bytes. O_NONBLOCK, so that a FIFO is refused instead of
 * waiting for a writer (it changes nothing for a regular file).
 */
static FILE *parse_open_file(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	const char *why = NULL;
	FILE *f;

	if (fd < 0) {
		fprintf(stderr, "bpftap: error: %s: %s\n", path,
			strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st))
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	if (!why && st.st_size > PARSE_MAX_FILE) {
		fprintf(stderr, "bpftap: error: %s: too large (%lld bytes; "
			"at most %d MiB)\n", path, (long long)st.st_size,
			PARSE_MAX_FILE >> 20);
		close(fd);
		return NULL;
	}
	f = why ? NULL : fdopen(fd, "rb");
	if (!f) {
		fprintf(stderr, "bpftap: error: %s: %s\n", path,
			why ? why : strerror(errno));
		close(fd);
	}
	return f;
}

char *parse_read(const char *path, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0, n = 0, got;
	FILE *f = parse_open_file(path);

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			char *nb;

			cap = cap ? cap * 2 : 64 * 1024;
			if (cap > (size_t)PARSE_MAX_FILE + 1)
				cap = (size_t)PARSE_MAX_FILE + 1;
			if (n == cap)
				break;
			nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f) || !buf || n > PARSE_MAX_FILE) {
		/* (a file that grew past the bound while being read) */
		fprintf(stderr, "bpftap: error: %s: %s\n", path,
			n > PARSE_MAX_FILE ? "too large" :
			buf ? strerror(errno) : "out of memory");
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

int parse_file(struct bt_script *s, const char *path)
{
	size_t len;
	char *text = parse_read(path, &len);
	int rc;

	if (!text)
		return -1;
	rc = parse_string(s, path, text, len);
	free(text);
	return rc;
}

/*
 * A macro library (*.stpm, as in stap): @define only, whose macros every
 * file then sees. The tokens live in an arena of their own, kept until
 * parse_reset_env().
 */
int parse_macro_file(const char *path)
{
	struct bt_script *arena = pp_lib_arena();
	struct lex_tok t;
	struct pp *pp;
	size_t len;
	char *text = parse_read(path, &len);
	int rc = -1;

	if (!text || !arena) {
		free(text);
		return -1;
	}
	pp = parse_open(arena, diag_add_source(path, text, len), text, len);
	free(text);
	if (!pp)
		return -1;
	switch (pp_next(pp, &t)) {
	case TOK_YYEOF:
		rc = pp_export_macros(pp);
		break;
	case TOK_BT_YYerror:
		break;
	default:
		diag_error(&t.loc, "a macro library (.stpm) may only hold "
			   "@define");
		break;
	}
	pp_close(pp);
	return rc;
}
