// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the preprocessor (parser/preproc.c): script arguments,
 * %( %? %: %) conditionals, @define macros, @include, and the lexing
 * of =~ and !~. Each case parses a script and compares the -p1 print,
 * or the first diagnostic lines.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "parser/ast.h"
#include "parser/diag.h"
#include "parser/parse.h"

static struct bt_script *cur;
static char err_buf[8192];
static char out_buf[8192];
static char tmpdir[] = "/tmp/bpftap-pp.XXXXXX";

static char *fake_config(size_t *len)
{
	static const char text[] = "# comment\nCONFIG_BPF=y\n"
		"CONFIG_HZ=250\nCONFIG_NAME=\"x\"\n"
		"# CONFIG_KPROBES is not set\n";

	*len = sizeof(text) - 1;
	return strdup(text);
}

static void setup(void)
{
	parse_reset_env();
	parse_set_kernel("6.18.44-fc-v669", "x86_64");
	parse_set_config_reader(fake_config);
}

static void teardown(void)
{
	ast_script_free(cur);
	cur = NULL;
	diag_reset();
	parse_reset_env();
}

/* Parses `text` as t.stp: the -p1 print in out_buf, stderr in err_buf. */
static int pp(const char *text)
{
	FILE *tmp = tmpfile(), *out;
	int saved = dup(2), rc;
	size_t got;

	ck_assert_ptr_nonnull(tmp);
	ast_script_free(cur);
	cur = ast_script_new();
	fflush(stderr);
	dup2(fileno(tmp), 2);
	rc = parse_string(cur, "t.stp", text, strlen(text));
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	got = fread(err_buf, 1, sizeof(err_buf) - 1, tmp);
	err_buf[got] = 0;
	fclose(tmp);
	out_buf[0] = 0;
	if (rc == 0) {
		out = fmemopen(out_buf, sizeof(out_buf), "w");
		ast_print(cur, out);
		fclose(out);
	}
	return rc;
}

static void pp_ok(const char *text, const char *want)
{
	ck_assert_msg(pp(text) == 0, "%s: %s", text, err_buf);
	ck_assert_msg(!strcmp(out_buf, want), "%s:\n%s\nwanted\n%s", text,
		      out_buf, want);
}

static void pp_err(const char *text, const char *want)
{
	ck_assert_int_eq(pp(text), -1);
	ck_assert_msg(strstr(err_buf, want), "%s:\n%s\nwanted\n%s", text,
		      err_buf, want);
}

#define BEGIN(body) "probe begin {\n  " body "\n}\n"

START_TEST(test_args)
{
	static char *args[] = { "100", "eth0", "-5", "0x10" };

	parse_set_args(args, 4);
	pp_ok("probe timer.ms($1) { print(@2) }",
	      "probe timer.ms(100) {\n  print(\"eth0\");\n}\n");
	pp_ok("probe begin { print($# + $3 + $4) }",
	      BEGIN("print(4 + -5 + 0x10);"));
	pp_ok("probe begin { print(@# . @1) }",
	      BEGIN("print(\"4\" . \"100\");"));
	pp_ok("probe process(@2).function(\"f\") { }",
	      "probe process(\"eth0\").function(\"f\") {\n}\n");
	pp_err("probe begin { print($5) }", "t.stp:1:21: error: command "
	       "line argument index 5 out of range [1-4]");
	pp_err("probe begin { print(@0) }", "index 0 out of range [1-4]");
	/* $N is the argument's tokens, whatever they are, as in stap */
	pp_ok("probe begin { print($2) }", BEGIN("print(eth0);"));
	pp_err("probe timer.s($2) { }", "t.stp:1:15: error: syntax error, "
	       "unexpected identifier");
	pp_err("probe timer.s($2) { }", "t.stp:1:15: note: in command line "
	       "argument $2, which is 'eth0' (@2 would be the string)");
	args[0] = "x[1] + f(\"s\")";
	pp_ok("probe begin { print($1) }", BEGIN("print(x[1] + f(\"s\"));"));
	args[0] = "\"open";
	pp_err("probe begin { print($1) }", "<command line argument $1>:1:1: "
	       "error: unterminated string literal");
	pp_err("probe begin { print($1) }", "t.stp:1:21: note: in command "
	       "line argument $1");
	args[0] = "$2";
	pp_err("probe begin { print($1) }", "t.stp:1:21: error: command line "
	       "argument $1 ('$2') names another argument");
	parse_set_args(NULL, 0);
	pp_err("probe begin { print(@1) }", "index 1 out of range [1-0]");
}
END_TEST

