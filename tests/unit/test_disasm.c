// SPDX-License-Identifier: GPL-2.0
/* The -p3 printer: every instruction class in the verifier's syntax, and
 * obj_dump's layout. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "codegen/disasm.h"
#include "parser/diag.h"
#include "bpf_insns.h"

#define BPF_MEMSX_	0x80

/* Print insn (and a second slot for ld_imm64) with no relocations. */
static void t_check(struct bpf_insn a, struct bpf_insn b, const char *want)
{
	struct bpf_insn insns[2] = { a, b };
	char buf[160];

	disasm_insn(insns, 0, NULL, NULL, buf, sizeof(buf));
	ck_assert_str_eq(buf, want);
}

#define CHECK1(insn, want) t_check(insn, T_INSN(0, 0, 0, 0, 0), want)

START_TEST(test_alu)
{
	CHECK1(T_MOV64_IMM(1, 42), "(b7) r1 = 42");
	CHECK1(T_MOV64_IMM(0, -1), "(b7) r0 = -1");
	CHECK1(T_MOV64_REG(1, 10), "(bf) r1 = r10");
	CHECK1(T_ALU64_IMM(BPF_ADD, 1, -8), "(07) r1 += -8");
	CHECK1(T_ALU64_REG(BPF_SUB, 3, 4), "(1f) r3 -= r4");
	CHECK1(T_ALU64_REG(BPF_MUL, 3, 4), "(2f) r3 *= r4");
	CHECK1(T_ALU64_REG(BPF_DIV, 1, 2), "(3f) r1 /= r2");
	CHECK1(T_ALU64_IMM(BPF_LSH, 1, 3), "(67) r1 <<= 3");
	CHECK1(T_ALU64_IMM(BPF_RSH, 1, 3), "(77) r1 >>= 3");
	CHECK1(T_ALU64_IMM(BPF_ARSH, 1, 3), "(c7) r1 s>>= 3");
	CHECK1(T_ALU64_REG(BPF_AND, 1, 2), "(5f) r1 &= r2");
	CHECK1(T_ALU64_REG(BPF_OR, 1, 2), "(4f) r1 |= r2");
	CHECK1(T_ALU64_REG(BPF_XOR, 1, 2), "(af) r1 ^= r2");
	CHECK1(T_ALU64_REG(BPF_MOD, 1, 2), "(9f) r1 %= r2");
	CHECK1(T_ALU64_IMM(BPF_NEG, 1, 0), "(87) r1 = -r1");
	CHECK1(T_ALU32_IMM(BPF_NEG, 1, 0), "(84) w1 = -w1");
}
END_TEST

START_TEST(test_alu32)
{
	CHECK1(T_ALU32_IMM(BPF_ADD, 1, 1), "(04) w1 += 1");
	CHECK1(T_ALU32_REG(BPF_MOV, 2, 3), "(bc) w2 = w3");
	CHECK1(T_ALU32_IMM(BPF_MOV, 2, 7), "(b4) w2 = 7");
}
END_TEST

/* cpu v4: signed division and modulo, sign-extending moves. */
START_TEST(test_cpuv4_alu)
{
	CHECK1(T_INSN(BPF_ALU64 | BPF_DIV | BPF_X, 1, 2, 1, 0),
	       "(3f) r1 s/= r2");
	CHECK1(T_INSN(BPF_ALU64 | BPF_MOD | BPF_X, 1, 2, 1, 0),
	       "(9f) r1 s%= r2");
	CHECK1(T_INSN(BPF_ALU64 | BPF_DIV | BPF_K, 1, 0, 1, 10),
	       "(37) r1 s/= 10");
	CHECK1(T_INSN(BPF_ALU | BPF_MOD | BPF_K, 1, 0, 1, -3),
	       "(94) w1 s%= -3");
	CHECK1(T_INSN(BPF_ALU64 | BPF_MOV | BPF_X, 1, 2, 8, 0),
	       "(bf) r1 = (s8)r2");
	CHECK1(T_INSN(BPF_ALU64 | BPF_MOV | BPF_X, 1, 2, 32, 0),
	       "(bf) r1 = (s32)r2");
	CHECK1(T_INSN(BPF_ALU | BPF_MOV | BPF_X, 1, 2, 16, 0),
	       "(bc) w1 = (s16)w2");
}
END_TEST

