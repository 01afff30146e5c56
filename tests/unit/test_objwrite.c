// SPDX-License-Identifier: GPL-2.0
/*
 * The object writer: hand-built bt_objects are written as ELF, checked
 * with libelf, then opened, loaded and run through libbpf in the kernel,
 * and handed to bpftool. Loading needs root (CAP_BPF): without it those
 * parts print SKIP and pass.
 */
#include <check.h>
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "codegen/object.h"
#include "parser/diag.h"
#include "bpf_insns.h"

#define BPF_FS_MAGIC_NR 0xcafe4a11

/* ---- building objects ------------------------------------------------ */

struct t_asm {
	struct bpf_insn insns[128];
	uint32_t n;
	struct bt_reloc relocs[16];
	uint32_t nrelocs;
};

static uint32_t t_emit(struct t_asm *a, struct bpf_insn insn)
{
	ck_assert_uint_lt(a->n, 128);
	a->insns[a->n] = insn;
	return a->n++;
}

/* ld_imm64 of map `map` (or of .data/.rodata + off with
 * BT_RELOC_DATA/BT_RELOC_RODATA). */
static void t_ld_map(struct t_asm *a, int reg, int map, int32_t off)
{
	bool sec = map == BT_RELOC_DATA || map == BT_RELOC_RODATA;

	ck_assert_uint_lt(a->nrelocs, 16);
	a->relocs[a->nrelocs++] = (struct bt_reloc){ a->n, map };
	t_emit(a, T_LD_IMM64_LO(reg, 0, sec ? off : 0));
	t_emit(a, T_LD_IMM64_HI(0));
}

/* call progs[prog], a subprogram; imm is left for the writer. */
static uint32_t t_call_sub(struct t_asm *a, int prog)
{
	ck_assert_uint_lt(a->nrelocs, 16);
	a->relocs[a->nrelocs++] = (struct bt_reloc){ a->n,
						     BT_RELOC_PROG(prog) };
	return t_emit(a, T_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0,
				0));
}

/* reg = the address of subprogram progs[prog], for a callback argument. */
static void t_ld_func(struct t_asm *a, int reg, int prog)
{
	ck_assert_uint_lt(a->nrelocs, 16);
	a->relocs[a->nrelocs++] = (struct bt_reloc){ a->n,
						     BT_RELOC_PROG(prog) };
	t_emit(a, T_LD_IMM64_LO(reg, BPF_PSEUDO_FUNC, 0));
	t_emit(a, T_LD_IMM64_HI(0));
}

/* Point the jump at `at` to the next instruction to be emitted. */
static void t_land(struct t_asm *a, uint32_t at)
{
	a->insns[at].off = a->n - at - 1;
}

static void *t_dup(const void *p, size_t n)
{
	void *q = malloc(n ? n : 1);

	ck_assert_ptr_nonnull(q);
	memcpy(q, p, n);
	return q;
}

static struct bt_object *t_obj_new(void)
{
	struct bt_object *o = calloc(1, sizeof(*o));

	ck_assert_ptr_nonnull(o);
	o->ringbuf_map = -1;
	o->source = strdup("test.stp");
	return o;
}

static int t_add_map(struct bt_object *o, const char *name, uint32_t type,
		     uint32_t ks, uint32_t vs, uint32_t max, uint32_t flags)
{
	struct bt_objmap *m;

	o->maps = realloc(o->maps, (o->nmaps + 1) * sizeof(*o->maps));
	ck_assert_ptr_nonnull(o->maps);
	m = &o->maps[o->nmaps];
	*m = (struct bt_objmap){ strdup(name), type, ks, vs, max, flags };
	return o->nmaps++;
}

static struct bt_objprog *t_add_prog(struct bt_object *o, const char *name,
				     const char *section, uint32_t type,
				     const struct t_asm *a)
{
	struct bt_objprog *p;

	o->progs = realloc(o->progs, (o->nprogs + 1) * sizeof(*o->progs));
	ck_assert_ptr_nonnull(o->progs);
	p = &o->progs[o->nprogs];
	memset(p, 0, sizeof(*p));
	p->name = strdup(name);
	p->section = strdup(section);
	p->prog_type = type;
	p->insns = t_dup(a->insns, a->n * sizeof(*a->insns));
	p->ninsns = a->n;
	p->relocs = t_dup(a->relocs, a->nrelocs * sizeof(*a->relocs));
	p->nrelocs = a->nrelocs;
	p->probe = o->nprogs;
	p->attach.pp = strdup(section);
	o->nprogs++;
	return p;
}

static struct bt_objprog *t_add_subprog(struct bt_object *o,
					const char *name,
					const struct t_asm *a)
{
	struct bt_objprog *p;

	o->progs = realloc(o->progs, (o->nprogs + 1) * sizeof(*o->progs));
	ck_assert_ptr_nonnull(o->progs);
	p = &o->progs[o->nprogs];
	memset(p, 0, sizeof(*p));
	p->name = strdup(name);
	p->subprog = true;
	p->insns = t_dup(a->insns, a->n * sizeof(*a->insns));
	p->ninsns = a->n;
	p->relocs = t_dup(a->relocs, a->nrelocs * sizeof(*a->relocs));
	p->nrelocs = a->nrelocs;
	p->probe = -1;
	o->nprogs++;
	return p;
}

static void t_set_data(struct bt_object *o, uint32_t size)
{
	o->data = calloc(1, size);
	ck_assert_ptr_nonnull(o->data);
	o->data_size = size;
}

/* The smallest valid program. */
static void t_ret0(struct t_asm *a)
{
	t_emit(a, T_MOV64_IMM(BPF_REG_0, 0));
	t_emit(a, T_EXIT());
}

/*
 * (a): store 42 at .data+16 through a PSEUDO_MAP_VALUE pointer.
 */
static struct bt_object *t_obj_data(void)
{
	struct bt_object *o = t_obj_new();
	struct t_asm a = { 0 };

	t_set_data(o, BT_DATA_GLOBALS_OFF + 8);
	o->data[BT_DATA_TARGET_OFF] = 5;
	t_ld_map(&a, BPF_REG_1, BT_RELOC_DATA, BT_DATA_GLOBALS_OFF);
	t_emit(&a, T_MOV64_IMM(BPF_REG_2, 42));
	t_emit(&a, T_STX(BPF_DW, BPF_REG_1, BPF_REG_2, 0));
	t_ret0(&a);
	t_add_prog(o, "probe0_0", "raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT, &a);
	return o;
}

/*
 * (b): update and look up key 7 of a hash map, then emit a record with the
 * looked-up value through bpf_ringbuf_output and one through
 * reserve/submit.
 */
#define T_KEY 7
#define T_VAL 100

static struct bt_object *t_obj_maps(void)
{
	struct bt_object *o = t_obj_new();
	struct t_asm a = { 0 };
	uint32_t j1, j2;
	int hash, rb;

	hash = t_add_map(o, "counts", BPF_MAP_TYPE_HASH, 8, 8, 16, 0);
	t_add_map(o, "stack_map", BPF_MAP_TYPE_ARRAY, 4, 256, 1, 0);
	rb = t_add_map(o, "output_ring", BPF_MAP_TYPE_RINGBUF, 0, 0,
		       256 * 1024, 0);
	t_add_map(o, "nopre", BPF_MAP_TYPE_HASH, 16, 24, 8,
		  BPF_F_NO_PREALLOC);
	t_add_map(o, "stats", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 4, 0);
	t_add_map(o, "lru", BPF_MAP_TYPE_LRU_HASH, 8, 4, 32, 0);
	o->ringbuf_map = rb;
	t_set_data(o, 16);