START_TEST(test_conditions)
{
	static char *args[] = { "x" };

	pp_ok(BEGIN("%( kernel_v >= \"6.0\" %? a = 1 %: a = 2 %)"),
	      BEGIN("a = 1;"));
	pp_ok(BEGIN("%( kernel_v < \"6.18.9\" %? a = 1 %: a = 2 %)"),
	      BEGIN("a = 2;"));
	pp_ok(BEGIN("%( kernel_v == \"6.18.*\" %? a = 1 %)"),
	      BEGIN("a = 1;"));
	pp_ok(BEGIN("%( kernel_vr != \"6.18.44-fc-v669\" %? a = 1 "
		    "%: a = 3 %)"), BEGIN("a = 3;"));
	pp_ok(BEGIN("%( arch == \"x86_64\" && runtime == \"bpf\" %? a = 1 "
		    "%)"), BEGIN("a = 1;"));
	pp_ok(BEGIN("%( arch == \"i386\" || systemtap_v >= \"4.0\" %? "
		    "a = 1 %)"), BEGIN("a = 1;"));
	pp_ok(BEGIN("%( CONFIG_BPF == \"y\" && CONFIG_HZ >= 100 && "
		    "CONFIG_KPROBES != \"y\" %? a = 1 %)"), BEGIN("a = 1;"));
	pp_ok(BEGIN("%( CONFIG_MISSING == \"\" %? a = 1 %)"),
	      BEGIN("a = 1;"));
	/* && binds tighter than ||, as in stap */
	pp_ok(BEGIN("%( 1 == 2 && 1 == 1 || 2 == 2 %? a = 1 %: a = 2 %)"),
	      BEGIN("a = 1;"));
	/* nesting, and skipped branches may hold anything */
	pp_ok(BEGIN("%( 1 == 1 %? %( \"a\" < \"b\" %? a = 1 %: %{ C %} %) "
		    "%: $9 @9 \"\\q\" %)"), BEGIN("a = 1;"));
	parse_set_args(args, 1);
	pp_ok(BEGIN("%( $# >= 1 && @1 == \"x\" %? a = @1 %: a = \"\" %)"),
	      BEGIN("a = \"x\";"));
	parse_set_args(NULL, 0);
	pp_ok(BEGIN("%( @# == \"0\" %? a = 0 %: a = @1 %)"),
	      BEGIN("a = 0;"));
}
END_TEST

START_TEST(test_condition_errors)
{
	pp_err("%( kernel_v > %? %)", "t.stp:1:15: error: incomplete "
	       "condition");
	pp_err("%( kernel_v > 6 %? %)", "t.stp:1:15: error: expected a "
	       "string literal to compare kernel_v with");
	pp_err("%( kernel_v < \"6.*\" %? %)", "t.stp:1:13: error: wildcards "
	       "can only be compared with '==' or '!='");
	pp_err("%( arch > \"x\" %? %)", "t.stp:1:9: error: expected '==' "
	       "or '!='");
	pp_err("%( foo == 1 %? %)", "t.stp:1:4: error: expected kernel_v");
	pp_err("%( 1 == 1 probe", "t.stp:1:11: error: expected '%?' after "
	       "the condition");
	pp_err("%( 1 == 1 %? probe begin {}", "t.stp:1:1: error: "
	       "conditional not closed");
	pp_err("probe begin { %) }", "t.stp:1:15: error: '%)' without a "
	       "'%(' before it");
	pp_err("%( 1 == 1 %? %: %: %)", "t.stp:1:17: error: a second '%:'");
	pp_err("%( \"a\" == 1 %? %)", "t.stp:1:11: error: expected a string "
	       "literal to compare with");
	pp_err("%( CONFIG_NAME > 1 %? %)", "the value of CONFIG_NAME is not "
	       "a number");
	pp_err("probe begin %{ int x; %}", "t.stp:1:13: error: embedded C "
	       "code (%{ ... %}) is not supported");
}
END_TEST

