// SPDX-License-Identifier: GPL-2.0
/*
 * The regex compiler (codegen/regex.c) against glibc's regcomp/regexec
 * (REG_EXTENDED, C locale) as the oracle: whether a string matches, and
 * the span of the leftmost-longest match (matched(0)), on hand-picked and
 * random pattern/string pairs. Only well-defined EREs are generated
 * (no empty alternatives, no quantified anchors), where POSIX and glibc
 * agree.
 */
#include <check.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "codegen/regex.h"

/* Compare with glibc on one pair; both compilers must accept re. */
static void check_pair(const struct rx_dfa *ds, const struct rx_dfa *da,
		       regex_t *g, const char *re, const char *s)
{
	regmatch_t m[1];
	int want = regexec(g, s, 1, m, 0) == 0;
	size_t so = 0, eo = 0;
	bool got = rx_search(ds, s), got_span = rx_span(da, s, &so, &eo);

	ck_assert_msg(got == want, "/%s/ on \"%s\": dfa %d, glibc %d", re, s,
		      got, want);
	ck_assert_msg(got_span == want, "/%s/ on \"%s\": span %d, glibc %d",
		      re, s, got_span, want);
	if (want)
		ck_assert_msg(so == (size_t)m[0].rm_so &&
			      eo == (size_t)m[0].rm_eo,
			      "/%s/ on \"%s\": span [%zu,%zu), glibc [%d,%d)",
			      re, s, so, eo, (int)m[0].rm_so,
			      (int)m[0].rm_eo);
}

static int too_complex;

/* Compile re both ways and check it on every string of strs; a pattern
 * too complex for the DFA is counted when may_skip, else a failure. */
static void check_re_skip(const char *re, const char *const *strs, int n,
			  bool may_skip)
{
	struct rx_dfa ds, da;
	char err[256];
	regex_t g;

	ck_assert_msg(regcomp(&g, re, REG_EXTENDED) == 0,
		      "glibc rejects /%s/", re);
	if (rx_compile(re, RX_SEARCH, &ds, err, sizeof(err)) < 0 ||
	    (rx_compile(re, RX_ANCHORED, &da, err, sizeof(err)) < 0 &&
	     (rx_free(&ds), 1))) {
		ck_assert_msg(may_skip && strstr(err, "too complex"),
			      "/%s/: %s", re, err);
		too_complex++;
		regfree(&g);
		return;
	}
	ck_assert_int_le(ds.nstates, RX_MAX_STATES);
	for (int i = 0; i < n; i++)
		check_pair(&ds, &da, &g, re, strs[i]);
	rx_free(&ds);
	rx_free(&da);
	regfree(&g);
}

static void check_re(const char *re, const char *const *strs, int n)
{
	check_re_skip(re, strs, n, false);
}

static const char *const fixed_strs[] = {
	"", "a", "b", "ab", "ba", "abc", "aab", "abb", "abab", "cab",
	"xyz", "hello world", "tap", "bpftap", "tapper", "a.b", "a\\b",
	"123", "a1b2", "  x", "\t", "A", "aB", "[x]", "a{2}", "aaaa",
	"aaaaaaa", "abcabc", "sshd", "systemd-journal", "bash", "x$y",
	"^a", "foo.bar", "0x1f", "Ab9_", "\xe9t\xe9", "a-b", "]",
};

static const char *const fixed_res[] = {
	"a", "^a", "a$", "^a$", "^$", "", "ab|ba", "^(ab|ba)$", "a*",
	"a+", "a?b", "^a*$", "(ab)+", "(ab)*c", "a{2}", "a{2,}", "a{1,3}",
	"^a{2,3}$", "(a|b){3}", ".", "^.$", "a.c", "a\\.b", "a\\\\b",
	"[abc]", "[^abc]", "[a-c]+$", "^[^a-z]*$", "[[:digit:]]+",
	"[[:alpha:]][[:digit:]]", "[[:space:]]", "^[[:upper:]]",
	"[[:alnum:]_]+", "[[:punct:]]", "[[:xdigit:]]{2}$", "[]x]",
	"[^]x]", "[a-]", "[-a]", "\\[x\\]", "x\\$y", "\\^a", "^tap",
	"tap$", "^bpftap|^tap", "(^a|b$)", "a|^b", "(ab)?b", "((a))",
	"(a*)*", "(a*)+b", "(a|b)*abb", "^(a|b)*abb$", "\\w+", "\\W",
	"\\s", "\\S+$", "sys(temd|logd)?", "^(ssh|bash)d?$", "0x[0-9a-f]+",
	"[.]", "[*+?]", "a{0}b", "a{0,1}b", "(ab|a)(bc|c)", "x*y*z*",
	"[[:lower:]]+[[:upper:]]", "[[.a.]]", "[[=b=]]", "[\\]+", "\xe9",
	"[\xe0-\xef]", "[^[:print:]]", "^.*$", ".*b.*", "(.)(.)",
};

START_TEST(test_fixed)
{
	int ns = sizeof(fixed_strs) / sizeof(fixed_strs[0]);

	for (size_t i = 0; i < sizeof(fixed_res) / sizeof(fixed_res[0]); i++)
		check_re(fixed_res[i], fixed_strs, ns);
}
END_TEST

/* ---- random patterns ---- */

static unsigned rnd_state = 12345;

static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) % n;
}

static void gen_alt(char **p, int depth);

