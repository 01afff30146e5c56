// SPDX-License-Identifier: GPL-2.0
/*
 * Code generation patterns: compile small scripts and look for the
 * instruction shapes the design promises (atomic updates of globals, signed
 * division behind a zero check, the exit-flag check first, the scratch map
 * only when the stack is full, formats shared and checked). Loading into
 * the kernel is the end-to-end tests' job.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "parser/ast.h"
#include "parser/diag.h"
#include "parser/parse.h"
#include "parser/elaborate.h"
#include "codegen/codegen.h"
#include "codegen/object.h"

static struct bt_script *script;

static struct bt_object *compile_opts(const char *text,
				      const struct cg_options *o)
{
	script = ast_script_new();
	ck_assert_ptr_nonnull(script);
	if (parse_string(script, "<test>", text, strlen(text)))
		return NULL;
	if (elab_script(script))
		return NULL;
	return cg_compile(script, o);
}

static struct bt_object *compile(const char *text)
{
	struct cg_options o;

	cg_default_options(&o);
	return compile_opts(text, &o);
}

static void done(struct bt_object *obj)
{
	if (obj)
		obj_free(obj);
	ast_script_free(script);
	script = NULL;
	diag_reset();
}

static int count_insns(const struct bt_objprog *p, uint8_t code, int32_t imm,
		       int16_t off, bool match_imm, bool match_off)
{
	int n = 0;

	for (uint32_t i = 0; i < p->ninsns; i++) {
		const struct bpf_insn *in = &p->insns[i];

		if (in->code != code)
			continue;
		if (match_imm && in->imm != imm)
			continue;
		if (match_off && in->off != off)
			continue;
		n++;
	}
	return n;
}

START_TEST(test_global_increment_is_atomic)
{
	struct bt_object *obj =
		compile("global n\nprobe timer.ms(1) { n++ }\n");

	ck_assert_ptr_nonnull(obj);
	ck_assert_int_eq(obj->nprogs, 1);
	ck_assert_int_eq(count_insns(&obj->progs[0],
				     BPF_STX | BPF_DW | BPF_ATOMIC, BPF_ADD, 0,
				     true, false), 1);
	ck_assert_str_eq(obj->progs[0].section, "perf_event");
	ck_assert_int_eq(obj->progs[0].prog_type, BPF_PROG_TYPE_PERF_EVENT);
	done(obj);
}
END_TEST

START_TEST(test_division_is_signed_and_checked)
{
	struct bt_object *obj = compile("probe begin { a = 7; b = 2; "
					"printf(\"%d %d\\n\", a / b, a % b) }");
	const struct bt_objprog *p;

	ck_assert_ptr_nonnull(obj);
	p = &obj->progs[0];
	ck_assert_int_eq(count_insns(p, BPF_ALU64 | BPF_DIV | BPF_X, 0, 1,
				     false, true), 1);
	ck_assert_int_eq(count_insns(p, BPF_ALU64 | BPF_MOD | BPF_X, 0, 1,
				     false, true), 1);
	/* one zero check per operator, each with its own error message */
	ck_assert_int_eq(count_insns(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, true,
				     false) >= 2, 1);
	ck_assert_int_eq(obj->nerrors, 2);
	ck_assert_ptr_nonnull(strstr(obj->errors[0].msg,
				     "division by 0 near operator '/' at "
				     "<test>:1:"));
	ck_assert_ptr_nonnull(strstr(obj->errors[1].msg, "operator '%'"));
	done(obj);
}
END_TEST

START_TEST(test_exit_flag_checked_first)
{
	struct bt_object *obj = compile("probe timer.ms(10) { x = 1 }\n"
					"probe end { y = 2 }\n");
	const struct bt_objprog *t, *e;

	ck_assert_ptr_nonnull(obj);
	ck_assert_int_eq(obj->nprogs, 2);
	t = &obj->progs[0];
	e = &obj->progs[1];
	/* timer: ld_imm64 of .data+0, load, conditional exit */
	ck_assert_int_eq(t->insns[0].code, BPF_LD | BPF_DW | BPF_IMM);
	ck_assert_int_eq(t->relocs[0].insn, 0);
	ck_assert_int_eq(t->relocs[0].map, BT_RELOC_DATA);
	ck_assert_int_eq(t->insns[0].imm, BT_DATA_EXIT_OFF);
	ck_assert_int_eq(t->insns[3].code, BPF_JMP | BPF_JNE | BPF_K);
	/* end probes run after exit(): no check */
	ck_assert_int_ne(e->insns[0].code, BPF_LD | BPF_DW | BPF_IMM);
	ck_assert_str_eq(e->section, "raw_tp");
	ck_assert_int_eq(e->attach.type, PT_END);
	done(obj);
}
END_TEST

