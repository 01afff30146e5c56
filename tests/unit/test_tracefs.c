// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoints without kernel headers: the tracefs format parser, the
 * event list and cache (on a fake tracefs tree built in a temporary
 * directory, so these run anywhere, as any user), and the elaboration of
 * kernel.trace points and $fields against that tree.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "parser/ast.h"
#include "parser/diag.h"
#include "parser/elaborate.h"
#include "parser/parse.h"
#include "parser/tracefs.h"

static const char fmt_read[] =
	"name: sys_enter_read\n"
	"ID: 842\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;"
	"\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:unsigned int fd;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:char * buf;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:size_t count;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"fd: 0x%08lx\", ((unsigned long)(REC->fd))\n";

static const char fmt_exec[] =
	"name: sched_process_exec\n"
	"ID: 365\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:__data_loc char[] filename;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;\n"
	"\tfield:pid_t old_pid;\toffset:16;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"filename=%s pid=%d\", __get_str(filename), REC->pid\n";

static const char fmt_mixed[] =
	"name: mixed\n"
	"ID: 7\n"
	"format:\n"
	"\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
	"\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:short adj;\toffset:32;\tsize:2;\tsigned:1;\n"
	"\tfield:s8 tiny;\toffset:34;\tsize:1;\tsigned:1;\n"
	"\tfield:u8 fsid[16];\toffset:35;\tsize:16;\tsigned:0;\n"
	"\tfield:__rel_loc char[] name;\toffset:52;\tsize:4;\tsigned:0;\n"
	"\tfield:__data_loc unsigned long[] mask;\toffset:56;\tsize:4;"
	"\tsigned:0;\n"
	"\tfield:struct foo * p;\toffset:64;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned long args[6];\toffset:72;\tsize:48;\tsigned:0;\n"
	"\tfield:int vals[2];\toffset:120;\tsize:8;\tsigned:0;\n"
	"\tfield:struct foo recs[2];\toffset:128;\tsize:16;\tsigned:0;\n";

static struct tracefs_event ev;

static void ev_free(void)
{
	tracefs_event_free(&ev);
}

static const struct tracefs_field *field(const char *name)
{
	const struct tracefs_field *f = tracefs_field(&ev, name);

	ck_assert_msg(f != NULL, "no field %s", name);
	return f;
}

START_TEST(t_parse_ints)
{
	const struct tracefs_field *f;

	ck_assert_int_eq(tracefs_parse_format(fmt_read, &ev), 0);
	ck_assert_int_eq(ev.id, 842);
	ck_assert_int_eq(ev.nfields, 8);
	f = field("common_pid");
	ck_assert(f->common);
	ck_assert(f->is_signed);
	ck_assert_uint_eq(f->offset, 4);
	f = field("__syscall_nr");
	ck_assert(!f->common);
	ck_assert_int_eq(f->kind, TRACEFS_INT);
	ck_assert_uint_eq(f->size, 4);
	ck_assert(f->is_signed);
	f = field("fd");
	ck_assert_str_eq(f->type, "unsigned int");
	ck_assert_uint_eq(f->offset, 16);
	/* the format's size, not the type's */
	ck_assert_uint_eq(f->size, 8);
	ck_assert(!f->is_signed);
	f = field("buf");
	ck_assert_int_eq(f->kind, TRACEFS_PTR);
	ck_assert_str_eq(f->type, "char*");
	f = field("count");
	ck_assert_str_eq(f->type, "size_t");
	ck_assert_int_eq(f->kind, TRACEFS_INT);
	ck_assert_ptr_null(tracefs_field(&ev, "nosuch"));
	ev_free();
}
END_TEST

START_TEST(t_parse_strings)
{
	const struct tracefs_field *f;

	ck_assert_int_eq(tracefs_parse_format(fmt_exec, &ev), 0);
	f = field("filename");
	ck_assert_int_eq(f->kind, TRACEFS_STR_LOC);
	ck_assert_str_eq(f->type, "__data_loc char[]");
	ck_assert(tracefs_is_string(f));
	ck_assert(!tracefs_is_string(field("pid")));
	ev_free();
}
END_TEST