	/* counts[7] = 100 */
	t_emit(&a, T_MOV64_IMM(BPF_REG_1, T_KEY));
	t_emit(&a, T_STX(BPF_DW, BPF_REG_10, BPF_REG_1, -8));
	t_emit(&a, T_MOV64_IMM(BPF_REG_1, T_VAL));
	t_emit(&a, T_STX(BPF_DW, BPF_REG_10, BPF_REG_1, -16));
	t_ld_map(&a, BPF_REG_1, hash, 0);
	t_emit(&a, T_MOV64_REG(BPF_REG_2, BPF_REG_10));
	t_emit(&a, T_ALU64_IMM(BPF_ADD, BPF_REG_2, -8));
	t_emit(&a, T_MOV64_REG(BPF_REG_3, BPF_REG_10));
	t_emit(&a, T_ALU64_IMM(BPF_ADD, BPF_REG_3, -16));
	t_emit(&a, T_MOV64_IMM(BPF_REG_4, BPF_ANY));
	t_emit(&a, T_CALL(BPF_FUNC_map_update_elem));
	/* r6 = counts[7] + 1 */
	t_ld_map(&a, BPF_REG_1, hash, 0);
	t_emit(&a, T_MOV64_REG(BPF_REG_2, BPF_REG_10));
	t_emit(&a, T_ALU64_IMM(BPF_ADD, BPF_REG_2, -8));
	t_emit(&a, T_CALL(BPF_FUNC_map_lookup_elem));
	j1 = t_emit(&a, T_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 0));
	t_emit(&a, T_LDX(BPF_DW, BPF_REG_6, BPF_REG_0, 0));
	t_emit(&a, T_ALU64_IMM(BPF_ADD, BPF_REG_6, 1));
	t_emit(&a, T_STX(BPF_DW, BPF_REG_0, BPF_REG_6, 0));
	/* ringbuf_output({REC_PRINTF, 3, r6}) */
	t_emit(&a, T_ST(BPF_W, BPF_REG_10, -32, REC_PRINTF));
	t_emit(&a, T_ST(BPF_W, BPF_REG_10, -28, 3));
	t_emit(&a, T_STX(BPF_DW, BPF_REG_10, BPF_REG_6, -24));
	t_ld_map(&a, BPF_REG_1, rb, 0);
	t_emit(&a, T_MOV64_REG(BPF_REG_2, BPF_REG_10));
	t_emit(&a, T_ALU64_IMM(BPF_ADD, BPF_REG_2, -32));
	t_emit(&a, T_MOV64_IMM(BPF_REG_3, 16));
	t_emit(&a, T_MOV64_IMM(BPF_REG_4, 0));
	t_emit(&a, T_CALL(BPF_FUNC_ringbuf_output));
	/* reserve + submit {REC_EXIT, 0} */
	t_ld_map(&a, BPF_REG_1, rb, 0);
	t_emit(&a, T_MOV64_IMM(BPF_REG_2, 8));
	t_emit(&a, T_MOV64_IMM(BPF_REG_3, 0));
	t_emit(&a, T_CALL(BPF_FUNC_ringbuf_reserve));
	j2 = t_emit(&a, T_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 0));
	t_emit(&a, T_ST(BPF_W, BPF_REG_0, 0, REC_EXIT));
	t_emit(&a, T_ST(BPF_W, BPF_REG_0, 4, 0));
	t_emit(&a, T_MOV64_REG(BPF_REG_1, BPF_REG_0));
	t_emit(&a, T_MOV64_IMM(BPF_REG_2, 0));
	t_emit(&a, T_CALL(BPF_FUNC_ringbuf_submit));
	t_land(&a, j1);
	t_land(&a, j2);
	t_ret0(&a);
	t_add_prog(o, "probe1_0", "raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT, &a);
	return o;
}

/* (c): several program types; two programs share the "raw_tp" section. */
static struct bt_object *t_obj_types(void)
{
	struct bt_object *o = t_obj_new();
	struct t_asm a = { 0 }, b = { 0 };

