// SPDX-License-Identifier: GPL-2.0
/*
 * Elaboration (pass 2): symbols, types, read/written flags, probe points,
 * aliases, calls, and the diagnostics with their locations.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "parser/ast.h"
#include "parser/diag.h"
#include "parser/elaborate.h"
#include "parser/parse.h"

static struct bt_script *S;
static char *errs;		/* what the last run printed on stderr */

static void teardown(void)
{
	if (S)
		ast_script_free(S);
	S = NULL;
	free(errs);
	errs = NULL;
	diag_reset();
}

/* Parse and elaborate src; stderr goes to errs. Returns elab's result. */
static int elab(const char *src)
{
	FILE *tmp = tmpfile();
	int saved, rc;
	long n;

	teardown();
	ck_assert_ptr_nonnull(tmp);
	S = ast_script_new();
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(tmp), 2);
	rc = parse_string(S, "<input>", src, strlen(src));
	if (rc == 0)
		rc = elab_script(S);
	else
		rc = -2;		/* the parser refused it */
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = ftell(tmp);
	errs = calloc(1, n + 1);
	rewind(tmp);
	if (n > 0 && fread(errs, 1, n, tmp) != (size_t)n)
		errs[0] = 0;
	fclose(tmp);
	return rc;
}

/* A user script plus a library file, as the driver loads tapsets. */
static int elab_lib(const char *src, const char *lib)
{
	FILE *tmp = tmpfile();
	int saved, rc;

	teardown();
	S = ast_script_new();
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(tmp), 2);
	rc = parse_string(S, "<input>", src, strlen(src)) ||
	     parse_string(S, "lib.stp", lib, strlen(lib)) ? -2 :
	     elab_script(S);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	errs = calloc(1, 4096);
	rewind(tmp);
	if (fread(errs, 1, 4095, tmp) == 0)
		errs[0] = 0;
	fclose(tmp);
	return rc;
}

static void ok(const char *src)
{
	int rc = elab(src);

	ck_assert_msg(rc == 0, "elab failed (%d) for:\n%s\n%s", rc, src, errs);
}

/* Fails, and printed `want` (a substring of the diagnostics). */
static void fails(const char *src, const char *want)
{
	int rc = elab(src);

	ck_assert_msg(rc == -1, "expected an elab error (%d) for:\n%s\n%s",
		      rc, src, errs);
	ck_assert_msg(strstr(errs, want), "expected '%s' in:\n%s", want,
		      errs);
}

static void printed(const char *want)
{
	ck_assert_msg(strstr(errs, want), "expected '%s' in:\n%s", want,
		      errs);
}

static struct bt_sym *global(const char *name)
{
	for (struct bt_sym *g = S->global_syms; g; g = g->next)
		if (!strcmp(g->name, name))
			return g;
	ck_abort_msg("no global %s", name);
	return NULL;
}

static struct bt_probe *probe(int index)
{
	for (struct bt_probe *p = S->probes; p; p = p->next)
		if (!p->alias_names && p->index == index)
			return p;
	ck_abort_msg("no probe %d", index);
	return NULL;
}

static struct bt_sym *find_sym(struct bt_sym *l, const char *name)
{
	for (; l; l = l->next)
		if (!strcmp(l->name, name))
			return l;
	ck_abort_msg("no local %s", name);
	return NULL;
}

static struct bt_sym *local(int probe_index, const char *name)
{
	return find_sym(probe(probe_index)->locals, name);
}

static struct bt_func *func(const char *name)
{
	for (struct bt_func *f = S->funcs; f; f = f->next)
		if (!strcmp(f->name, name))
			return f;
	ck_abort_msg("no function %s", name);
	return NULL;
}

static int count_stmts(const struct bt_stmt *st)
{
	int n = 0;

	for (; st; st = st->next)
		n++;
	return n;
}

/* ---- globals and locals ---- */

START_TEST(t_global_types)
{
	ok("global x = 5, name = \"init\", neg = -3, untouched\n"
	   "global a[100], st, m\n"
	   "probe begin { a[1, \"k\"] = x; st <<< 4; m[\"z\"] <<< 2\n"
	   "  print(name . \"!\"); println(neg) }\n");
	ck_assert_int_eq(global("x")->type, BT_LONG);
	ck_assert_int_eq(global("x")->kind, SYM_GLOBAL);
	ck_assert_int_eq(global("name")->type, BT_STRING);
	ck_assert_int_eq(global("neg")->type, BT_LONG);
	ck_assert_int_eq(global("untouched")->type, BT_UNKNOWN);
	ck_assert(!global("untouched")->read && !global("untouched")->written);
	printed("<input>:1:40: warning: eliminating unused variable "
		"'untouched'");
	ck_assert_int_eq(global("a")->nkeys, 2);
	ck_assert_int_eq(global("a")->keys[0], BT_LONG);
	ck_assert_int_eq(global("a")->keys[1], BT_STRING);
	ck_assert_int_eq(global("a")->type, BT_LONG);
	ck_assert_int_eq(global("st")->type, BT_STATS);
	ck_assert_int_eq(global("st")->nkeys, 0);
	ck_assert_int_eq(global("m")->type, BT_STATS);
	ck_assert_int_eq(global("m")->nkeys, 1);
	ck_assert_int_eq(global("m")->keys[0], BT_STRING);
	/* Declaration order, and each declaration knows its symbol. */
	ck_assert_str_eq(S->global_syms->name, "x");
	ck_assert_str_eq(S->global_syms->next->name, "name");
	ck_assert_ptr_eq(S->globals->sym, S->global_syms);
}
END_TEST

