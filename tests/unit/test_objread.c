// SPDX-License-Identifier: GPL-2.0
/*
 * The object reader: compile scripts, write them (obj_write_elf), read
 * them back (obj_read_elf) and compare every field with the original;
 * the text dump must come out identical. Then what a file from elsewhere
 * can be: truncated at every length, bytes flipped at random (seeded, so
 * a failure repeats), another version, another machine's ELF. None may
 * crash (run under --enable-sanitizers to catch the quiet ones).
 */
#include <check.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "parser/ast.h"
#include "parser/diag.h"
#include "parser/parse.h"
#include "parser/elaborate.h"
#include "codegen/codegen.h"
#include "codegen/object.h"
#include "codegen/objmeta.h"

static struct bt_script *script;

/* Scripts covering every kind of metadata: formats, errors, scalars,
 * arrays, aggregates with both histograms, foreach (subprograms),
 * sprintf (.rodata), timers and begin/end priorities. */
static const char *const scripts[] = {
	"probe begin { printf(\"hello %d %s\\n\", 42, \"x\"); exit() }",
	"global x, s, a[10], st, lt\n"
	"probe begin(-5) { x = 1; s = \"str\"; a[1, \"k\"] = 2; st <<< 3;"
	" lt <<< 4 }\n"
	"probe timer.ms(10) { x++; if (x > 3) exit() }\n"
	"probe end(7) { print(@hist_log(st)); print(@hist_linear(lt, 0, 10, "
	"2)); printf(\"%d\\n\", 10 / (x - x)) }\n",
	"global a\n"
	"probe begin { a[1] = 2; a[3] = 4; foreach (k in a-) printf(\"%d\\n\","
	" k); s = sprintf(\"%d-%s\", 5, \"y\"); println(s); exit() }",
	"global c\n"
	"probe kernel.trace(\"syscalls:sys_enter_getpid\") { c++ }\n"
	"probe end { error(\"bye\") }\n",
};
#define NSCRIPTS (int)(sizeof(scripts) / sizeof(scripts[0]))

static struct bt_object *compile(const char *text)
{
	struct cg_options o;
	struct bt_object *obj;

	cg_default_options(&o);
	script = ast_script_new();
	ck_assert_ptr_nonnull(script);
	ck_assert_int_eq(parse_string(script, "t.stp", text, strlen(text)), 0);
	ck_assert_int_eq(elab_script(script), 0);
	obj = cg_compile(script, &o);
	ck_assert_ptr_nonnull(obj);
	return obj;
}

static void done(void)
{
	ast_script_free(script);
	script = NULL;
	diag_reset();
}

static char *dump(const struct bt_object *obj, bool json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	if (json)
		obj_dump_json(obj, f);
	else
		obj_dump(obj, f);
	fclose(f);
	return text;
}

static void same_str(const char *a, const char *b)
{
	if (!a || !b)
		ck_assert_ptr_eq(a, b);
	else
		ck_assert_str_eq(a, b);
}

static void same_loc(const struct bt_loc *a, const struct bt_loc *b)
{
	same_str(a->file, b->file);
	ck_assert_int_eq(a->line, b->line);
	ck_assert_int_eq(a->col, b->col);
}

static void same_attach(const struct bt_attach *a, const struct bt_attach *b)
{
	ck_assert_int_eq(a->type, b->type);
	ck_assert_int_eq(a->priority, b->priority);
	ck_assert_uint_eq(a->period_ns, b->period_ns);
	ck_assert_uint_eq(a->hz, b->hz);
	same_str(a->tp_system, b->tp_system);
	same_str(a->tp_event, b->tp_event);
	same_str(a->path, b->path);
	same_str(a->func, b->func);
	ck_assert_int_eq(a->pid, b->pid);
	ck_assert_uint_eq(a->perf_type, b->perf_type);
	ck_assert_uint_eq(a->perf_config, b->perf_config);
	ck_assert_uint_eq(a->perf_sample, b->perf_sample);
	ck_assert_int_eq(a->optional, b->optional);
	same_str(a->pp, b->pp);
}