START_TEST(test_endian)
{
	CHECK1(T_INSN(BPF_ALU | BPF_END | BPF_TO_BE, 1, 0, 0, 16),
	       "(dc) r1 = be16 r1");
	CHECK1(T_INSN(BPF_ALU | BPF_END | BPF_TO_LE, 1, 0, 0, 32),
	       "(d4) r1 = le32 r1");
	CHECK1(T_INSN(BPF_ALU64 | BPF_END, 1, 0, 0, 64),
	       "(d7) r1 = bswap64 r1");
}
END_TEST

START_TEST(test_mem)
{
	CHECK1(T_LDX(BPF_DW, 1, 10, -8), "(79) r1 = *(u64 *)(r10 -8)");
	CHECK1(T_LDX(BPF_B, 0, 1, 3), "(71) r0 = *(u8 *)(r1 +3)");
	CHECK1(T_LDX(BPF_H, 0, 1, 0), "(69) r0 = *(u16 *)(r1 +0)");
	CHECK1(T_STX(BPF_DW, 10, 1, -8), "(7b) *(u64 *)(r10 -8) = r1");
	CHECK1(T_STX(BPF_W, 10, 1, -4), "(63) *(u32 *)(r10 -4) = r1");
	CHECK1(T_ST(BPF_DW, 10, -16, 0), "(7a) *(u64 *)(r10 -16) = 0");
	CHECK1(T_ST(BPF_W, 10, -32, -1), "(62) *(u32 *)(r10 -32) = -1");
	/* cpu v4 sign-extending loads */
	CHECK1(T_INSN(BPF_LDX | BPF_MEMSX_ | BPF_B, 1, 2, 4, 0),
	       "(91) r1 = *(s8 *)(r2 +4)");
	CHECK1(T_INSN(BPF_LDX | BPF_MEMSX_ | BPF_W, 1, 2, -4, 0),
	       "(81) r1 = *(s32 *)(r2 -4)");
}
END_TEST

START_TEST(test_atomic)
{
	CHECK1(T_INSN(BPF_STX | BPF_ATOMIC | BPF_DW, 1, 2, 0, BPF_ADD),
	       "(db) lock *(u64 *)(r1 +0) += r2");
	CHECK1(T_INSN(BPF_STX | BPF_ATOMIC | BPF_W, 1, 2, 8, BPF_OR),
	       "(c3) lock *(u32 *)(r1 +8) |= r2");
	CHECK1(T_INSN(BPF_STX | BPF_ATOMIC | BPF_DW, 1, 2, 0,
		      BPF_ADD | BPF_FETCH),
	       "(db) r2 = atomic64_fetch_add((u64 *)(r1 +0), r2)");
	CHECK1(T_INSN(BPF_STX | BPF_ATOMIC | BPF_DW, 1, 3, 8, BPF_CMPXCHG),
	       "(db) r0 = atomic64_cmpxchg((u64 *)(r1 +8), r0, r3)");
	CHECK1(T_INSN(BPF_STX | BPF_ATOMIC | BPF_W, 1, 2, 0, BPF_XCHG),
	       "(c3) r2 = atomic_xchg((u32 *)(r1 +0), r2)");
}
END_TEST

START_TEST(test_jmp)
{
	CHECK1(T_JMP_IMM(BPF_JEQ, 0, 0, 3), "(15) if r0 == 0x0 goto pc+3");
	CHECK1(T_JMP_IMM(BPF_JSGT, 1, -1, -2),
	       "(65) if r1 s> 0xffffffff goto pc-2");
	CHECK1(T_JMP_REG(BPF_JSET, 1, 2, 1), "(4d) if r1 & r2 goto pc+1");
	CHECK1(T_JMP_REG(BPF_JLT, 1, 2, 0), "(ad) if r1 < r2 goto pc+0");
	CHECK1(T_INSN(BPF_JMP32 | BPF_JGT | BPF_X, 1, 2, -4, 0),
	       "(2e) if w1 > w2 goto pc-4");
	CHECK1(T_INSN(BPF_JMP32 | BPF_JEQ | BPF_K, 1, 0, 1, 5),
	       "(16) if w1 == 0x5 goto pc+1");
	CHECK1(T_INSN(BPF_JMP | BPF_JA, 0, 0, 7, 0), "(05) goto pc+7");
	CHECK1(T_INSN(BPF_JMP32 | BPF_JA, 0, 0, 0, 100000),
	       "(06) gotol pc+100000");
	CHECK1(T_EXIT(), "(95) exit");
}
END_TEST

