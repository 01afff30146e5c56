// SPDX-License-Identifier: GPL-2.0
/*
 * Probe arguments from registers and reads of memory (see cg.h).
 *
 * kprobe and uprobe programs get a struct pt_regs * as their context, and
 * perf_event programs (timers, perf) one whose first member is the
 * interrupted pt_regs; the prologue keeps it at r10-16 when uses_ctx is
 * set. x86-64 passes the first six integer arguments in rdi, rsi, rdx,
 * rcx, r8, r9 and the rest on the stack above the return address, which
 * is where int_arg(n) and friends look, as SystemTap's dwarfless probes do.
 *
 * Memory reads go through bpf_probe_read_{user,kernel}[_str]. A fault in
 * user_string() or any kernel_*() read is a runtime error with stap's
 * text (the address is only known in the kernel, so the message is
 * formatted there with bpf_snprintf); the numeric user_*() reads return
 * 0 on a fault like stap's, which the helper gives by zeroing its buffer.
 */
#include <stdio.h>
#include <string.h>
#include "cg.h"
#include "cg_str.h"
#include "../parser/tpargs.h"

/* struct pt_regs of x86-64 */
#define CG_REGS_AX	80
#define CG_REGS_SP	152
#define CG_NREGARGS	6

static const int16_t cg_arg_off[CG_NREGARGS] = { 112, 104, 96, 88, 72, 64 };

/* Register names register() knows, as in stap's x86_64/registers.stp
 * (the 16-bit names such as "ip" and "sp" are masked to 16 bits there
 * too). */
static const struct cg_regname {
	const char *name;
	int16_t off;
	uint8_t bits;
} cg_regnames[] = {
	{ "r15", 0, 64 }, { "r14", 8, 64 }, { "r13", 16, 64 },
	{ "r12", 24, 64 }, { "rbp", 32, 64 }, { "rbx", 40, 64 },
	{ "r11", 48, 64 }, { "r10", 56, 64 }, { "r9", 64, 64 },
	{ "r8", 72, 64 }, { "rax", 80, 64 }, { "rcx", 88, 64 },
	{ "rdx", 96, 64 }, { "rsi", 104, 64 }, { "rdi", 112, 64 },
	{ "orig_rax", 120, 64 }, { "rip", 128, 64 }, { "xcs", 136, 64 },
	{ "eflags", 144, 64 }, { "rsp", 152, 64 }, { "xss", 160, 64 },
	{ "ebp", 32, 32 }, { "ebx", 40, 32 }, { "eax", 80, 32 },
	{ "ecx", 88, 32 }, { "edx", 96, 32 }, { "esi", 104, 32 },
	{ "edi", 112, 32 }, { "orig_eax", 120, 32 }, { "eip", 128, 32 },
	{ "esp", 152, 32 },
	{ "bp", 32, 16 }, { "bx", 40, 16 }, { "ax", 80, 16 },
	{ "cx", 88, 16 }, { "dx", 96, 16 }, { "si", 104, 16 },
	{ "di", 112, 16 }, { "orig_ax", 120, 16 }, { "ip", 128, 16 },
	{ "cs", 136, 16 }, { "flags", 144, 16 }, { "sp", 152, 16 },
	{ "ss", 160, 16 },
	{ "al", 80, 8 }, { "ah", 81, 8 }, { "bl", 40, 8 }, { "bh", 41, 8 },
	{ "cl", 88, 8 }, { "ch", 89, 8 }, { "dl", 96, 8 }, { "dh", 97, 8 },
};

/* ---- where registers are ---- */

static const char *cg_regs_kind(enum bt_probe_type t)
{
	switch (t) {
	case PT_BEGIN: return "begin";
	case PT_END: return "end";
	case PT_ERROR: return "error";
	case PT_TIMER: return "timer";
	case PT_TIMER_PROFILE: return "timer.profile";
	case PT_TRACEPOINT: case PT_RAW_TRACEPOINT: return "kernel.trace";
	case PT_PERF: return "perf";
	default: return "this kind of";
	}
}

static bool cg_is_func_probe(enum bt_probe_type t)
{
	return t == PT_KPROBE || t == PT_KRETPROBE || t == PT_UPROBE ||
	       t == PT_URETPROBE;
}