	t_set_data(o, 40);
	t_add_map(o, "rb", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0);
	t_ret0(&a);
	t_add_prog(o, "begin_0", "raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT, &a);
	t_add_prog(o, "timer_0", "perf_event", BPF_PROG_TYPE_PERF_EVENT, &a);
	t_add_prog(o, "getpid_0", "tracepoint/syscalls/sys_enter_getpid",
		   BPF_PROG_TYPE_TRACEPOINT, &a);
	/* The exit flag: if (.data[0]) return */
	t_ld_map(&b, BPF_REG_1, BT_RELOC_DATA, BT_DATA_EXIT_OFF);
	t_emit(&b, T_LDX(BPF_DW, BPF_REG_1, BPF_REG_1, 0));
	t_emit(&b, T_JMP_IMM(BPF_JNE, BPF_REG_1, 0, 2));
	t_ld_map(&b, BPF_REG_1, BT_RELOC_DATA, 32);
	t_ret0(&b);
	t_add_prog(o, "end_0", "raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT, &b);
	return o;
}

/*
 * Subprograms. Each object's first global (.data + BT_DATA_GLOBALS_OFF) and
 * those after it are the results the tests read back.
 */
#define T_G0	BT_DATA_GLOBALS_OFF
#define T_G1	(BT_DATA_GLOBALS_OFF + 8)

/*
 * Source lines for .BTF.ext line info: one on the second half of the
 * ld_imm64 at 2 (which must not make a record), and two more.
 */
static void t_add_lines(struct bt_objprog *p)
{
	static const char src[] = "probe begin {\n"
				  "  foreach (i in x) n++\n"
				  "  g = n\n"
				  "}\n";
	const char *file = diag_add_source("loop.stp", src, sizeof(src) - 1);
	struct bt_srcline lines[3] = {
		{ 3, { file, 2, 3 } },
		{ 7, { file, 2, 12 } },
		{ 9, { file, 3, 3 } },
	};

	p->loc = (struct bt_loc){ file, 1, 7 };
	p->lines = t_dup(lines, sizeof(lines));
	p->nlines = 3;
}

/*
 * (d, e): bpf_loop(4, cb, &counter, 0) from probe0_0, with the callback
 * calling a second subprogram, bump(ctx), which adds 1 to *ctx and to .data
 * G1. Then G0 = counter. progs: [0] bump, [1] probe0_0, [2] probe0_0_cb1:
 * in .text, bump is at 0 and the callback after it.
 */
#define T_LOOPS 4

static struct bt_object *t_obj_loop(void)
{
	struct bt_object *o = t_obj_new();
	struct t_asm m = { 0 }, cb = { 0 }, bump = { 0 };

	t_set_data(o, T_G1 + 8);

	/* bump(u64 *ctx): *ctx += 1; lock G1 += 1 */
	t_emit(&bump, T_LDX(BPF_DW, BPF_REG_2, BPF_REG_1, 0));
	t_emit(&bump, T_ALU64_IMM(BPF_ADD, BPF_REG_2, 1));
	t_emit(&bump, T_STX(BPF_DW, BPF_REG_1, BPF_REG_2, 0));
	t_ld_map(&bump, BPF_REG_1, BT_RELOC_DATA, T_G1);
	t_emit(&bump, T_MOV64_IMM(BPF_REG_2, 1));
	t_emit(&bump, T_INSN(BPF_STX | BPF_ATOMIC | BPF_DW, BPF_REG_1,
			     BPF_REG_2, 0, BPF_ADD));
	t_ret0(&bump);
	t_add_subprog(o, "bump", &bump);

	/* long counter = 0; bpf_loop(4, cb, &counter, 0); G0 = counter */
	t_emit(&m, T_ST(BPF_DW, BPF_REG_10, -8, 0));
	t_emit(&m, T_MOV64_IMM(BPF_REG_1, T_LOOPS));
	t_ld_func(&m, BPF_REG_2, 2);
	t_emit(&m, T_MOV64_REG(BPF_REG_3, BPF_REG_10));
	t_emit(&m, T_ALU64_IMM(BPF_ADD, BPF_REG_3, -8));
	t_emit(&m, T_MOV64_IMM(BPF_REG_4, 0));
	t_emit(&m, T_CALL(BPF_FUNC_loop));
	t_emit(&m, T_LDX(BPF_DW, BPF_REG_1, BPF_REG_10, -8));
	t_ld_map(&m, BPF_REG_2, BT_RELOC_DATA, T_G0);
	t_emit(&m, T_STX(BPF_DW, BPF_REG_2, BPF_REG_1, 0));
	t_ret0(&m);
	t_add_prog(o, "probe0_0", "raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT, &m);
	t_add_lines(&o->progs[1]);

	/* cb(u64 index, void *ctx): bump(ctx); return 0 (go on) */
	t_emit(&cb, T_MOV64_REG(BPF_REG_1, BPF_REG_2));
	t_call_sub(&cb, 0);
	t_ret0(&cb);
	t_add_subprog(o, "probe0_0_cb1", &cb);
	return o;
}

/*
 * (b): sum the values of a hash map with bpf_for_each_map_elem into a
 * stack counter; G0 = the sum, G1 = the number of elements visited.
 */
static struct bt_object *t_obj_foreach(void)
{
	struct bt_object *o = t_obj_new();
	struct t_asm m = { 0 }, cb = { 0 };
	int hash;

	t_set_data(o, T_G1 + 8);
	hash = t_add_map(o, "vals", BPF_MAP_TYPE_HASH, 8, 8, 16, 0);

	/* cb(map, key, value, ctx): *ctx += *value; return 0 */
	t_emit(&cb, T_LDX(BPF_DW, BPF_REG_1, BPF_REG_3, 0));
	t_emit(&cb, T_LDX(BPF_DW, BPF_REG_2, BPF_REG_4, 0));
	t_emit(&cb, T_ALU64_REG(BPF_ADD, BPF_REG_2, BPF_REG_1));
	t_emit(&cb, T_STX(BPF_DW, BPF_REG_4, BPF_REG_2, 0));
	t_ret0(&cb);
	t_add_subprog(o, "sum_cb", &cb);

	t_emit(&m, T_ST(BPF_DW, BPF_REG_10, -8, 0));
	t_ld_map(&m, BPF_REG_1, hash, 0);
	t_ld_func(&m, BPF_REG_2, 0);
	t_emit(&m, T_MOV64_REG(BPF_REG_3, BPF_REG_10));
	t_emit(&m, T_ALU64_IMM(BPF_ADD, BPF_REG_3, -8));
	t_emit(&m, T_MOV64_IMM(BPF_REG_4, 0));
	t_emit(&m, T_CALL(BPF_FUNC_for_each_map_elem));
	t_ld_map(&m, BPF_REG_2, BT_RELOC_DATA, T_G0);
	t_emit(&m, T_LDX(BPF_DW, BPF_REG_1, BPF_REG_10, -8));
	t_emit(&m, T_STX(BPF_DW, BPF_REG_2, BPF_REG_1, 0));
	t_emit(&m, T_STX(BPF_DW, BPF_REG_2, BPF_REG_0, 8));
	t_ret0(&m);
	t_add_prog(o, "probe0_0", "raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT, &m);
	return o;
}

/*
 * (c): bpf_snprintf(buf, 16, .rodata + 8 = "%d-%s", {42, "ab"}, 16); the
 * 16 bytes of buf go to .data G0..G1, the return value to G2.
 */
#define T_FMT_OFF	8
#define T_G2		(BT_DATA_GLOBALS_OFF + 16)
static const char t_rodata[] = "unused\0\0%d-%s";

static struct bt_object *t_obj_snprintf(void)
{
	struct bt_object *o = t_obj_new();
	struct t_asm m = { 0 };

	t_set_data(o, T_G2 + 8);
	o->rodata = t_dup(t_rodata, sizeof(t_rodata));
	o->rodata_size = sizeof(t_rodata);

	/* r10-8: "ab"; r10-24: {42, r10-8}; r10-40: buf[16] = 0 */
	t_emit(&m, T_ST(BPF_DW, BPF_REG_10, -8, 'a' | 'b' << 8));
	t_emit(&m, T_ST(BPF_DW, BPF_REG_10, -24, 42));
	t_emit(&m, T_MOV64_REG(BPF_REG_1, BPF_REG_10));
	t_emit(&m, T_ALU64_IMM(BPF_ADD, BPF_REG_1, -8));
	t_emit(&m, T_STX(BPF_DW, BPF_REG_10, BPF_REG_1, -16));
	t_emit(&m, T_ST(BPF_DW, BPF_REG_10, -40, 0));
	t_emit(&m, T_ST(BPF_DW, BPF_REG_10, -32, 0));
	t_emit(&m, T_MOV64_REG(BPF_REG_1, BPF_REG_10));
	t_emit(&m, T_ALU64_IMM(BPF_ADD, BPF_REG_1, -40));
	t_emit(&m, T_MOV64_IMM(BPF_REG_2, 16));
	t_ld_map(&m, BPF_REG_3, BT_RELOC_RODATA, T_FMT_OFF);
	t_emit(&m, T_MOV64_REG(BPF_REG_4, BPF_REG_10));
	t_emit(&m, T_ALU64_IMM(BPF_ADD, BPF_REG_4, -24));
	t_emit(&m, T_MOV64_IMM(BPF_REG_5, 16));
	t_emit(&m, T_CALL(BPF_FUNC_snprintf));
	t_ld_map(&m, BPF_REG_1, BT_RELOC_DATA, T_G0);
	t_emit(&m, T_LDX(BPF_DW, BPF_REG_2, BPF_REG_10, -40));
	t_emit(&m, T_STX(BPF_DW, BPF_REG_1, BPF_REG_2, 0));
	t_emit(&m, T_LDX(BPF_DW, BPF_REG_2, BPF_REG_10, -32));
	t_emit(&m, T_STX(BPF_DW, BPF_REG_1, BPF_REG_2, 8));
	t_emit(&m, T_STX(BPF_DW, BPF_REG_1, BPF_REG_0, 16));
	t_ret0(&m);
	t_add_prog(o, "probe0_0", "raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT, &m);
	return o;
}

/*
 * (d): two entry programs (sharing the raw_tp section, and a perf_event
 * one) call one subprogram add(n), which adds n to .data G0 and returns 0.
 * progs: [0] begin_a, [1] add, [2] begin_b, [3] timer_c.
 */
static struct bt_object *t_obj_shared(void)
{
	struct bt_object *o = t_obj_new();
	struct t_asm a = { 0 }, add = { 0 }, b = { 0 };

	t_set_data(o, T_G0 + 8);
	t_emit(&a, T_MOV64_IMM(BPF_REG_1, 1));
	t_call_sub(&a, 1);
	t_emit(&a, T_EXIT());
	t_add_prog(o, "begin_a", "raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT, &a);

	t_ld_map(&add, BPF_REG_2, BT_RELOC_DATA, T_G0);
	t_emit(&add, T_INSN(BPF_STX | BPF_ATOMIC | BPF_DW, BPF_REG_2,
			    BPF_REG_1, 0, BPF_ADD));
	t_ret0(&add);
	t_add_subprog(o, "add", &add);

	t_emit(&b, T_MOV64_IMM(BPF_REG_1, 10));
	t_call_sub(&b, 1);
	t_emit(&b, T_MOV64_IMM(BPF_REG_1, 100));
	t_call_sub(&b, 1);
	t_emit(&b, T_EXIT());
	t_add_prog(o, "begin_b", "raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT, &b);
	t_add_prog(o, "timer_c", "perf_event", BPF_PROG_TYPE_PERF_EVENT, &b);
	return o;
}

static void t_write(const struct bt_object *o, void **buf, size_t *len)
{
	int err = obj_write_elf(o, buf, len);

	ck_assert_msg(err == 0, "obj_write_elf: %s", strerror(errno));
	ck_assert_ptr_nonnull(*buf);
	ck_assert_uint_gt(*len, sizeof(Elf64_Ehdr));
}

/* ---- ELF checks ------------------------------------------------------ */

struct t_elf {
	Elf *elf;
	size_t shstrndx;
};

static void t_elf_open(struct t_elf *e, void *buf, size_t len)
{
	GElf_Ehdr eh;

	ck_assert_int_ne(elf_version(EV_CURRENT), EV_NONE);
	e->elf = elf_memory(buf, len);
	ck_assert_ptr_nonnull(e->elf);
	ck_assert_int_eq(elf_kind(e->elf), ELF_K_ELF);
	ck_assert_ptr_nonnull(gelf_getehdr(e->elf, &eh));
	ck_assert_int_eq(eh.e_ident[EI_CLASS], ELFCLASS64);
	ck_assert_int_eq(eh.e_ident[EI_DATA], ELFDATA2LSB);
	ck_assert_int_eq(eh.e_type, ET_REL);
	ck_assert_int_eq(eh.e_machine, EM_BPF);
	ck_assert_int_eq(elf_getshdrstrndx(e->elf, &e->shstrndx), 0);
}

static Elf_Scn *t_elf_scn(struct t_elf *e, const char *name,
			  GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(e->elf, scn))) {
		const char *n;

		ck_assert_ptr_nonnull(gelf_getshdr(scn, sh));
		n = elf_strptr(e->elf, e->shstrndx, sh->sh_name);
		if (n && !strcmp(n, name))
			return scn;
	}
	return NULL;
}

static int t_elf_count(struct t_elf *e, const char *name)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	int n = 0;

	while ((scn = elf_nextscn(e->elf, scn))) {
		gelf_getshdr(scn, &sh);
		n += !strcmp(elf_strptr(e->elf, e->shstrndx, sh.sh_name),
			     name);
	}
	return n;
}

/* Find symbol `name`; returns its index (0 if absent). */
static size_t t_elf_sym(struct t_elf *e, const char *name, GElf_Sym *out)
{
	GElf_Shdr sh;
	Elf_Scn *scn = t_elf_scn(e, ".symtab", &sh);
	Elf_Data *d;
	size_t i;

	ck_assert_ptr_nonnull(scn);
	d = elf_getdata(scn, NULL);
	ck_assert_ptr_nonnull(d);
	for (i = 1; i < sh.sh_size / sizeof(Elf64_Sym); i++) {
		GElf_Sym s;

		gelf_getsym(d, i, &s);
		if (!strcmp(elf_strptr(e->elf, sh.sh_link, s.st_name), name)) {
			*out = s;
			return i;
		}
	}
	return 0;
}

START_TEST(test_elf_structure)
{
	struct bt_object *o = t_obj_maps();
	struct t_elf e;
	GElf_Shdr sh, rsh, msh;
	GElf_Sym sym;
	Elf_Scn *scn;
	Elf_Data *d;
	size_t len, i, idx, progidx, mapidx;
	void *buf;
	int nrel;

	t_write(o, &buf, &len);
	t_elf_open(&e, buf, len);

	scn = t_elf_scn(&e, "raw_tp", &sh);
	ck_assert_ptr_nonnull(scn);
	progidx = elf_ndxscn(scn);
	ck_assert_int_eq(sh.sh_type, SHT_PROGBITS);
	ck_assert_int_eq(sh.sh_flags, SHF_ALLOC | SHF_EXECINSTR);
	ck_assert_int_eq(sh.sh_addralign, 8);
	ck_assert_uint_eq(sh.sh_size, o->progs[0].ninsns * 8);
	d = elf_getdata(scn, NULL);
	ck_assert_mem_eq(d->d_buf, o->progs[0].insns, sh.sh_size);

	idx = t_elf_sym(&e, "probe1_0", &sym);
	ck_assert_uint_ne(idx, 0);
	ck_assert_int_eq(GELF_ST_BIND(sym.st_info), STB_GLOBAL);
	ck_assert_int_eq(GELF_ST_TYPE(sym.st_info), STT_FUNC);
	ck_assert_uint_eq(sym.st_shndx, progidx);
	ck_assert_uint_eq(sym.st_value, 0);
	ck_assert_uint_eq(sym.st_size, o->progs[0].ninsns * 8);

	/* Locals come first and sh_info points at the first global. */
	scn = t_elf_scn(&e, ".symtab", &sh);
	ck_assert_ptr_nonnull(scn);
	ck_assert_uint_le(sh.sh_info, idx);
	d = elf_getdata(scn, NULL);
	for (i = 1; i < sh.sh_size / sizeof(Elf64_Sym); i++) {
		gelf_getsym(d, i, &sym);
		ck_assert_int_eq(GELF_ST_BIND(sym.st_info) == STB_LOCAL,
				 i < sh.sh_info);
	}

	ck_assert_ptr_nonnull(scn = t_elf_scn(&e, ".maps", &msh));
	mapidx = elf_ndxscn(scn);
	ck_assert_int_eq(msh.sh_flags, SHF_ALLOC | SHF_WRITE);
	for (i = 0; i < (size_t)o->nmaps; i++) {
		ck_assert_uint_ne(t_elf_sym(&e, o->maps[i].name, &sym), 0);
		ck_assert_int_eq(GELF_ST_BIND(sym.st_info), STB_GLOBAL);
		ck_assert_int_eq(GELF_ST_TYPE(sym.st_info), STT_OBJECT);
		ck_assert_uint_eq(sym.st_shndx, mapidx);
		ck_assert_uint_le(sym.st_value + sym.st_size, msh.sh_size);
	}

	ck_assert_ptr_nonnull(scn = t_elf_scn(&e, "license", &sh));
	d = elf_getdata(scn, NULL);
	ck_assert_str_eq(d->d_buf, "GPL");
	ck_assert_ptr_nonnull(scn = t_elf_scn(&e, ".data", &sh));
	ck_assert_uint_eq(sh.sh_size, 16);
	ck_assert_int_eq(sh.sh_flags, SHF_ALLOC | SHF_WRITE);
	ck_assert_ptr_nonnull(scn = t_elf_scn(&e, ".BTF", &sh));
	d = elf_getdata(scn, NULL);
	ck_assert_uint_eq(((uint16_t *)d->d_buf)[0], 0xeb9f);
	ck_assert_ptr_nonnull(t_elf_scn(&e, ".strtab", &sh));

	/* Five ld_imm64 of maps: two of counts, three of the ring. */
	scn = t_elf_scn(&e, ".relraw_tp", &rsh);
	ck_assert_ptr_nonnull(scn);
	ck_assert_int_eq(rsh.sh_type, SHT_REL);
	ck_assert_uint_eq(rsh.sh_info, progidx);
	ck_assert_uint_eq(rsh.sh_link, elf_ndxscn(t_elf_scn(&e, ".symtab",
							   &sh)));
	d = elf_getdata(scn, NULL);
	nrel = rsh.sh_size / sizeof(Elf64_Rel);
	ck_assert_int_eq(nrel, o->progs[0].nrelocs);
	for (i = 0; i < (size_t)nrel; i++) {
		const struct bt_reloc *r = &o->progs[0].relocs[i];
		GElf_Rel rel;

		gelf_getrel(d, i, &rel);
		ck_assert_uint_eq(rel.r_offset, r->insn * 8);
		ck_assert_int_eq(GELF_R_TYPE(rel.r_info), 1);
		idx = t_elf_sym(&e, o->maps[r->map].name, &sym);
		ck_assert_uint_eq(GELF_R_SYM(rel.r_info), idx);
	}

	elf_end(e.elf);
	free(buf);
	obj_free(o);
}
END_TEST

/* The .data relocation is against the section symbol; the offset stays in
 * the instruction, where libbpf adds it to the symbol's value. */
START_TEST(test_elf_data_reloc)
{
	struct bt_object *o = t_obj_types();
	struct t_elf e;
	GElf_Shdr sh, dsh;
	GElf_Sym sym;
	GElf_Rel rel;
	Elf_Scn *scn;
	Elf_Data *d, *sd;
	size_t len, symidx;
	void *buf;
	int i, n;

	t_write(o, &buf, &len);
	t_elf_open(&e, buf, len);
	ck_assert_int_eq(t_elf_count(&e, "raw_tp"), 1);
	ck_assert_int_eq(t_elf_count(&e, ".relraw_tp"), 1);
	ck_assert_int_eq(t_elf_count(&e, "perf_event"), 1);
	ck_assert_int_eq(t_elf_count(&e,
				     "tracepoint/syscalls/sys_enter_getpid"), 1);
	ck_assert_int_eq(t_elf_count(&e, ".relperf_event"), 0);

	/* end_0 follows begin_0 in the shared section. */
	ck_assert_uint_ne(t_elf_sym(&e, "end_0", &sym), 0);
	ck_assert_uint_eq(sym.st_value, o->progs[0].ninsns * 8);
	ck_assert_uint_eq(sym.st_size, o->progs[3].ninsns * 8);

	scn = t_elf_scn(&e, ".data", &dsh);
	ck_assert_ptr_nonnull(scn);
	symidx = t_elf_sym(&e, "bpftap_exit", &sym);
	ck_assert_uint_ne(symidx, 0);
	ck_assert_uint_eq(sym.st_shndx, elf_ndxscn(scn));

	scn = t_elf_scn(&e, ".relraw_tp", &sh);
	d = elf_getdata(scn, NULL);
	n = sh.sh_size / sizeof(Elf64_Rel);
	ck_assert_int_eq(n, 2);
	scn = t_elf_scn(&e, ".symtab", &sh);
	sd = elf_getdata(scn, NULL);
	for (i = 0; i < n; i++) {
		gelf_getrel(d, i, &rel);
		ck_assert_uint_eq(rel.r_offset, o->progs[0].ninsns * 8 +
				  o->progs[3].relocs[i].insn * 8);
		gelf_getsym(sd, GELF_R_SYM(rel.r_info), &sym);
		ck_assert_int_eq(GELF_ST_TYPE(sym.st_info), STT_SECTION);
		ck_assert_int_eq(GELF_ST_BIND(sym.st_info), STB_LOCAL);
		ck_assert_uint_eq(sym.st_shndx, elf_ndxscn(t_elf_scn(&e, ".data",
								  &dsh)));
	}
	elf_end(e.elf);
	free(buf);
	obj_free(o);
}
END_TEST

START_TEST(test_elf_rejects_bad_reloc)
{
	struct bt_object *o = t_obj_data();
	void *buf = NULL;
	size_t len;

	/* A relocation must name an ld_imm64. */
	o->progs[0].relocs[0].insn = 2;
	errno = 0;
	ck_assert_int_eq(obj_write_elf(o, &buf, &len), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* ... and an existing map. */
	o->progs[0].relocs[0].insn = 0;
	o->progs[0].relocs[0].map = 3;
	ck_assert_int_eq(obj_write_elf(o, &buf, &len), -1);
	ck_assert_ptr_null(buf);
	obj_free(o);
}
END_TEST

/* The relocation at insn `insn` of `secname`, resolved to its symbol. */
static void t_elf_rel_at(struct t_elf *e, const char *secname, size_t off,
			 GElf_Rel *rel, GElf_Sym *sym)
{
	GElf_Shdr sh, ssh;
	Elf_Scn *scn = t_elf_scn(e, secname, &sh);
	Elf_Data *d, *sd;
	size_t i;

	ck_assert_msg(scn, "no %s", secname);
	d = elf_getdata(scn, NULL);
	sd = elf_getdata(t_elf_scn(e, ".symtab", &ssh), NULL);
	for (i = 0; i < sh.sh_size / sizeof(Elf64_Rel); i++) {
		gelf_getrel(d, i, rel);
		if (rel->r_offset == off) {
			gelf_getsym(sd, GELF_R_SYM(rel->r_info), sym);
			return;
		}
	}
	ck_abort_msg("no relocation at %s+%zu", secname, off);
}

static const struct bpf_insn *t_elf_insns(struct t_elf *e, const char *name,
					  size_t *shndx)
{
	GElf_Shdr sh;
	Elf_Scn *scn = t_elf_scn(e, name, &sh);

	ck_assert_msg(scn, "no %s", name);
	*shndx = elf_ndxscn(scn);
	return elf_getdata(scn, NULL)->d_buf;
}

/*
 * Subprograms go to .text under local FUNC symbols; references to them are
 * against the .text section symbol, as clang emits them for static
 * functions: a call is R_BPF_64_32 with imm = target insn - 1, an ld_imm64
 * R_BPF_64_64 with imm = target byte offset.
 */
START_TEST(test_elf_subprogs)
{
	struct bt_object *o = t_obj_loop();
	const struct bt_objprog *bump = &o->progs[0], *m = &o->progs[1];
	const struct bt_objprog *cb = &o->progs[2];
	const struct bpf_insn *text, *main;
	size_t len, textidx, mainidx;
	struct t_elf e;
	GElf_Shdr sh;
	GElf_Sym sym;
	GElf_Rel rel;
	void *buf;

	t_write(o, &buf, &len);
	t_elf_open(&e, buf, len);
	ck_assert_ptr_nonnull(t_elf_scn(&e, ".text", &sh));
	ck_assert_int_eq(sh.sh_type, SHT_PROGBITS);
	ck_assert_int_eq(sh.sh_flags, SHF_ALLOC | SHF_EXECINSTR);
	ck_assert_uint_eq(sh.sh_size, (bump->ninsns + cb->ninsns) * 8);
	text = t_elf_insns(&e, ".text", &textidx);
	main = t_elf_insns(&e, "raw_tp", &mainidx);

	ck_assert_uint_ne(t_elf_sym(&e, "bump", &sym), 0);
	ck_assert_int_eq(GELF_ST_BIND(sym.st_info), STB_LOCAL);
	ck_assert_int_eq(GELF_ST_TYPE(sym.st_info), STT_FUNC);
	ck_assert_uint_eq(sym.st_shndx, textidx);
	ck_assert_uint_eq(sym.st_value, 0);
	ck_assert_uint_eq(sym.st_size, bump->ninsns * 8);
	ck_assert_uint_ne(t_elf_sym(&e, "probe0_0_cb1", &sym), 0);
	ck_assert_int_eq(GELF_ST_BIND(sym.st_info), STB_LOCAL);
	ck_assert_uint_eq(sym.st_shndx, textidx);
	ck_assert_uint_eq(sym.st_value, bump->ninsns * 8);
	ck_assert_uint_eq(sym.st_size, cb->ninsns * 8);
	ck_assert_uint_ne(t_elf_sym(&e, "probe0_0", &sym), 0);
	ck_assert_int_eq(GELF_ST_BIND(sym.st_info), STB_GLOBAL);
	ck_assert_uint_eq(sym.st_shndx, mainidx);

	/* The callback's address: main's first reloc, at insn 2. */
	ck_assert_uint_eq(m->relocs[0].insn, 2);
	t_elf_rel_at(&e, ".relraw_tp", 2 * 8, &rel, &sym);
	ck_assert_int_eq(GELF_R_TYPE(rel.r_info), 1);
	ck_assert_int_eq(GELF_ST_TYPE(sym.st_info), STT_SECTION);
	ck_assert_uint_eq(sym.st_shndx, textidx);
	ck_assert_uint_eq(sym.st_value, 0);
	ck_assert_int_eq(main[2].src_reg, BPF_PSEUDO_FUNC);
	ck_assert_int_eq(main[2].imm, bump->ninsns * 8);
	/* The callback's call of bump, at .text insn bump->ninsns + 1. */
	t_elf_rel_at(&e, ".rel.text", (bump->ninsns + 1) * 8, &rel, &sym);
	ck_assert_int_eq(GELF_R_TYPE(rel.r_info), 10);
	ck_assert_int_eq(GELF_ST_TYPE(sym.st_info), STT_SECTION);
	ck_assert_uint_eq(sym.st_shndx, textidx);
	ck_assert_int_eq(text[bump->ninsns + 1].src_reg, BPF_PSEUDO_CALL);
	ck_assert_int_eq(text[bump->ninsns + 1].imm, -1);
	/* bump's own .data reference. */
	t_elf_rel_at(&e, ".rel.text", bump->relocs[0].insn * 8, &rel, &sym);
	ck_assert_int_eq(GELF_R_TYPE(rel.r_info), 1);
	ck_assert_uint_eq(sym.st_shndx, elf_ndxscn(t_elf_scn(&e, ".data",
							  &sh)));
	ck_assert_int_eq(text[bump->relocs[0].insn].imm, T_G1);
	/* The object itself is left as it was. */
	ck_assert_int_eq(m->insns[2].imm, 0);
	ck_assert_int_eq(cb->insns[1].imm, 0);

	elf_end(e.elf);
	free(buf);
	obj_free(o);
}
END_TEST

/* A call from an entry program to a subprogram not at the start of .text. */
START_TEST(test_elf_call_offset)
{
	struct bt_object *o = t_obj_shared();
	struct t_asm pad = { 0 };
	struct bt_objprog padp;
	const struct bpf_insn *code;
	struct t_elf e;
	GElf_Sym sym;
	GElf_Rel rel;
	size_t len, idx;
	void *buf;

	/* pad goes first in .text: add now starts at insn 2. */
	t_ret0(&pad);
	padp = *t_add_subprog(o, "pad", &pad);
	memmove(&o->progs[2], &o->progs[1], 3 * sizeof(*o->progs));
	o->progs[1] = padp;
	o->progs[0].relocs[0].map = BT_RELOC_PROG(2);
	o->progs[3].relocs[0].map = BT_RELOC_PROG(2);
	o->progs[3].relocs[1].map = BT_RELOC_PROG(2);
	o->progs[4].relocs[0].map = BT_RELOC_PROG(2);
	o->progs[4].relocs[1].map = BT_RELOC_PROG(2);
	t_write(o, &buf, &len);
	t_elf_open(&e, buf, len);
	code = t_elf_insns(&e, "raw_tp", &idx);
	ck_assert_int_eq(code[1].imm, 2 - 1);
	t_elf_rel_at(&e, ".relraw_tp", 1 * 8, &rel, &sym);
	ck_assert_int_eq(GELF_R_TYPE(rel.r_info), 10);
	ck_assert_int_eq(GELF_ST_TYPE(sym.st_info), STT_SECTION);
	/* begin_b follows begin_a (3 insns) in raw_tp. */
	ck_assert_int_eq(code[3 + 1].imm, 1);
	ck_assert_int_eq(code[3 + 3].imm, 1);
	t_elf_rel_at(&e, ".relraw_tp", (3 + 3) * 8, &rel, &sym);
	ck_assert_int_eq(GELF_R_TYPE(rel.r_info), 10);
	code = t_elf_insns(&e, "perf_event", &idx);
	ck_assert_int_eq(code[1].imm, 1);
	elf_end(e.elf);
	free(buf);
	obj_free(o);
}
END_TEST

/* .rodata: read-only section, section-symbol relocations, its DATASEC. */
START_TEST(test_elf_rodata)
{
	struct bt_object *o = t_obj_snprintf();
	const struct bpf_insn *code;
	struct t_elf e;
	struct btf *btf;
	GElf_Shdr sh;
	GElf_Sym sym;
	GElf_Rel rel;
	Elf_Scn *scn;
	size_t len, idx, at = 0;
	void *buf;
	uint32_t i;

	t_write(o, &buf, &len);
	t_elf_open(&e, buf, len);
	scn = t_elf_scn(&e, ".rodata", &sh);
	ck_assert_ptr_nonnull(scn);
	ck_assert_int_eq(sh.sh_type, SHT_PROGBITS);
	ck_assert_int_eq(sh.sh_flags, SHF_ALLOC);
	ck_assert_uint_eq(sh.sh_size, sizeof(t_rodata));
	ck_assert_mem_eq(elf_getdata(scn, NULL)->d_buf, t_rodata,
			 sizeof(t_rodata));
	ck_assert_uint_ne(t_elf_sym(&e, "bpftap_rodata", &sym), 0);
	ck_assert_uint_eq(sym.st_shndx, elf_ndxscn(scn));
	ck_assert_int_eq(GELF_ST_BIND(sym.st_info), STB_GLOBAL);

	for (i = 0; i < o->progs[0].nrelocs; i++)
		if (o->progs[0].relocs[i].map == BT_RELOC_RODATA)
			at = o->progs[0].relocs[i].insn;
	code = t_elf_insns(&e, "raw_tp", &idx);
	ck_assert_int_eq(code[at].imm, T_FMT_OFF);
	t_elf_rel_at(&e, ".relraw_tp", at * 8, &rel, &sym);
	ck_assert_int_eq(GELF_R_TYPE(rel.r_info), 1);
	ck_assert_int_eq(GELF_ST_TYPE(sym.st_info), STT_SECTION);
	ck_assert_uint_eq(sym.st_shndx, elf_ndxscn(scn));

	scn = t_elf_scn(&e, ".BTF", &sh);
	btf = btf__new(elf_getdata(scn, NULL)->d_buf, sh.sh_size);
	ck_assert_msg(!libbpf_get_error(btf), "btf__new failed");
	ck_assert_int_gt(btf__find_by_name_kind(btf, ".rodata",
						BTF_KIND_DATASEC), 0);
	if (geteuid() == 0)
		ck_assert_int_eq(btf__load_into_kernel(btf), 0);
	btf__free(btf);
	elf_end(e.elf);
	free(buf);
	obj_free(o);
}
END_TEST

START_TEST(test_elf_rejects_bad_subprog)
{
	struct bt_object *o = t_obj_shared();
	void *buf = NULL;
	size_t len;

	/* The target must be a subprogram ... */
	o->progs[0].relocs[0].map = BT_RELOC_PROG(2);
	ck_assert_int_eq(obj_write_elf(o, &buf, &len), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* ... that exists ... */
	o->progs[0].relocs[0].map = BT_RELOC_PROG(4);
	ck_assert_int_eq(obj_write_elf(o, &buf, &len), -1);
	/* ... from a pseudo call or a BPF_PSEUDO_FUNC ld_imm64. */
	o->progs[0].relocs[0].map = BT_RELOC_PROG(1);
	o->progs[0].insns[1].src_reg = 0;
	ck_assert_int_eq(obj_write_elf(o, &buf, &len), -1);
	o->progs[0].insns[1].src_reg = BPF_PSEUDO_CALL;
	o->progs[1].relocs[0].map = BT_RELOC_PROG(1);
	ck_assert_int_eq(obj_write_elf(o, &buf, &len), -1);
	o->progs[1].relocs[0].map = BT_RELOC_DATA;
	/* No .rodata to point into. */
	o->progs[1].relocs[0].map = BT_RELOC_RODATA;
	ck_assert_int_eq(obj_write_elf(o, &buf, &len), -1);
	o->progs[1].relocs[0].map = BT_RELOC_DATA;
	/* An entry program cannot live in .text. */
	free(o->progs[2].section);
	o->progs[2].section = strdup(".text");
	ck_assert_int_eq(obj_write_elf(o, &buf, &len), -1);
	ck_assert_ptr_null(buf);
	free(o->progs[2].section);
	o->progs[2].section = strdup("raw_tp");
	ck_assert_int_eq(obj_write_elf(o, &buf, &len), 0);
	free(buf);
	obj_free(o);
}
END_TEST

START_TEST(test_obj_free_null)
{
	obj_free(NULL);
}
END_TEST

/* The raw .BTF blob itself parses and is accepted by the kernel. */
START_TEST(test_btf_blob)
{
	struct bt_object *o = t_obj_maps();
	const struct btf_var_secinfo *vs;
	const struct btf_type *t;
	struct t_elf e;
	GElf_Shdr sh;
	Elf_Data *d;
	struct btf *btf;
	size_t len;
	void *buf;
	int id, i, err;

	t_write(o, &buf, &len);
	t_elf_open(&e, buf, len);
	d = elf_getdata(t_elf_scn(&e, ".BTF", &sh), NULL);
	btf = btf__new(d->d_buf, d->d_size);
	ck_assert_msg(!libbpf_get_error(btf), "btf__new failed");
	id = btf__find_by_name_kind(btf, ".maps", BTF_KIND_DATASEC);
	ck_assert_int_gt(id, 0);
	t = btf__type_by_id(btf, id);
	ck_assert_int_eq(btf_vlen(t), o->nmaps);
	vs = btf_var_secinfos(t);
	for (i = 0; i < o->nmaps; i++) {
		const struct btf_type *v = btf__type_by_id(btf, vs[i].type);

		ck_assert(btf_is_var(v));
		ck_assert_str_eq(btf__name_by_offset(btf, v->name_off),
				 o->maps[i].name);
	}
	ck_assert_int_gt(btf__find_by_name_kind(btf, ".data",
						BTF_KIND_DATASEC), 0);
	if (geteuid() == 0) {
		err = btf__load_into_kernel(btf);
		ck_assert_msg(err == 0, "kernel rejects BTF: %d", err);
	}
	btf__free(btf);
	elf_end(e.elf);
	free(buf);
	obj_free(o);
}
END_TEST

/* ---- loading into the kernel ----------------------------------------- */

static int t_nwarn;

static int t_libbpf_print(enum libbpf_print_level level, const char *fmt,
			  va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	if (level == LIBBPF_WARN)
		t_nwarn++;
	return vfprintf(stderr, fmt, ap);
}

static bool t_need_root(void)
{
	if (geteuid() == 0)
		return false;
	fprintf(stderr, "SKIP: needs root/CAP_BPF: %s\n",
		tcase_name());
	return true;
}

/* Open and load; NULL (after a SKIP message) when not permitted. */
static struct bpf_object *t_load(const void *buf, size_t len)
{
	struct bpf_object *bo;
	int err;

	t_nwarn = 0;
	libbpf_set_print(t_libbpf_print);
	bo = bpf_object__open_mem(buf, len, NULL);
	ck_assert_msg(!libbpf_get_error(bo), "open_mem: %ld",
		      libbpf_get_error(bo));
	err = bpf_object__load(bo);
	if (err == -EPERM) {
		fprintf(stderr, "SKIP: needs root/CAP_BPF: load: %s\n",
			strerror(-err));
		bpf_object__close(bo);
		return NULL;
	}
	ck_assert_msg(err == 0, "bpf_object__load: %s", strerror(-err));
	/* Warnings mean a silent fallback (BTF dropped, map retried). */
	ck_assert_int_eq(t_nwarn, 0);
	return bo;
}

static struct bpf_map *t_map_suffix(struct bpf_object *bo, const char *sfx)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, bo) {
		const char *n = bpf_map__name(m);
		size_t l = strlen(n), ls = strlen(sfx);

		if (l >= ls && !strcmp(n + l - ls, sfx))
			return m;
	}
	return NULL;
}

static void t_run(struct bpf_program *p)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	int err;

	err = bpf_prog_test_run_opts(bpf_program__fd(p), &opts);
	ck_assert_msg(err == 0, "test_run %s: %s", bpf_program__name(p),
		      strerror(errno));
	ck_assert_int_eq(opts.retval, 0);
}

START_TEST(test_load_data)
{
	struct bt_object *o = t_obj_data();
	struct bpf_object *bo;
	struct bpf_program *p;
	struct bpf_map *m;
	uint64_t val[BT_DATA_GLOBALS_OFF / 8 + 1];
	int g = BT_DATA_GLOBALS_OFF / 8;
	uint32_t zero = 0;
	size_t len;
	void *buf;

	t_write(o, &buf, &len);
	if (t_need_root())
		goto out;
	bo = t_load(buf, len);
	if (!bo)
		goto out;
	p = bpf_object__find_program_by_name(bo, "probe0_0");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(bpf_program__type(p), BPF_PROG_TYPE_RAW_TRACEPOINT);
	m = t_map_suffix(bo, ".data");
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(bpf_map__value_size(m), sizeof(val));

	ck_assert_int_eq(bpf_map_lookup_elem(bpf_map__fd(m), &zero, val), 0);
	ck_assert_uint_eq(val[BT_DATA_TARGET_OFF / 8], 5);
	ck_assert_uint_eq(val[g], 0);
	t_run(p);
	ck_assert_int_eq(bpf_map_lookup_elem(bpf_map__fd(m), &zero, val), 0);
	ck_assert_uint_eq(val[BT_DATA_EXIT_OFF / 8], 0);
	ck_assert_uint_eq(val[BT_DATA_TARGET_OFF / 8], 5);
	ck_assert_uint_eq(val[g], 42);
	bpf_object__close(bo);
out:
	free(buf);
	obj_free(o);
}
END_TEST

static void t_map_has_btf(struct bpf_map *m)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	ck_assert_ptr_nonnull(m);
	memset(&info, 0, sizeof(info));
	ck_assert_int_eq(bpf_obj_get_info_by_fd(bpf_map__fd(m), &info, &len),
			 0);
	ck_assert_uint_ne(info.btf_id, 0);
	ck_assert_uint_ne(info.btf_key_type_id, 0);
	ck_assert_uint_ne(info.btf_value_type_id, 0);
}

struct t_records {
	int n;
	struct bt_rec_hdr hdr[4];
	uint64_t payload[4];
};

static int t_on_record(void *ctx, void *data, size_t size)
{
	struct t_records *r = ctx;

	ck_assert_int_lt(r->n, 4);
	ck_assert_uint_ge(size, sizeof(struct bt_rec_hdr));
	memcpy(&r->hdr[r->n], data, sizeof(struct bt_rec_hdr));
	if (size >= 16)
		memcpy(&r->payload[r->n], (char *)data + 8, 8);
	r->n++;
	return 0;
}

START_TEST(test_load_maps_ringbuf)
{
	struct bt_object *o = t_obj_maps();
	struct t_records recs = { 0 };
	struct ring_buffer *rb;
	struct bpf_object *bo;
	struct bpf_map *hash, *ring;
	uint64_t key = T_KEY, val = 0;
	size_t len;
	void *buf;

	t_write(o, &buf, &len);
	if (t_need_root())
		goto out;
	bo = t_load(buf, len);
	if (!bo)
		goto out;
	hash = bpf_object__find_map_by_name(bo, "counts");
	ring = bpf_object__find_map_by_name(bo, "output_ring");
	ck_assert_ptr_nonnull(hash);
	ck_assert_ptr_nonnull(ring);
	ck_assert_int_eq(bpf_map__type(ring), BPF_MAP_TYPE_RINGBUF);
	ck_assert_uint_eq(bpf_map__max_entries(ring), 256 * 1024);
	ck_assert_int_eq(bpf_map__type(hash), BPF_MAP_TYPE_HASH);
	ck_assert_uint_eq(bpf_map__key_size(hash), 8);
	ck_assert_uint_eq(bpf_map__value_size(hash), 8);
	ck_assert_uint_eq(bpf_map__max_entries(hash), 16);
	ck_assert_uint_eq(bpf_map__map_flags(
		bpf_object__find_map_by_name(bo, "nopre")), BPF_F_NO_PREALLOC);

	/* The kernel took the typed keys/values (no retry without BTF). */
	t_map_has_btf(hash);
	t_map_has_btf(bpf_object__find_map_by_name(bo, "stats"));
	t_map_has_btf(bpf_object__find_map_by_name(bo, "lru"));

	t_run(bpf_object__find_program_by_name(bo, "probe1_0"));
	ck_assert_int_eq(bpf_map_lookup_elem(bpf_map__fd(hash), &key, &val),
			 0);
	ck_assert_uint_eq(val, T_VAL + 1);

	rb = ring_buffer__new(bpf_map__fd(ring), t_on_record, &recs, NULL);
	ck_assert_ptr_nonnull(rb);
	ck_assert_int_eq(ring_buffer__consume(rb), 2);
	ck_assert_int_eq(recs.n, 2);
	ck_assert_uint_eq(recs.hdr[0].kind, REC_PRINTF);
	ck_assert_uint_eq(recs.hdr[0].id, 3);
	ck_assert_uint_eq(recs.payload[0], T_VAL + 1);
	ck_assert_uint_eq(recs.hdr[1].kind, REC_EXIT);
	ck_assert_uint_eq(recs.hdr[1].id, 0);
	ring_buffer__free(rb);
	bpf_object__close(bo);
out:
	free(buf);
	obj_free(o);
}
END_TEST

START_TEST(test_load_prog_types)
{
	static const struct {
		const char *name;
		enum bpf_prog_type type;
	} want[] = {
		{ "begin_0", BPF_PROG_TYPE_RAW_TRACEPOINT },
		{ "timer_0", BPF_PROG_TYPE_PERF_EVENT },
		{ "getpid_0", BPF_PROG_TYPE_TRACEPOINT },
		{ "end_0", BPF_PROG_TYPE_RAW_TRACEPOINT },
	};
	struct bt_object *o = t_obj_types();
	struct bpf_object *bo;
	size_t len, i;
	void *buf;

	t_write(o, &buf, &len);
	if (t_need_root())
		goto out;
	bo = t_load(buf, len);
	if (!bo)
		goto out;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct bpf_program *p;

		p = bpf_object__find_program_by_name(bo, want[i].name);
		ck_assert_msg(p, "no program %s", want[i].name);
		ck_assert_int_eq(bpf_program__type(p), want[i].type);
		ck_assert_int_ge(bpf_program__fd(p), 0);
	}
	t_run(bpf_object__find_program_by_name(bo, "end_0"));
	bpf_object__close(bo);
out:
	free(buf);
	obj_free(o);
}
END_TEST

/* A map named like a .data variable: .data goes undescribed, still loads. */
START_TEST(test_load_name_clash)
{
	struct bt_object *o = t_obj_data();
	struct bpf_object *bo;
	struct t_elf e;
	GElf_Sym sym;
	size_t len;
	void *buf;

	t_add_map(o, "bpftap_exit", BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	t_write(o, &buf, &len);
	t_elf_open(&e, buf, len);
	ck_assert_uint_eq(t_elf_sym(&e, "bpftap_target", &sym), 0);
	elf_end(e.elf);
	if (t_need_root())
		goto out;
	bo = t_load(buf, len);
	if (!bo)
		goto out;
	t_run(bpf_object__find_program_by_name(bo, "probe0_0"));
	bpf_object__close(bo);
out:
	free(buf);
	obj_free(o);
}
END_TEST

/* Read .data of a loaded object into val (n u64s). */
static void t_read_data(struct bpf_object *bo, uint64_t *val, size_t n)
{
	struct bpf_map *m = t_map_suffix(bo, ".data");
	uint32_t zero = 0;

	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(bpf_map__value_size(m), n * 8);
	ck_assert_int_eq(bpf_map_lookup_elem(bpf_map__fd(m), &zero, val), 0);
}

START_TEST(test_load_bpf_loop)
{
	struct bt_object *o = t_obj_loop();
	uint64_t val[T_G1 / 8 + 1];
	struct bpf_object *bo;
	struct bpf_program *p;
	size_t len;
	void *buf;

	t_write(o, &buf, &len);
	if (t_need_root())
		goto out;
	bo = t_load(buf, len);
	if (!bo)
		goto out;
	/* Subprograms are not programs of their own to libbpf. */
	ck_assert_ptr_null(bpf_object__find_program_by_name(bo, "bump"));
	p = bpf_object__next_program(bo, NULL);
	ck_assert_str_eq(bpf_program__name(p), "probe0_0");
	ck_assert_ptr_null(bpf_object__next_program(bo, p));
	t_run(p);
	t_read_data(bo, val, T_G1 / 8 + 1);
	ck_assert_uint_eq(val[T_G0 / 8], T_LOOPS);
	ck_assert_uint_eq(val[T_G1 / 8], T_LOOPS);
	t_run(p);
	t_read_data(bo, val, T_G1 / 8 + 1);
	ck_assert_uint_eq(val[T_G0 / 8], T_LOOPS);
	ck_assert_uint_eq(val[T_G1 / 8], 2 * T_LOOPS);
	bpf_object__close(bo);
out:
	free(buf);
	obj_free(o);
}
END_TEST

START_TEST(test_load_for_each_map_elem)
{
	struct bt_object *o = t_obj_foreach();
	uint64_t val[T_G1 / 8 + 1], k, v;
	struct bpf_object *bo;
	size_t len;
	void *buf;
	int fd;

	t_write(o, &buf, &len);
	if (t_need_root())
		goto out;
	bo = t_load(buf, len);
	if (!bo)
		goto out;
	fd = bpf_map__fd(bpf_object__find_map_by_name(bo, "vals"));
	for (k = 1; k <= 5; k++) {
		v = k * 10;
		ck_assert_int_eq(bpf_map_update_elem(fd, &k, &v, BPF_ANY), 0);
	}
	t_run(bpf_object__find_program_by_name(bo, "probe0_0"));
	t_read_data(bo, val, T_G1 / 8 + 1);
	ck_assert_uint_eq(val[T_G0 / 8], 150);
	ck_assert_uint_eq(val[T_G1 / 8], 5);
	bpf_object__close(bo);
out:
	free(buf);
	obj_free(o);
}
END_TEST

START_TEST(test_load_snprintf_rodata)
{
	struct bt_object *o = t_obj_snprintf();
	uint64_t val[T_G2 / 8 + 1];
	struct bpf_object *bo;
	struct bpf_map *ro;
	char got[17] = { 0 };
	size_t len;
	void *buf;

	t_write(o, &buf, &len);
	if (t_need_root())
		goto out;
	bo = t_load(buf, len);
	if (!bo)
		goto out;
	ro = t_map_suffix(bo, ".rodata");
	ck_assert_ptr_nonnull(ro);
	ck_assert(bpf_map__map_flags(ro) & BPF_F_RDONLY_PROG);
	t_run(bpf_object__find_program_by_name(bo, "probe0_0"));
	t_read_data(bo, val, T_G2 / 8 + 1);
	memcpy(got, &val[T_G0 / 8], 16);
	ck_assert_str_eq(got, "42-ab");
	ck_assert_uint_eq(val[T_G2 / 8], sizeof("42-ab"));
	bpf_object__close(bo);
out:
	free(buf);
	obj_free(o);
}
END_TEST

/* Two entry programs (and a third type) share one subprogram. */
START_TEST(test_load_shared_subprog)
{
	struct bt_object *o = t_obj_shared();
	uint64_t val[T_G0 / 8 + 1];
	struct bpf_object *bo;
	struct bpf_program *p;
	size_t len;
	void *buf;

	t_write(o, &buf, &len);
	if (t_need_root())
		goto out;
	bo = t_load(buf, len);
	if (!bo)
		goto out;
	t_run(bpf_object__find_program_by_name(bo, "begin_a"));
	t_run(bpf_object__find_program_by_name(bo, "begin_b"));
	t_read_data(bo, val, T_G0 / 8 + 1);
	ck_assert_uint_eq(val[T_G0 / 8], 111);
	p = bpf_object__find_program_by_name(bo, "timer_c");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_ge(bpf_program__fd(p), 0);
	ck_assert_ptr_null(bpf_object__find_program_by_name(bo, "add"));
	bpf_object__close(bo);
out:
	free(buf);
	obj_free(o);
}
END_TEST

/* ---- bpftool --------------------------------------------------------- */

static bool t_have_bpftool(void)
{
	return system("bpftool version >/dev/null 2>&1") == 0;
}

static void t_mount_bpffs(void)
{
	struct statfs st;

	if (statfs("/sys/fs/bpf", &st) == 0 && st.f_type == BPF_FS_MAGIC_NR)
		return;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, NULL))
		fprintf(stderr, "mount bpffs: %s\n", strerror(errno));
}