START_TEST(t_parse_mixed)
{
	const struct tracefs_field *f;

	ck_assert_int_eq(tracefs_parse_format(fmt_mixed, &ev), 0);
	f = field("prev_comm");
	ck_assert_int_eq(f->kind, TRACEFS_CHARS);
	ck_assert_str_eq(f->type, "char[16]");
	ck_assert_uint_eq(f->size, 16);
	f = field("filename");
	ck_assert_int_eq(f->kind, TRACEFS_PTR);
	ck_assert_str_eq(f->type, "char const*");	/* stap's spelling */
	f = field("adj");
	ck_assert_int_eq(f->kind, TRACEFS_INT);
	ck_assert(f->is_signed);
	ck_assert_uint_eq(f->size, 2);
	f = field("tiny");
	ck_assert_uint_eq(f->size, 1);
	ck_assert(f->is_signed);
	/* arrays of anything but char are not strings: they read by
	 * element, whose type comes from its name */
	f = field("fsid");
	ck_assert_int_eq(f->kind, TRACEFS_ARRAY);
	ck_assert_uint_eq(f->count, 16);
	ck_assert_uint_eq(f->elem_size, 1);
	ck_assert(!f->elem_signed);
	f = field("args");
	ck_assert_int_eq(f->kind, TRACEFS_ARRAY);
	ck_assert_str_eq(f->type, "unsigned long[6]");
	ck_assert_uint_eq(f->count, 6);
	ck_assert_uint_eq(f->elem_size, 8);
	ck_assert(!f->elem_signed);
	f = field("vals");
	ck_assert_int_eq(f->kind, TRACEFS_ARRAY);
	ck_assert_uint_eq(f->elem_size, 4);
	ck_assert(f->elem_signed);
	ck_assert_int_eq(field("recs")->kind, TRACEFS_OTHER);
	/* a char array is a string and an array of (unsigned) chars */
	f = field("prev_comm");
	ck_assert_uint_eq(f->count, 16);
	ck_assert_uint_eq(f->elem_size, 1);
	ck_assert(!f->elem_signed);
	ck_assert_int_eq(field("name")->kind, TRACEFS_STR_REL);
	ck_assert_int_eq(field("mask")->kind, TRACEFS_OTHER);
	ck_assert_str_eq(field("p")->type, "struct foo*");
	ck_assert_int_eq(field("p")->kind, TRACEFS_PTR);
	ev_free();
}
END_TEST

START_TEST(t_parse_bad)
{
	/* no format: section */
	ck_assert_int_ne(tracefs_parse_format("name: x\nID: 1\n", &ev), 0);
	ev_free();
	/* a field line without offset */
	ck_assert_int_ne(tracefs_parse_format("format:\n\tfield:int x;\n",
					      &ev), 0);
	ev_free();
	/* a declaration without a name */
	ck_assert_int_ne(tracefs_parse_format("format:\n\tfield:int;\t"
					      "offset:8;\tsize:4;\tsigned:1;"
					      "\n", &ev), 0);
	ev_free();
}
END_TEST

/* ---- a fake tracefs tree ---- */

static char root[] = "/tmp/test_tracefs.XXXXXX";

static void put(const char *sys, const char *event, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/events/%s", root, sys);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/events/%s/%s", root, sys, event);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/events/%s/%s/format", root, sys,
		 event);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void tree_setup(void)
{
	char path[512];

	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/events", root);
	mkdir(path, 0755);
	put("syscalls", "sys_enter_read", fmt_read);
	put("syscalls", "sys_enter_readv", fmt_read);
	put("syscalls", "sys_enter_getpid", "format:\n");
	put("sched", "sched_process_exec", fmt_exec);
	/* the same event name in two systems */
	put("sched", "dup_event", fmt_exec);
	put("other", "dup_event", fmt_exec);
	tracefs_set_root(root);
}