START_TEST(test_call)
{
	CHECK1(T_CALL(BPF_FUNC_map_lookup_elem),
	       "(85) call bpf_map_lookup_elem#1");
	CHECK1(T_CALL(BPF_FUNC_ringbuf_output),
	       "(85) call bpf_ringbuf_output#130");
	CHECK1(T_CALL(BPF_FUNC_get_current_pid_tgid),
	       "(85) call bpf_get_current_pid_tgid#14");
	CHECK1(T_CALL(BPF_FUNC_loop), "(85) call bpf_loop#181");
	CHECK1(T_CALL(100000), "(85) call #100000");
	CHECK1(T_CALL(-1), "(85) call #-1");
	CHECK1(T_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 5),
	       "(85) call pc+5");
	ck_assert_str_eq(disasm_helper_name(BPF_FUNC_trace_printk),
			 "bpf_trace_printk");
	ck_assert_ptr_null(disasm_helper_name(__BPF_FUNC_MAX_ID));
}
END_TEST

START_TEST(test_ld_imm64)
{
	struct bt_objmap maps[2] = {
		{ .name = "counts", .type = BPF_MAP_TYPE_HASH },
		{ .name = "ring", .type = BPF_MAP_TYPE_RINGBUF },
	};
	struct bt_object obj = { .maps = maps, .nmaps = 2 };
	struct bt_reloc relocs[2] = { { 0, 1 }, { 2, BT_RELOC_DATA } };
	struct bpf_insn insns[6] = {
		T_LD_IMM64_LO(1, 0, 0), T_LD_IMM64_HI(0),
		T_LD_IMM64_LO(2, 0, 16), T_LD_IMM64_HI(0),
		T_LD_IMM64_LO(3, 0, 0x23456789), T_LD_IMM64_HI(1),
	};
	struct bt_objprog prog = { .insns = insns, .ninsns = 6,
				   .relocs = relocs, .nrelocs = 2 };
	char buf[160];

	disasm_insn(insns, 0, &prog, &obj, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(18) r1 = map[ring]");
	disasm_insn(insns, 2, &prog, &obj, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(18) r2 = map[.data][0]+16");
	disasm_insn(insns, 4, &prog, &obj, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(18) r3 = 0x123456789");
	/* Without the relocations, only the raw values are known. */
	disasm_insn(insns, 2, NULL, NULL, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(18) r2 = 0x10");
	/* A short buffer truncates, NUL-terminated. */
	disasm_insn(insns, 0, &prog, &obj, buf, 8);
	ck_assert_str_eq(buf, "(18) r1");
}
END_TEST

/* References to subprograms and .rodata print by name. */
START_TEST(test_subprog_refs)
{
	struct bt_objprog progs[3] = {
		{ .name = "probe0_0" },
		{ .name = "probe0_0_cb1", .subprog = true },
	};
	struct bt_object obj = { .progs = progs, .nprogs = 2 };
	struct bt_reloc relocs[4] = {
		{ 0, BT_RELOC_PROG(1) }, { 2, BT_RELOC_PROG(1) },
		{ 3, BT_RELOC_RODATA }, { 5, BT_RELOC_PROG(7) },
	};
	struct bpf_insn insns[6] = {
		T_LD_IMM64_LO(2, BPF_PSEUDO_FUNC, 0), T_LD_IMM64_HI(0),
		T_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 0),
		T_LD_IMM64_LO(1, 0, 8), T_LD_IMM64_HI(0),
		T_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 0),
	};
	struct bt_objprog prog = { .insns = insns, .ninsns = 6,
				   .relocs = relocs, .nrelocs = 4 };
	char buf[160];

	disasm_insn(insns, 0, &prog, &obj, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(18) r2 = func[probe0_0_cb1]");
	disasm_insn(insns, 2, &prog, &obj, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(85) call probe0_0_cb1");
	disasm_insn(insns, 3, &prog, &obj, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(18) r1 = map[.rodata][0]+8");
	/* A subprogram that is not there: its index. */
	disasm_insn(insns, 5, &prog, &obj, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(85) call #7");
	/* Without relocations: the verifier's syntax. */
	disasm_insn(insns, 2, NULL, NULL, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(85) call pc+0");
	disasm_insn(insns, 3, NULL, NULL, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(18) r1 = 0x8");
}
END_TEST

static char *t_dump(const struct bt_object *obj)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	obj_dump(obj, f);
	fclose(f);
	return text;
}

START_TEST(test_obj_dump)
{
	static const char src[] =
		"global x\n"
		"probe begin {\n"
		"\tx = 42\n"
		"    printf(\"%d\\t%s\\n\", x, \"a\\\"b\")   \n"
		"}\n";
	const char *file = diag_add_source("t.stp", src, sizeof(src) - 1);
	const char *other = diag_intern("lib.stp");
	struct bt_objmap maps[2] = {
		{ "counts", BPF_MAP_TYPE_HASH, 8, 8, 2048, 0 },
		{ "output", BPF_MAP_TYPE_RINGBUF, 0, 0, 262144, 0 },
	};
	enum bt_type types[2] = { BT_LONG, BT_STRING };
	struct bt_format fmts[2] = {
		{ "%d\t%s\n", 6, 2, types },
		{ "\001bell\a", 6, 0, NULL },
	};
	struct bt_reloc relocs[2] = { { 0, BT_RELOC_DATA }, { 4, 1 } };
	struct bt_srcline lines[4] = {
		{ 0, { file, 3, 2 } },
		{ 4, { file, 4, 5 } },	/* superseded by the next */
		{ 4, { file, 4, 5 } },
		{ 6, { other, 9, 1 } },	/* no text registered */
	};
	struct bpf_insn insns[8] = {
		T_LD_IMM64_LO(1, 0, 24), T_LD_IMM64_HI(0),
		T_MOV64_IMM(2, 42),
		T_STX(BPF_DW, 1, 2, 0),
		T_LD_IMM64_LO(1, 0, 0), T_LD_IMM64_HI(0),
		T_MOV64_IMM(0, 0),
		T_EXIT(),
	};
	struct bt_objprog prog = {
		.name = "probe0_0", .section = "raw_tp",
		.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
		.insns = insns, .ninsns = 8,
		.relocs = relocs, .nrelocs = 2,
		.lines = lines, .nlines = 4,
		.attach = { .pp = "begin" },
	};
	struct bt_object obj = {
		.maps = maps, .nmaps = 2, .progs = &prog, .nprogs = 1,
		.data_size = 32, .formats = fmts, .nformats = 2,
	};
	const char *want =
		"probe0_0: begin (raw_tp, BPF_PROG_TYPE_RAW_TRACEPOINT), 8 insns\n"
		"; x = 42  [t.stp:3]\n"
		"   0: (18) r1 = map[.data][0]+24\n"
		"   2: (b7) r2 = 42\n"
		"   3: (7b) *(u64 *)(r1 +0) = r2\n"
		"; printf(\"%d\\t%s\\n\", x, \"a\\\"b\")  [t.stp:4]\n"
		"   4: (18) r1 = map[output]\n"
		"; [lib.stp:9]\n"
		"   6: (b7) r0 = 0\n"
		"   7: (95) exit\n"
		"\n"
		"maps:\n"
		"    #  name                     type             key  value  entries  flags\n"
		"    0  counts                   hash               8      8     2048  0x0\n"
		"    1  output                   ringbuf            0      0   262144  0x0\n"
		".data: 32 bytes\n"
		"formats:\n"
		"    0  \"%d\\t%s\\n\" (long, string)\n"
		"    1  \"\\001bell\\a\" ()\n";
	char *text = t_dump(&obj);

	if (getenv("BPFTAP_TEST_SHOW"))
		fputs(text, stderr);
	ck_assert_str_eq(text, want);
	free(text);
	diag_reset();
}
END_TEST

/* Entry programs first, then the subprograms; .rodata when there is one. */
START_TEST(test_obj_dump_subprogs)
{
	struct bt_reloc mrel[2] = {
		{ 1, BT_RELOC_PROG(0) }, { 3, BT_RELOC_PROG(0) },
	};
	struct bt_reloc crel[1] = { { 0, BT_RELOC_RODATA } };
	struct bpf_insn main[5] = {
		T_MOV64_IMM(1, 4),
		T_LD_IMM64_LO(2, BPF_PSEUDO_FUNC, 0), T_LD_IMM64_HI(0),
		T_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 0),
		T_EXIT(),
	};
	struct bpf_insn cb[3] = {
		T_LD_IMM64_LO(1, 0, 16), T_LD_IMM64_HI(0),
		T_EXIT(),
	};
	struct bt_objprog progs[2] = {
		{ .name = "probe0_0_cb1", .subprog = true,
		  .insns = cb, .ninsns = 3, .relocs = crel, .nrelocs = 1 },
		{ .name = "probe0_0", .section = "raw_tp",
		  .prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
		  .insns = main, .ninsns = 5, .relocs = mrel, .nrelocs = 2,
		  .attach = { .pp = "begin" } },
	};
	struct bt_object obj = {
		.progs = progs, .nprogs = 2, .data_size = 32,
		.rodata_size = 24,
	};
	char *text = t_dump(&obj);

	if (getenv("BPFTAP_TEST_SHOW"))
		fputs(text, stderr);
	ck_assert_str_eq(text,
		"probe0_0: begin (raw_tp, BPF_PROG_TYPE_RAW_TRACEPOINT), 5 insns\n"
		"   0: (b7) r1 = 4\n"
		"   1: (18) r2 = func[probe0_0_cb1]\n"
		"   3: (85) call probe0_0_cb1\n"
		"   4: (95) exit\n"
		"\n"
		"probe0_0_cb1: subprogram (.text), 3 insns\n"
		"   0: (18) r1 = map[.rodata][0]+16\n"
		"   2: (95) exit\n"
		"\n"
		"maps:\n"
		"    #  name                     type             key  value  entries  flags\n"
		".data: 32 bytes\n"
		".rodata: 24 bytes\n"
		"formats:\n");
	free(text);
}
END_TEST

START_TEST(test_obj_dump_empty)
{
	struct bt_object obj = { 0 };
	char *text = t_dump(&obj);

	ck_assert_str_eq(text,
		"maps:\n"
		"    #  name                     type             key  value  entries  flags\n"
		".data: 0 bytes\n"
		"formats:\n");
	free(text);
}
END_TEST

/*
 * The verifier's own log (level 2 prints every instruction it walks) is
 * the reference: each line "N: (xx) text" must match our text for N.
 */
START_TEST(test_matches_verifier_log)
{
	static const struct bpf_insn insns[] = {
		T_MOV64_IMM(1, 42),
		T_STX(BPF_DW, 10, 1, -8),
		T_LDX(BPF_DW, 2, 10, -8),
		T_ALU64_IMM(BPF_ADD, 2, -8),
		T_ALU32_IMM(BPF_MOV, 3, 7),
		T_ALU32_IMM(BPF_ADD, 3, 1),
		T_MOV64_IMM(4, 100),
		T_MOV64_IMM(5, 3),
		T_INSN(BPF_ALU64 | BPF_DIV | BPF_X, 4, 5, 1, 0),
		T_INSN(BPF_ALU64 | BPF_MOD | BPF_X, 4, 5, 1, 0),
		T_INSN(BPF_ALU64 | BPF_DIV | BPF_K, 4, 0, 1, -10),
		T_INSN(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 8, 0),
		T_INSN(BPF_ALU | BPF_MOV | BPF_X, 6, 3, 16, 0),
		T_INSN(BPF_LDX | BPF_MEMSX_ | BPF_B, 7, 10, -8, 0),
		T_INSN(BPF_LDX | BPF_MEMSX_ | BPF_W, 7, 10, -8, 0),
		T_INSN(BPF_ALU64 | BPF_END, 1, 0, 0, 64),
		T_INSN(BPF_ALU | BPF_END | BPF_TO_BE, 1, 0, 0, 16),
		T_INSN(BPF_ALU | BPF_END | BPF_TO_LE, 1, 0, 0, 32),
		T_INSN(BPF_STX | BPF_ATOMIC | BPF_DW, 10, 1, -8, BPF_ADD),
		T_MOV64_IMM(2, 1),
		T_INSN(BPF_STX | BPF_ATOMIC | BPF_DW, 10, 2, -8,
		       BPF_ADD | BPF_FETCH),
		T_MOV64_IMM(0, 0),
		T_INSN(BPF_STX | BPF_ATOMIC | BPF_DW, 10, 3, -8, BPF_CMPXCHG),
		T_INSN(BPF_STX | BPF_ATOMIC | BPF_DW, 10, 3, -8, BPF_XCHG),
		T_ST(BPF_DW, 10, -16, 0),
		T_ST(BPF_W, 10, -20, -1),
		T_ALU64_IMM(BPF_NEG, 1, 0),
		T_ALU64_IMM(BPF_ARSH, 1, 3),
		T_ALU64_REG(BPF_XOR, 1, 4),
		T_JMP_IMM(BPF_JEQ, 1, 0, 0),
		T_INSN(BPF_JMP32 | BPF_JGT | BPF_X, 1, 2, 0, 0),
		T_JMP_IMM(BPF_JSGT, 1, -1, 0),
		T_JMP_REG(BPF_JSET, 1, 2, 0),
		T_INSN(BPF_JMP | BPF_JA, 0, 0, 0, 0),
		T_INSN(BPF_JMP32 | BPF_JA, 0, 0, 0, 0),
		T_CALL(BPF_FUNC_ktime_get_ns),
		T_CALL(BPF_FUNC_get_smp_processor_id),
		T_LD_IMM64_LO(1, 0, 0x23456789), T_LD_IMM64_HI(1),
		/* A bpf-to-bpf call, unrelocated: "call pc+2". */
		T_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 2),
		T_MOV64_IMM(0, 0),
		T_EXIT(),
		T_MOV64_IMM(0, 0),
		T_EXIT(),
	};
	const size_t n = sizeof(insns) / sizeof(insns[0]);
	static char log[1 << 16];
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log,
		    .log_size = sizeof(log), .log_level = 2);
	bool seen[sizeof(insns) / sizeof(insns[0])] = { false };
	char *line, *save = NULL, buf[160];
	size_t nseen = 0;
	int fd;

	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: needs root/CAP_BPF: verifier log\n");
		return;
	}
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "disasm", "GPL", insns,
			   n, &opts);
	if (fd < 0 && errno == EPERM) {
		fprintf(stderr, "SKIP: needs root/CAP_BPF: %s\n",
			strerror(errno));
		return;
	}
	ck_assert_msg(fd >= 0, "load: %s\n%s", strerror(errno), log);
	close(fd);

	for (line = strtok_r(log, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *text, *state;
		unsigned long idx;

		idx = strtoul(line, &text, 10);
		if (text == line || strncmp(text, ": (", 3) || idx >= n)
			continue;
		text += 2;
		/* Register state follows after padding and "; ". */
		state = strstr(text, "  ");
		if (state && strchr(state, ';'))
			*state = '\0';
		disasm_insn(insns, idx, NULL, NULL, buf, sizeof(buf));
		if (getenv("BPFTAP_TEST_SHOW"))
			fprintf(stderr, "%3lu: %-50s | %s\n", idx, text, buf);
		ck_assert_str_eq(buf, text);
		nseen += !seen[idx];
		seen[idx] = true;
	}
	/* Every instruction but the second half of ld_imm64. */
	ck_assert_uint_eq(nseen, n - 1);
}
END_TEST

static Suite *disasm_suite(void)
{
	Suite *s = suite_create("disasm");
	TCase *tc = tcase_create("insn");

	tcase_add_test(tc, test_alu);
	tcase_add_test(tc, test_alu32);
	tcase_add_test(tc, test_cpuv4_alu);
	tcase_add_test(tc, test_endian);
	tcase_add_test(tc, test_mem);
	tcase_add_test(tc, test_atomic);
	tcase_add_test(tc, test_jmp);
	tcase_add_test(tc, test_call);
	tcase_add_test(tc, test_ld_imm64);
	tcase_add_test(tc, test_subprog_refs);
	suite_add_tcase(s, tc);
	tc = tcase_create("dump");
	tcase_add_test(tc, test_obj_dump);
	tcase_add_test(tc, test_obj_dump_subprogs);
	tcase_add_test(tc, test_obj_dump_empty);
	suite_add_tcase(s, tc);
	tc = tcase_create("kernel");
	tcase_add_test(tc, test_matches_verifier_log);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(disasm_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
