// SPDX-License-Identifier: GPL-2.0
/*
 * rt_run on hand-built objects: a few BPF programs written instruction by
 * instruction, so the runtime is tested without the parser or codegen.
 * Needs root with CAP_BPF and CAP_PERFMON; skips (exit 77) otherwise.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <linux/bpf.h>
#include "runtime/runtime.h"

#define T_STRFIELD	16
#define T_DATA_SIZE	(BT_DATA_GLOBALS_OFF + 8 + T_STRFIELD)
#define T_OFF_COUNT	BT_DATA_GLOBALS_OFF
#define T_OFF_STR	(BT_DATA_GLOBALS_OFF + 8)
#define T_MAXINSNS	192

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c),		\
	.dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

/* A program under construction; jumps to `out` are patched at the end. */
struct t_prog {
	struct bpf_insn insns[T_MAXINSNS];
	int n;
	struct bt_reloc relocs[32];
	int nrelocs;
	int fixups[16];
	int nfixups;
};

static void t_emit(struct t_prog *p, struct bpf_insn insn)
{
	ck_assert_int_lt(p->n, T_MAXINSNS);
	p->insns[p->n++] = insn;
}

/* ld_imm64 reg of a map (map >= 0) or of .data + off. */
static void t_ld_map(struct t_prog *p, int reg, int map, int off)
{
	ck_assert_int_lt(p->nrelocs, 32);
	p->relocs[p->nrelocs++] = (struct bt_reloc){ p->n, map };
	t_emit(p, INSN(BPF_LD | BPF_DW | BPF_IMM, reg, 0, 0,
		       map == BT_RELOC_DATA ? off : 0));
	t_emit(p, INSN(0, 0, 0, 0, 0));
}

/* if reg op imm goto out */
static void t_jump_out(struct t_prog *p, int op, int reg, int imm)
{
	ck_assert_int_lt(p->nfixups, 16);
	p->fixups[p->nfixups++] = p->n;
	t_emit(p, INSN(BPF_JMP | op | BPF_K, reg, 0, 0, imm));
}

/* Leave early once the exit flag is set, as codegen's probes do. */
static void t_check_exit(struct t_prog *p)
{
	t_ld_map(p, 1, BT_RELOC_DATA, BT_DATA_EXIT_OFF);
	t_emit(p, INSN(BPF_LDX | BPF_DW | BPF_MEM, 1, 1, 0, 0));
	t_jump_out(p, BPF_JNE, 1, 0);
}

static void t_set_exit(struct t_prog *p)
{
	t_ld_map(p, 1, BT_RELOC_DATA, BT_DATA_EXIT_OFF);
	t_emit(p, INSN(BPF_ST | BPF_DW | BPF_MEM, 1, 0, 0, 1));
}

/* r0 = bpf_ringbuf_reserve(ring, size, 0), header {kind, id}. */
static void t_reserve(struct t_prog *p, int size, int kind, int id)
{
	t_ld_map(p, 1, 0, 0);
	t_emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, size));
	t_emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 0));
	t_emit(p, INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_reserve));
	t_jump_out(p, BPF_JEQ, 0, 0);
	t_emit(p, INSN(BPF_ST | BPF_W | BPF_MEM, 0, 0, 0, kind));
	t_emit(p, INSN(BPF_ST | BPF_W | BPF_MEM, 0, 0, 4, id));
}

static void t_submit(struct t_prog *p)
{
	t_emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, 1, 0, 0, 0));
	t_emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 0));
	t_emit(p, INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_submit));
}

/* printf(format id) with no arguments, or with one long. */
static void t_printf0(struct t_prog *p, int id)
{
	t_reserve(p, 8, REC_PRINTF, id);
	t_submit(p);
}

static void t_printf_long(struct t_prog *p, int id, int value)
{
	t_reserve(p, 16, REC_PRINTF, id);
	t_emit(p, INSN(BPF_ST | BPF_DW | BPF_MEM, 0, 0, 8, value));
	t_submit(p);
}

/* printf(format id, the u64 at .data + off) */
static void t_printf_data(struct t_prog *p, int id, int off)
{
	t_ld_map(p, 6, BT_RELOC_DATA, off);
	t_emit(p, INSN(BPF_LDX | BPF_DW | BPF_MEM, 6, 6, 0, 0));
	t_reserve(p, 16, REC_PRINTF, id);
	t_emit(p, INSN(BPF_STX | BPF_DW | BPF_MEM, 0, 6, 8, 0));
	t_submit(p);
}

static void t_record(struct t_prog *p, int kind, int id)
{
	t_reserve(p, 8, kind, id);
	t_submit(p);
}

/* A string-argument record: "hello" in a field of T_STRFIELD bytes. */
static void t_printf_str(struct t_prog *p, int id)
{
	t_reserve(p, 8 + T_STRFIELD, REC_PRINTF, id);
	/* "hell" "o\0\0\0", then zeros */
	t_emit(p, INSN(BPF_ST | BPF_W | BPF_MEM, 0, 0, 8, 0x6c6c6568));
	t_emit(p, INSN(BPF_ST | BPF_W | BPF_MEM, 0, 0, 12, 0x6f));
	t_emit(p, INSN(BPF_ST | BPF_DW | BPF_MEM, 0, 0, 16, 0));
	t_submit(p);
}

static void t_store_data(struct t_prog *p, int off, int value)
{
	t_ld_map(p, 1, BT_RELOC_DATA, off);
	t_emit(p, INSN(BPF_ST | BPF_DW | BPF_MEM, 1, 0, 0, value));
}

