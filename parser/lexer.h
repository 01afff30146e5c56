/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scanner behind the grammar (internal to the parser and its tests).
 *
 * lex_next() hands out tokens with their decoded values: numbers with
 * their radix, strings with escapes decoded and adjacent literals already
 * joined, identifiers and keywords. Lexical errors are reported through
 * diag here, and the token kind is then TOK_BT_YYerror so that the parser
 * stops without adding a second message.
 */
#ifndef BPFTAP_LEXER_H
#define BPFTAP_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ast.h"

struct pp_expansion;

struct lex_tok {
	int kind;		/* a TOK_ kind of grammar.h; TOK_YYEOF at end */
	struct bt_loc loc;	/* first byte of the token */
	int end_line;		/* last byte of the token */
	int end_col;
	char *str;		/* identifier, keyword, $target, @op, string
				 * (arena memory, NUL-terminated) */
	size_t len;		/* string literals: decoded length */
	int64_t num;		/* numbers: the value (wrapped above
				 * INT64_MAX, as stap allows) */
	int radix;		/* numbers: 10, 16 or 8 */
	/* Tokens of a macro body or a script argument: the expansion
	 * they come from (struct pp_expansion, preproc.h), else NULL. */
	const struct pp_expansion *chain;
};

struct lexer;

/* `file` must be interned (diag_add_source or diag_intern); `text` must
 * stay alive until lex_close(). Strings are allocated from `s`. */
struct lexer *lex_open(struct bt_script *s, const char *file,
		       const char *text, size_t len);
int lex_next(struct lexer *lx, struct lex_tok *tok);
/* While quiet, lexical errors give TOK_BT_YYerror without a message:
 * the preprocessor skips a branch that is never compiled. */
void lex_set_quiet(struct lexer *lx, bool quiet);
const char *lex_file(const struct lexer *lx);
void lex_close(struct lexer *lx);

#endif