static bool cg_is_user_probe(const struct cg *c)
{
	return c->point->type == PT_UPROBE || c->point->type == PT_URETPROBE;
}

/*
 * Can e read the probe's registers here? Function arguments only exist
 * in function probes; any register (register()) also in the perf_event
 * programs of timers and perf events, whose context holds the
 * interrupted registers. Sets uses_ctx, so the prologue keeps r1.
 */
static bool cg_regs_ctx(struct cg *c, const struct bt_expr *e, bool args)
{
	enum bt_probe_type t = c->point->type;
	bool ok = cg_is_func_probe(t) ||
		  (!args && (t == PT_TIMER || t == PT_TIMER_PROFILE ||
			     t == PT_PERF));

	if (!ok) {
		cg_error(c, &e->loc, "'%s' cannot be used in a %s probe: it "
			 "has no %s", e->builtin->name, cg_regs_kind(t),
			 !args ? "registers" :
			 e->builtin->id == BI_RETURNVAL ? "return value (only "
			 "kernel.function and process.function probes do)" :
			 "function arguments (only kernel.function and "
			 "process.function probes do)");
		return false;
	}
	c->uses_ctx = true;
	return true;
}

/* reg = the 8-byte word of the registers at off (8-aligned). In a
 * callback, through bpf_probe_read_kernel (r0-r5 clobbered). */
static void cg_ctx_load(struct cg *c, int reg, int16_t off)
{
	if (cg_ctx_addr(c, reg)) {
		emit(&c->b, insn_ldx(BPF_DW, reg, reg, off));
		return;
	}
	emit(&c->b, insn_mov_reg(BPF_REG_3, reg));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3, off));
	emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_10));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, CG_FP_HELPER));
	emit_mov_imm(&c->b, BPF_REG_2, 8);
	emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel));
	emit(&c->b, insn_ldx(BPF_DW, reg, BPF_REG_10, CG_FP_HELPER));
}

/* Keep the low `bits` of reg, sign- or zero-extended to 64. */
static void cg_extend(struct cg *c, int reg, int bits, bool sign)
{
	if (bits >= 64)
		return;
	if (sign) {
		emit(&c->b, insn_alu64_imm(BPF_LSH, reg, 64 - bits));
		emit(&c->b, insn_alu64_imm(BPF_ARSH, reg, 64 - bits));
	} else if (bits == 32) {	/* w = w zero-extends */
		emit(&c->b, (struct bpf_insn){ .code = BPF_ALU | BPF_MOV |
					       BPF_X, .dst_reg = reg,
					       .src_reg = reg });
	} else {
		emit(&c->b, insn_alu64_imm(BPF_AND, reg, (1 << bits) - 1));
	}
}

/* Register to compute temporary t in: its own, or r0 when spilled. */
static int cg_work_reg(int t)
{
	return t < CG_TEMP_REGS ? CG_TEMP_REG0 + t : BPF_REG_0;
}

/* ---- runtime errors with a formatted message ---- */

#define CG_HSLOT(i)	(CG_FP_HELPER + 8 * (i))

/*
 * Raise a runtime error whose text is fmt (bpf_snprintf syntax) with the
 * n values the caller stored at CG_HSLOT(0..n-1), followed by stap's
 * " near identifier 'NAME' at FILE:LINE:COL"; then leave the probe.
 */
/* Inside try: the formatted message (without its location, as stap's
 * catch variable gets it) goes to the catch variable, if any, and the
 * catch block runs. The arguments are at CG_HSLOT(0..n-1). */
static void cg_raise_catch(struct cg *c, int32_t fmt_off, int n)
{
	const struct cg_try *tr = &c->tries[c->ntries - 1];
	const struct cg_local *l = tr->var ? cg_local_of(c, tr->var) : NULL;

	if (l) {
		cg_scratch_ptr(c, BPF_REG_1, l->off);
		emit_mov_imm(&c->b, BPF_REG_2, c->opt->maxstringlen);
		emit_ld_map(&c->b, BPF_REG_3, BT_RELOC_RODATA,
			    fmt_off < 0 ? 0 : fmt_off);
		emit(&c->b, insn_mov_reg(BPF_REG_4, BPF_REG_10));
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_4, CG_HSLOT(0)));
		emit_mov_imm(&c->b, BPF_REG_5, 8 * n);
		emit(&c->b, insn_call(BPF_FUNC_snprintf));
	}
	if (c->ntries > c->try_base)
		emit_ja(&c->b, tr->catch_label);
	else
		cg_unwind_to_catch(c);	/* the try is a caller's frame's */
}