/* *(u64 *)(r10 + off) = imm */
static void t_st64(struct t_prog *p, int off, int imm)
{
	t_emit(p, INSN(BPF_ST | BPF_DW | BPF_MEM, 10, 0, off, imm));
}

/* A string field of T_STRFIELD bytes at r10 + off (no NUL if it fills). */
static void t_st_str(struct t_prog *p, int off, const char *str)
{
	size_t n = strlen(str);
	int w;

	ck_assert_uint_le(n, T_STRFIELD);
	for (w = 0; w < T_STRFIELD / 4; w++) {
		uint32_t word = 0;
		int i;

		for (i = 3; i >= 0; i--) {
			size_t at = (size_t)w * 4 + i;

			word = word << 8 | (at < n ? (uint8_t)str[at] : 0);
		}
		t_emit(p, INSN(BPF_ST | BPF_W | BPF_MEM, 10, 0, off + w * 4,
			       (int32_t)word));
	}
}

/* bpf_map_update_elem(map, r10 + koff, r10 + voff, BPF_ANY) */
static void t_update(struct t_prog *p, int map, int koff, int voff)
{
	t_ld_map(p, 1, map, 0);
	t_emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0));
	t_emit(p, INSN(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, koff));
	t_emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, 3, 10, 0, 0));
	t_emit(p, INSN(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, voff));
	t_emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, 4, 0, 0, 0));
	t_emit(p, INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_update_elem));
}

/* map[key] = val, long key and value. */
static void t_put_ll(struct t_prog *p, int map, int key, int val)
{
	t_st64(p, -8, key);
	t_st64(p, -16, val);
	t_update(p, map, -8, -16);
}

/* map[key] = val, string key, long value. */
static void t_put_sl(struct t_prog *p, int map, const char *key, int val)
{
	t_st_str(p, -16, key);
	t_st64(p, -24, val);
	t_update(p, map, -16, -24);
}

/* map[k1, k2] = val, keys string and long, string value. */
static void t_put_sls(struct t_prog *p, int map, const char *k1, int k2,
		      const char *val)
{
	t_st_str(p, -40, k1);
	t_st64(p, -24, k2);
	t_st_str(p, -16, val);
	t_update(p, map, -40, -16);
}

/* This CPU's bt_stats_val (no buckets) of map[key], a PERCPU_HASH. */
static void t_put_stats(struct t_prog *p, int map, const char *key,
			const int v[5])
{
	int i;

	t_st_str(p, -16, key);
	for (i = 0; i < 5; i++)
		t_st64(p, -56 + i * 8, v[i]);
	t_update(p, map, -16, -56);
}

/* This CPU's bt_stats_val of a scalar aggregate (PERCPU_ARRAY, key 0). */
static void t_set_stats(struct t_prog *p, int map, const int v[5])
{
	int i;

	t_emit(p, INSN(BPF_ST | BPF_W | BPF_MEM, 10, 0, -4, 0));
	t_ld_map(p, 1, map, 0);
	t_emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0));
	t_emit(p, INSN(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -4));
	t_emit(p, INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem));
	t_jump_out(p, BPF_JEQ, 0, 0);
	for (i = 0; i < 5; i++)
		t_emit(p, INSN(BPF_ST | BPF_DW | BPF_MEM, 0, 0, i * 8, v[i]));
}

