// SPDX-License-Identifier: GPL-2.0
/*
 * emit_optimize (codegen/emit_opt.c): what it may rewrite or remove, and
 * what it must leave alone. Each case runs the pass over a hand-written
 * program and compares the result, instruction by instruction, in the
 * -p3 syntax.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include "codegen/disasm.h"
#include "codegen/emit.h"
#include "parser/diag.h"
#include "bpf_insns.h"

#define T_MAX 32

/* Optimize insns[0..n) and compare with want[] (NULL-terminated). */
static void t_opt(const struct bpf_insn *insns, uint32_t n,
		  const char *const *want)
{
	struct bpf_insn code[T_MAX];
	struct emit_buf b = { .insns = code, .n = n, .cap = T_MAX };
	uint32_t i, w = 0;
	char buf[160];

	ck_assert_uint_le(n, T_MAX);
	memcpy(code, insns, n * sizeof(*insns));
	emit_optimize(&b);
	for (i = 0; i < b.n; i++, w++) {
		disasm_insn(code, i, NULL, NULL, buf, sizeof(buf));
		ck_assert_msg(want[w], "extra instruction %u: %s", i, buf);
		ck_assert_str_eq(buf, want[w]);
		if (code[i].code == (BPF_LD | BPF_DW | BPF_IMM))
			i++;
	}
	ck_assert_msg(!want[w], "missing instruction: %s", want[w]);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A constant moved through a temporary: the move goes, the constant
 * lands where it is used. */
START_TEST(test_const_through_temp)
{
	static const struct bpf_insn p[] = {
		T_MOV64_IMM(6, 1),
		T_MOV64_REG(2, 6),
		T_LDX(BPF_DW, 1, 10, -16),
		T_INSN(BPF_STX | BPF_DW | BPF_ATOMIC, 1, 2, 0, BPF_ADD),
		T_MOV64_IMM(0, 0),
		T_EXIT(),
	};
	static const char *const want[] = {
		"(b7) r2 = 1",
		"(79) r1 = *(u64 *)(r10 -16)",
		"(db) lock *(u64 *)(r1 +0) += r2",
		"(b7) r0 = 0",
		"(95) exit",
		NULL,
	};

	t_opt(p, N(p), want);
}
END_TEST

/* Constants become immediates of ALU ops, compares and stores; a shift
 * by 64 or more stays in a register (the verifier refuses the imm). */
START_TEST(test_immediates)
{
	static const struct bpf_insn p[] = {
		T_LDX(BPF_DW, 6, 10, -16),
		T_MOV64_IMM(7, 100),
		T_ALU64_REG(BPF_ADD, 6, 7),
		T_JMP_REG(BPF_JSGT, 6, 7, 1),
		T_STX(BPF_DW, 10, 7, -24),
		T_MOV64_IMM(8, 70),
		T_ALU64_REG(BPF_LSH, 6, 8),
		T_MOV64_REG(0, 6),
		T_EXIT(),
	};
	static const char *const want[] = {
		"(79) r6 = *(u64 *)(r10 -16)",
		"(07) r6 += 100",
		"(65) if r6 s> 0x64 goto pc+1",
		"(7a) *(u64 *)(r10 -24) = 100",
		"(b7) r8 = 70",
		"(6f) r6 <<= r8",
		"(bf) r0 = r6",
		"(95) exit",
		NULL,
	};

	t_opt(p, N(p), want);
}
END_TEST

/* A jump target starts afresh: what held on one path may not on the
 * other. Here r7 is 5 on the fall-through only. */
START_TEST(test_no_facts_across_labels)
{
	static const struct bpf_insn p[] = {
		T_LDX(BPF_DW, 7, 10, -16),
		T_JMP_IMM(BPF_JEQ, 7, 0, 1),
		T_MOV64_IMM(7, 5),
		T_MOV64_REG(0, 7),	/* the target: r7 is 0 or 5 */
		T_EXIT(),
	};
	static const char *const want[] = {
		"(79) r7 = *(u64 *)(r10 -16)",
		"(15) if r7 == 0x0 goto pc+1",
		"(b7) r7 = 5",
		"(bf) r0 = r7",
		"(95) exit",
		NULL,
	};

	t_opt(p, N(p), want);
}
END_TEST

/* A helper call reads r1-r5 where they are and clobbers them: copies
 * into argument registers stay, and a copy of r1 is forgotten after the
 * call. */
START_TEST(test_calls)
{
	static const struct bpf_insn p[] = {
		T_LDX(BPF_DW, 6, 10, -16),
		T_MOV64_REG(1, 6),
		T_MOV64_REG(7, 1),
		T_CALL(BPF_FUNC_get_smp_processor_id),
		T_STX(BPF_DW, 10, 7, -24),
		T_MOV64_REG(0, 1),	/* r1 after the call: not r6 */
		T_EXIT(),
	};
	static const char *const want[] = {
		"(79) r6 = *(u64 *)(r10 -16)",
		"(bf) r1 = r6",
		"(85) call bpf_get_smp_processor_id#8",
		"(7b) *(u64 *)(r10 -24) = r6",
		"(bf) r0 = r1",
		"(95) exit",
		NULL,
	};

	t_opt(p, N(p), want);
}
END_TEST

/* Dead results go; stores, atomics and calls stay whatever they do. */
START_TEST(test_dead)
{
	static const struct bpf_insn p[] = {
		T_MOV64_IMM(6, 1),		/* never read */
		T_LDX(BPF_DW, 7, 10, -16),	/* never read */
		T_LD_IMM64_LO(8, 0, 7),		/* never read */
		T_LD_IMM64_HI(0),
		T_ST(BPF_DW, 10, -24, 3),
		T_MOV64_REG(3, 3),		/* a no-op */
		T_MOV64_IMM(0, 0),
		T_EXIT(),
	};
	static const char *const want[] = {
		"(7a) *(u64 *)(r10 -24) = 3",
		"(b7) r0 = 0",
		"(95) exit",
		NULL,
	};

	t_opt(p, N(p), want);
}
END_TEST

/* A pointer into the stack: loads and stores through it go through r10
 * with the offset moved, and the pointer itself goes. */
START_TEST(test_stack_pointer)
{
	static const struct bpf_insn p[] = {
		T_LDX(BPF_DW, 0, 10, -16),
		T_MOV64_REG(8, 10),
		T_ALU64_IMM(BPF_ADD, 8, -504),
		T_STX(BPF_DW, 8, 0, 8),
		T_LDX(BPF_DW, 0, 8, 8),
		T_EXIT(),
	};
	static const char *const want[] = {
		"(79) r0 = *(u64 *)(r10 -16)",
		"(7b) *(u64 *)(r10 -496) = r0",
		"(79) r0 = *(u64 *)(r10 -496)",
		"(95) exit",
		NULL,
	};

	t_opt(p, N(p), want);
}
END_TEST

/* A 32-bit move is a zero extension, not a copy; a fetching atomic
 * writes its source register. */
START_TEST(test_not_copies)
{
	static const struct bpf_insn p[] = {
		T_LDX(BPF_DW, 1, 10, -16),
		T_LDX(BPF_DW, 6, 10, -24),
		T_ALU32_REG(BPF_MOV, 2, 6),
		T_INSN(BPF_STX | BPF_DW | BPF_ATOMIC, 1, 6, 0,
		       BPF_ADD | BPF_FETCH),
		T_ALU64_REG(BPF_ADD, 2, 6),
		T_MOV64_REG(0, 2),
		T_EXIT(),
	};
	static const char *const want[] = {
		"(79) r1 = *(u64 *)(r10 -16)",
		"(79) r6 = *(u64 *)(r10 -24)",
		"(bc) w2 = w6",
		"(db) r6 = atomic64_fetch_add((u64 *)(r1 +0), r6)",
		"(0f) r2 += r6",
		"(bf) r0 = r2",
		"(95) exit",
		NULL,
	};

	t_opt(p, N(p), want);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("emit_opt");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_const_through_temp);
	tcase_add_test(tc, test_immediates);
	tcase_add_test(tc, test_no_facts_across_labels);
	tcase_add_test(tc, test_calls);
	tcase_add_test(tc, test_dead);
	tcase_add_test(tc, test_stack_pointer);
	tcase_add_test(tc, test_not_copies);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