START_TEST(t_locals)
{
	ok("probe begin { i = 0; s = \"x\"; t = s . \"y\"; j = i + 1\n"
	   "  foreach ([k, v] in arr) n = arr[k, v] }\n"
	   "global arr\n"
	   "probe end { arr[\"a\", 1] = 2; try { i = 1 } catch (e) { } }\n");
	ck_assert_str_eq(probe(0)->locals->name, "i");
	ck_assert_int_eq(local(0, "i")->kind, SYM_LOCAL);
	ck_assert_int_eq(local(0, "i")->type, BT_LONG);
	ck_assert_int_eq(local(0, "s")->type, BT_STRING);
	ck_assert_int_eq(local(0, "t")->type, BT_STRING);
	ck_assert_int_eq(local(0, "j")->type, BT_LONG);
	ck_assert_int_eq(local(0, "k")->type, BT_STRING);
	ck_assert_int_eq(local(0, "v")->type, BT_LONG);
	ck_assert_int_eq(local(0, "n")->type, BT_LONG);
	ck_assert_int_eq(local(1, "e")->type, BT_STRING);
	/* Each probe has its own locals. */
	ck_assert_ptr_ne(local(0, "i"), local(1, "i"));
	ck_assert_int_eq(global("arr")->read, true);
}
END_TEST

START_TEST(t_var_syms)
{
	struct bt_stmt *st;

	ok("global a\nprobe begin { a[1] = 2; if (1 in a) x = a[1] }\n");
	st = probe(0)->body->body;
	ck_assert_int_eq(st->expr->left->kind, E_INDEX);
	ck_assert_ptr_eq(st->expr->left->sym, global("a"));
	ck_assert_ptr_eq(st->expr->left->base->sym, global("a"));
	st = st->next;
	ck_assert_int_eq(st->cond->kind, E_IN);
	ck_assert_ptr_eq(st->cond->sym, global("a"));
	ck_assert_ptr_eq(st->cond->base->sym, global("a"));
	ck_assert_int_eq(st->cond->type, BT_LONG);
	ck_assert_ptr_eq(st->body->expr->left->sym, local(0, "x"));
	ck_assert_int_eq(st->body->expr->type, BT_LONG);
}
END_TEST

START_TEST(t_default_long)
{
	/* Nothing constrains these: long, not an error. */
	ok("global g\nprobe begin { print(g); println(y) }\n");
	ck_assert_int_eq(global("g")->type, BT_LONG);
	ck_assert_int_eq(local(0, "y")->type, BT_LONG);
	ck_assert(global("g")->read && !global("g")->written);
}
END_TEST

START_TEST(t_printf_types)
{
	ok("probe begin { printf(\"%s %-5d %*x\\n\", a, b, w, c) }\n");
	ck_assert_int_eq(local(0, "a")->type, BT_STRING);
	ck_assert_int_eq(local(0, "b")->type, BT_LONG);
	ck_assert_int_eq(local(0, "w")->type, BT_LONG);
	ck_assert_int_eq(local(0, "c")->type, BT_LONG);
	ck_assert_ptr_nonnull(probe(0)->body->body->expr->builtin);
}
END_TEST

START_TEST(t_ternary_compare)
{
	ok("probe begin { s = 1 ? a : \"x\"; if (b == \"y\") c = b }\n");
	ck_assert_int_eq(local(0, "a")->type, BT_STRING);
	ck_assert_int_eq(local(0, "s")->type, BT_STRING);
	ck_assert_int_eq(local(0, "b")->type, BT_STRING);
	ck_assert_int_eq(local(0, "c")->type, BT_STRING);
}
END_TEST

START_TEST(t_foreach_types)
{
	ok("global s\n"
	   "probe begin { s[\"b\", 2] = \"v\"\n"
	   "  foreach (v = [x, y+] in s limit 3) printf(\"%s%d%s\", x, y, v) }\n");
	ck_assert_int_eq(local(0, "x")->type, BT_STRING);
	ck_assert_int_eq(local(0, "y")->type, BT_LONG);
	ck_assert_int_eq(local(0, "v")->type, BT_STRING);
	ck_assert_int_eq(global("s")->type, BT_STRING);
}
END_TEST

START_TEST(t_array_from_foreach)
{
	/* Key types flow from the foreach variables into the array. */
	ok("global a\nprobe begin { foreach (k in a) println(k . \"\") }\n");
	ck_assert_int_eq(global("a")->nkeys, 1);
	ck_assert_int_eq(global("a")->keys[0], BT_STRING);
	ck_assert_int_eq(global("a")->type, BT_LONG);
}
END_TEST

/* ---- functions ---- */

START_TEST(t_functions)
{
	struct bt_func *f;

	ok("function fact(n) { r = 1; for (i = 2; i <= n; i++) r *= i; "
	   "return r }\n"
	   "function greet:string(who:string) { return \"hi \" . who }\n"
	   "function show(x) { printf(\"x=%d\\n\", x) }\n"
	   "function unused() { return 1 }\n"
	   "probe begin { printf(\"%d\\n\", fact(10)); println(greet(\"b\"))\n"
	   "  show(3) }\n");
	f = func("fact");
	ck_assert_int_eq(f->ret_type, BT_LONG);
	ck_assert_int_eq(f->params->sym->kind, SYM_PARAM);
	ck_assert_int_eq(f->params->sym->type, BT_LONG);
	ck_assert_ptr_eq(f->locals, f->params->sym);
	ck_assert_str_eq(f->locals->next->name, "r");
	ck_assert_str_eq(f->locals->next->next->name, "i");
	ck_assert(f->used);
	ck_assert_int_eq(func("greet")->ret_type, BT_STRING);
	ck_assert_int_eq(func("greet")->params->sym->type, BT_STRING);
	ck_assert_int_eq(func("show")->ret_type, BT_VOID);
	ck_assert_int_eq(func("show")->params->sym->type, BT_LONG);
	ck_assert(!func("unused")->used);
	ck_assert_ptr_eq(probe(0)->body->body->expr->args->next->func,
			 func("fact"));
}
END_TEST