/* out: r0 = 0; exit */
static void t_finish(struct t_prog *p)
{
	int i;

	for (i = 0; i < p->nfixups; i++)
		p->insns[p->fixups[i]].off = p->n - p->fixups[i] - 1;
	t_emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
	t_emit(p, INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

/* Test object: one ring, a .data with a long and a string global. */
struct t_obj {
	struct bt_object obj;
	struct bt_objmap maps[10];
	struct bt_objprog progs[8];
	struct t_prog code[8];
	struct bt_format formats[8];
	enum bt_type argtypes[8][1];
	struct bt_objerror errors[2];
	struct bt_objglobal globals[12];
	uint8_t data[T_DATA_SIZE];
};

static const char *const t_fmts[] = {
	"x=%d\n", "a\n", "b\n", "c\n", "end\n", "tick\n", "s=%s\n",
	"error probe\n",
};

static void t_obj_init(struct t_obj *t)
{
	int i;

	memset(t, 0, sizeof(*t));
	t->maps[0] = (struct bt_objmap){ "ringbuf", BPF_MAP_TYPE_RINGBUF,
					 0, 0, 256 * 1024, 0 };
	for (i = 0; i < 8; i++) {
		struct bt_format *f = &t->formats[i];

		f->fmt = (char *)t_fmts[i];
		f->len = strlen(t_fmts[i]);
		f->argtypes = t->argtypes[i];
		f->nargs = strchr(t_fmts[i], '%') ? 1 : 0;
		t->argtypes[i][0] = i == 6 ? BT_STRING : BT_LONG;
	}
	t->errors[0] = (struct bt_objerror){
		"division by 0 near operator '/' at t.stp:3:7", false };
	t->errors[1] = (struct bt_objerror){
		" near identifier 'error' at t.stp:4:2", true };
	t->globals[0] = (struct bt_objglobal){ .name = "count",
		.type = BT_LONG, .autoprint = true, .data_off = T_OFF_COUNT,
		.map = -1 };
	t->globals[1] = (struct bt_objglobal){ .name = "s",
		.type = BT_STRING, .autoprint = true, .data_off = T_OFF_STR,
		.map = -1 };
	memcpy(t->data + T_OFF_STR, "hi", 3);
	t->obj = (struct bt_object){
		.maps = t->maps, .nmaps = 1, .progs = t->progs,
		.data = t->data, .data_size = T_DATA_SIZE,
		.formats = t->formats, .nformats = 8,
		.errors = t->errors, .nerrors = 2,
		.globals = t->globals, .nglobals = 2,
		.ringbuf_map = 0, .strfield = T_STRFIELD,
		.maxstringlen = T_STRFIELD - 1, .source = (char *)"t.stp",
	};
}

/* Add a map to the object; returns its index. */
static int t_add_map(struct t_obj *t, const char *name, uint32_t type,
		     uint32_t key_size, uint32_t value_size)
{
	int i = t->obj.nmaps++;

	ck_assert_int_lt(i, 10);
	t->maps[i] = (struct bt_objmap){ (char *)name, type, key_size,
					 value_size, 16, 0 };
	return i;
}

/* Add an array or aggregate global living in map `map`. */
static struct bt_objglobal *t_add_global(struct t_obj *t, const char *name,
					 enum bt_type type, int map,
					 int nkeys, ...)
{
	struct bt_objglobal *g = &t->globals[t->obj.nglobals++];
	va_list ap;
	int i;

	ck_assert_int_le(t->obj.nglobals, 12);
	*g = (struct bt_objglobal){ .name = (char *)name, .type = type,
		.nkeys = nkeys, .autoprint = true, .map = map };
	va_start(ap, nkeys);
	for (i = 0; i < nkeys; i++) {
		g->keys[i] = va_arg(ap, int);
		/* full-width string columns, as for any stored string */
		g->key_width[i] = g->keys[i] == BT_STRING ? T_STRFIELD : 8;
	}
	va_end(ap);
	return g;
}

static const char *const t_names[] = {
	"p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7",
};

/* Start program i of the given type; its code goes in t->code[i]. */
static struct t_prog *t_add(struct t_obj *t, enum bt_probe_type type,
			    int64_t prio, const char *pp)
{
	int i = t->obj.nprogs++;
	struct bt_objprog *p = &t->progs[i];

	p->name = (char *)t_names[i];
	p->attach.type = type;
	p->attach.priority = prio;
	p->attach.pp = (char *)pp;
	p->loc = (struct bt_loc){ "t.stp", i + 1, 7 };
	p->probe = i;
	switch (type) {
	case PT_TIMER:
	case PT_TIMER_PROFILE:
		p->section = (char *)"perf_event";
		p->prog_type = BPF_PROG_TYPE_PERF_EVENT;
		break;
	case PT_TRACEPOINT:
		p->section = (char *)"tracepoint/syscalls/sys_enter_execve";
		p->prog_type = BPF_PROG_TYPE_TRACEPOINT;
		p->attach.tp_system = (char *)"syscalls";
		p->attach.tp_event = (char *)"sys_enter_execve";
		break;
	default:
		p->section = (char *)"raw_tp";
		p->prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT;
		break;
	}
	return &t->code[i];
}

/* Point every program at its finished code. */
static void t_seal(struct t_obj *t)
{
	int i;

	for (i = 0; i < t->obj.nprogs; i++) {
		t_finish(&t->code[i]);
		t->progs[i].insns = t->code[i].insns;
		t->progs[i].ninsns = t->code[i].n;
		t->progs[i].relocs = t->code[i].relocs;
		t->progs[i].nrelocs = t->code[i].nrelocs;
	}
}

/* Run the session; output and stderr are captured as strings. */
struct t_result {
	int rc;
	char out[4096];
	char err[8192];
};

static void t_slurp(FILE *f, char *buf, size_t size)
{
	size_t n;

	fflush(f);
	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = 0;
}

/* Open descriptors of this process. */
static int t_nfds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void t_run(struct t_obj *t, struct rt_options *opt,
		  struct t_result *r)
{
	FILE *out = tmpfile(), *err = tmpfile();
	int saved = dup(2), nfds;

	ck_assert(out && err && saved >= 0);
	t_seal(t);
	opt->out = out;
	fflush(stderr);
	dup2(fileno(err), 2);
	nfds = t_nfds();
	r->rc = rt_run(&t->obj, opt);
	/* Every map, program, link, perf event and pipe was closed. */
	ck_assert_int_eq(t_nfds(), nfds);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	t_slurp(out, r->out, sizeof(r->out));
	t_slurp(err, r->err, sizeof(r->err));
	fclose(out);
	fclose(err);
	if (r->err[0])
		fprintf(stderr, "[stderr of the session]\n%s", r->err);
}

/*
 * Run the session in a child and send it `sig` after delay_ms; returns the
 * child's exit status and the time it took to stop, in ms.
 */
static int t_run_signalled(struct t_obj *t, struct rt_options *opt,
			   struct t_result *r, int sig, int delay_ms,
			   long *stop_ms)
{
	struct timespec d = { delay_ms / 1000, delay_ms % 1000 * 1000000L };
	struct timespec t0, t1;
	FILE *out;
	int status;
	pid_t pid;

	/* The child writes into an unnamed file the parent reads back: a
	 * fixed path would collide with another tree's test run. */
	out = tmpfile();
	ck_assert_ptr_nonnull(out);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		t_seal(t);
		opt->out = out;
		r->rc = rt_run(&t->obj, opt);
		fclose(out);
		_exit(r->rc);
	}
	nanosleep(&d, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	kill(pid, sig);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*stop_ms = (t1.tv_sec - t0.tv_sec) * 1000 +
		   (t1.tv_nsec - t0.tv_nsec) / 1000000;
	t_slurp(out, r->out, sizeof(r->out));
	fclose(out);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(test_begin_order_and_end)
{
	struct rt_options opt = { 0 };
	struct t_obj t;
	struct t_result r;

	t_obj_init(&t);
	t_printf_long(t_add(&t, PT_BEGIN, 0, "begin"), 0, 42);
	t_printf0(t_add(&t, PT_BEGIN, -5, "begin(-5)"), 1);
	{
		struct t_prog *p = t_add(&t, PT_BEGIN, 0, "begin");

		t_printf0(p, 2);
		t_set_exit(p);
	}
	/* After exit() no other begin probe runs. */
	t_printf0(t_add(&t, PT_BEGIN, 1, "begin(1)"), 3);
	t_printf0(t_add(&t, PT_END, 0, "end"), 4);
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out, "a\nx=42\nb\nend\ncount=0\ns=\"hi\"\n");
}
END_TEST

START_TEST(test_no_global_display)
{
	struct rt_options opt = { .no_global_display = true };
	struct t_obj t;
	struct t_result r;
	struct t_prog *p;

	t_obj_init(&t);
	p = t_add(&t, PT_BEGIN, 0, "begin");
	t_printf_str(p, 6);
	t_set_exit(p);
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out, "s=hello\n");
}
END_TEST

START_TEST(test_timer_exit_record)
{
	struct rt_options opt = { 0 };
	struct t_obj t;
	struct t_result r;
	struct t_prog *p;

	t_obj_init(&t);
	t_printf0(t_add(&t, PT_BEGIN, 0, "begin"), 1);
	p = t_add(&t, PT_TIMER, 0, "timer.ms(10)");
	t.progs[1].attach.period_ns = 10 * 1000 * 1000;
	t_check_exit(p);
	t_store_data(p, T_OFF_COUNT, 7);
	t_printf0(p, 5);
	t_set_exit(p);
	t_record(p, REC_EXIT, 0);
	p = t_add(&t, PT_END, 0, "end");
	t_printf_data(p, 0, T_OFF_COUNT);
	t_set_exit(p);
	/* exit() in an end probe does not silence the next one: end
	 * programs do not check the flag (the probes still attached are
	 * quiesced by it while end probes run, so it stays set). */
	p = t_add(&t, PT_END, 0, "end");
	t_printf0(p, 3);
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out, "a\ntick\nx=7\nc\ncount=7\ns=\"hi\"\n");
}
END_TEST

