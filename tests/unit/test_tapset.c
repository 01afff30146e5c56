// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the library loader (stdlib/tapset*.c): the scan of what a
 * file defines, the names a script uses, and that tapset_load parses a
 * library file only when the script (or a file it pulled in) uses
 * something the file defines, as stap does with its tapsets.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "parser/ast.h"
#include "parser/diag.h"
#include "parser/parse.h"
#include "stdlib/tapset.h"
#include "stdlib/tapset_int.h"

static struct tapset_names defs;

static void scan(const char *text)
{
	tapset_names_free(&defs);
	tapset_scan(text, strlen(text), &defs);
	ck_assert(!defs.oom);
}

START_TEST(test_scan_functions_and_globals)
{
	scan("function f:long(x:long) { return x }\n"
	     "private function g() %{ /* function notme() */ %}\n"
	     "global a, b[10], c% = 5\n"
	     "global d = \"probe x = y\"\n"
	     "probe begin { e = 1 }\n");
	ck_assert(tapset_names_has(&defs, "f"));
	ck_assert(tapset_names_has(&defs, "g"));
	ck_assert(tapset_names_has(&defs, "a"));
	ck_assert(tapset_names_has(&defs, "b"));
	ck_assert(tapset_names_has(&defs, "c"));
	ck_assert(tapset_names_has(&defs, "d"));
	/* keywords in embedded code, strings and comments are not read;
	 * a plain probe defines nothing, nor do its locals */
	ck_assert(!tapset_names_has(&defs, "notme"));
	ck_assert(!tapset_names_has(&defs, "x"));
	ck_assert(!tapset_names_has(&defs, "begin"));
	ck_assert(!tapset_names_has(&defs, "e"));
	ck_assert(!tapset_names_has(&defs, "long"));
}
END_TEST

START_TEST(test_scan_aliases)
{
	scan("probe syscall.open, nd_syscall.open =\n"
	     "\tkernel.trace(\"syscalls:sys_enter_open\") ? { name = \"open\" }\n"
	     "probe a.b = c.d = timer.ms(5) { }\n"
	     "probe tick += timer.s(1), p.q(\"=,\") { }\n"
	     "probe kernel.trace(\"x\") { y = 1 }\n");
	ck_assert(tapset_names_has(&defs, "syscall"));
	ck_assert(tapset_names_has(&defs, "nd_syscall"));
	ck_assert(tapset_names_has(&defs, "a"));
	ck_assert(tapset_names_has(&defs, "c"));
	ck_assert(tapset_names_has(&defs, "tick"));
	/* what an alias stands for, and plain probes, define nothing */
	ck_assert(!tapset_names_has(&defs, "kernel"));
	ck_assert(!tapset_names_has(&defs, "timer"));
	ck_assert(!tapset_names_has(&defs, "p"));
	ck_assert_int_eq(defs.n, 5);
}
END_TEST

/* What comments say is not read: a false start there once hid the
 * alias after it. */
START_TEST(test_scan_comments)
{
	scan("// The oneshot probe point, as stap's: a begin probe\n"
	     "probe oneshot = begin { exit() }\n"
	     "# function nope()\n/* global nope2 */\n"
	     "probe x = y /* probe z = w */ { }\n");
	ck_assert(tapset_names_has(&defs, "oneshot"));
	ck_assert(tapset_names_has(&defs, "x"));
	ck_assert(!tapset_names_has(&defs, "point"));
	ck_assert(!tapset_names_has(&defs, "nope"));
	ck_assert(!tapset_names_has(&defs, "nope2"));
	ck_assert(!tapset_names_has(&defs, "z"));
	ck_assert_int_eq(defs.n, 2);
}
END_TEST

START_TEST(test_names_grow)
{
	char name[16];

	tapset_names_free(&defs);
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		tapset_names_add(&defs, name, strlen(name));
		tapset_names_add(&defs, name, strlen(name));
	}
	ck_assert_int_eq(defs.n, 1000);
	ck_assert(tapset_names_has(&defs, "n0"));
	ck_assert(tapset_names_has(&defs, "n999"));
	ck_assert(!tapset_names_has(&defs, "n1000"));
	ck_assert(!tapset_names_has(&defs, "n"));
}
END_TEST

START_TEST(test_uses)
{
	struct bt_script *s = ast_script_new();
	struct tapset_names uses = { 0 };
	static const char text[] =
		"probe syscall.open, timer.ms(1) { x = f(y[1], @count(z)) }\n"
		"function g() { foreach (k in arr) h(k) }\n";

	ck_assert_int_eq(parse_string(s, "t.stp", text, strlen(text)), 0);
	ck_assert(!tapset_uses(s, &uses));
	for (const char *const *n = (const char *const[]){ "syscall",
	     "timer", "x", "f", "y", "z", "k", "arr", "h", NULL }; *n; n++)
		ck_assert_msg(tapset_names_has(&uses, *n), "%s", *n);
	ck_assert(!tapset_names_has(&uses, "g"));
	tapset_names_free(&uses);
	ast_script_free(s);
	s = ast_script_new();
	ck_assert_int_eq(parse_string(s, "t.stp", "probe *.open {}", 15), 0);
	ck_assert(tapset_uses(s, &uses));	/* a wildcard: every alias */
	tapset_names_free(&uses);
	ast_script_free(s);
}
END_TEST