START_TEST(t_infer_through_calls)
{
	/* s fixes id's result, the return fixes v, v fixes the argument. */
	ok("function id(v) { return v }\n"
	   "function f(a) { return a }\n"
	   "probe begin { s = \"a\"; s = id(t); x = f(\"q\") }\n");
	ck_assert_int_eq(func("id")->ret_type, BT_STRING);
	ck_assert_int_eq(func("id")->params->sym->type, BT_STRING);
	ck_assert_int_eq(local(0, "t")->type, BT_STRING);
	ck_assert_int_eq(func("f")->ret_type, BT_STRING);
	ck_assert_int_eq(local(0, "x")->type, BT_STRING);
}
END_TEST

START_TEST(t_used_transitively)
{
	ok("function a() { return b() }\nfunction b() { return 1 }\n"
	   "function c() { return 2 }\nprobe begin { print(a()) }\n");
	ck_assert(func("a")->used && func("b")->used && !func("c")->used);
}
END_TEST

/* ---- read / written ---- */

START_TEST(t_flags)
{
	ok("global count, arr, st, r, inc, both, tested, del, looped\n"
	   "probe begin { count = 3; arr[1] = 10; st <<< 4; inc++\n"
	   "  both += 1; x = r; print(both); if (1 in tested) x = 2\n"
	   "  delete del[1]; foreach (k in looped) x = k }\n");
	ck_assert(global("count")->written && !global("count")->read);
	ck_assert(global("arr")->written && !global("arr")->read);
	ck_assert(global("st")->written && !global("st")->read);
	ck_assert(global("r")->read && !global("r")->written);
	ck_assert(global("inc")->written && !global("inc")->read);
	ck_assert(global("both")->written && global("both")->read);
	ck_assert(global("tested")->read && !global("tested")->written);
	ck_assert(global("del")->written && !global("del")->read);
	ck_assert(global("looped")->read);
}
END_TEST

START_TEST(t_flags_stats_read)
{
	ok("global s, h\nprobe begin { s <<< 1; h <<< 2; print(@count(s))\n"
	   "  print(@hist_log(h)) }\n");
	ck_assert(global("s")->read && global("s")->written);
	ck_assert(global("h")->read && global("h")->written);
}
END_TEST

/* ---- probe points ---- */

START_TEST(t_points)
{
	static const char src[] =
		"probe begin {}\nprobe begin(-5) {}\nprobe end(3) {}\n"
		"probe error {}\nprobe timer.s(2) {}\nprobe timer.ms(10) {}\n"
		"probe timer.us(7) {}\nprobe timer.ns(100000) {}\n"
		"probe timer.hz(100) {}\nprobe timer.jiffies(5) {}\n"
		"probe timer.profile {}\n"
		"probe kernel.trace(\"syscalls:sys_enter_read\") {}\n"
		"probe kernel.trace(\"sched_switch\") {}\n"
		"probe kernel.trace(\"syscalls:sys_enter_*\") {}\n"
		"probe perf.type(1).config(0).sample(1000) {}\n"
		"probe perf.type(1).config(2).hz(99) {}\n"
		"probe kernel.function(\"vfs_read\") {}\n"
		"probe kernel.function(\"vfs_read\").return {}\n"
		"probe process(\"libc.so.6\").function(\"malloc\") {}\n"
		"probe process(\"libc.so.6\").function(\"malloc\").return {}\n";
	struct bt_point *pt;

	ok(src);
	ck_assert_int_eq(S->nprobes, 20);
	ck_assert_int_eq(probe(0)->points->type, PT_BEGIN);
	ck_assert_int_eq(probe(0)->points->priority, 0);
	ck_assert_int_eq(probe(1)->points->priority, -5);
	ck_assert_int_eq(probe(2)->points->type, PT_END);
	ck_assert_int_eq(probe(2)->points->priority, 3);
	ck_assert_int_eq(probe(3)->points->type, PT_ERROR);
	ck_assert_int_eq(probe(4)->points->type, PT_TIMER);
	ck_assert_uint_eq(probe(4)->points->period_ns, 2000000000);
	ck_assert_uint_eq(probe(5)->points->period_ns, 10000000);
	ck_assert_uint_eq(probe(6)->points->period_ns, 7000);
	ck_assert_uint_eq(probe(7)->points->period_ns, 100000);
	ck_assert_uint_eq(probe(8)->points->period_ns, 0);
	ck_assert_uint_eq(probe(8)->points->hz, 100);
	ck_assert_uint_eq(probe(9)->points->period_ns, 5 * 4000000);
	ck_assert_int_eq(probe(10)->points->type, PT_TIMER_PROFILE);
	pt = probe(11)->points;
	ck_assert_int_eq(pt->type, PT_TRACEPOINT);
	ck_assert_str_eq(pt->tp_system, "syscalls");
	ck_assert_str_eq(pt->tp_event, "sys_enter_read");
	/* the system is found in tracefs; a wildcard is a point per event */
	ck_assert_str_eq(probe(12)->points->tp_system, "sched");
	ck_assert_str_eq(probe(12)->points->tp_event, "sched_switch");
	ck_assert_int_eq(strncmp(probe(13)->points->tp_event, "sys_enter_",
				 10), 0);
	ck_assert_ptr_nonnull(probe(13)->points->next);
	pt = probe(14)->points;
	ck_assert_int_eq(pt->type, PT_PERF);
	ck_assert_uint_eq(pt->perf_type, 1);
	ck_assert_uint_eq(pt->perf_config, 0);
	ck_assert_uint_eq(pt->perf_sample, 1000);
	pt = probe(15)->points;
	ck_assert_uint_eq(pt->perf_config, 2);
	ck_assert_uint_eq(pt->hz, 99);
	ck_assert_uint_eq(pt->perf_sample, 0);
	pt = probe(16)->points;
	ck_assert_int_eq(pt->type, PT_KPROBE);
	ck_assert_str_eq(pt->func_name, "vfs_read");
	ck_assert_int_eq(probe(17)->points->type, PT_KRETPROBE);
	pt = probe(18)->points;
	ck_assert_int_eq(pt->type, PT_UPROBE);
	/* resolved through the library directories, to a full path */
	ck_assert_int_eq(pt->target_path[0], '/');
	ck_assert_ptr_nonnull(strstr(pt->target_path, "/libc.so.6"));
	ck_assert_str_eq(pt->func_name, "malloc");
	ck_assert_int_eq(probe(19)->points->type, PT_URETPROBE);
	ck_assert_ptr_null(probe(19)->points->alias_from);
}
END_TEST

