// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the scanner: values, locations, joined strings, errors. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "parser/ast.h"
#include "parser/diag.h"
#include "parser/lexer.h"
#include "parser/parse.h"
#include "parser/grammar.h"

#define MAX_TOKS 64

struct lexed {
	struct bt_script *s;
	struct lex_tok tok[MAX_TOKS];
	int n;			/* tokens before the end (errors included) */
	char err[4096];		/* what diag printed */
};

static struct lexed lx_result;

/* Scans the whole text, capturing stderr, which diag writes to. */
static struct lexed *lex_all(const char *text, size_t len)
{
	struct lexed *r = &lx_result;
	struct lexer *lx;
	FILE *tmp = tmpfile();
	int saved = dup(2);
	size_t got;

	ck_assert_ptr_nonnull(tmp);
	memset(r, 0, sizeof(*r));
	r->s = ast_script_new();
	fflush(stderr);
	dup2(fileno(tmp), 2);
	lx = lex_open(r->s, diag_add_source("t.stp", text, len), text, len);
	ck_assert_ptr_nonnull(lx);
	while (r->n < MAX_TOKS) {
		int k = lex_next(lx, &r->tok[r->n]);

		if (k == TOK_YYEOF)
			break;
		r->n++;
	}
	lex_close(lx);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	got = fread(r->err, 1, sizeof(r->err) - 1, tmp);
	r->err[got] = 0;
	fclose(tmp);
	return r;
}

static struct lexed *lex_str(const char *text)
{
	return lex_all(text, strlen(text));
}

static void lex_done(void)
{
	ast_script_free(lx_result.s);
	lx_result.s = NULL;
	diag_reset();
}

static void check_num(const struct lex_tok *t, int64_t v, int radix)
{
	ck_assert_int_eq(t->kind, TOK_NUMBER);
	ck_assert_int_eq(t->num, v);
	ck_assert_int_eq(t->radix, radix);
}

START_TEST(test_numbers)
{
	struct lexed *r = lex_str("0 7 010 0x1F 0XfF 1234567890 0777 "
				  "18446744073709551615 0xffffffffffffffff "
				  "9223372036854775807 00");

	ck_assert_int_eq(r->n, 11);
	check_num(&r->tok[0], 0, 10);
	check_num(&r->tok[1], 7, 10);
	check_num(&r->tok[2], 8, 8);
	check_num(&r->tok[3], 31, 16);
	check_num(&r->tok[4], 255, 16);
	check_num(&r->tok[5], 1234567890, 10);
	check_num(&r->tok[6], 511, 8);
	check_num(&r->tok[7], -1, 10);
	check_num(&r->tok[8], -1, 16);
	check_num(&r->tok[9], INT64_MAX, 10);
	check_num(&r->tok[10], 0, 8);
	ck_assert_str_eq(r->err, "");
	lex_done();
}
END_TEST