void cg_raise_fmt(struct cg *c, const struct bt_loc *loc, const char *near,
		  const char *fmt, int n)
{
	int32_t off = cg_rodata_str(c, fmt);
	int skip = emit_new_label(&c->b);
	char msg[512];
	int id, rec, r;

	if (c->ntries) {
		cg_raise_catch(c, off, n);
		return;
	}
	snprintf(msg, sizeof(msg), " near %s at %s:%d:%d", near,
		 loc->file ? loc->file : "?", loc->line, loc->col);
	id = cg_add_error(c, msg, true);
	rec = cg_push(c, loc);
	cg_record_begin(c, REC_ERROR, id, sizeof(struct bt_rec_hdr) +
			c->strfield, rec, skip);
	r = cg_treg(c, rec, BPF_REG_1);
	if (r != BPF_REG_1)
		emit(&c->b, insn_mov_reg(BPF_REG_1, r));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1,
				   sizeof(struct bt_rec_hdr)));
	emit_mov_imm(&c->b, BPF_REG_2, c->strfield);
	emit_ld_map(&c->b, BPF_REG_3, BT_RELOC_RODATA, off < 0 ? 0 : off);
	emit(&c->b, insn_mov_reg(BPF_REG_4, BPF_REG_10));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_4, CG_HSLOT(0)));
	emit_mov_imm(&c->b, BPF_REG_5, 8 * n);
	emit(&c->b, insn_call(BPF_FUNC_snprintf));
	cg_record_end(c, rec);
	emit_place_label(&c->b, skip);
	cg_pop(c, 1);
	emit_ja(&c->b, c->exit_label);
}

static void cg_regs_raise(struct cg *c, const struct bt_expr *e,
			  const char *fmt, int n)
{
	char near[128];

	snprintf(near, sizeof(near), "identifier '%s'", e->builtin->name);
	cg_raise_fmt(c, &e->loc, near, fmt, n);
}

/* Store temporary t at CG_HSLOT(i). */
static void cg_hslot_store(struct cg *c, int i, int t)
{
	int r = cg_treg(c, t, BPF_REG_0);

	emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, r, CG_HSLOT(i)));
}

/* ---- function arguments ---- */

/*
 * reg = the stack argument n (> 6) at sp + 8 * (n - 6), where the
 * address in r3 is computed by the caller; user or kernel memory
 * depending on the probe. A fault reads 0. Clobbers r0-r5.
 */
static void cg_stack_word(struct cg *c, int reg)
{
	emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_10));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, CG_HSLOT(0)));
	emit_mov_imm(&c->b, BPF_REG_2, 8);
	emit(&c->b, insn_call(cg_is_user_probe(c) ?
			      BPF_FUNC_probe_read_user :
			      BPF_FUNC_probe_read_kernel));
	emit(&c->b, insn_ldx(BPF_DW, reg, BPF_REG_10, CG_HSLOT(0)));
}

static int cg_arg_const(struct cg *c, const struct bt_expr *e, int64_t n,
			int bits, bool sign)
{
	int t = cg_push(c, &e->loc), r = cg_work_reg(t);

	if (n <= CG_NREGARGS) {
		cg_ctx_load(c, r, cg_arg_off[n - 1]);
	} else {
		cg_ctx_load(c, BPF_REG_3, CG_REGS_SP);
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_3,
					   8 * (int32_t)(n - CG_NREGARGS)));
		cg_stack_word(c, r);
	}
	cg_extend(c, r, bits, sign);
	cg_tset(c, t, r);
	return t;
}

/*
 * An argument number known only at run time: a jump per register (the
 * verifier wants constant context offsets), the stack beyond, and stap's
 * "cannot access arg(N)" below 1.
 */