START_TEST(t_multi_points)
{
	ok("global n\nprobe timer.ms(10), timer.ms(15) { n++ }\n");
	ck_assert_int_eq(S->nprobes, 1);
	ck_assert_uint_eq(probe(0)->points->period_ns, 10000000);
	ck_assert_uint_eq(probe(0)->points->next->period_ns, 15000000);
	ck_assert_ptr_null(probe(0)->points->next->next);
}
END_TEST

START_TEST(t_bad_point_args)
{
	fails("probe timer.ms(0) {}\n", "<input>:1:13: error: 'ms' needs a "
	      "positive number argument");
	fails("probe timer.s {}\n", "'s' needs a positive number");
	fails("probe kernel.trace(5) {}\n", "'trace' needs a string");
	fails("probe begin(\"x\") {}\n", "priority of 'begin'");
}
END_TEST

/* ---- aliases ---- */

START_TEST(t_alias)
{
	struct bt_stmt *body;

	ok("probe myalias = kernel.trace(\"syscalls:sys_enter_read\") "
	   "{ name = \"read\"; n = 1 }\n"
	   "probe myalias { printf(\"%s %d\\n\", name, n) }\n");
	ck_assert_int_eq(S->nprobes, 1);
	ck_assert_int_eq(probe(0)->points->type, PT_TRACEPOINT);
	ck_assert_str_eq(probe(0)->points->tp_event, "sys_enter_read");
	ck_assert_ptr_nonnull(probe(0)->points->alias_from);
	ck_assert_str_eq(probe(0)->points->alias_from->comps->name,
			 "myalias");
	ck_assert_int_eq(local(0, "name")->type, BT_STRING);
	ck_assert_int_eq(local(0, "n")->type, BT_LONG);
	/* { prologue; body } */
	body = probe(0)->body;
	ck_assert_int_eq(body->kind, S_BLOCK);
	ck_assert_int_eq(count_stmts(body->body), 2);
	ck_assert_int_eq(body->body->body->expr->kind, E_ASSIGN);
	ck_assert_int_eq(body->body->next->body->expr->kind, E_CALL);
	/* The alias definition is not a probe. */
	for (struct bt_probe *p = S->probes; p; p = p->next)
		if (p->alias_names)
			ck_assert_int_eq(p->index, -1);
}
END_TEST

START_TEST(t_alias_epilogue)
{
	struct bt_stmt *b;

	/* An epilogue runs after the body: { body; epilogue }. */
	ok("probe e += begin { y = 2 }\nprobe e { x = \"no\" . \"\" }\n");
	b = probe(0)->body->body;
	ck_assert_int_eq(b->body->expr->right->kind, E_BINARY);
	ck_assert_int_eq(b->next->body->expr->right->kind, E_NUM);
}
END_TEST

START_TEST(t_alias_conflict_shows_sharing)
{
	/* The alias's x and the body's x are the same local. */
	fails("probe e = begin { x = 2 }\nprobe e { x = \"s\" }\n",
	      "type mismatch for 'x'");
}
END_TEST

START_TEST(t_alias_nested)
{
	struct bt_stmt *b;

	ok("probe a1 = begin { v = 1 }\nprobe a2 = a1 { w = v + 1 }\n"
	   "probe a2 { print(w) }\n");
	ck_assert_int_eq(S->nprobes, 1);
	ck_assert_int_eq(probe(0)->points->type, PT_BEGIN);
	b = probe(0)->body->body;
	ck_assert_int_eq(count_stmts(b), 3);
	ck_assert_str_eq(b->body->expr->left->name, "v");
	ck_assert_str_eq(b->next->body->expr->left->name, "w");
}
END_TEST

START_TEST(t_alias_wildcard)
{
	ok("probe sc.read = kernel.trace(\"syscalls:sys_enter_read\") "
	   "{ nm = \"r\" }\n"
	   "probe sc.write = kernel.trace(\"syscalls:sys_enter_write\") "
	   "{ nm = \"w\" }\n"
	   "probe sc.* { print(nm) }\n");
	ck_assert_int_eq(S->nprobes, 2);
	ck_assert_str_eq(probe(0)->points->tp_event, "sys_enter_read");
	ck_assert_str_eq(probe(1)->points->tp_event, "sys_enter_write");
	ck_assert_ptr_ne(local(0, "nm"), local(1, "nm"));
	ck_assert_int_eq(local(1, "nm")->type, BT_STRING);
}
END_TEST

START_TEST(t_alias_used_twice)
{
	ok("probe al = begin { a = 1 }\nprobe al { print(a) }\n"
	   "probe al { println(a) }\n");
	ck_assert_int_eq(S->nprobes, 2);
	ck_assert_ptr_ne(local(0, "a"), local(1, "a"));
	ck_assert_ptr_ne(probe(0)->body->body->body,
			 probe(1)->body->body->body);
}
END_TEST