START_TEST(test_number_errors)
{
	static const struct {
		const char *text;
		const char *msg;
	} cases[] = {
		{ "08", "t.stp:1:1: error: invalid octal number '08'" },
		{ "0x", "t.stp:1:1: error: invalid hexadecimal number '0x'" },
		{ "0xfg", "t.stp:1:1: error: invalid hexadecimal number" },
		{ "12ab", "t.stp:1:1: error: invalid decimal number '12ab'" },
		{ "  18446744073709551616",
		  "t.stp:1:3: error: number '18446744073709551616' is out of "
		  "range" },
		{ "0x10000000000000000", "is out of range" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lexed *r = lex_str(cases[i].text);

		ck_assert_int_eq(r->n, 1);
		ck_assert_int_eq(r->tok[0].kind, TOK_BT_YYerror);
		ck_assert_msg(strstr(r->err, cases[i].msg), "%s: got '%s'",
			      cases[i].text, r->err);
		lex_done();
	}
}
END_TEST

static void check_str(const struct lex_tok *t, const char *bytes,
		      size_t len)
{
	ck_assert_int_eq(t->kind, TOK_STRING);
	ck_assert_uint_eq(t->len, len);
	ck_assert(memcmp(t->str, bytes, len) == 0);
	ck_assert_int_eq(t->str[len], 0);
}

START_TEST(test_string_escapes)
{
	struct lexed *r = lex_str("\"\\n\\t\\r\\\\\\\"\\a\\b\\f\\v\\'\\?\" "
				  "; \"\\0\\101\\1012\\x41\\x4a\\xff\\7\" "
				  "; \"plain text\" ; \"\"");

	ck_assert_int_eq(r->n, 7);
	check_str(&r->tok[0], "\n\t\r\\\"\a\b\f\v'?", 11);
	check_str(&r->tok[2], "\0AA2AJ\xff\a", 8);
	check_str(&r->tok[4], "plain text", 10);
	check_str(&r->tok[6], "", 0);
	ck_assert_str_eq(r->err, "");
	lex_done();
}
END_TEST

START_TEST(test_string_errors)
{
	struct lexed *r = lex_str("x = \"\\400\"");

	ck_assert_int_eq(r->tok[2].kind, TOK_BT_YYerror);
	ck_assert(strstr(r->err, "t.stp:1:5: error: octal escape"));
	lex_done();

	r = lex_str("\"\\x\"");
	ck_assert_int_eq(r->tok[0].kind, TOK_BT_YYerror);
	ck_assert(strstr(r->err, "'\\x' without hexadecimal digits"));
	lex_done();

	/* An unknown escape keeps the character, with a warning. */
	r = lex_str("\"a\\qb\"");
	check_str(&r->tok[0], "aqb", 3);
	ck_assert(strstr(r->err, "t.stp:1:1: warning: unknown escape "
			 "sequence '\\q'"));
	lex_done();
}
END_TEST

START_TEST(test_adjacent_strings)
{
	struct lexed *r = lex_str("x = \"ab\" \"cd\"\n  /* c */ \"ef\" # c\n"
				  "\"\\n\" y");

	ck_assert_int_eq(r->n, 4);
	ck_assert_int_eq(r->tok[0].kind, TOK_IDENT);
	ck_assert_int_eq(r->tok[1].kind, '=');
	check_str(&r->tok[2], "abcdef\n", 7);
	/* The joined literal is located at its first part. */
	ck_assert_int_eq(r->tok[2].loc.line, 1);
	ck_assert_int_eq(r->tok[2].loc.col, 5);
	ck_assert_int_eq(r->tok[3].kind, TOK_IDENT);
	ck_assert_str_eq(r->tok[3].str, "y");
	ck_assert_int_eq(r->tok[3].loc.line, 3);
	ck_assert_int_eq(r->tok[3].loc.col, 6);
	lex_done();
}
END_TEST

START_TEST(test_comments)
{
	struct lexed *r = lex_str("# hash\n// slashes\n/* block\n still */ a"
				  "/**/b/* ** / */c // tail\n#!x\nd/***/");

	ck_assert_int_eq(r->n, 4);
	ck_assert_str_eq(r->tok[0].str, "a");
	ck_assert_int_eq(r->tok[0].loc.line, 4);
	ck_assert_int_eq(r->tok[0].loc.col, 11);
	ck_assert_str_eq(r->tok[1].str, "b");
	ck_assert_str_eq(r->tok[2].str, "c");
	ck_assert_str_eq(r->tok[3].str, "d");
	ck_assert_int_eq(r->tok[3].loc.line, 6);
	ck_assert_int_eq(r->tok[3].loc.col, 1);
	ck_assert_str_eq(r->err, "");
	lex_done();
}
END_TEST

START_TEST(test_locations)
{
	struct lexed *r = lex_str("a  bb\n\tccc <<<\n\n   \"s\"+=");

	ck_assert_int_eq(r->n, 6);
	ck_assert_int_eq(r->tok[0].loc.line, 1);
	ck_assert_int_eq(r->tok[0].loc.col, 1);
	ck_assert_int_eq(r->tok[1].loc.line, 1);
	ck_assert_int_eq(r->tok[1].loc.col, 4);
	ck_assert_int_eq(r->tok[1].end_col, 5);
	ck_assert_int_eq(r->tok[2].loc.line, 2);
	ck_assert_int_eq(r->tok[2].loc.col, 2);	/* a tab is one byte */
	ck_assert_int_eq(r->tok[3].kind, TOK_AGG);
	ck_assert_int_eq(r->tok[3].loc.col, 6);
	ck_assert_int_eq(r->tok[3].end_col, 8);
	ck_assert_int_eq(r->tok[4].loc.line, 4);
	ck_assert_int_eq(r->tok[4].loc.col, 4);
	ck_assert_int_eq(r->tok[5].kind, TOK_ADD_ASSIGN);
	ck_assert_int_eq(r->tok[5].loc.col, 7);
	ck_assert_str_eq(r->tok[0].loc.file, "t.stp");
	lex_done();
}
END_TEST

START_TEST(test_keywords_and_names)
{
	static const int kinds[] = {
		TOK_PROBE, TOK_GLOBAL, TOK_PRIVATE, TOK_FUNCTION, TOK_IF,
		TOK_ELSE, TOK_WHILE, TOK_FOR, TOK_FOREACH, TOK_IN, TOK_LIMIT,
		TOK_BREAK, TOK_CONTINUE, TOK_NEXT, TOK_RETURN, TOK_DELETE,
		TOK_TRY, TOK_CATCH, TOK_IDENT, TOK_IDENT, TOK_TARGET,
		TOK_TARGET, TOK_AT_OP, TOK_IDENT,
	};
	struct lexed *r = lex_str("probe global private function if else "
				  "while for foreach in limit break continue "
				  "next return delete try catch probes _x9 "
				  "$count $$parms @hist_linear long");
	size_t i;

	ck_assert_int_eq(r->n, sizeof(kinds) / sizeof(kinds[0]));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		ck_assert_int_eq(r->tok[i].kind, kinds[i]);
	ck_assert_str_eq(r->tok[14].str, "return");
	ck_assert_str_eq(r->tok[19].str, "_x9");
	ck_assert_str_eq(r->tok[20].str, "$count");
	ck_assert_str_eq(r->tok[21].str, "$$parms");
	ck_assert_str_eq(r->tok[22].str, "@hist_linear");
	lex_done();
	/* stap's pretty-printing forms are one token each */
	r = lex_str("$x$ $x$$ $$parms$ $$vars$$ $a$+");
	ck_assert_int_eq(r->n, 6);
	ck_assert_str_eq(r->tok[0].str, "$x$");
	ck_assert_str_eq(r->tok[1].str, "$x$$");
	ck_assert_str_eq(r->tok[2].str, "$$parms$");
	ck_assert_str_eq(r->tok[3].str, "$$vars$$");
	ck_assert_str_eq(r->tok[4].str, "$a$");
	ck_assert_int_eq(r->tok[5].kind, '+');
	lex_done();
}
END_TEST

START_TEST(test_operators)
{
	static const int kinds[] = {
		TOK_AGG, TOK_USHR_ASSIGN, TOK_USHR, TOK_SHL_ASSIGN,
		TOK_SHR_ASSIGN, TOK_SHL, TOK_SHR, TOK_LE, TOK_GE, TOK_EQ,
		TOK_NE, TOK_ANDAND, TOK_OROR, TOK_INC, TOK_DEC, TOK_ARROW,
		TOK_ADD_ASSIGN, TOK_SUB_ASSIGN, TOK_MUL_ASSIGN, TOK_DIV_ASSIGN,
		TOK_MOD_ASSIGN, TOK_AND_ASSIGN, TOK_OR_ASSIGN, TOK_XOR_ASSIGN,
		TOK_CONCAT_ASSIGN, '-', '+', '*', '/', '%', '<', '>', '=', '!',
		'~', '&', '|', '^', '.', '?', ':', ',', ';', '(', ')', '[', ']',
		'{', '}', TOK_DEC, '-',
	};
	struct lexed *r = lex_str("<<< >>>= >>> <<= >>= << >> <= >= == != "
				  "&& || ++ -- -> += -= *= /= %= &= |= ^= "
				  ".= - + * / % < > = ! ~ & | ^ . ? : , ; "
				  "( ) [ ] { } ---");
	size_t i;

	ck_assert_int_eq(r->n, sizeof(kinds) / sizeof(kinds[0]));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		ck_assert_msg(r->tok[i].kind == kinds[i], "token %zu: %d",
			      i, r->tok[i].kind);
	lex_done();
}
END_TEST

START_TEST(test_unterminated_string)
{
	struct lexed *r = lex_str("probe begin {\n  x = \"never closed\n}");

	ck_assert_int_eq(r->tok[5].kind, TOK_BT_YYerror);
	ck_assert_int_eq(r->tok[5].loc.line, 2);
	ck_assert_int_eq(r->tok[5].loc.col, 7);
	ck_assert_str_eq(r->err, "t.stp:2:7: error: unterminated string "
			 "literal\n  x = \"never closed\n      ^\n");
	lex_done();

	r = lex_str("\"at the end\\");
	ck_assert_int_eq(r->tok[0].kind, TOK_BT_YYerror);
	ck_assert(strstr(r->err, "t.stp:1:1: error: unterminated string"));
	lex_done();
}
END_TEST

START_TEST(test_unterminated_comment)
{
	struct lexed *r = lex_str("a\n\t/* never\n closed *");

	/* The scanner goes on after an error; the parser does not. */
	ck_assert_int_ge(r->n, 2);
	ck_assert_int_eq(r->tok[1].kind, TOK_BT_YYerror);
	ck_assert_int_eq(r->tok[1].loc.line, 2);
	ck_assert_int_eq(r->tok[1].loc.col, 2);
	ck_assert_str_eq(r->err, "t.stp:2:2: error: unterminated comment\n"
			 "\t/* never\n\t^\n");
	lex_done();
}
END_TEST

START_TEST(test_bad_bytes)
{
	static const char text[] = "a \0 b \x01 \xff $ @1 $2 %{ c %} %(";
	struct lexed *r = lex_all(text, sizeof(text) - 1);

	ck_assert_int_eq(r->tok[0].kind, TOK_IDENT);
	ck_assert_int_eq(r->tok[1].kind, TOK_BT_YYerror);
	ck_assert_int_eq(r->tok[2].kind, TOK_IDENT);
	ck_assert_int_eq(r->tok[3].kind, TOK_BT_YYerror);
	ck_assert_int_eq(r->tok[4].kind, TOK_BT_YYerror);
	ck_assert(strstr(r->err, "t.stp:1:3: error: unexpected byte 0x00"));
	ck_assert(strstr(r->err, "unexpected byte 0x01"));
	ck_assert(strstr(r->err, "unexpected byte 0xff"));
	ck_assert(strstr(r->err, "unexpected character '$'"));
	/* Script arguments, embedded C and %( are the preprocessor's. */
	ck_assert_int_eq(r->tok[6].kind, TOK_ARG);
	ck_assert_str_eq(r->tok[6].str, "@1");
	ck_assert_int_eq(r->tok[7].kind, TOK_ARG);
	ck_assert_int_eq(r->tok[8].kind, TOK_EMBEDDED);
	ck_assert_int_eq(r->tok[9].kind, TOK_PP_OPEN);
	lex_done();
}
END_TEST

START_TEST(test_nesting_limit)
{
	size_t n = PARSE_MAX_DEPTH + 5, i;
	char *text = malloc(n + 1);
	struct lexer *lx;
	struct lex_tok t;
	struct bt_script *s = ast_script_new();
	int saved = dup(2), null = open("/dev/null", O_WRONLY);

	for (i = 0; i < n; i++)
		text[i] = i % 3 == 0 ? '(' : i % 3 == 1 ? '[' : '{';
	text[n] = 0;
	dup2(null, 2);
	lx = lex_open(s, diag_intern("t.stp"), text, n);
	for (i = 0; i < PARSE_MAX_DEPTH; i++)
		ck_assert_int_ne(lex_next(lx, &t), TOK_BT_YYerror);
	ck_assert_int_eq(lex_next(lx, &t), TOK_BT_YYerror);
	ck_assert_int_eq(t.loc.col, PARSE_MAX_DEPTH + 1);
	lex_close(lx);
	dup2(saved, 2);
	close(saved);
	close(null);
	ck_assert_int_eq(diag_error_count(), 1);
	free(text);
	ast_script_free(s);
	diag_reset();
}
END_TEST

static Suite *lexer_suite(void)
{
	Suite *s = suite_create("lexer");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_number_errors);
	tcase_add_test(tc, test_string_escapes);
	tcase_add_test(tc, test_string_errors);
	tcase_add_test(tc, test_adjacent_strings);
	tcase_add_test(tc, test_comments);
	tcase_add_test(tc, test_locations);
	tcase_add_test(tc, test_keywords_and_names);
	tcase_add_test(tc, test_operators);
	tcase_add_test(tc, test_unterminated_string);
	tcase_add_test(tc, test_unterminated_comment);
	tcase_add_test(tc, test_bad_bytes);
	tcase_add_test(tc, test_nesting_limit);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lexer_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