START_TEST(test_timer_hz_and_profile)
{
	struct rt_options opt = { .no_global_display = true };
	struct t_obj t;
	struct t_result r;
	struct t_prog *p;

	t_obj_init(&t);
	/* timer.profile only counts; timer.hz(100) stops after a few. */
	p = t_add(&t, PT_TIMER_PROFILE, 0, "timer.profile");
	t_check_exit(p);
	t_store_data(p, T_OFF_COUNT, 1);
	p = t_add(&t, PT_TIMER, 0, "timer.hz(100)");
	t.progs[1].attach.hz = 100;
	t_check_exit(p);
	t_printf0(p, 5);
	t_set_exit(p);
	t_printf_data(t_add(&t, PT_END, 0, "end"), 0, T_OFF_COUNT);
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out, "tick\nx=1\n");
}
END_TEST

START_TEST(test_runtime_error)
{
	struct rt_options opt = { 0 };
	struct t_obj t;
	struct t_result r;
	struct t_prog *p;

	t_obj_init(&t);
	p = t_add(&t, PT_BEGIN, 0, "begin");
	t_printf0(p, 1);
	t_record(p, REC_ERROR, 0);
	t_set_exit(p);
	t_printf0(t_add(&t, PT_BEGIN, 0, "begin"), 2);
	t_printf0(t_add(&t, PT_END, 0, "end"), 4);
	t_printf0(t_add(&t, PT_ERROR, 0, "error"), 7);
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 1);
	/* Globals are shown from an end probe: not when error probes ran. */
	ck_assert_str_eq(r.out, "a\nerror probe\n");
	/* stap's summary follows the errors */
	ck_assert_str_eq(r.err, "ERROR: division by 0 near operator '/' at "
			 "t.stp:3:7\n"
			 "WARNING: Number of errors: 1, skipped probes: 0\n");
}
END_TEST

START_TEST(test_dynamic_error_runs_end)
{
	struct rt_options opt = { .no_global_display = true };
	struct t_obj t;
	struct t_result r;
	struct t_prog *p;

	t_obj_init(&t);
	p = t_add(&t, PT_BEGIN, 0, "begin");
	t_reserve(p, 8 + T_STRFIELD, REC_ERROR, 1);
	t_emit(p, INSN(BPF_ST | BPF_W | BPF_MEM, 0, 0, 8, 0x216f6f62));
	t_emit(p, INSN(BPF_ST | BPF_W | BPF_MEM, 0, 0, 12, 0));
	t_submit(p);
	/* No error probe: end probes run. */
	t_printf0(t_add(&t, PT_END, 0, "end"), 4);
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 1);
	ck_assert_str_eq(r.out, "end\n");
	ck_assert_str_eq(r.err, "ERROR: boo! near identifier 'error' at "
			 "t.stp:4:2\n"
			 "WARNING: Number of errors: 1, skipped probes: 0\n");
}
END_TEST

START_TEST(test_short_record)
{
	struct rt_options opt = { .no_global_display = true };
	struct t_obj t;
	struct t_result r;
	struct t_prog *p;

	t_obj_init(&t);
	p = t_add(&t, PT_BEGIN, 0, "begin");
	/* Format 0 wants a long, but the record carries only a header. */
	t_printf0(p, 0);
	t_record(p, 99, 0);
	t_printf0(p, 1);
	t_set_exit(p);
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 1);
	ck_assert_str_eq(r.out, "a\n");
	ck_assert_ptr_nonnull(strstr(r.err, "internal error: printf record "
				     "for format 0 has 0 bytes, needs 8"));
	ck_assert_ptr_nonnull(strstr(r.err, "unknown kind 99"));
}
END_TEST