static int cg_arg_var(struct cg *c, const struct bt_expr *e, int bits,
		      bool sign)
{
	int t = cg_expr(c, e->args), done = emit_new_label(&c->b);
	int bad = emit_new_label(&c->b), lab[CG_NREGARGS], r, k;

	r = cg_treg(c, t, BPF_REG_1);
	if (r != BPF_REG_1)
		emit(&c->b, insn_mov_reg(BPF_REG_1, r));
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_0, BPF_REG_10, CG_FP_CTX));
	for (k = 0; k < CG_NREGARGS; k++) {
		lab[k] = emit_new_label(&c->b);
		emit_jmp_imm(&c->b, BPF_JEQ, BPF_REG_1, k + 1, lab[k]);
	}
	emit_jmp_imm(&c->b, BPF_JSLT, BPF_REG_1, 1, bad);
	emit(&c->b, insn_ldx(BPF_DW, BPF_REG_3, BPF_REG_0, CG_REGS_SP));
	emit(&c->b, insn_alu64_imm(BPF_SUB, BPF_REG_1, CG_NREGARGS));
	emit(&c->b, insn_alu64_imm(BPF_LSH, BPF_REG_1, 3));
	emit(&c->b, insn_alu64_reg(BPF_ADD, BPF_REG_3, BPF_REG_1));
	cg_stack_word(c, BPF_REG_2);
	emit_ja(&c->b, done);
	for (k = 0; k < CG_NREGARGS; k++) {
		emit_place_label(&c->b, lab[k]);
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_2, BPF_REG_0,
				     cg_arg_off[k]));
		emit_ja(&c->b, done);
	}
	emit_place_label(&c->b, bad);
	cg_hslot_store(c, 0, t);
	cg_regs_raise(c, e, "cannot access arg(%lld)", 1);
	emit_place_label(&c->b, done);
	cg_extend(c, BPF_REG_2, bits, sign);
	cg_tset(c, t, BPF_REG_2);
	return t;
}

static int cg_arg(struct cg *c, const struct bt_expr *e, int bits, bool sign)
{
	const struct bt_expr *a = e->args;

	if (!cg_regs_ctx(c, e, true))
		return cg_push(c, &e->loc);
	if (a->kind != E_NUM && c->cb_depth) {
		/* its jump table loads from the context directly */
		cg_error(c, &a->loc, "'%s' with an argument number computed "
			 "at run time cannot be used inside foreach or delete "
			 "of a whole array yet", e->builtin->name);
		return cg_push(c, &e->loc);
	}
	if (a->kind != E_NUM)
		return cg_arg_var(c, e, bits, sign);
	if (a->num < 1) {
		cg_error(c, &a->loc, "cannot access arg(%lld): arguments "
			 "count from 1", (long long)a->num);
		return cg_push(c, &e->loc);
	}
	return cg_arg_const(c, e, a->num, bits, sign);
}

/* register("name") / u_register("name"): a literal name, as in stap. */
static int cg_register(struct cg *c, const struct bt_expr *e, bool sign)
{
	const struct bt_expr *a = e->args;
	int t, r, sh;

	if (a->kind != E_STR) {
		cg_error(c, &a->loc, "'%s' needs the register name as a "
			 "string literal", e->builtin->name);
		return cg_push(c, &e->loc);
	}
	for (size_t i = 0; i < sizeof(cg_regnames) / sizeof(*cg_regnames);
	     i++) {
		const struct cg_regname *n = &cg_regnames[i];

		if (strcmp(n->name, a->str))
			continue;
		if (!cg_regs_ctx(c, e, false))
			return cg_push(c, &e->loc);
		t = cg_push(c, &e->loc);
		r = cg_work_reg(t);
		/* whole words only: perf_event contexts allow nothing else */
		cg_ctx_load(c, r, n->off & ~7);
		sh = 8 * (n->off & 7);
		if (sh)
			emit(&c->b, insn_alu64_imm(BPF_RSH, r, sh));
		cg_extend(c, r, n->bits, sign);
		cg_tset(c, t, r);
		return t;
	}
	cg_error(c, &a->loc, "unknown register '%s' (x86-64 names: rax, "
		 "eax, ax, al, ...)", a->str);
	return cg_push(c, &e->loc);
}

static int cg_returnval(struct cg *c, const struct bt_expr *e)
{
	int t;

	if (!cg_regs_ctx(c, e, true))
		return cg_push(c, &e->loc);
	t = cg_push(c, &e->loc);
	cg_ctx_load(c, cg_work_reg(t), CG_REGS_AX);
	cg_tset(c, t, cg_work_reg(t));
	return t;
}