START_TEST(test_macros)
{
	pp_ok("@define sq(x) %( ((@x) * (@x)) %)\n"
	      "@define add(a, b) %( @a + @b %)\n"
	      "@define ten %( 10 %)\n"
	      BEGIN("print(@sq(@add(1, f(2, 3))) + @ten)"),
	      BEGIN("print((1 + f(2, 3)) * (1 + f(2, 3)) + 10);"));
	/* a parameter named like an outer macro's parameter */
	pp_ok("@define inner(x) %( @x + 1 %)\n"
	      "@define outer(x) %( @inner(@x * 2) %)\n"
	      BEGIN("a = @outer(3)"), BEGIN("a = 3 * 2 + 1;"));
	/* macros may hold conditionals and arguments of their own */
	pp_ok("@define k %( %( kernel_v >= \"6\" %? \"new\" %: \"old\" %) %)"
	      BEGIN("a = @k"), BEGIN("a = \"new\";"));
	pp_ok("@define m %( 1 %)\n"
	      BEGIN("%( defined(@m) && @defined(@m) %? a = 1 %) "
		    "%( defined(@nope) %? b = 1 %: b = 2 %)"),
	      "probe begin {\n  a = 1;\n  b = 2;\n}\n");
	/* operators that are not macros pass through */
	pp_ok("global s probe begin { s <<< 1; print(@count(s)) }",
	      "global s\n\nprobe begin {\n  s <<< 1;\n"
	      "  print(@count(s));\n}\n");
}
END_TEST

START_TEST(test_macro_errors)
{
	pp_err("@define f(a) %( @a %)\nprobe begin { x = @f(1, 2) }",
	       "t.stp:2:23: error: too many parameters for macro '@f' (1 "
	       "expected)");
	ck_assert(strstr(err_buf, "t.stp:2:19: note: in this use of '@f'"));
	ck_assert(strstr(err_buf, "t.stp:1:9: note: '@f' is defined here"));
	pp_err("@define f(a, b) %( @a %)\nprobe begin { x = @f(1) }",
	       "too few parameters for macro '@f' (2 expected)");
	pp_err("@define f(a) %( @a %)\nprobe begin { x = @f }",
	       "t.stp:2:22: error: expected '(' after macro '@f'");
	/* an error inside a body names the use too */
	pp_err("@define bad %( 1 + + ; %)\nprobe begin { x = @bad }",
	       "t.stp:1:22: error: syntax error");
	ck_assert(strstr(err_buf, "t.stp:2:19: note: in expansion of "
			 "macro '@bad'"));
	pp_err("@define r %( @r %)\nprobe begin { x = @r }",
	       "macro expansion nested too deeply");
	pp_err("@define a %( 1 %)\n@define a %( 2 %)",
	       "t.stp:2:9: error: macro '@a' is already defined in this "
	       "file");
	ck_assert(strstr(err_buf, "t.stp:1:9: note: the first definition"));
	pp_err("@define a %( 1 ", "t.stp:1:9: error: incomplete definition "
	       "of macro '@a': missing '%)'");
	pp_err("@define 3 %( %)", "expected a macro name after @define");
	pp_err("@define a(x y) %( %)", "expected ',' or ')'");
}
END_TEST