static void tree_teardown(void)
{
	char cmd[600];

	tracefs_set_root(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(root, "/tmp/test_tracefs.XXXXXX");
	diag_reset();
}

START_TEST(t_tree_list)
{
	const char *const *names;
	int n = tracefs_events(&names);

	/* no available_events file: the directories are walked, sorted */
	ck_assert_int_eq(n, 6);
	ck_assert_str_eq(names[0], "other:dup_event");
	ck_assert_str_eq(names[1], "sched:dup_event");
	ck_assert_str_eq(names[2], "sched:sched_process_exec");
	ck_assert_str_eq(names[3], "syscalls:sys_enter_getpid");
	ck_assert_str_eq(names[5], "syscalls:sys_enter_readv");
}
END_TEST

START_TEST(t_tree_event)
{
	const struct tracefs_event *e = tracefs_event("syscalls",
						      "sys_enter_read");

	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->system, "syscalls");
	ck_assert_str_eq(e->name, "sys_enter_read");
	ck_assert_int_eq(e->nfields, 8);
	/* cached: the same object again */
	ck_assert_ptr_eq(tracefs_event("syscalls", "sys_enter_read"), e);
	errno = 0;
	ck_assert_ptr_null(tracefs_event("syscalls", "nosuch"));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_null(tracefs_event("..", "sys_enter_read"));
	ck_assert_ptr_null(tracefs_event("syscalls/../sched",
					 "sched_process_exec"));
}
END_TEST

/* ---- elaboration against the tree ---- */

static struct bt_script *S;
static char errs[4096];

static int elab(const char *src)
{
	FILE *tmp = tmpfile();
	int saved, rc;
	size_t n;

	if (S)
		ast_script_free(S);
	S = ast_script_new();
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(tmp), 2);
	rc = parse_string(S, "<input>", src, strlen(src));
	if (!rc)
		rc = elab_script(S);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(errs, 1, sizeof(errs) - 1, tmp);
	errs[n] = 0;
	fclose(tmp);
	return rc;
}

static void elab_teardown(void)
{
	if (S)
		ast_script_free(S);
	S = NULL;
	tree_teardown();
}

static void fails(const char *src, const char *msg)
{
	ck_assert_int_ne(elab(src), 0);
	ck_assert_msg(strstr(errs, msg) != NULL, "expected '%s' in:\n%s", msg,
		      errs);
}

START_TEST(t_elab_points)
{
	struct bt_point *pt;

	ck_assert_int_eq(elab("probe kernel.trace(\"sys_enter_read*\") {}\n"),
			 0);
	pt = S->probes->points;
	ck_assert_str_eq(pt->tp_system, "syscalls");
	ck_assert_str_eq(pt->tp_event, "sys_enter_read");
	/* pp() text spells the system and the event */
	ck_assert_str_eq(pt->comps->next->arg->str, "syscalls:sys_enter_read");
	ck_assert_str_eq(pt->next->tp_event, "sys_enter_readv");
	ck_assert_ptr_null(pt->next->next);
	ck_assert_int_eq(elab("probe kernel.trace(\"sched_process_exec\") "
			      "{}\n"), 0);
	ck_assert_str_eq(S->probes->points->tp_system, "sched");
	ck_assert_int_eq(elab("probe kernel.trace(\"s?hed:dup_*\") {}\n"), 0);
	ck_assert_str_eq(S->probes->points->tp_system, "sched");
	/* an optional point that names nothing is dropped */
	ck_assert_int_eq(elab("probe kernel.trace(\"x:nosuch\")?, begin "
			      "{}\n"), 0);
	ck_assert_int_eq(S->probes->points->type, PT_BEGIN);
	ck_assert_ptr_null(S->probes->points->next);
}
END_TEST