/* Everything the parser finds defined in the file is in defs. */
static void defines_parsed(const char *path, const char *text, size_t len)
{
	struct bt_script *s = ast_script_new();

	ck_assert_int_eq(parse_string(s, path, text, len), 0);
	for (const struct bt_func *f = s->funcs; f; f = f->next)
		ck_assert_msg(tapset_names_has(&defs, f->name), "%s", f->name);
	for (const struct bt_global *g = s->globals; g; g = g->next)
		ck_assert_msg(tapset_names_has(&defs, g->name), "%s", g->name);
	for (const struct bt_probe *p = s->probes; p; p = p->next)
		for (const struct bt_point *a = p->alias_names; a; a = a->next)
			ck_assert_msg(tapset_names_has(&defs,
						       a->comps->name),
				      "%s", a->comps->name);
	ast_script_free(s);
}

/* The built-in index says what a scan of each stdlib file says, and
 * that has every definition the parser finds. */
START_TEST(test_index_matches_stdlib)
{
	ck_assert_int_gt(tapset_index_n, 0);
	ck_assert_int_eq(tapset_load_macros(NULL, 0), 0);
	for (size_t i = 0; i < tapset_index_n; i++) {
		const struct tapset_index_entry *e = &tapset_index[i];
		char path[512];
		size_t len, n = 0;
		char *text;

		snprintf(path, sizeof(path), "%s/%s", BPFTAP_SRC_STDLIB_DIR,
			 e->file);
		text = parse_read(path, &len);
		ck_assert_ptr_nonnull(text);
		ck_assert_uint_eq(e->len, len);
		ck_assert(e->hash == tapset_hash(text, len));
		tapset_names_free(&defs);
		tapset_scan(text, len, &defs);
		for (const char *const *name = e->names; *name; name++, n++)
			ck_assert_msg(tapset_names_has(&defs, *name), "%s: %s",
				      e->file, *name);
		ck_assert_uint_eq(n, defs.n);
		defines_parsed(path, text, len);
		free(text);
	}
	ck_assert(tapset_hash("a", 1) != tapset_hash("b", 1));
	ck_assert(tapset_hash("abcdefgh", 8) != tapset_hash("abcdefgi", 8));
}
END_TEST

/* A library directory with three files: a.stp needs b.stp; c.stp is
 * needed by nothing. */
static char libdir[] = "/tmp/bpftap-tapset.XXXXXX";

static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", libdir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void lib_setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(libdir));
	put("a.stp", "function twice(x) { return add(x, x) }\n");
	put("b.stp", "function add(x, y) { return x + y }\n");
	put("c.stp", "function unused() { return 1 }\nprobe begin { }\n");
}

static void lib_teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", libdir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(libdir, "/tmp/bpftap-tapset.XXXXXX");
	diag_reset();
}

/* Which of the library's files the script pulled in, as "a b". */
static void loaded(const char *script, char *out, size_t size)
{
	struct bt_script *s = ast_script_new();
	char *dirs[] = { libdir };
	const char *sep = "";

	out[0] = 0;
	ck_assert_int_eq(parse_string(s, "t.stp", script, strlen(script)), 0);
	ck_assert_int_eq(tapset_load(s, dirs, 1), 0);
	for (const struct bt_func *f = s->funcs; f; f = f->next) {
		const char *file = f->loc.file;

		if (strncmp(file, libdir, strlen(libdir)))
			continue;
		snprintf(out + strlen(out), size - strlen(out), "%s%s", sep,
			 file + strlen(libdir) + 1);
		sep = " ";
	}
	ast_script_free(s);
}

START_TEST(test_load_what_is_used)
{
	char got[256];

	loaded("probe begin { println(twice(2)) }", got, sizeof(got));
	ck_assert_str_eq(got, "a.stp b.stp");	/* b for a's call */
	loaded("probe begin { println(add(1, 2)) }", got, sizeof(got));
	ck_assert_str_eq(got, "b.stp");
	loaded("probe begin { println(1) }", got, sizeof(got));
	ck_assert_str_eq(got, "");
}
END_TEST

static Suite *tapset_suite(void)
{
	Suite *s = suite_create("tapset");
	TCase *tc = tcase_create("scan");
	TCase *tl = tcase_create("load");

	tcase_add_test(tc, test_scan_functions_and_globals);
	tcase_add_test(tc, test_scan_aliases);
	tcase_add_test(tc, test_scan_comments);
	tcase_add_test(tc, test_names_grow);
	tcase_add_test(tc, test_uses);
	tcase_add_test(tc, test_index_matches_stdlib);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tl, lib_setup, lib_teardown);
	tcase_add_test(tl, test_load_what_is_used);
	suite_add_tcase(s, tl);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tapset_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	tapset_names_free(&defs);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