/*
 * $param of a kernel.function probe: argument index+1 from its register
 * (or the stack), $return from rax; typed by the kernel's BTF, so
 * narrowed or followed along ->/[i] by cg_btf_value.
 */
int cg_regs_target(struct cg *c, const struct bt_expr *e)
{
	const char *fn = c->point->func_name;
	uint32_t type;
	int index, t;

	c->uses_ctx = true;
	if (!strcmp(e->name, "$return")) {
		if (tpargs_func_ret(fn, &type)) {
			cg_error(c, &e->loc, "no return type for '%s'", fn);
			return cg_push(c, &e->loc);
		}
		t = cg_push(c, &e->loc);
		cg_ctx_load(c, cg_work_reg(t), CG_REGS_AX);
		cg_tset(c, t, cg_work_reg(t));
		return cg_btf_value(c, e, t, type);
	}
	if (tpargs_func_param(fn, e->name + 1, &index, &type)) {
		cg_error(c, &e->loc, "kernel function '%s' has no parameter "
			 "'%s'", fn, e->name + 1);
		return cg_push(c, &e->loc);
	}
	t = cg_arg_const(c, e, index + 1, 64, false);
	return cg_btf_value(c, e, t, type);
}

/* ---- memory ---- */

/*
 * A number of `size` bytes at the address e->args. A user fault reads 0;
 * a kernel one is stap's "kernel WHAT copy fault" error.
 */
static int cg_mem_read(struct cg *c, const struct bt_expr *e, int size,
		       bool sign, bool user, const char *what)
{
	int t = cg_expr(c, e->args), ok, r;
	char fmt[96];

	emit(&c->b, insn_mov_reg(BPF_REG_1, BPF_REG_10));
	emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, CG_HSLOT(1)));
	emit_mov_imm(&c->b, BPF_REG_2, size);
	r = cg_treg(c, t, BPF_REG_3);
	if (r != BPF_REG_3)
		emit(&c->b, insn_mov_reg(BPF_REG_3, r));
	emit(&c->b, insn_call(user ? BPF_FUNC_probe_read_user :
			      BPF_FUNC_probe_read_kernel));
	if (!user) {
		ok = emit_new_label(&c->b);
		emit_jmp_imm(&c->b, BPF_JSGE, BPF_REG_0, 0, ok);
		cg_hslot_store(c, 0, t);
		snprintf(fmt, sizeof(fmt), "kernel %s copy fault at 0x%%llx "
			 "[man error::fault]", what);
		cg_regs_raise(c, e, fmt, 1);
		emit_place_label(&c->b, ok);
	}
	emit(&c->b, insn_ldx(size == 8 ? BPF_DW : size == 4 ? BPF_W :
			     size == 2 ? BPF_H : BPF_B, BPF_REG_0, BPF_REG_10,
			     CG_HSLOT(1)));
	cg_extend(c, BPF_REG_0, 8 * size, sign);
	cg_tset(c, t, BPF_REG_0);
	return t;
}

/*
 * user_string(addr [, default]), user_string_n(addr, n [, default]) and
 * the kernel_ ones: at most n (and MAXSTRINGLEN - 1) bytes into a fresh
 * buffer. On a fault: the default when given, else stap's error.
 */