START_TEST(t_optional_points)
{
	ok("probe nothere.* ?, begin { }\n");
	ck_assert_int_eq(S->nprobes, 1);
	ck_assert_int_eq(probe(0)->points->type, PT_BEGIN);
	ck_assert_ptr_null(probe(0)->points->next);
	ok("probe nothere ? { }\nprobe end { }\n");
	ck_assert_int_eq(S->nprobes, 1);
	ck_assert_int_eq(probe(0)->points->type, PT_END);
}
END_TEST

/* A library alias's assignments that nothing reads are dropped, with
 * what only they read; a user alias keeps all of its own. */
START_TEST(t_alias_prune)
{
	const char *lib =
		"global lg\n"
		"function f(x) { return x + 1 }\n"
		"probe lib.p = begin {\n"
		"  a = 1\n  b = f(a)\n  c = 2\n"
		"  if (c) d = 3 else d = 4\n"
		"  lg = 5\n  e = b + c\n}\n";
	const struct bt_stmt *pro;
	int rc = elab_lib("probe lib.p { print(c) }\n", lib);

	ck_assert_msg(rc == 0, "rc %d: %s", rc, errs);
	/* the prologue block: c = 2 and the global's lg = 5 stay */
	pro = probe(0)->body->body;
	ck_assert_int_eq(count_stmts(pro->body), 2);
	ck_assert(!func("f")->used);
	rc = elab_lib("probe lib.p { print(e) }\n", lib);
	ck_assert_msg(rc == 0, "rc %d: %s", rc, errs);
	/* e reads b and c, b reads a: all but the if stay */
	ck_assert_int_eq(count_stmts(probe(0)->body->body->body), 5);
	ck_assert(func("f")->used);
	ok("probe my = begin { a = 1\n b = 2 }\nprobe my { print(a) }\n");
	ck_assert_int_eq(count_stmts(probe(0)->body->body->body), 2);
}
END_TEST

START_TEST(t_alias_recursive)
{
	fails("probe r1 = r2 { }\nprobe r2 = r1 { }\nprobe r1 { }\n",
	      "is defined through itself");
}
END_TEST

START_TEST(t_library)
{
	int rc = elab_lib("probe lib.one { print(v) }\n",
			  "global libg\n"
			  "function broken() { return nothing_like_it() }\n"
			  "function libf(x) { return x + 1 }\n"
			  "function other(y) { return y }\n"
			  "probe lib.one = begin { v = libf(1) }\n");

	ck_assert_msg(rc == 0, "rc %d: %s", rc, errs);
	/* Unused library code is neither checked nor warned about. */
	ck_assert_str_eq(errs, "");
	ck_assert(func("libf")->used);
	ck_assert_int_eq(func("libf")->ret_type, BT_LONG);
	ck_assert(!func("broken")->used && !func("other")->used);
	ck_assert_int_eq(local(0, "v")->type, BT_LONG);
	/* Used library code is. */
	rc = elab_lib("probe begin { broken() }\n",
		      "function broken() { return nothing_like_it() }\n");
	ck_assert_int_eq(rc, -1);
	printed("lib.stp:1:28: error: unknown function 'nothing_like_it'");
}
END_TEST

/* ---- errors ---- */

START_TEST(t_err_type_conflict)
{
	fails("probe begin {\n  x = 1\n  x = \"a\"\n}\n",
	      "<input>:3:3: error: type mismatch for 'x': string here, but "
	      "long elsewhere");
	printed("<input>:2:3: note: 'x' was given type long here");
	fails("probe begin { s = \"a\" + 1 }\n", "type mismatch");
	fails("global g\nprobe begin { g = 1 }\nprobe end { g = \"x\" }\n",
	      "<input>:3:13: error: type mismatch for 'g'");
	printed("<input>:2:15: note:");
}
END_TEST

START_TEST(t_err_keys)
{
	fails("global a\nprobe begin { a[1] = 1; a[\"x\"] = 2 }\n",
	      "<input>:2:27: error: type mismatch for index 1 of 'a': string "
	      "here, but long elsewhere");
	printed("<input>:2:17: note: index 1 of 'a' was given type long");
	fails("global a\nprobe begin { a[1] = 1; a[1, 2] = 2 }\n",
	      "<input>:2:25: error: array 'a' is used with 2 indexes here, "
	      "but with 1 elsewhere");
	printed("<input>:2:15: note:");
}
END_TEST

/* As stap -p2: one kind of histogram per aggregate, literal parameters */
START_TEST(t_hist_kinds)
{
	ok("global s\nprobe begin { s[1] <<< 1; print(@hist_linear(s[1], -9, "
	   "9, 3)); print(@hist_linear(s[2], -9, 9, 3)) }\n");
	fails("global s\nprobe begin { s <<< 1; print(@hist_log(s)); "
	      "print(@hist_linear(s, 0, 9, 3)) }\n",
	      "<input>:2:51: error: multiple histogram types declared on 's'");
	printed("<input>:2:30: note: the first is here");
	fails("global s\nprobe begin { s <<< 1; print(@hist_linear(s, 0, 9, "
	      "3)); print(@hist_linear(s, 0, 10, 3)) }\n",
	      "multiple histogram types declared on 's'");
	fails("global s\nprobe begin { s <<< 1; n = 9; print(@hist_linear(s, "
	      "0, n, 3)) }\n", "<input>:2:56: error: the start, stop and "
	      "interval of @hist_linear must be numbers");
}
END_TEST

