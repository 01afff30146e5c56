// SPDX-License-Identifier: GPL-2.0
/*
 * The AST arena and node constructors.
 *
 * Nodes are never freed one by one: every pass can keep pointers into the
 * tree without caring about ownership, and freeing a script is one walk
 * over a handful of chunks.
 */
#include <stdlib.h>
#include <string.h>
#include "ast.h"

#define ARENA_CHUNK	(64 * 1024)
#define ARENA_ALIGN	16

struct arena_chunk {
	struct arena_chunk *next;
	size_t used;
	size_t size;
	/* Keep the payload aligned for any node type. */
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct bt_arena {
	struct arena_chunk *chunks;	/* newest first */
};

static void *ast_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	/* Out of memory is not something a compiler pass can recover from. */
	if (!p) {
		fputs("bpftap: error: out of memory\n", stderr);
		abort();
	}
	return p;
}

struct bt_script *ast_script_new(void)
{
	struct bt_script *s = ast_xcalloc(1, sizeof(*s));

	s->arena = ast_xcalloc(1, sizeof(*s->arena));
	return s;
}

void ast_script_free(struct bt_script *s)
{
	struct arena_chunk *c, *next;

	if (!s)
		return;
	for (c = s->arena->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(s->arena);
	free(s);
}

static struct arena_chunk *arena_new_chunk(struct bt_arena *a, size_t size)
{
	struct arena_chunk *c;

	c = ast_xcalloc(1, sizeof(*c) + size);
	c->size = size;
	c->next = a->chunks;
	a->chunks = c;
	return c;
}

void *ast_alloc(struct bt_script *s, size_t size)
{
	struct bt_arena *a = s->arena;
	struct arena_chunk *c = a->chunks;
	size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	void *p;

	if (need == 0)
		need = ARENA_ALIGN;
	/*
	 * A big request gets a chunk of its own, pushed behind the current
	 * one so that the small allocations keep filling the current chunk.
	 */
	if (need > ARENA_CHUNK / 4) {
		struct arena_chunk *big = ast_xcalloc(1, sizeof(*big) + need);

		big->size = need;
		big->used = need;
		if (c) {
			big->next = c->next;
			c->next = big;
		} else {
			a->chunks = big;
		}
		return big->data;
	}
	if (!c || c->size - c->used < need)
		c = arena_new_chunk(a, ARENA_CHUNK);
	/* Chunks come zeroed from calloc and are never reused. */
	p = c->data + c->used;
	c->used += need;
	return p;
}

char *ast_strndup(struct bt_script *s, const char *str, size_t len)
{
	char *p = ast_alloc(s, len + 1);

	memcpy(p, str, len);
	p[len] = 0;
	return p;
}

char *ast_strdup(struct bt_script *s, const char *str)
{
	return ast_strndup(s, str, strlen(str));
}

struct bt_expr *ast_expr(struct bt_script *s, enum bt_expr_kind kind,
			 struct bt_loc loc)
{
	struct bt_expr *e = ast_alloc(s, sizeof(*e));

	e->kind = kind;
	e->loc = loc;
	return e;
}

struct bt_stmt *ast_stmt(struct bt_script *s, enum bt_stmt_kind kind,
			 struct bt_loc loc)
{
	struct bt_stmt *st = ast_alloc(s, sizeof(*st));

	st->kind = kind;
	st->loc = loc;
	return st;
}

const char *ast_op_str(enum bt_op op)
{
	static const char *const names[] = {
		[OP_NONE] = "=",
		[OP_ADD] = "+", [OP_SUB] = "-", [OP_MUL] = "*",
		[OP_DIV] = "/", [OP_MOD] = "%",
		[OP_SHL] = "<<", [OP_SHR] = ">>", [OP_USHR] = ">>>",
		[OP_BAND] = "&", [OP_BOR] = "|", [OP_BXOR] = "^",
		[OP_LAND] = "&&", [OP_LOR] = "||",
		[OP_CONCAT] = ".",
		[OP_LT] = "<", [OP_GT] = ">", [OP_LE] = "<=", [OP_GE] = ">=",
		[OP_EQ] = "==", [OP_NE] = "!=",
		[OP_NEG] = "-", [OP_PLUS] = "+", [OP_BNOT] = "~",
		[OP_LNOT] = "!",
		[OP_AGG] = "<<<",
		[OP_MATCH] = "=~",
		[OP_NMATCH] = "!~",
	};

	if ((unsigned)op < sizeof(names) / sizeof(names[0]) && names[op])
		return names[op];
	return "?";
}

const char *ast_stat_str(enum bt_stat_op op)
{
	switch (op) {
	case STAT_COUNT: return "@count";
	case STAT_SUM: return "@sum";
	case STAT_MIN: return "@min";
	case STAT_MAX: return "@max";
	case STAT_AVG: return "@avg";
	case STAT_VARIANCE: return "@variance";
	}
	return "@?";
}

const char *ast_type_str(enum bt_type t)
{
	switch (t) {
	case BT_UNKNOWN: return "unknown";
	case BT_LONG: return "long";
	case BT_STRING: return "string";
	case BT_STATS: return "stats";
	case BT_VOID: return "void";
	}
	return "?";
}

bool ast_literal_num(const struct bt_expr *e, int64_t *v)
{
	if (e && e->kind == E_NUM) {
		*v = e->num;
		return true;
	}
	if (e && e->kind == E_UNARY && e->op == OP_NEG && e->left &&
	    e->left->kind == E_NUM) {
		*v = (int64_t)-(uint64_t)e->left->num;
		return true;
	}
	return false;
}