static int cg_mem_string(struct cg *c, const struct bt_expr *e, bool user,
			 bool has_n)
{
	const struct bt_expr *addr = e->args;
	const struct bt_expr *n = has_n ? addr->next : NULL;
	const struct bt_expr *def = has_n ? n->next : addr->next;
	int base = c->depth, tn = -1, td = -1, tb, ok, r;

	cg_expr(c, addr);
	if (n)
		tn = cg_expr(c, n);
	if (def)
		td = cg_str_expr(c, def);
	tb = cg_str_buffer_n(c, &e->loc, c->strfield);
	if (tn >= 0) {
		cg_str_tmov(c, BPF_REG_2, tn);
		cg_str_clamp_min0(c, BPF_REG_2);
		cg_str_clamp_max(c, BPF_REG_2, c->opt->maxstringlen - 1);
		emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_2, 1));
	} else {
		emit_mov_imm(&c->b, BPF_REG_2, c->opt->maxstringlen);
	}
	cg_str_tmov(c, BPF_REG_1, tb);
	cg_str_tmov(c, BPF_REG_3, base);
	emit(&c->b, insn_call(user ? BPF_FUNC_probe_read_user_str :
			      BPF_FUNC_probe_read_kernel_str));
	ok = emit_new_label(&c->b);
	emit_jmp_imm(&c->b, BPF_JSGT, BPF_REG_0, 0, ok);
	if (td >= 0) {
		r = cg_treg(c, tb, BPF_REG_1);
		cg_str_copy_ptr(c, r, td);
	} else if (user) {
		emit(&c->b, insn_stx(BPF_DW, BPF_REG_10, BPF_REG_0,
				     CG_HSLOT(0)));
		cg_hslot_store(c, 1, base);
		cg_regs_raise(c, e, "user string copy fault %lld at 0x%llx "
			      "[man error::fault]", 2);
	} else {
		cg_hslot_store(c, 0, base);
		cg_regs_raise(c, e, "kernel string copy fault at 0x%llx "
			      "[man error::fault]", 1);
	}
	emit_place_label(&c->b, ok);
	r = cg_treg(c, tb, BPF_REG_0);
	cg_tset(c, base, r);
	c->depth = base + 1;
	return base;
}

bool cg_regs_builtin(struct cg *c, const struct bt_expr *e, int *t)
{
	switch (e->builtin->id) {
	case BI_INT_ARG: case BI_S32_ARG:
		*t = cg_arg(c, e, 32, true);
		break;
	case BI_UINT_ARG: case BI_U32_ARG:
		*t = cg_arg(c, e, 32, false);
		break;
	case BI_LONG_ARG: case BI_ULONG_ARG: case BI_LONGLONG_ARG:
	case BI_ULONGLONG_ARG: case BI_POINTER_ARG: case BI_S64_ARG:
	case BI_U64_ARG:
		*t = cg_arg(c, e, 64, true);
		break;
	case BI_RETURNVAL:
		*t = cg_returnval(c, e);
		break;
	case BI_REGISTER: case BI_U_REGISTER:
		*t = cg_register(c, e, e->builtin->id == BI_REGISTER);
		break;
	case BI_USER_STRING: case BI_USER_STRING_N:
		*t = cg_mem_string(c, e, true,
				   e->builtin->id == BI_USER_STRING_N);
		break;
	case BI_KERNEL_STRING: case BI_KERNEL_STRING_N:
		*t = cg_mem_string(c, e, false,
				   e->builtin->id == BI_KERNEL_STRING_N);
		break;
	case BI_USER_CHAR: case BI_USER_INT8:
		*t = cg_mem_read(c, e, 1, true, true, NULL);
		break;
	case BI_USER_UINT8:
		*t = cg_mem_read(c, e, 1, false, true, NULL);
		break;
	case BI_USER_SHORT: case BI_USER_INT16:
		*t = cg_mem_read(c, e, 2, true, true, NULL);
		break;
	case BI_USER_USHORT: case BI_USER_UINT16:
		*t = cg_mem_read(c, e, 2, false, true, NULL);
		break;
	case BI_USER_INT: case BI_USER_INT32:
		*t = cg_mem_read(c, e, 4, true, true, NULL);
		break;
	case BI_USER_UINT32:
		*t = cg_mem_read(c, e, 4, false, true, NULL);
		break;
	case BI_USER_LONG: case BI_USER_ULONG: case BI_USER_INT64:
	case BI_USER_UINT64:
		*t = cg_mem_read(c, e, 8, true, true, NULL);
		break;
	case BI_KERNEL_LONG:
		*t = cg_mem_read(c, e, 8, true, false, "long");
		break;
	case BI_KERNEL_POINTER:
		*t = cg_mem_read(c, e, 8, true, false, "pointer");
		break;
	case BI_KERNEL_INT:
		*t = cg_mem_read(c, e, 4, true, false, "int");
		break;
	case BI_KERNEL_SHORT:
		*t = cg_mem_read(c, e, 2, true, false, "short");
		break;
	case BI_KERNEL_CHAR:
		*t = cg_mem_read(c, e, 1, true, false, "char");
		break;
	default:
		return false;
	}
	return true;
}