START_TEST(test_verifier_rejects)
{
	struct rt_options opt = { 0 };
	struct t_obj t;
	struct t_result r;
	struct t_prog *p;

	t_obj_init(&t);
	t_printf0(t_add(&t, PT_BEGIN, 0, "begin"), 1);
	p = t_add(&t, PT_BEGIN, 0, "begin(0)");
	/* Read through r0 before anything set it. */
	t_emit(p, INSN(BPF_LDX | BPF_DW | BPF_MEM, 1, 5, 0, 0));
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 1);
	ck_assert_str_eq(r.out, "");
	ck_assert_ptr_nonnull(strstr(r.err, "bpftap: error: the kernel's "
				     "verifier rejected probe begin(0) at "
				     "t.stp:2:7\n"));
	ck_assert_ptr_nonnull(strstr(r.err, "R5 !read_ok"));
	ck_assert_ptr_null(strstr(r.err, "libbpf"));
}
END_TEST

START_TEST(test_not_supported)
{
	struct rt_options opt = { 0 };
	struct t_obj t;
	struct t_result r;

	t_obj_init(&t);
	t_printf0(t_add(&t, PT_BEGIN, 0, "begin"), 1);
	t_add(&t, PT_UNRESOLVED, 0, "nothing");
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 1);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "bpftap: error: probe point nothing: not "
			 "supported yet\n");
}
END_TEST

/* A kernel without kprobes: one line, before anything runs. */
START_TEST(test_no_kprobes)
{
	struct rt_options opt = { 0 };
	struct t_obj t;
	struct t_result r;

	if (!access("/sys/bus/event_source/devices/kprobe/type", F_OK) ||
	    !access("/sys/kernel/tracing/kprobe_events", F_OK))
		return;		/* this kernel has them */
	t_obj_init(&t);
	t_printf0(t_add(&t, PT_BEGIN, 0, "begin"), 1);
	t_add(&t, PT_KPROBE, 0, "kernel.function(\"vfs_read\")");
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 1);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "bpftap: error: cannot attach "
			 "kernel.function(\"vfs_read\"): this kernel has no "
			 "kprobes (CONFIG_KPROBES)\n");
}
END_TEST

START_TEST(test_optional_unsupported)
{
	struct rt_options opt = { .no_global_display = true };
	struct t_obj t;
	struct t_result r;
	struct t_prog *p;

	t_obj_init(&t);
	p = t_add(&t, PT_BEGIN, 0, "begin");
	t_printf0(p, 1);
	t_set_exit(p);
	t_add(&t, PT_KPROBE, 0, "kernel.function(\"vfs_read\")?");
	t.progs[1].attach.optional = true;
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out, "a\n");
}
END_TEST

START_TEST(test_target_cmd)
{
	char pidfile[] = "/tmp/bpftap-test-XXXXXX", want[64], got[64] = "";
	struct rt_options opt = { .no_global_display = true };
	struct t_obj t;
	struct t_result r;
	char cmd[128];
	FILE *f;
	int fd = mkstemp(pidfile);

	ck_assert_int_ge(fd, 0);
	close(fd);
	/* The traced command is the exec'd sh itself: $$ is target(). */
	snprintf(cmd, sizeof(cmd), "sh -c 'echo $$ > %s'", pidfile);
	opt.target_cmd = cmd;
	t_obj_init(&t);
	t_printf_data(t_add(&t, PT_BEGIN, 0, "begin"), 0, BT_DATA_TARGET_OFF);
	t_printf0(t_add(&t, PT_END, 0, "end"), 4);
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 0);
	f = fopen(pidfile, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(got, sizeof(got) - 1, f));
	fclose(f);
	unlink(pidfile);
	snprintf(want, sizeof(want), "x=%s", got);
	strcat(want, "end\n");
	ck_assert_str_eq(r.out, want);
}
END_TEST

START_TEST(test_target_cmd_fails)
{
	struct rt_options opt = { .target_cmd = "/nonexistent/cmd arg" };
	struct t_obj t;
	struct t_result r;

	t_obj_init(&t);
	t_printf0(t_add(&t, PT_END, 0, "end"), 4);
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "bpftap: error: -c: cannot run "
				     "'/nonexistent/cmd': No such file"));
}
END_TEST

START_TEST(test_target_cmd_bad_words)
{
	struct rt_options opt = { .target_cmd = "ls | wc" };
	struct t_obj t;
	struct t_result r;

	t_obj_init(&t);
	t_printf0(t_add(&t, PT_END, 0, "end"), 4);
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "bpftap: error: -c 'ls | wc': "));
}
END_TEST

START_TEST(test_tracepoint)
{
	struct rt_options opt = { .target_cmd = "true",
				  .no_global_display = true };
	struct t_obj t;
	struct t_result r;
	struct t_prog *p;

	t_obj_init(&t);
	/* The -c command's own execve fires it: it runs after attaching. */
	p = t_add(&t, PT_TRACEPOINT, 0, "kernel.trace(\"sys_enter_execve\")");
	t_check_exit(p);
	t_printf0(p, 5);
	t_set_exit(p);
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out, "tick\n");
}
END_TEST

/*
 * -x PID: target() is PID, and the session runs independently of the
 * PID's lifespan (stap(1)): a process already gone does not end it.
 */