static void same_prog(const struct bt_objprog *a, const struct bt_objprog *b)
{
	uint32_t i;

	same_str(a->name, b->name);
	ck_assert_int_eq(a->subprog, b->subprog);
	if (!a->subprog)
		same_str(a->section, b->section);
	ck_assert_uint_eq(a->prog_type, b->prog_type);
	ck_assert_uint_eq(a->ninsns, b->ninsns);
	ck_assert_mem_eq(a->insns, b->insns, a->ninsns * sizeof(*a->insns));
	ck_assert_uint_eq(a->nrelocs, b->nrelocs);
	for (i = 0; i < a->nrelocs; i++) {
		ck_assert_uint_eq(a->relocs[i].insn, b->relocs[i].insn);
		ck_assert_int_eq(a->relocs[i].map, b->relocs[i].map);
	}
	ck_assert_uint_eq(a->nlines, b->nlines);
	for (i = 0; i < a->nlines; i++) {
		ck_assert_uint_eq(a->lines[i].insn, b->lines[i].insn);
		same_loc(&a->lines[i].loc, &b->lines[i].loc);
	}
	ck_assert_int_eq(a->probe, b->probe);
	same_loc(&a->loc, &b->loc);
	same_attach(&a->attach, &b->attach);
}

static void same_global(const struct bt_objglobal *a,
			const struct bt_objglobal *b)
{
	same_str(a->name, b->name);
	ck_assert_int_eq(a->type, b->type);
	ck_assert_int_eq(a->nkeys, b->nkeys);
	ck_assert_mem_eq(a->keys, b->keys, a->nkeys * sizeof(a->keys[0]));
	ck_assert_int_eq(a->autoprint, b->autoprint);
	ck_assert_uint_eq(a->data_off, b->data_off);
	ck_assert_int_eq(a->map, b->map);
	same_loc(&a->loc, &b->loc);
	ck_assert_int_eq(a->hist.kind, b->hist.kind);
	ck_assert_int_eq(a->hist.start, b->hist.start);
	ck_assert_int_eq(a->hist.stop, b->hist.stop);
	ck_assert_int_eq(a->hist.interval, b->hist.interval);
	ck_assert_uint_eq(a->hist.nbuckets, b->hist.nbuckets);
}

static void same_tables(const struct bt_object *a, const struct bt_object *b)
{
	int i, j;

	ck_assert_int_eq(a->nmaps, b->nmaps);
	for (i = 0; i < a->nmaps; i++) {
		same_str(a->maps[i].name, b->maps[i].name);
		ck_assert_uint_eq(a->maps[i].type, b->maps[i].type);
		ck_assert_uint_eq(a->maps[i].key_size, b->maps[i].key_size);
		ck_assert_uint_eq(a->maps[i].value_size, b->maps[i].value_size);
		ck_assert_uint_eq(a->maps[i].max_entries,
				  b->maps[i].max_entries);
		ck_assert_uint_eq(a->maps[i].flags, b->maps[i].flags);
	}
	ck_assert_int_eq(a->nformats, b->nformats);
	for (i = 0; i < a->nformats; i++) {
		ck_assert_uint_eq(a->formats[i].len, b->formats[i].len);
		ck_assert_mem_eq(a->formats[i].fmt, b->formats[i].fmt,
				 a->formats[i].len);
		ck_assert_int_eq(a->formats[i].nargs, b->formats[i].nargs);
		for (j = 0; j < a->formats[i].nargs; j++)
			ck_assert_int_eq(a->formats[i].argtypes[j],
					 b->formats[i].argtypes[j]);
	}
	ck_assert_int_eq(a->nerrors, b->nerrors);
	for (i = 0; i < a->nerrors; i++) {
		same_str(a->errors[i].msg, b->errors[i].msg);
		ck_assert_int_eq(a->errors[i].dynamic, b->errors[i].dynamic);
	}
	ck_assert_int_eq(a->nglobals, b->nglobals);
	for (i = 0; i < a->nglobals; i++)
		same_global(&a->globals[i], &b->globals[i]);
}

static void same_object(const struct bt_object *a, const struct bt_object *b)
{
	int i;

	ck_assert_int_eq(a->nprogs, b->nprogs);
	for (i = 0; i < a->nprogs; i++)
		same_prog(&a->progs[i], &b->progs[i]);
	ck_assert_uint_eq(a->data_size, b->data_size);
	ck_assert_mem_eq(a->data, b->data, a->data_size);
	ck_assert_uint_eq(a->rodata_size, b->rodata_size);
	if (a->rodata_size)
		ck_assert_mem_eq(a->rodata, b->rodata, a->rodata_size);
	same_tables(a, b);
	ck_assert_int_eq(a->ringbuf_map, b->ringbuf_map);
	ck_assert_uint_eq(a->strfield, b->strfield);
	ck_assert_uint_eq(a->ncpus, b->ncpus);
	ck_assert_uint_eq(a->maxstringlen, b->maxstringlen);
	same_str(a->source, b->source);
}