/* '*' in index lists: typed like the other indexes, only in slices */
START_TEST(t_wildcards)
{
	ok("global a\nprobe begin { a[1, \"x\"] = 1; if ([*, \"x\"] in a) "
	   "delete a[1, *]; foreach ([i, j] in a[*, \"y\"]) print(i) }\n");
	fails("global a\nprobe begin { a[1, 2] = 1; x = a[1, *] }\n",
	      "<input>:2:37: error: wildcard not allowed in array index");
	fails("global a\nprobe begin { a[1, *] = 1 }\n",
	      "<input>:2:20: error: wildcard not allowed in array index");
	fails("global a\nprobe begin { a[1, 2] = 1; foreach ([i, j] in a[1]) "
	      "print(i) }\n", "<input>:2:49: error: foreach selects elements "
	      "of 'a' with 1 index, but binds 2");
	fails("global a\nprobe begin { a[1, 2] = 1; foreach ([i, j] in "
	      "a[*, \"s\"]) print(i) }\n", "<input>:2:52: error: type "
	      "mismatch for index 2 of 'a'");
	fails("global a\nprobe begin { a[1, 2] = 1; x = [1, 2, *] in a }\n",
	      "array 'a' is used with 3 indexes here");
}
END_TEST

START_TEST(t_err_arity)
{
	fails("function f(a, b) { return a + b }\nprobe begin { f(1) }\n",
	      "<input>:2:15: error: function 'f' takes 2 arguments, but 1 "
	      "was given");
	printed("<input>:1:10: note: 'f' is defined here");
	fails("probe begin { x = strlen(\"a\", \"b\") }\n",
	      "function 'strlen' takes 1 argument, but 2 were given");
	fails("probe begin { exit(1) }\n", "'exit' takes 0 arguments");
}
END_TEST

START_TEST(t_err_unknown_function)
{
	fails("probe begin { prnitf(\"x\") }\n",
	      "<input>:1:15: error: unknown function 'prnitf'; did you mean "
	      "'printf'?");
	fails("function compute(x) { return x }\n"
	      "probe begin { print(compte(1)) }\n",
	      "did you mean 'compute'?");
	fails("probe begin { zzzzzzzzzz() }\n",
	      "unknown function 'zzzzzzzzzz'\n");
}
END_TEST

START_TEST(t_err_unknown_point)
{
	fails("probe begn { }\n",
	      "<input>:1:7: error: unknown probe point 'begn'; did you mean "
	      "'begin'?");
	fails("probe timer.msc(5) { }\n", "did you mean 'timer.ms'?");
	fails("probe my.alias = begin { }\nprobe my.alais { }\n",
	      "did you mean 'my.alias'?");
	fails("probe foo.bar.baz.qux { }\n",
	      "unknown probe point 'foo.bar.baz.qux'\n");
}
END_TEST

START_TEST(t_err_recursion)
{
	fails("function f(n) { return g(n) }\n"
	      "function g(n) { return f(n) }\n"
	      "probe begin { print(f(1)) }\n",
	      "<input>:2:24: error: recursive function 'f' is not supported "
	      "(call chain f -> g -> f)");
	fails("function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) }\n"
	      "probe begin { print(fib(5)) }\n",
	      "call chain fib -> fib");
}
END_TEST

START_TEST(t_err_local_array)
{
	fails("probe begin { x[1] = 2 }\n",
	      "<input>:1:15: error: 'x' is not an array (arrays must be "
	      "declared global)");
	fails("probe begin { x = 1; if (1 in x) print(1) }\n",
	      "'x' is not an array");
	fails("probe begin { x = 1; foreach (k in x) print(k) }\n",
	      "'x' is not an array");
	fails("function f(p) { delete p[1] }\nprobe begin { f(1) }\n",
	      "'p' is not an array");
}
END_TEST

START_TEST(t_err_array_as_scalar)
{
	fails("global a\nprobe begin { a[1] = 1; x = a }\n",
	      "<input>:2:29: error: 'a' is an array: it needs an index");
}
END_TEST

START_TEST(t_err_void)
{
	fails("function v() { }\nprobe begin { x = v() }\n",
	      "<input>:2:19: error: function 'v' does not return a value");
	fails("probe begin { x = printf(\"a\") }\n",
	      "'printf' does not return a value");
}
END_TEST

START_TEST(t_err_printf_format)
{
	fails("probe begin { f = \"%d\"; printf(f, 1) }\n",
	      "<input>:1:32: error: the format of 'printf' must be a string "
	      "literal");
	fails("probe begin { printf(\"%d %d\\n\", 1) }\n",
	      "wants 2 arguments, but 1 was given");
	fails("probe begin { printf(\"%d\\n\", \"s\") }\n", "type mismatch");
	fails("probe begin { printf(\"%y\\n\", 1) }\n",
	      "invalid conversion '%y'");
	ok("probe begin { printf(\"100%%\\n\"); x = sprintf(\"%5.2s\", \"a\") }\n");
}
END_TEST

START_TEST(t_err_return_next)
{
	fails("probe begin { return }\n", "<input>:1:15: error: 'return' is "
	      "only allowed in a function");
	/* next in a function: its next overload (stap) */
	ok("function f() { next }\nprobe begin { f() }\n");
	ok("function f() { return }\nprobe begin { f(); next }\n");
}
END_TEST

START_TEST(t_err_target)
{
	fails("probe begin { x = $count }\n",
	      "<input>:1:19: error: context variable '$count' is not "
	      "available in probe 'begin'");
	fails("probe timer.ms(5) { x = $count }\n", "in probe 'timer.ms(5)'");
	ok("probe kernel.trace(\"syscalls:sys_enter_read\") { x = $count }\n");
	ck_assert_int_eq(local(0, "x")->type, BT_LONG);
	fails("probe kernel.trace(\"syscalls:sys_enter_read\") "
	      "{ $count = 1 }\n",
	      "cannot assign to context variable '$count'");
	fails("function f() { return $x }\nprobe begin { f() }\n",
	      "not available in function 'f'");
}
END_TEST

