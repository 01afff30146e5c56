/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The preprocessor (internal to the parser): a token filter between the
 * lexer and the grammar, as in stap, where it also works on tokens.
 *
 * Bottom up: the sources (the file and the files it @includes, a stack
 * of lexers), then macros and script arguments (@define, @NAME(...),
 * $1 @1 $# @#), then conditionals (%( COND %? THEN %: ELSE %)), whose
 * skipped branches are read without expanding anything, so that they
 * may hold what this machine cannot compile.
 *
 * Tokens keep the location where their text is written; tokens of a
 * macro body or a script argument also point to the expansion they come
 * from, so that an error can name the use as well.
 */
#ifndef BPFTAP_PREPROC_H
#define BPFTAP_PREPROC_H

#include "ast.h"
#include "lexer.h"

struct pp_expansion {
	struct bt_loc use;		/* where @NAME or $N is written */
	struct bt_loc def;		/* macros: the name in @define */
	const char *name;		/* "@NAME" or "$1" */
	const char *value;		/* arguments: their text */
	bool is_macro;
	const struct pp_expansion *parent;
};

struct pp;

/* Takes over `lx` (closed by pp_close). */
struct pp *pp_open(struct bt_script *s, struct lexer *lx);
/* The next token for the grammar; TOK_BT_YYerror after a message. */
int pp_next(struct pp *pp, struct lex_tok *tok);
void pp_close(struct pp *pp);
/* --compatible=VERSION: the systemtap_v conditionals see (digits and
 * dots, kept, not copied); -1 when malformed. */
int pp_set_compatible(const char *version);
/* Notes naming the uses a token was expanded from, innermost first. */
void pp_note_chain(const struct pp_expansion *e);
/* Makes the macros pp defined library macros, visible in every file;
 * -1 after a message when one is defined twice. */
int pp_export_macros(struct pp *pp);
/* Where the tokens of library macros live (NULL: out of memory). */
struct bt_script *pp_lib_arena(void);

#endif
