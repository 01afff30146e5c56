/* SPDX-License-Identifier: GPL-2.0 */
/* State shared by the grammar actions and parse.c (internal). */
#ifndef BPFTAP_PARSE_INT_H
#define BPFTAP_PARSE_INT_H

#include "ast.h"
#include "lexer.h"

struct parse_ctx {
	struct bt_script *s;
	struct pp *pp;			/* the token source */
	const struct pp_expansion *last_chain;	/* of the last token */
	const char *file;		/* interned */
	/* Where the next top-level item of each kind is linked. */
	struct bt_global **gtail;
	struct bt_func **ftail;
	struct bt_probe **ptail;
};

int parse_run(struct parse_ctx *ctx);

#endif