START_TEST(t_defined)
{
	ok("probe begin { x = @defined($count) ? $count : 7 }\n");
	ck_assert_int_eq(probe(0)->body->body->expr->right->kind, E_NUM);
	ck_assert_int_eq(probe(0)->body->body->expr->right->num, 7);
	/* true only for a field the event has (tracefs) */
	ok("probe kernel.trace(\"syscalls:sys_enter_read\") "
	   "{ if (@defined($count)) x = $count }\n");
	ck_assert_int_eq(probe(0)->body->body->kind, S_EXPR);
	ok("probe kernel.trace(\"syscalls:sys_enter_read\") "
	   "{ if (@defined($c)) x = $c }\n");
	ck_assert_int_eq(probe(0)->body->body->kind, S_EMPTY);
}
END_TEST

START_TEST(t_err_stats)
{
	fails("global h\nprobe begin { h <<< 1; x = @hist_log(h) }\n",
	      "<input>:2:28: error: @hist_log can only be printed");
	fails("global s\nprobe begin { s <<< 1; print(s) }\n",
	      "'s' is a statistics aggregate");
	fails("global s\nprobe begin { s = 1; s <<< 1 }\n",
	      "type mismatch for 's': stats here, but long elsewhere");
	fails("probe begin { l <<< 1 }\n", "'l' is a local");
	fails("global s\nprobe begin { print(@count(s)); s = 2 }\n",
	      "type mismatch for 's'");
	ok("global h\nprobe begin { h <<< 5\n"
	   "  println(@hist_linear(h, 0, 100, 10)) }\n");
}
END_TEST

START_TEST(t_err_duplicates)
{
	fails("global a\nglobal a\nprobe begin { a = 1 }\n",
	      "<input>:2:8: error: global 'a' is declared twice");
	printed("<input>:1:8: note: 'a' was first declared here");
}
END_TEST

/* stap's overloading: by arity, and runtime overloads of one arity */
START_TEST(t_overloads)
{
	const struct bt_func *f0, *f1, *f2, *f3;

	ok("function f():2 { return 1 }\nfunction f(a) { return a }\n"
	   "function f():1 { next }\nfunction f():2 { return 3 }\n"
	   "probe begin { print(f(), f(2)) }\n");
	f0 = S->funcs;
	f1 = f0->next;
	f2 = f1->next;
	f3 = f2->next;
	/* zero arguments: f():1 runs first, then the others in order */
	ck_assert(f2->has_priority && f2->priority == 1);
	ck_assert_ptr_eq(f2->overload, f0);
	ck_assert_ptr_eq(f0->overload, f3);
	ck_assert_ptr_null(f3->overload);
	ck_assert_ptr_null(f1->overload);
	fails("function f() { return 1 }\nfunction f() { return \"s\" }\n"
	      "probe begin { print(f()) }\n",
	      "<input>:2:10: error: the overloads of 'f' return long and "
	      "string");
	fails("function f(a) { return a }\nprobe begin { print(f()) }\n",
	      "<input>:2:21: error: function 'f' takes 1 argument, but 0 "
	      "were given");
}
END_TEST

START_TEST(t_err_several)
{
	/* Elaboration goes on after an error. */
	fails("probe begin { a1() }\nprobe end { b2() }\n", "'a1'");
	printed("'b2'");
}
END_TEST

/* ---- a whole script and -p2 ---- */

static const char *const good_scripts[] = {
	"global calls\nfunction side(x) { calls++; return x }\n"
	"probe begin { if (side(0) && side(1)) println(\"no\")\n"
	"  x = 5; y = x > 3 ? (x > 4 ? 2 : 1) : 0\n"
	"  x += 3; x %= 3; j = x++; printf(\"%d %d\\n\", y, j); exit() }\n",
	"global x = 5, name = \"init\", total\n"
	"probe begin { x = x * 2; total = 0 }\nprobe begin { total += x }\n"
	"probe timer.ms(10) { exit() }\n"
	"probe end { printf(\"%d %s %d\\n\", x, name, total) }\n",
	"global a, b, c\nprobe begin { a[1] = 10; b[\"x\", 1] = 5\n"
	"  if ([\"y\", 2] in b) println(\"y\"); delete a[2]; a[3] += 5\n"
	"  c[\"k\"]++; delete a; printf(\"%d\\n\", a[1]) }\n",
	"global a, s\nprobe begin { a[3] = 30; foreach (k+ in a) "
	"printf(\"%d:%d \", k, a[k])\n"
	"  foreach (k in a- limit 2) printf(\"%d \", k)\n"
	"  n = 0; foreach (v = k in a) if (v > 15) n++\n"
	"  s[\"b\", 2] = 1; foreach ([x, y+] in s) printf(\"%s%d \", x, y) }\n",
	"global s, t\nprobe begin { for (i = 1; i <= 10; i++) s <<< i\n"
	"  printf(\"%d %d %d %d %d\\n\", @count(s), @sum(s), @min(s), @max(s),"
	" @avg(s))\n"
	"  t[\"a\"] <<< 3; printf(\"%d\\n\", @avg(t[\"a\"]))\n"
	"  print(@hist_log(s)); print(@hist_linear(t[\"a\"], 0, 100, 10)) }\n",
	"probe begin { s = \"hello\"; t = s . \" world\"\n"
	"  printf(\"%s|%d\\n\", t, strlen(t)); if (s < \"world\") println(\"lt\")\n"
	"  printf(\"%s %d\\n\", substr(t, 6, 5), isinstr(t, \"lo\"))\n"
	"  u = sprintf(\"%d-%s\", 42, s); println(u)\n"
	"  printf(\"%d\\n\", strtol(\"123\", 10) + 1) }\n",
	"global n\nprobe kernel.trace(\"syscalls:sys_enter_getpid\") "
	"{ if (pid() == target()) n++ }\nprobe end { printf(\"n=%d\\n\", n) }\n",
	"global count, name, arr, sarr, st, untouched\n"
	"probe begin { count = 3; name = \"bob\"; arr[1] = 10; sarr[\"x\"] = 1\n"
	"  st <<< 4; exit() }\n",
	"probe begin { x = 3; if (x > 2) { println(\"early\"); next }\n"
	"  try { error(\"e\") } catch (m) { println(m) }\n"
	"  while (x) { x--; if (x == 1) break; continue } }\n",
};