static char *write_tmp(const char *name, const char *text)
{
	char *path;
	FILE *f;

	ck_assert_int_ge(asprintf(&path, "%s/%s", tmpdir, name), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

START_TEST(test_library_macros)
{
	char *lib = write_tmp("lib.stpm", "@define twice(x) %( (@x) * 2 %)\n"
			      "@define hidden %( 7 %)\n");
	char *bad = write_tmp("bad.stpm", "@define x %( 1 %) probe");

	ck_assert_int_eq(parse_macro_file(lib), 0);
	pp_ok(BEGIN("a = @twice(3)"), BEGIN("a = 3 * 2;"));
	/* a file's own macro hides the library's */
	pp_ok("@define twice(x) %( @x %)" BEGIN("a = @twice(3)"),
	      BEGIN("a = 3;"));
	ck_assert_int_eq(pp(BEGIN("")), 0);
	/* No diag_reset() here: the library macros keep their interned file
	 * names, which the duplicate's note quotes. */
	ck_assert_int_eq(parse_macro_file(lib), -1);
	diag_reset();
	ck_assert_int_eq(parse_macro_file(bad), -1);
	free(lib);
	free(bad);
}
END_TEST

START_TEST(test_include)
{
	char *dir, *main_path, *inc_dir;
	char *incdirs[1];

	ck_assert_int_ge(asprintf(&inc_dir, "%s/inc", tmpdir), 0);
	mkdir(inc_dir, 0700);
	free(write_tmp("inc/lib.stp", "function lib() { return 42 }\n"
		       "@define m %( 5 %)\n"));
	free(write_tmp("near.stp", "@include \"inc/lib.stp\"\n"));
	free(write_tmp("a.stp", "@include \"b.stp\"\n"));
	free(write_tmp("b.stp", "\n@include \"a.stp\"\n"));
	main_path = write_tmp("main.stp", "@include \"near.stp\"\n"
			      BEGIN("a = lib() + @m"));
	ast_script_free(cur);
	cur = ast_script_new();
	ck_assert_int_eq(parse_file(cur, main_path), 0);
	/* the -I path */
	incdirs[0] = inc_dir;
	parse_set_incdirs(incdirs, 1);
	pp_ok("@include \"lib.stp\"" BEGIN("a = @m"),
	      "function lib() {\n  return 42;\n}\n\n" BEGIN("a = 5;"));
	pp_err("@include \"nope.stp\"", "t.stp:1:10: error: cannot find "
	       "@include file 'nope.stp'");
	pp_err("@include 3", "t.stp:1:10: error: expected a file name");
	ck_assert_int_ge(asprintf(&dir, "@include \"%s/a.stp\"", tmpdir), 0);
	pp_err(dir, "b.stp:2:1: error: circular @include");
	ck_assert(strstr(err_buf, "a.stp:1:1: note: "));
	free(dir);
	free(main_path);
	free(inc_dir);
}
END_TEST

START_TEST(test_regex)
{
	pp_ok(BEGIN("a = s =~ \"^a+$\" && t !~ \"x|y\""),
	      BEGIN("a = s =~ \"^a+$\" && t !~ \"x|y\";"));
	/* comparison level: below '.', above '&' */
	pp_ok(BEGIN("a = x . y =~ \"b\" & 1"),
	      BEGIN("a = x . y =~ \"b\" & 1;"));
	pp_ok(BEGIN("a = (x =~ \"b\") == 1"),
	      BEGIN("a = x =~ \"b\" == 1;"));
	pp_ok(BEGIN("a = x =~ (\"b\" == 1)"),
	      BEGIN("a = x =~ (\"b\" == 1);"));
	pp_ok(BEGIN("a = matched(0)"), BEGIN("a = matched(0);"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("preproc");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_args);
	tcase_add_test(tc, test_conditions);
	tcase_add_test(tc, test_condition_errors);
	tcase_add_test(tc, test_macros);
	tcase_add_test(tc, test_macro_errors);
	tcase_add_test(tc, test_library_macros);
	tcase_add_test(tc, test_include);
	tcase_add_test(tc, test_regex);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (!failed) {
		char *cmd;

		if (asprintf(&cmd, "rm -rf '%s'", tmpdir) >= 0) {
			if (system(cmd))
				failed = 0;
			free(cmd);
		}
	}
	return failed ? 1 : 0;
}