static void gen_atom(char **p, int depth)
{
	static const char *const sets[] = {
		"[ab]", "[^a]", "[a-c]", "[[:digit:]]", "[[:alpha:]]",
		"[^[:space:]b]", "[b-c1]",
	};
	int k = rnd(depth > 0 ? 10 : 8);

	switch (k) {
	case 0: case 1: case 2: case 3:
		*(*p)++ = "abc1"[rnd(4)];
		break;
	case 4:
		*(*p)++ = '.';
		break;
	case 5:
		*p += sprintf(*p, "%s", sets[rnd(7)]);
		break;
	case 6:
		*p += sprintf(*p, "\\.");
		break;
	case 7:
		*(*p)++ = 'a';
		break;
	default:
		*(*p)++ = '(';
		gen_alt(p, depth - 1);
		*(*p)++ = ')';
		break;
	}
}

static void gen_piece(char **p, int depth)
{
	static const char *const quants[] = {
		"*", "+", "?", "{2}", "{1,2}", "{0,}", "{2,3}",
	};

	gen_atom(p, depth);
	if (rnd(3) == 0)
		*p += sprintf(*p, "%s", quants[rnd(7)]);
}

static void gen_branch(char **p, int depth)
{
	int n = 1 + rnd(3);

	/* anchors only outside groups: glibc lets ^ match again in a
	 * later iteration of a repeated group ("(^..|^a)+" on "..a") */
	bool top = depth == 2;

	if (top && rnd(6) == 0)
		*(*p)++ = '^';
	for (int i = 0; i < n; i++)
		gen_piece(p, depth);
	if (top && rnd(6) == 0)
		*(*p)++ = '$';
}

static void gen_alt(char **p, int depth)
{
	gen_branch(p, depth);
	while (rnd(4) == 0) {
		*(*p)++ = '|';
		gen_branch(p, depth);
	}
}

START_TEST(test_random)
{
	char re[512], strs[64][12];
	const char *ptrs[64];
	int nstr = 64;

	for (int i = 0; i < nstr; i++) {
		int len = rnd(10);

		for (int j = 0; j < len; j++)
			strs[i][j] = "abc1. x"[rnd(7)];
		strs[i][len] = 0;
		ptrs[i] = strs[i];
	}
	for (int iter = 0; iter < 3000; iter++) {
		char *p = re;

		gen_alt(&p, 2);
		*p = 0;
		check_re_skip(re, ptrs, nstr, true);
	}
	ck_assert_int_lt(too_complex, 30);
}
END_TEST

/* Every string over {a, b} up to length 8 on patterns where a wrong
 * state merge would show. */
START_TEST(test_exhaustive)
{
	static const char *const res[] = {
		"(a|b)*a(a|b){3}", "^(ab|ba)*$", "a(ba)*b", "^(a+b+)+$",
		"(aa|bb)+$", "^b*(ab*ab*)*$", "b{2,4}a", "(^a|a$)b?",
	};
	char buf[9];
	static char store[511][9];
	const char *ptrs[511];
	int n = 0;

	for (int len = 0; len <= 8; len++)
		for (int bits = 0; bits < 1 << len; bits++) {
			for (int j = 0; j < len; j++)
				buf[j] = bits >> j & 1 ? 'b' : 'a';
			buf[len] = 0;
			strcpy(store[n], buf);
			ptrs[n] = store[n];
			n++;
		}
	for (size_t i = 0; i < sizeof(res) / sizeof(res[0]); i++)
		check_re(res[i], ptrs, n);
}
END_TEST

static void check_error(const char *re, const char *want)
{
	struct rx_dfa d;
	char err[256];

	ck_assert_msg(rx_compile(re, RX_SEARCH, &d, err, sizeof(err)) < 0,
		      "/%s/ compiled", re);
	ck_assert_msg(strstr(err, want), "/%s/: \"%s\" lacks \"%s\"", re, err,
		      want);
}

START_TEST(test_errors)
{
	check_error("(a)\\1", "backreferences");
	check_error("\\bword", "not supported");
	check_error("(ab", "unmatched (");
	check_error("ab)", "unmatched )");
	check_error("[ab", "unmatched [");
	check_error("[[:foo:]]", "unknown character class");
	check_error("*a", "nothing to repeat");
	check_error("a{3,2}", "invalid repetition");
	check_error("a{x}", "invalid repetition");
	check_error("a{1000}", "larger than 255");
	check_error("ab\\", "trailing backslash");
	check_error("[z-a]", "invalid range");
	/* the classic exponential DFA: the 13th byte from the end */
	check_error("(a|b)*a(a|b){12}", "too complex");
}
END_TEST

START_TEST(test_sizes)
{
	struct rx_dfa d;
	char err[256];

	/* minimal: "abc" needs nothing seen, a, ab, the match and the
	 * dead state the end of the string leads to */
	ck_assert_int_eq(rx_compile("abc", RX_SEARCH, &d, err, sizeof(err)),
			 0);
	ck_assert_int_eq(d.nstates, 5);
	ck_assert_int_eq(d.start, 0);
	rx_free(&d);
	/* matches everything: one accepting state, no dead one */
	ck_assert_int_eq(rx_compile("x*", RX_SEARCH, &d, err, sizeof(err)),
			 0);
	ck_assert_int_eq(d.nstates, 1);
	ck_assert_int_eq(d.accept[d.start], 1);
	ck_assert_int_eq(d.dead, -1);
	rx_free(&d);
}
END_TEST

static Suite *regex_suite(void)
{
	Suite *s = suite_create("regex");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fixed);
	tcase_add_test(tc, test_random);
	tcase_add_test(tc, test_exhaustive);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_sizes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(regex_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