START_TEST(test_target_pid_gone)
{
	struct rt_options opt = { .no_global_display = true };
	struct t_obj t;
	struct t_result r;
	struct t_prog *p;
	char want[64];
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	ck_assert_int_gt(pid, 0);
	waitpid(pid, NULL, 0);
	opt.target_pid = pid;
	t_obj_init(&t);
	t_printf_data(t_add(&t, PT_BEGIN, 0, "begin"), 0,
		      BT_DATA_TARGET_OFF);
	p = t_add(&t, PT_TIMER, 0, "timer.ms(300)");
	t.progs[1].attach.period_ns = 300 * 1000 * 1000;
	t_check_exit(p);
	t_printf0(p, 5);
	t_set_exit(p);
	t_record(p, REC_EXIT, 0);
	t_printf0(t_add(&t, PT_END, 0, "end"), 4);
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 0);
	snprintf(want, sizeof(want), "x=%d\ntick\nend\n", (int)pid);
	ck_assert_str_eq(r.out, want);
}
END_TEST

/* Ctrl-C: probes stop, end probes run, globals are printed, status 0. */
START_TEST(test_sigint)
{
	static const char tail[] = "tick\nend\ncount=3\ns=\"hi\"\n";
	struct rt_options opt = { 0 };
	struct t_obj t;
	struct t_result r;
	struct t_prog *p;
	long ms;
	int rc;

	t_obj_init(&t);
	p = t_add(&t, PT_TIMER, 0, "timer.ms(100)");
	t.progs[0].attach.period_ns = 100 * 1000 * 1000;
	t_store_data(p, T_OFF_COUNT, 3);
	t_printf0(p, 5);
	t_printf0(t_add(&t, PT_END, 0, "end"), 4);
	rc = t_run_signalled(&t, &opt, &r, SIGINT, 350, &ms);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_lt(ms, 1000);
	/* About three ticks; the count depends on the machine's speed. */
	ck_assert(!strncmp(r.out, "tick\n", 5));
	ck_assert_uint_ge(strlen(r.out), strlen(tail));
	ck_assert_str_eq(r.out + strlen(r.out) - strlen(tail), tail);
}
END_TEST

/* SIGTERM with a -c command that would run for long: both stop soon. */
START_TEST(test_sigterm_with_child)
{
	struct rt_options opt = { .target_cmd = "sleep 30",
				  .no_global_display = true };
	struct t_obj t;
	struct t_result r;
	long ms;
	int rc;

	t_obj_init(&t);
	t_printf0(t_add(&t, PT_END, 0, "end"), 4);
	rc = t_run_signalled(&t, &opt, &r, SIGTERM, 200, &ms);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_lt(ms, 2000);
	ck_assert_str_eq(r.out, "end\n");
}
END_TEST

/* -x: the session lasts as long as the process. */
START_TEST(test_verifier_verbose)
{
	struct rt_options opt = { .verbose = 1 };
	struct t_obj t;
	struct t_result r;
	struct t_prog *p;

	t_obj_init(&t);
	p = t_add(&t, PT_BEGIN, 0, "begin");
	t_emit(p, INSN(BPF_LDX | BPF_DW | BPF_MEM, 1, 5, 0, 0));
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "the verifier's log:\n"));
	ck_assert_ptr_nonnull(strstr(r.err, "processed "));
}
END_TEST

/* A reader that went away (`| head`) ends the session, in order. */
START_TEST(test_output_closed)
{
	struct rt_options opt = { 0 };
	struct t_obj t;
	struct t_prog *p;
	int fds[2], saved = dup(2), rc;
	FILE *out, *err = tmpfile();
	char buf[512];
	size_t n;

	ck_assert_int_eq(pipe(fds), 0);
	close(fds[0]);
	out = fdopen(fds[1], "w");
	ck_assert(out && err && saved >= 0);
	t_obj_init(&t);
	p = t_add(&t, PT_TIMER, 0, "timer.ms(10)");
	t.progs[0].attach.period_ns = 10 * 1000 * 1000;
	t_printf0(p, 5);
	t_seal(&t);
	opt.out = out;
	dup2(fileno(err), 2);
	rc = rt_run(&t.obj, &opt);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fclose(out);
	rewind(err);
	n = fread(buf, 1, sizeof(buf) - 1, err);
	buf[n] = 0;
	fclose(err);
	ck_assert_int_eq(rc, 1);
	ck_assert_str_eq(buf, "bpftap: error: cannot write the output: "
			 "Broken pipe\n");
}
END_TEST

#define T_STATS_SIZE	((uint32_t)sizeof(struct bt_stats_val))

/*
 * Auto-print of arrays and aggregates, in declaration order after the
 * scalars of t_obj_init. Expected lines follow stap's synthetic end probes
 * (elaborate.cxx, add_global_var_display): `foreach (v = [k] in a-)`, keys
 * as %#d / "%#s", values %d / "%#s", aggregates as five %#d, an empty
 * scalar aggregate as "@count=0x0"; equal values in key order (ours).
 */