START_TEST(t_good_scripts)
{
	ok(good_scripts[_i]);
}
END_TEST

START_TEST(t_autoprint_case)
{
	ok(good_scripts[7]);
	ck_assert(global("count")->written && !global("count")->read);
	ck_assert_int_eq(global("sarr")->keys[0], BT_STRING);
	ck_assert_int_eq(global("st")->type, BT_STATS);
	ck_assert(!global("untouched")->read && !global("untouched")->written);
}
END_TEST

/* Every one-character deletion of a good script: no crash, ever. */
START_TEST(t_mutations)
{
	const char *src = good_scripts[_i];
	size_t len = strlen(src);
	char *buf = malloc(len + 1);

	for (size_t i = 0; i < len; i++) {
		memcpy(buf, src, i);
		memcpy(buf + i, src + i + 1, len - i);
		elab(buf);
	}
	free(buf);
}
END_TEST

static char *p2(const char *src)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	ok(src);
	f = open_memstream(&out, &len);
	elab_print(S, f);
	fclose(f);
	return out;
}

START_TEST(t_print)
{
	char *out = p2("global n, a, st, unused_g\n"
		       "function f:string (x) { return sprint(x) }\n"
		       "probe begin, timer.ms(10) { n = 1; a[1, \"k\"] = 2; "
		       "st <<< 1; s = f(n) }\n"
		       "probe kernel.trace(\"syscalls:sys_enter_read\") { }\n");

	ck_assert_msg(strstr(out, "# globals\nn:long\na:long [long, string]\n"
			     "st:stats\n# functions\n"
			     "f:string (x:long)\n"), "got:\n%s", out);
	ck_assert_msg(!strstr(out, "unused_g"), "got:\n%s", out);
	ck_assert_msg(strstr(out, "# probes\nbegin /* <- begin */,\n"
			     "timer.ms(10) /* <- timer period 10000000ns */\n"
			     "# locals\ns:string\n"), "got:\n%s", out);
	ck_assert_msg(strstr(out, "kernel.trace(\"syscalls:sys_enter_read\") "
			     "/* <- tracepoint syscalls:sys_enter_read */\n"),
		      "got:\n%s", out);
	free(out);
}
END_TEST

START_TEST(t_print_alias)
{
	char *out = p2("probe sys.rd = kernel.trace(\"syscalls:sys_enter_read\")"
		       " { x = 1 }\nprobe sys.rd { print(x) }\n");

	ck_assert_msg(strstr(out, "kernel.trace(\"syscalls:sys_enter_read\") "
			     "/* <- tracepoint syscalls:sys_enter_read <- "
			     "sys.rd */\n# locals\nx:long\n"), "got:\n%s", out);
	free(out);
}
END_TEST

static Suite *elab_suite(void)
{
	Suite *s = suite_create("elab");
	TCase *t = tcase_create("elab");
	int ngood = sizeof(good_scripts) / sizeof(good_scripts[0]);

	tcase_add_checked_fixture(t, NULL, teardown);
	tcase_add_test(t, t_global_types);
	tcase_add_test(t, t_locals);
	tcase_add_test(t, t_var_syms);
	tcase_add_test(t, t_default_long);
	tcase_add_test(t, t_printf_types);
	tcase_add_test(t, t_ternary_compare);
	tcase_add_test(t, t_foreach_types);
	tcase_add_test(t, t_array_from_foreach);
	tcase_add_test(t, t_functions);
	tcase_add_test(t, t_infer_through_calls);
	tcase_add_test(t, t_used_transitively);
	tcase_add_test(t, t_flags);
	tcase_add_test(t, t_flags_stats_read);
	tcase_add_test(t, t_points);
	tcase_add_test(t, t_multi_points);
	tcase_add_test(t, t_bad_point_args);
	tcase_add_test(t, t_alias);
	tcase_add_test(t, t_alias_epilogue);
	tcase_add_test(t, t_alias_conflict_shows_sharing);
	tcase_add_test(t, t_alias_nested);
	tcase_add_test(t, t_alias_wildcard);
	tcase_add_test(t, t_alias_used_twice);
	tcase_add_test(t, t_optional_points);
	tcase_add_test(t, t_alias_recursive);
	tcase_add_test(t, t_alias_prune);
	tcase_add_test(t, t_library);
	tcase_add_test(t, t_err_type_conflict);
	tcase_add_test(t, t_err_keys);
	tcase_add_test(t, t_err_arity);
	tcase_add_test(t, t_wildcards);
	tcase_add_test(t, t_hist_kinds);
	tcase_add_test(t, t_err_unknown_function);
	tcase_add_test(t, t_err_unknown_point);
	tcase_add_test(t, t_err_recursion);
	tcase_add_test(t, t_err_local_array);
	tcase_add_test(t, t_err_array_as_scalar);
	tcase_add_test(t, t_err_void);
	tcase_add_test(t, t_err_printf_format);
	tcase_add_test(t, t_err_return_next);
	tcase_add_test(t, t_err_target);
	tcase_add_test(t, t_defined);
	tcase_add_test(t, t_err_stats);
	tcase_add_test(t, t_err_duplicates);
	tcase_add_test(t, t_overloads);
	tcase_add_test(t, t_err_several);
	tcase_add_loop_test(t, t_good_scripts, 0, ngood);
	tcase_add_test(t, t_autoprint_case);
	tcase_add_loop_test(t, t_mutations, 0, ngood);
	tcase_add_test(t, t_print);
	tcase_add_test(t, t_print_alias);
	tcase_set_timeout(t, 60);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(elab_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