START_TEST(test_scratch_only_when_needed)
{
	char text[4096];
	size_t n = 0;
	struct bt_object *obj = compile("probe begin { a = 1; b = a }");

	ck_assert_ptr_nonnull(obj);
	ck_assert_int_eq(obj->nmaps, 1);	/* the ring buffer alone */
	ck_assert_int_eq(obj->maps[0].type, BPF_MAP_TYPE_RINGBUF);
	done(obj);

	n += snprintf(text + n, sizeof(text) - n, "probe begin { ");
	for (int i = 0; i < 40; i++)
		n += snprintf(text + n, sizeof(text) - n, "v%d = %d; ", i, i);
	snprintf(text + n, sizeof(text) - n, "}");
	obj = compile(text);
	ck_assert_ptr_nonnull(obj);
	ck_assert_int_eq(obj->nmaps, 2);
	ck_assert_int_eq(obj->maps[1].type, BPF_MAP_TYPE_PERCPU_ARRAY);
	ck_assert_int_eq(obj->maps[1].value_size, 8 * (40 - 32));
	done(obj);
}
END_TEST

START_TEST(test_formats)
{
	struct bt_object *obj = compile(
		"global s = \"x\"\n"
		"probe begin { printf(\"%ld-%s\\n\", 1, s); println(\"a%\", 2);"
		" printf(\"%ld-%s\\n\", 3, s) }");

	ck_assert_ptr_nonnull(obj);
	ck_assert_int_eq(obj->nformats, 2);
	/* length modifiers dropped: every conversion is 64-bit anyway */
	ck_assert_str_eq(obj->formats[0].fmt, "%d-%s\n");
	ck_assert_int_eq(obj->formats[0].argtypes[0], BT_LONG);
	ck_assert_int_eq(obj->formats[0].argtypes[1], BT_STRING);
	/* literal text of println is baked in, '%' escaped */
	ck_assert_str_eq(obj->formats[1].fmt, "a%%%d\n");
	ck_assert_int_eq(obj->formats[1].nargs, 1);
	done(obj);
}
END_TEST

START_TEST(test_format_errors)
{
	ck_assert_ptr_null(compile("probe begin { printf(\"%d %d\\n\", 1) }"));
	done(NULL);
	ck_assert_ptr_null(compile("probe begin { printf(\"%s\\n\", 1) }"));
	done(NULL);
	ck_assert_ptr_null(compile("probe begin { printf(\"%d\\n\", 1, 2) }"));
	done(NULL);
	ck_assert_ptr_null(compile("probe begin { printf(\"%q\\n\", 1) }"));
	done(NULL);
}
END_TEST

START_TEST(test_globals_layout)
{
	struct bt_object *obj = compile(
		"global a = 5, s = \"hi\", b = -2, unused\n"
		"probe begin { a++; s = \"x\"; b = 1 }");
	int64_t v;

	ck_assert_ptr_nonnull(obj);
	ck_assert_int_eq(obj->nglobals, 4);
	ck_assert_str_eq(obj->globals[0].name, "a");
	ck_assert_uint_eq(obj->globals[0].data_off, BT_DATA_GLOBALS_OFF);
	memcpy(&v, obj->data + obj->globals[0].data_off, 8);
	ck_assert_int_eq(v, 5);
	ck_assert_str_eq((char *)obj->data + obj->globals[1].data_off, "hi");
	ck_assert_uint_eq(obj->globals[2].data_off,
			  obj->globals[1].data_off + obj->strfield);
	memcpy(&v, obj->data + obj->globals[2].data_off, 8);
	ck_assert_int_eq(v, -2);
	ck_assert_int_eq(obj->globals[0].autoprint, 1);
	ck_assert_int_eq(obj->globals[3].autoprint, 0);
	done(obj);
}
END_TEST

START_TEST(test_begin_priorities_and_points)
{
	struct bt_object *obj = compile(
		"probe begin(-3), timer.ms(5), timer.hz(100) { x = 1 }");

	ck_assert_ptr_nonnull(obj);
	ck_assert_int_eq(obj->nprogs, 3);
	ck_assert_int_eq(obj->progs[0].attach.type, PT_BEGIN);
	ck_assert_int_eq(obj->progs[0].attach.priority, -3);
	ck_assert_int_eq(obj->progs[1].attach.type, PT_TIMER);
	ck_assert_uint_eq(obj->progs[1].attach.period_ns, 5000000);
	ck_assert_uint_eq(obj->progs[2].attach.hz, 100);
	ck_assert_str_eq(obj->progs[0].name, "probe0_0");
	ck_assert_str_eq(obj->progs[2].name, "probe0_2");
	done(obj);
}
END_TEST

static Suite *codegen_suite(void)
{
	Suite *s = suite_create("codegen");
	TCase *tc = tcase_create("patterns");

	tcase_add_test(tc, test_global_increment_is_atomic);
	tcase_add_test(tc, test_division_is_signed_and_checked);
	tcase_add_test(tc, test_exit_flag_checked_first);
	tcase_add_test(tc, test_scratch_only_when_needed);
	tcase_add_test(tc, test_formats);
	tcase_add_test(tc, test_format_errors);
	tcase_add_test(tc, test_globals_layout);
	tcase_add_test(tc, test_begin_priorities_and_points);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(codegen_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