START_TEST(test_autoprint_arrays)
{
	static const int st[5] = { 2, 10, 4, 6, 52 };
	static const int ta[5] = { 2, 8, 3, 5, 34 };
	static const int tb[5] = { 1, 7, 7, 7, 49 };
	static const int tc[5] = { 2, -7, -5, -2, 29 };
	struct rt_options opt = { 0 };
	struct t_obj t;
	struct t_result r;
	struct t_prog *p;
	int arr, sarr, names, mst, mst2, mt, me, mhid;

	t_obj_init(&t);
	arr = t_add_map(&t, "arr", BPF_MAP_TYPE_HASH, 8, 8);
	sarr = t_add_map(&t, "sarr", BPF_MAP_TYPE_HASH, T_STRFIELD, 8);
	names = t_add_map(&t, "names", BPF_MAP_TYPE_HASH, T_STRFIELD + 8,
			  T_STRFIELD);
	mst = t_add_map(&t, "st", BPF_MAP_TYPE_PERCPU_ARRAY, 4, T_STATS_SIZE);
	mst2 = t_add_map(&t, "st2", BPF_MAP_TYPE_PERCPU_ARRAY, 4,
			 T_STATS_SIZE);
	mt = t_add_map(&t, "t", BPF_MAP_TYPE_PERCPU_HASH, T_STRFIELD,
		       T_STATS_SIZE);
	me = t_add_map(&t, "e", BPF_MAP_TYPE_HASH, 8, 8);
	mhid = t_add_map(&t, "hid", BPF_MAP_TYPE_HASH, 8, 8);
	t_add_global(&t, "arr", BT_LONG, arr, 1, BT_LONG);
	t_add_global(&t, "sarr", BT_LONG, sarr, 1, BT_STRING);
	t_add_global(&t, "names", BT_STRING, names, 2, BT_STRING, BT_LONG);
	t_add_global(&t, "st", BT_STATS, mst, 0);
	t_add_global(&t, "st2", BT_STATS, mst2, 0);
	t_add_global(&t, "t", BT_STATS, mt, 1, BT_STRING);
	t_add_global(&t, "e", BT_LONG, me, 1, BT_LONG);
	t_add_global(&t, "hid", BT_LONG, mhid, 1, BT_LONG)->autoprint = false;

	p = t_add(&t, PT_BEGIN, 0, "begin");
	t_put_ll(p, arr, 1, 10);
	t_put_ll(p, arr, 2, 30);
	t_put_ll(p, arr, 3, 20);
	t_put_ll(p, arr, 5, 20);
	t_put_ll(p, arr, 0, 20);
	t_put_ll(p, arr, -1, -4);
	t_put_ll(p, mhid, 1, 1);
	p = t_add(&t, PT_BEGIN, 0, "begin");
	t_put_sl(p, sarr, "x", 1);
	t_put_sls(p, names, "b", 2, "zz");
	t_put_sls(p, names, "a", 1, "zz");
	/* A value that fills its field has no NUL: cut at the field. */
	t_put_sls(p, names, "c", 0, "abcdefghijklmnop");
	p = t_add(&t, PT_BEGIN, 0, "begin");
	t_set_stats(p, mst, st);
	t_put_stats(p, mt, "b", tb);
	t_put_stats(p, mt, "c", tc);
	t_put_stats(p, mt, "a", ta);
	t_set_exit(p);
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out,
		"count=0\n"
		"s=\"hi\"\n"
		"arr[2]=30\n"
		"arr[0]=20\n"
		"arr[3]=20\n"
		"arr[5]=20\n"
		"arr[1]=10\n"
		"arr[-1]=-4\n"
		"sarr[\"x\"]=1\n"
		"names[\"a\",1]=\"zz\"\n"
		"names[\"b\",2]=\"zz\"\n"
		"names[\"c\",0]=\"abcdefghijklmnop\"\n"
		"st @count=2 @min=4 @max=6 @sum=10 @avg=5\n"
		"st2 @count=0x0\n"
		"t[\"a\"] @count=2 @min=3 @max=5 @sum=8 @avg=4\n"
		"t[\"c\"] @count=2 @min=-5 @max=-2 @sum=-7 @avg=-3\n"
		"t[\"b\"] @count=1 @min=7 @max=7 @sum=7 @avg=7\n");
	ck_assert_str_eq(r.err, "");
}
END_TEST

/* The conformance case 15, with the maps filled as its script does. */
START_TEST(test_autoprint_conformance_15)
{
	static const int st[5] = { 2, 10, 4, 6, 52 };
	struct rt_options opt = { 0 };
	struct t_obj t;
	struct t_result r;
	struct t_prog *p;
	int arr, sarr, mst, mun;

	t_obj_init(&t);
	t.globals[0].name = (char *)"count";
	t.globals[1].name = (char *)"name";
	memcpy(t.data + T_OFF_STR, "bob", 4);
	arr = t_add_map(&t, "arr", BPF_MAP_TYPE_HASH, 8, 8);
	sarr = t_add_map(&t, "sarr", BPF_MAP_TYPE_HASH, T_STRFIELD, 8);
	mst = t_add_map(&t, "st", BPF_MAP_TYPE_PERCPU_ARRAY, 4, T_STATS_SIZE);
	mun = t_add_map(&t, "untouched", BPF_MAP_TYPE_HASH, 8, 8);
	t_add_global(&t, "arr", BT_LONG, arr, 1, BT_LONG);
	t_add_global(&t, "sarr", BT_LONG, sarr, 1, BT_STRING);
	t_add_global(&t, "st", BT_STATS, mst, 0);
	t_add_global(&t, "untouched", BT_LONG, mun, 1, BT_LONG)->autoprint =
		false;
	p = t_add(&t, PT_BEGIN, 0, "begin");
	t_store_data(p, T_OFF_COUNT, 3);
	t_put_ll(p, arr, 1, 10);
	t_put_ll(p, arr, 2, 30);
	t_put_ll(p, arr, 3, 20);
	t_put_sl(p, sarr, "x", 1);
	t_set_stats(p, mst, st);
	t_set_exit(p);
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out,
		"count=3\n"
		"name=\"bob\"\n"
		"arr[2]=30\n"
		"arr[3]=20\n"
		"arr[1]=10\n"
		"sarr[\"x\"]=1\n"
		"st @count=2 @min=4 @max=6 @sum=10 @avg=5\n");
}
END_TEST

