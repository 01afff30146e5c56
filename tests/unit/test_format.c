// SPDX-License-Identifier: GPL-2.0
/*
 * The printf formatter. Expected strings come from the rules of C printf
 * and SystemTap's runtime vsprintf.c (where the two differ, stap's), and
 * from the conformance case 12_printf, never from this implementation.
 */
#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/format.h"

#define L(v) { .type = BT_LONG, .l = (v) }
#define S(v) { .type = BT_STRING, .s = (v) }

/* Format into a fresh buffer and compare with want (NUL-free). */
static void check_fmt(const char *want, const char *fmt,
		      const struct fmt_arg *args, int nargs)
{
	struct fmt_buf b = { 0 };
	int n = fmt_sprint(&b, fmt, strlen(fmt), args, nargs);

	ck_assert_int_eq(n, (int)strlen(want));
	ck_assert_str_eq(b.p, want);
	fmt_buf_free(&b);
}

#define CHECK(want, fmt, ...) do {					\
	const struct fmt_arg a_[] = { __VA_ARGS__ };			\
	check_fmt(want, fmt, a_, sizeof(a_) / sizeof(a_[0]));		\
} while (0)
#define CHECK0(want, fmt) check_fmt(want, fmt, NULL, 0)

START_TEST(test_conformance_12)
{
	CHECK("42|   42|42   |00042\n", "%d|%5d|%-5d|%05d\n",
	      L(42), L(42), L(42), L(42));
	CHECK("ff|FF|0xff|10\n", "%x|%X|%#x|%o\n",
	      L(255), L(255), L(255), L(8));
	CHECK("18446744073709551615\n", "%u\n", L(-1));
	CHECK("AB\n", "%c%c\n", L(65), L(66));
	CHECK0("100%\n", "100%%\n");
	CHECK("a and b\n", "%s and %s\n", S("a"), S("b"));
	CHECK("-7|+7\n", "%i|%+d\n", L(-7), L(7));
}
END_TEST

START_TEST(test_64bit)
{
	CHECK("ffffffffffffffff", "%x", L(-1));
	CHECK("FFFFFFFFFFFFFFFF", "%X", L(-1));
	CHECK("1777777777777777777777", "%o", L(-1));
	CHECK("-9223372036854775808", "%d", L(INT64_MIN));
	CHECK("9223372036854775807", "%i", L(INT64_MAX));
	CHECK("9223372036854775808", "%u", L(INT64_MIN));
	CHECK("4294967296", "%d", L(4294967296LL));
	CHECK("100000000", "%x", L(4294967296LL));
	/* Length modifiers change nothing (the compiler takes only one
	 * 'l', as stap; the runtime skips any). */
	CHECK("-1 -1 -1 ffffffffffffffff", "%ld %lld %hd %Lx",
	      L(-1), L(-1), L(-1), L(-1));
}
END_TEST

START_TEST(test_flags)
{
	CHECK(" 42|-42|+0", "% d|% d|%+d", L(42), L(-42), L(0));
	/* stap 4.8 reads one flag: a '0' after it starts the width, so
	 * these are not zero-padded (C's would be) */
	CHECK("  +42|-0042|42   |", "%+05d|%05d|%-05d|",
	      L(42), L(-42), L(42));
	CHECK("      0xff|      0xff|0x000000ff|", "%#10x|%#010x|%010p|",
	      L(255), L(255), L(255));
	CHECK("0XFF|010|0", "%#X|%#o|%u", L(255), L(8), L(0));
	/* stap's '#' prefixes zero too (C would print "0"). */
	CHECK("0x0|00", "%#x|%#o", L(0), L(0));
	/* '+' and ' ' only concern signed conversions. */
	CHECK("42|2a", "%+u|% x", L(42), L(42));
}
END_TEST

START_TEST(test_precision)
{
	CHECK("005|     005|005     |", "%.3d|%8.3d|%-8.3d|",
	      L(5), L(5), L(5));
	CHECK("-005|  -005", "%.3d|%6.3d", L(-5), L(-5));
	/* stap pads with '0' even with a precision (C would use spaces). */
	CHECK("00000005", "%08.3d", L(5));
	/* A precision of 0 still prints the digit of 0 in stap. */
	CHECK("0|0", "%.0d|%.d", L(0), L(0));
	CHECK("0x00ff", "%#.4x", L(255));
	CHECK("ab|   ab|ab   |abcdef", "%.2s|%5.2s|%-5.2s|%.10s",
	      S("abcdef"), S("abcdef"), S("abcdef"), S("abcdef"));
	CHECK("", "%.0s", S("abc"));
}
END_TEST

START_TEST(test_star)
{
	/* A negative '*' width is 0 in stap 4.8's compiled printers. */
	CHECK("   42|42   |42|", "%*d|%-*d|%*d|",
	      L(5), L(42), L(5), L(42), L(-5), L(42));
	CHECK("x|y  |", "%-*s|%-*s|", L(-3), S("x"), L(3), S("y"));
	CHECK("abc|  abc", "%.*s|%*.*s", L(3), S("abcdef"),
	      L(5), L(3), S("abcdef"));
	CHECK(" 0042", "%*.*d", L(5), L(4), L(42));
	/* stap clamps a negative '*' precision to 0. */
	CHECK("|", "%.*s|", L(-1), S("abc"));
}
END_TEST

