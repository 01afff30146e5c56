// SPDX-License-Identifier: GPL-2.0
/*
 * @entry's rewrite (parser/at_entry.c): a .return probe gains a
 * prologue that takes the saved values, an entry probe on the points
 * without `.return` saves them, one global per occurrence; and the
 * errors for an @entry that has no entry to save it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "parser/ast.h"
#include "parser/at_entry.h"
#include "parser/diag.h"
#include "parser/parse.h"

static char err_buf[4096];

/* Parse and rewrite text as t.stp: the printed result, or NULL with the
 * diagnostics in err_buf. */
static char *rewrite(const char *text)
{
	struct bt_script *s = ast_script_new();
	FILE *tmp = tmpfile();
	int saved = dup(2), rc;
	char *out = NULL;
	size_t len = 0, got;
	FILE *f;

	ck_assert_ptr_nonnull(tmp);
	diag_reset();
	fflush(stderr);
	dup2(fileno(tmp), 2);
	rc = parse_string(s, "t.stp", text, strlen(text)) ||
	     at_entry_rewrite(s);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	got = fread(err_buf, 1, sizeof(err_buf) - 1, tmp);
	err_buf[got] = 0;
	fclose(tmp);
	if (!rc) {
		f = open_memstream(&out, &len);
		ast_print(s, f);
		fclose(f);
	}
	ast_script_free(s);
	return out;
}

START_TEST(test_pair)
{
	char *out = rewrite(
		"probe syscall.read.return, process(\"/bin/x\").function(\"f\")"
		".return? {\n"
		"  if (retval < 0) next\n"
		"  printf(\"%d %s\", @entry(fd), @entry(execname()))\n"
		"}\n");

	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out,
		"global __entry_0\n"
		"global __entry_1\n"
		"\n"
		"probe syscall.read.return, process(\"/bin/x\")"
		".function(\"f\").return? {\n"
		"  __entryv_0 = __entry_0[tid()];\n"
		"  delete __entry_0[tid()];\n"
		"  __entryv_1 = __entry_1[tid()];\n"
		"  delete __entry_1[tid()];\n"
		"  if (retval < 0)\n"
		"    next;\n"
		"  printf(\"%d %s\", __entryv_0, __entryv_1);\n"
		"}\n"
		"\n"
		"probe syscall.read, process(\"/bin/x\").function(\"f\")? {\n"
		"  __entry_0[tid()] = fd;\n"
		"  __entry_1[tid()] = execname();\n"
		"}\n");
	free(out);
}
END_TEST

/* Occurrences are numbered over the script; probes without @entry and
 * expressions around it stay as they were. */
START_TEST(test_two_probes)
{
	char *out = rewrite(
		"probe begin { x = 1 }\n"
		"probe kernel.function(\"f\").return { t = 2 * @entry(3 + 4) }\n"
		"probe syscall.*.return { a[@entry(name)] = 1 }\n");

	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(strstr(out,
		"probe begin {\n  x = 1;\n}\n"));
	ck_assert_ptr_nonnull(strstr(out, "t = 2 * __entryv_0;"));
	ck_assert_ptr_nonnull(strstr(out,
		"probe kernel.function(\"f\") {\n"
		"  __entry_0[tid()] = 3 + 4;\n"));
	ck_assert_ptr_nonnull(strstr(out, "a[__entryv_1] = 1;"));
	ck_assert_ptr_nonnull(strstr(out,
		"probe syscall.* {\n  __entry_1[tid()] = name;\n"));
	free(out);
}
END_TEST

START_TEST(test_errors)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ "probe begin { x = @entry(1) }",
		  "t.stp:1:19: error: @entry is only valid in a probe whose "
		  "every point ends in .return" },
		{ "probe a.return, begin { x = @entry(1) }",
		  "t.stp:1:29: error: @entry is only valid" },
		{ "function f() { return @entry(1) }",
		  "t.stp:1:23: error: @entry is only valid" },
		{ "probe a = b.return { x = @entry(1) }",
		  "t.stp:1:26: error: @entry is only valid" },
		{ "probe a.return { x = @entry(@entry(1)) }",
		  "t.stp:1:29: error: @entry cannot be nested" },
		{ "probe a.return { x = @entry(1, 2) }",
		  "t.stp:1:22: error: @entry takes 1 argument, not 2" },
		{ "probe return { x = @entry(1) }",
		  "t.stp:1:20: error: @entry is only valid" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = rewrite(cases[i].text);

		ck_assert_msg(!out, "accepted: %s", cases[i].text);
		ck_assert_msg(!strncmp(err_buf, cases[i].err,
				       strlen(cases[i].err)),
			      "%s: got %s", cases[i].text, err_buf);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("at_entry");
	TCase *tc = tcase_create("rewrite");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_pair);
	tcase_add_test(tc, test_two_probes);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