/* A map whose layout disagrees with the global is reported, not read. */
START_TEST(test_autoprint_bad_layout)
{
	struct rt_options opt = { 0 };
	struct t_obj t;
	struct t_result r;
	int m;

	t_obj_init(&t);
	t.globals[0].autoprint = t.globals[1].autoprint = false;
	m = t_add_map(&t, "arr", BPF_MAP_TYPE_HASH, 8, 8);
	t_add_global(&t, "arr", BT_LONG, m, 1, BT_STRING);
	t_set_exit(t_add(&t, PT_BEGIN, 0, "begin"));
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 1);
	ck_assert_str_eq(r.out, "");
	ck_assert_ptr_nonnull(strstr(r.err, "the map of array arr has keys "
				     "of 8 bytes and values of 8, expected "
				     "16 and 8"));
}
END_TEST

/* print(@hist_linear(h, 0, 100, 10)) of the conformance case 10. */
START_TEST(test_hist_record)
{
	static const int counts[13] = { 1, 10, 10, 10, 10, 10 };
	struct rt_options opt = { .no_global_display = true };
	struct t_obj t;
	struct t_result r;
	struct bt_objglobal *g;
	struct t_prog *p;
	int m, i;

	t_obj_init(&t);
	m = t_add_map(&t, "h", BPF_MAP_TYPE_PERCPU_ARRAY, 4,
		      T_STATS_SIZE + 13 * 8);
	g = t_add_global(&t, "h", BT_STATS, m, 0);
	g->hist = (struct bt_histdesc){ BT_HIST_LINEAR, 0, 100, 10, 13 };
	p = t_add(&t, PT_BEGIN, 0, "begin");
	t_reserve(p, 8 + 13 * 8, REC_HIST, 2);
	for (i = 0; i < 13; i++)
		t_emit(p, INSN(BPF_ST | BPF_DW | BPF_MEM, 0, 0, 8 + i * 8,
			       i == 12 ? 1 : counts[i]));
	t_submit(p);
	t_set_exit(p);
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out,
		"value |-------------------------------------------------- count\n"
		"   <0 |@                                                   1\n"
		"    0 |@@@@@@@@@@                                         10\n"
		"   10 |@@@@@@@@@@                                         10\n"
		"   20 |@@@@@@@@@@                                         10\n"
		"   30 |@@@@@@@@@@                                         10\n"
		"   40 |@@@@@@@@@@                                         10\n"
		"   50 |                                                    0\n"
		"   60 |                                                    0\n"
		"      ~\n"
		"   90 |                                                    0\n"
		"  100 |                                                    0\n"
		" >100 |@                                                   1\n"
		"\n");
}
END_TEST

/* Short histogram records, or ones naming a global without one. */
START_TEST(test_hist_record_bad)
{
	struct rt_options opt = { .no_global_display = true };
	struct t_obj t;
	struct t_result r;
	struct bt_objglobal *g;
	struct t_prog *p;
	int m;

	t_obj_init(&t);
	m = t_add_map(&t, "h", BPF_MAP_TYPE_PERCPU_ARRAY, 4,
		      T_STATS_SIZE + 13 * 8);
	g = t_add_global(&t, "h", BT_STATS, m, 0);
	g->hist = (struct bt_histdesc){ BT_HIST_LINEAR, 0, 100, 10, 13 };
	p = t_add(&t, PT_BEGIN, 0, "begin");
	t_reserve(p, 8 + 12 * 8, REC_HIST, 2);
	t_submit(p);
	t_record(p, REC_HIST, 0);
	t_record(p, REC_HIST, 7);
	t_printf0(p, 1);
	t_set_exit(p);
	t_run(&t, &opt, &r);
	ck_assert_int_eq(r.rc, 1);
	ck_assert_str_eq(r.out, "a\n");
	ck_assert_ptr_nonnull(strstr(r.err, "histogram record for h has 96 "
				     "bytes, needs 104"));
	ck_assert_ptr_nonnull(strstr(r.err, "histogram record for count, "
				     "which has no histogram"));
	ck_assert_ptr_nonnull(strstr(r.err, "histogram record names global "
				     "7 of 3"));
}
END_TEST

static Suite *runtime_suite(void)
{
	Suite *s = suite_create("runtime");
	TCase *tc = tcase_create("session");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_begin_order_and_end);
	tcase_add_test(tc, test_no_global_display);
	tcase_add_test(tc, test_timer_exit_record);
	tcase_add_test(tc, test_timer_hz_and_profile);
	tcase_add_test(tc, test_runtime_error);
	tcase_add_test(tc, test_dynamic_error_runs_end);
	tcase_add_test(tc, test_short_record);
	tcase_add_test(tc, test_verifier_rejects);
	tcase_add_test(tc, test_not_supported);
	tcase_add_test(tc, test_no_kprobes);
	tcase_add_test(tc, test_optional_unsupported);
	tcase_add_test(tc, test_target_cmd);
	tcase_add_test(tc, test_target_cmd_fails);
	tcase_add_test(tc, test_target_cmd_bad_words);
	tcase_add_test(tc, test_tracepoint);
	tcase_add_test(tc, test_target_pid_gone);
	tcase_add_test(tc, test_sigint);
	tcase_add_test(tc, test_sigterm_with_child);
	tcase_add_test(tc, test_verifier_verbose);
	tcase_add_test(tc, test_output_closed);
	tcase_add_test(tc, test_autoprint_arrays);
	tcase_add_test(tc, test_autoprint_conformance_15);
	tcase_add_test(tc, test_autoprint_bad_layout);
	tcase_add_test(tc, test_hist_record);
	tcase_add_test(tc, test_hist_record_bad);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	if (geteuid() != 0) {
		printf("SKIP: needs root (CAP_BPF, CAP_PERFMON) to load and "
		       "run BPF programs\n");
		return 77;
	}
	sr = srunner_create(runtime_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