/* Run cmd; return its exit status, with its output in out. */
static int t_sh(const char *cmd, char *out, size_t outlen)
{
	FILE *f = popen(cmd, "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(out, 1, outlen - 1, f);
	out[n] = '\0';
	return pclose(f);
}

START_TEST(test_bpftool)
{
	struct bt_object *o = t_obj_maps();
	char path[] = "/tmp/bpftap_test_XXXXXX";
	char pin[64], cmd[256];
	static char out[65536];
	size_t len;
	void *buf;
	int fd, i;

	t_write(o, &buf, &len);
	if (!t_have_bpftool()) {
		fprintf(stderr, "SKIP: bpftool not installed\n");
		goto out;
	}
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	close(fd);

	snprintf(cmd, sizeof(cmd), "bpftool btf dump file %s 2>&1", path);
	ck_assert_msg(t_sh(cmd, out, sizeof(out)) == 0, "%s:\n%s", cmd, out);
	for (i = 0; i < o->nmaps; i++)
		ck_assert_msg(strstr(out, o->maps[i].name), "%s not in:\n%s",
			      o->maps[i].name, out);
	ck_assert_ptr_nonnull(strstr(out, "DATASEC '.maps'"));

	if (t_need_root())
		goto rm;
	t_mount_bpffs();
	snprintf(pin, sizeof(pin), "/sys/fs/bpf/bpftap_test_%d", getpid());
	snprintf(cmd, sizeof(cmd), "bpftool prog loadall %s %s 2>&1", path,
		 pin);
	ck_assert_msg(t_sh(cmd, out, sizeof(out)) == 0, "%s:\n%s", cmd, out);
	snprintf(cmd, sizeof(cmd), "test -e %s/probe1_0", pin);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", pin);
	ck_assert_int_eq(system(cmd), 0);
rm:
	unlink(path);
out:
	free(buf);
	obj_free(o);
}
END_TEST

/*
 * bpftool prog loadall pins each entry program of o under its name and
 * none of the subprograms (names, NULL-terminated, starting with the
 * entry programs; `nentry` of them).
 */
static void t_loadall(const struct bt_object *o, const char *const *names,
		      int nentry)
{
	char path[] = "/tmp/bpftap_test_XXXXXX";
	char pin[64], cmd[256];
	static char out[65536];
	size_t len;
	void *buf;
	int fd, i;

	t_write(o, &buf, &len);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	close(fd);
	t_mount_bpffs();
	snprintf(pin, sizeof(pin), "/sys/fs/bpf/bpftap_test_%d", getpid());
	snprintf(cmd, sizeof(cmd), "bpftool prog loadall %s %s 2>&1", path,
		 pin);
	ck_assert_msg(t_sh(cmd, out, sizeof(out)) == 0, "%s:\n%s", cmd, out);
	for (i = 0; names[i]; i++) {
		snprintf(cmd, sizeof(cmd), "test -e %s/%s", pin, names[i]);
		ck_assert_msg((system(cmd) == 0) == (i < nentry), "%s", cmd);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", pin);
	ck_assert_int_eq(system(cmd), 0);
	unlink(path);
	free(buf);
}

START_TEST(test_bpftool_subprogs)
{
	static const char *const loop[] = {
		"probe0_0", "bump", "probe0_0_cb1", NULL
	};
	static const char *const shared[] = {
		"begin_a", "begin_b", "timer_c", "add", NULL
	};
	static const char *const snpr[] = { "probe0_0", NULL };
	struct bt_object *o;

	if (!t_have_bpftool()) {
		fprintf(stderr, "SKIP: bpftool not installed\n");
		return;
	}
	if (t_need_root())
		return;
	o = t_obj_loop();
	t_loadall(o, loop, 1);
	obj_free(o);
	o = t_obj_shared();
	t_loadall(o, shared, 3);
	obj_free(o);
	o = t_obj_snprintf();
	t_loadall(o, snpr, 1);
	obj_free(o);
}
END_TEST

static Suite *objwrite_suite(void)
{
	Suite *s = suite_create("objwrite");
	TCase *tc = tcase_create("elf");

	tcase_add_test(tc, test_elf_structure);
	tcase_add_test(tc, test_elf_data_reloc);
	tcase_add_test(tc, test_elf_rejects_bad_reloc);
	tcase_add_test(tc, test_elf_subprogs);
	tcase_add_test(tc, test_elf_call_offset);
	tcase_add_test(tc, test_elf_rodata);
	tcase_add_test(tc, test_elf_rejects_bad_subprog);
	tcase_add_test(tc, test_obj_free_null);
	tcase_add_test(tc, test_btf_blob);
	suite_add_tcase(s, tc);

	tc = tcase_create("kernel");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_load_data);
	tcase_add_test(tc, test_load_maps_ringbuf);
	tcase_add_test(tc, test_load_prog_types);
	tcase_add_test(tc, test_load_name_clash);
	tcase_add_test(tc, test_load_bpf_loop);
	tcase_add_test(tc, test_load_for_each_map_elem);
	tcase_add_test(tc, test_load_snprintf_rodata);
	tcase_add_test(tc, test_load_shared_subprog);
	tcase_add_test(tc, test_bpftool);
	tcase_add_test(tc, test_bpftool_subprogs);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(objwrite_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