/* Every script: write, read, compare; the dumps and a second write must
 * be the same too. */
START_TEST(roundtrip)
{
	struct bt_object *obj = compile(scripts[_i]), *back;
	void *buf, *buf2;
	size_t len, len2;
	char err[256], *d1, *d2;

	ck_assert_int_eq(obj_write_elf(obj, &buf, &len), 0);
	back = obj_read_elf(buf, len, err, sizeof(err));
	if (!back)
		ck_abort_msg("read back: %s", err);
	same_object(obj, back);
	d1 = dump(obj, false);
	d2 = dump(back, false);
	ck_assert_str_eq(d1, d2);
	free(d1);
	free(d2);
	d1 = dump(obj, true);
	d2 = dump(back, true);
	ck_assert_str_eq(d1, d2);
	free(d1);
	free(d2);
	ck_assert_int_eq(obj_write_elf(back, &buf2, &len2), 0);
	ck_assert_uint_eq(len, len2);
	ck_assert_mem_eq(buf, buf2, len);
	free(buf);
	free(buf2);
	obj_free(back);
	obj_free(obj);
	done();
}
END_TEST

/* The source lines travel in the object: -p3 quotes them with the script
 * gone (diag forgot it). */
START_TEST(source_lines_travel)
{
	struct bt_object *obj = compile(scripts[1]), *back;
	char err[256], *d1, *d2;
	void *buf;
	size_t len;

	d1 = dump(obj, false);
	ck_assert_int_eq(obj_write_elf(obj, &buf, &len), 0);
	obj_free(obj);
	done();
	back = obj_read_elf(buf, len, err, sizeof(err));
	ck_assert_ptr_nonnull(back);
	d2 = dump(back, false);
	ck_assert_str_eq(d1, d2);
	ck_assert_ptr_nonnull(strstr(d2, "; probe timer.ms(10) { x++; "
					 "if (x > 3) exit() }  [t.stp:3]"));
	free(d1);
	free(d2);
	free(buf);
	obj_free(back);
	diag_reset();
}
END_TEST

static void *written(int which, size_t *len)
{
	struct bt_object *obj = compile(scripts[which]);
	void *buf;

	ck_assert_int_eq(obj_write_elf(obj, &buf, len), 0);
	obj_free(obj);
	done();
	return buf;
}

static void expect_error(const void *buf, size_t len, const char *want)
{
	char err[256];
	struct bt_object *obj = obj_read_elf(buf, len, err, sizeof(err));

	if (obj)
		ck_abort_msg("accepted, expected \"%s\"", want);
	if (!strstr(err, want))
		ck_abort_msg("\"%s\" lacks \"%s\"", err, want);
	diag_reset();
}

static size_t meta_offset(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i + 8 <= len; i++)
		if (!memcmp(buf + i, OBJMETA_MAGIC, 8))
			return i;
	ck_abort_msg("no metadata");
	return 0;
}

START_TEST(other_version)
{
	size_t len, off;
	uint8_t *buf = written(0, &len);
	char want[128];

	off = meta_offset(buf, len);
	memset(buf + off + OBJMETA_VERSION_OFF, 0, OBJMETA_VERSION_LEN);
	memcpy(buf + off + OBJMETA_VERSION_OFF, "0.0.1", 5);
	snprintf(want, sizeof(want), "was compiled by bpftap 0.0.1; this is "
		 "bpftap %s: recompile it", PACKAGE_VERSION);
	expect_error(buf, len, want);
	free(buf);
}
END_TEST

START_TEST(foreign_files)
{
	static const char text[] = "probe begin { exit() }\n";
	size_t len;
	uint8_t *buf = written(0, &len);
	Elf64_Ehdr eh;

	expect_error(text, sizeof(text), "is not a bpftap object");
	expect_error("", 0, "is not a bpftap object");
	expect_error("\177ELF", 4, "truncated or corrupt");
	memcpy(&eh, buf, sizeof(eh));
	eh.e_machine = EM_X86_64;
	memcpy(buf, &eh, sizeof(eh));
	expect_error(buf, len, "is not a bpftap object (not a BPF ELF file)");
	free(buf);
}
END_TEST