/* stap's %s with the '0' flag ends with a NUL byte. */
START_TEST(test_zeropad_string)
{
	const struct fmt_arg a[] = { S("ab"), S("c") };
	struct fmt_buf b = { 0 };

	ck_assert_int_eq(fmt_sprint(&b, "[%05s|%-03s]", 12, a, 2), 12);
	ck_assert(!memcmp(b.p, "[   ab\0|c  ]", 12));
	fmt_buf_free(&b);
}
END_TEST

START_TEST(test_width_bound)
{
	const struct fmt_arg a[] = { L(100000), L(1) };
	struct fmt_buf b = { 0 };

	ck_assert_int_eq(fmt_sprint(&b, "%*d", 3, a, 2), FMT_MAX_WIDTH);
	ck_assert_int_eq(b.p[FMT_MAX_WIDTH - 1], '1');
	ck_assert_int_eq(b.p[0], ' ');
	fmt_buf_free(&b);
}
END_TEST

START_TEST(test_strings)
{
	CHECK("   ab|ab   |", "%5s|%-5s|", S("ab"), S("ab"));
	CHECK("", "%s", S(""));
	CHECK("[  ]", "[%2s]", S(""));
	CHECK("abc", "%s", S("abc"));
}
END_TEST

START_TEST(test_pointer)
{
	/* Since stap 1.3, %p is %#x of the 64-bit value. */
	CHECK("0x1234", "%p", L(0x1234));
	CHECK("0x0", "%p", L(0));
	CHECK("0xffffffffffffffff", "%p", L(-1));
	CHECK("    0x1234|0x1234    |", "%10p|%-10p|", L(0x1234), L(0x1234));
	CHECK("0x0000000000001234", "%018p", L(0x1234));
}
END_TEST

START_TEST(test_char)
{
	CHECK("A", "%c", L(256 + 65));
	CHECK("  A|A  |", "%3c|%-3c|", L('A'), L('A'));
	CHECK("\\n|\\001|a|\\\\|\\'|\\377", "%#c|%#c|%#c|%#c|%#c|%#c",
	      L('\n'), L(1), L('a'), L('\\'), L('\''), L(255));
}
END_TEST

START_TEST(test_char_raw)
{
	/* Without '#' the byte itself is printed. */
	CHECK("   \t", "%4c", L('\t'));
}
END_TEST

START_TEST(test_literal)
{
	CHECK0("abc%", "abc%");
	CHECK0("%d", "%%d");
	CHECK0("%k|%5k", "%k|%5k");
	CHECK0("%5", "%5");
	/* No argument left: the conversion is shown as written. */
	CHECK("1 %d", "%d %d", L(1));
	CHECK0("50% off", "50% off");
	CHECK0("", "");
}
END_TEST

START_TEST(test_mismatched_types)
{
	/* Elaboration prevents these; the output is still sensible. */
	CHECK("-5|  -5", "%s|%4s", L(-5), L(-5));
	CHECK("abc", "%d", S("abc"));
	CHECK("x", "%c", S("xyz"));
}
END_TEST

START_TEST(test_embedded_nul)
{
	const struct fmt_arg a[] = { L(7) };
	struct fmt_buf b = { 0 };

	ck_assert_int_eq(fmt_sprint(&b, "a\0%d", 4, a, 1), 3);
	ck_assert_int_eq(b.len, 3);
	ck_assert(!memcmp(b.p, "a\0" "7", 3));
	fmt_buf_free(&b);
}
END_TEST

START_TEST(test_sprint_appends)
{
	const struct fmt_arg a[] = { L(1), S("two") };
	struct fmt_buf b = { 0 };
	int i;

	ck_assert_int_eq(fmt_sprint(&b, "%d,", 3, a, 1), 2);
	ck_assert_int_eq(fmt_sprint(&b, "%s", 2, a + 1, 1), 3);
	ck_assert_str_eq(b.p, "1,two");
	for (i = 0; i < 1000; i++)
		fmt_sprint(&b, "%s", 2, a + 1, 1);
	ck_assert_int_eq(b.len, 5 + 3000);
	fmt_buf_free(&b);
}
END_TEST

START_TEST(test_print_stream)
{
	const struct fmt_arg a[] = { L(42), S("str") };
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	int i;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fmt_print(f, "x=%d %s\n", 8, a, 2), 9);
	/* Longer than the staging buffer. */
	ck_assert_int_eq(fmt_print(f, "%1000d", 6, a, 1), 1000);
	fclose(f);
	ck_assert_int_eq(size, 1009);
	ck_assert(!memcmp(text, "x=42 str\n", 9));
	for (i = 9; i < 1007; i++)
		ck_assert_int_eq(text[i], ' ');
	ck_assert(!memcmp(text + 1007, "42", 2));
	free(text);
}
END_TEST

static Suite *format_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_conformance_12);
	tcase_add_test(tc, test_64bit);
	tcase_add_test(tc, test_flags);
	tcase_add_test(tc, test_precision);
	tcase_add_test(tc, test_star);
	tcase_add_test(tc, test_zeropad_string);
	tcase_add_test(tc, test_width_bound);
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_pointer);
	tcase_add_test(tc, test_char);
	tcase_add_test(tc, test_char_raw);
	tcase_add_test(tc, test_literal);
	tcase_add_test(tc, test_mismatched_types);
	tcase_add_test(tc, test_embedded_nul);
	tcase_add_test(tc, test_sprint_appends);
	tcase_add_test(tc, test_print_stream);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(format_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