START_TEST(t_elab_errors)
{
	fails("probe kernel.trace(\"dup_event\") {}\n",
	      "<input>:1:20: error: tracepoint 'dup_event' is ambiguous: it is "
	      "in 2 systems ('other:dup_event', 'sched:dup_event')");
	fails("probe kernel.trace(\"syscalls:sys_enter_raed\") {}\n",
	      "unknown tracepoint 'syscalls:sys_enter_raed'; did you mean "
	      "'syscalls:sys_enter_read'?");
	fails("probe kernel.trace(\"zzz:*\") {}\n",
	      "no tracepoint matches 'zzz:*'");
	fails("probe kernel.trace(\"syscalls:sys_enter_read\") "
	      "{ x = $cont }\n",
	      "has no field 'cont'; did you mean $count? it has "
	      "$__syscall_nr, $fd, $buf, $count");
	fails("probe kernel.trace(\"syscalls:sys_enter_getpid\") "
	      "{ x = $fd }\n", "it has no fields");
}
END_TEST

static struct bt_sym *local(int probe, const char *name)
{
	struct bt_probe *p = S->probes;

	for (int i = 0; i < probe; i++)
		p = p->next;
	for (struct bt_sym *s = p->locals; s; s = s->next)
		if (!strcmp(s->name, name))
			return s;
	ck_abort_msg("no local %s", name);
	return NULL;
}

START_TEST(t_elab_fields)
{
	struct bt_expr *e;

	ck_assert_int_eq(elab("probe kernel.trace(\"sched:sched_process_exec\")"
			      " { s = $filename; n = $pid; p = $$parms }\n"),
			 0);
	ck_assert_int_eq(local(0, "s")->type, BT_STRING);
	ck_assert_int_eq(local(0, "n")->type, BT_LONG);
	ck_assert_int_eq(local(0, "p")->type, BT_STRING);
	/* $$parms became sprintf("...", $filename, $pid, $old_pid) */
	e = S->probes->body->body->next->next->expr->right;
	ck_assert_int_eq(e->kind, E_CALL);
	ck_assert_str_eq(e->name, "sprintf");
	ck_assert_str_eq(e->args->str,
			 "filename=\"%s\" pid=%#x old_pid=%#x");
	ck_assert_str_eq(e->args->next->name, "$filename");
}
END_TEST

START_TEST(t_elab_split)
{
	/* a body with context variables: a probe per event */
	ck_assert_int_eq(elab("probe kernel.trace(\"syscalls:sys_enter_*\") "
			      "{ x = @defined($fd) }\n"), 0);
	ck_assert_int_eq(S->nprobes, 3);
	ck_assert_ptr_null(S->probes->points->next);
	/* getpid first: @defined($fd) folded to 0 there, 1 for read */
	ck_assert_str_eq(S->probes->points->tp_event, "sys_enter_getpid");
	ck_assert_int_eq(S->probes->body->body->expr->right->num, 0);
	ck_assert_int_eq(S->probes->next->body->body->expr->right->num, 1);
	/* without them: one probe with every point */
	ck_assert_int_eq(elab("probe kernel.trace(\"syscalls:sys_enter_*\") "
			      "{ x = 1 }\n"), 0);
	ck_assert_int_eq(S->nprobes, 1);
}
END_TEST

static Suite *tracefs_suite(void)
{
	Suite *s = suite_create("tracefs");
	TCase *t = tcase_create("format");

	tcase_add_test(t, t_parse_ints);
	tcase_add_test(t, t_parse_strings);
	tcase_add_test(t, t_parse_mixed);
	tcase_add_test(t, t_parse_bad);
	suite_add_tcase(s, t);
	t = tcase_create("tree");
	tcase_add_checked_fixture(t, tree_setup, tree_teardown);
	tcase_add_test(t, t_tree_list);
	tcase_add_test(t, t_tree_event);
	suite_add_tcase(s, t);
	t = tcase_create("elab");
	tcase_add_checked_fixture(t, tree_setup, elab_teardown);
	tcase_add_test(t, t_elab_points);
	tcase_add_test(t, t_elab_errors);
	tcase_add_test(t, t_elab_fields);
	tcase_add_test(t, t_elab_split);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tracefs_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