/* A BPF object without our section (as clang writes them). */
START_TEST(no_metadata)
{
	size_t len, off;
	uint8_t *buf = written(0, &len);

	off = meta_offset(buf, len);
	/* Rename the section: its name is in .strtab, the data elsewhere. */
	for (size_t i = 0; i + 13 <= len; i++)
		if (!memcmp(buf + i, ".bpftap.meta", 13) && i != off)
			buf[i + 1] = 'X';
	expect_error(buf, len, "is not a bpftap object (no .bpftap.meta");
	free(buf);
}
END_TEST

/* Every prefix of a real object is refused, none crashes. */
START_TEST(truncated_everywhere)
{
	size_t len, n;
	uint8_t *buf = written(1, &len);
	char err[256];

	for (n = 0; n < len; n++) {
		uint8_t *copy = malloc(n + 1);
		struct bt_object *obj;

		memcpy(copy, buf, n);
		obj = obj_read_elf(copy, n, err, sizeof(err));
		ck_assert_ptr_null(obj);
		ck_assert(err[0]);
		free(copy);
	}
	diag_reset();
	free(buf);
}
END_TEST

/*
 * Regression (found by the mutation test): section names were read
 * before the name table's own bounds were checked, when the table came
 * after the section being named. Each section in turn gets an offset
 * far outside the file, section 0 included.
 */
START_TEST(section_outside_file)
{
	size_t len;
	uint8_t *buf = written(0, &len), *copy = malloc(len);
	Elf64_Ehdr eh;
	Elf64_Shdr sh;
	int i;

	memcpy(&eh, buf, sizeof(eh));
	for (i = 0; i < eh.e_shnum; i++) {
		size_t at = eh.e_shoff + i * sizeof(sh);

		memcpy(copy, buf, len);
		memcpy(&sh, copy + at, sizeof(sh));
		sh.sh_offset = 0x7ffffff0;
		if (i == 0)
			sh.sh_type = SHT_STRTAB;
		memcpy(copy + at, &sh, sizeof(sh));
		expect_error(copy, len, "");
		if (i == 0) {	/* and as the name table */
			eh.e_shstrndx = 0;
			memcpy(copy, &eh, sizeof(eh));
			expect_error(copy, len, "truncated or corrupt");
			memcpy(&eh, buf, sizeof(eh));
		}
	}
	free(copy);
	free(buf);
}
END_TEST

static uint64_t rng_state;

static uint32_t rng(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return rng_state >> 33;
}

/* Whatever is accepted must dump and write without trouble too. */
static void exercise(const uint8_t *buf, size_t len)
{
	char err[256], *d;
	struct bt_object *obj = obj_read_elf(buf, len, err, sizeof(err));
	void *out;
	size_t olen;

	if (!obj) {
		ck_assert(err[0]);
		return;
	}
	d = dump(obj, false);
	free(d);
	d = dump(obj, true);
	free(d);
	if (!obj_write_elf(obj, &out, &olen))
		free(out);
	obj_free(obj);
}

/* Random byte changes: 1 to 8 bytes, or a 32-bit field set to an
 * extreme, anywhere in the file. */
START_TEST(mutations)
{
	static const uint32_t extremes[] = { 0, 1, 0x7fffffff, 0x80000000,
					     0xffffffff, 0xfffffff0, 8, 64 };
	size_t len;
	uint8_t *orig = written(2, &len), *buf = malloc(len);
	int iter, k;

	rng_state = 12345 + _i;
	for (iter = 0; iter < 1500; iter++) {
		memcpy(buf, orig, len);
		if (rng() % 3 == 0 && len >= 4) {
			uint32_t v = extremes[rng() % 8];

			memcpy(buf + (rng() % (len - 3) & ~3u), &v, 4);
		} else {
			for (k = 1 + rng() % 8; k > 0; k--)
				buf[rng() % len] = rng();
		}
		exercise(buf, len);
		if (iter % 100 == 0)
			diag_reset();
	}
	diag_reset();
	free(buf);
	free(orig);
}
END_TEST

static Suite *objread_suite(void)
{
	Suite *s = suite_create("objread");
	TCase *tc = tcase_create("objread");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, roundtrip, 0, NSCRIPTS);
	tcase_add_test(tc, source_lines_travel);
	tcase_add_test(tc, other_version);
	tcase_add_test(tc, foreign_files);
	tcase_add_test(tc, no_metadata);
	tcase_add_test(tc, truncated_everywhere);
	tcase_add_test(tc, section_outside_file);
	tcase_add_loop_test(tc, mutations, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(objread_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
