// SPDX-License-Identifier: GPL-2.0
/*
 * The -p3 printer. Instructions follow the verifier log's syntax so that
 * what -p3 shows can be compared line by line with a rejected program's
 * log; ld_imm64 of maps follows bpftool's map[...] notation, with names,
 * since our relocations say which map each one loads. Relocated references
 * to subprograms print their name: "call NAME", "r2 = func[NAME]"; without
 * the relocation, a call is "call pc+N" as in the verifier's log.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "../parser/diag.h"
#include "disasm.h"

/* cpu v4 and later encodings the 6.1 UAPI header lacks. */
#ifndef BPF_MEMSX
#define BPF_MEMSX	0x80
#endif
#ifndef BPF_JCOND
#define BPF_JCOND	0xe0
#endif
#define DISASM_MAY_GOTO		0	/* src_reg of BPF_JCOND */
#define DISASM_SDIV_OFF		1	/* off of signed BPF_DIV/BPF_MOD */
#define DISASM_ADDR_SPACE_CAST	1	/* off of ALU64 MOV X */
#define DISASM_NOSPEC		0xc0	/* BPF_ST mode, kernel-internal */

/*
 * Helper names from the UAPI's own list. __BPF_FUNC_MAPPER(FN) calls
 * FN(name) and puts the commas itself, in 6.1 and (through
 * __BPF_FUNC_MAPPER_APPLY) in later headers alike.
 */
#define DISASM_HELPER(x) [BPF_FUNC_##x] = "bpf_" #x
static const char *const disasm_helpers[] = {
	__BPF_FUNC_MAPPER(DISASM_HELPER)
};
#undef DISASM_HELPER
#define DISASM_NHELPERS (sizeof(disasm_helpers) / sizeof(disasm_helpers[0]))

static const char *const disasm_alu_op[16] = {
	[BPF_ADD >> 4] = "+=",	[BPF_SUB >> 4] = "-=",
	[BPF_MUL >> 4] = "*=",	[BPF_DIV >> 4] = "/=",
	[BPF_OR >> 4] = "|=",	[BPF_AND >> 4] = "&=",
	[BPF_LSH >> 4] = "<<=",	[BPF_RSH >> 4] = ">>=",
	[BPF_NEG >> 4] = "neg",	[BPF_MOD >> 4] = "%=",
	[BPF_XOR >> 4] = "^=",	[BPF_MOV >> 4] = "=",
	[BPF_ARSH >> 4] = "s>>=", [BPF_END >> 4] = "endian",
};

static const char *const disasm_atomic_op[16] = {
	[BPF_ADD >> 4] = "add",	[BPF_AND >> 4] = "and",
	[BPF_OR >> 4] = "or",	[BPF_XOR >> 4] = "xor",
};

static const char *const disasm_jmp_op[16] = {
	[BPF_JA >> 4] = "jmp",	[BPF_JEQ >> 4] = "==",
	[BPF_JGT >> 4] = ">",	[BPF_JLT >> 4] = "<",
	[BPF_JGE >> 4] = ">=",	[BPF_JLE >> 4] = "<=",
	[BPF_JSET >> 4] = "&",	[BPF_JNE >> 4] = "!=",
	[BPF_JSGT >> 4] = "s>",	[BPF_JSLT >> 4] = "s<",
	[BPF_JSGE >> 4] = "s>=", [BPF_JSLE >> 4] = "s<=",
	[BPF_CALL >> 4] = "call", [BPF_EXIT >> 4] = "exit",
};

/* Indexed by BPF_SIZE >> 3. */
static const char *const disasm_size[4] = { "u32", "u16", "u8", "u64" };
static const char *const disasm_ssize[4] = { "s32", "s16", "s8", "s64" };

struct disasm_out {
	char *buf;
	size_t len;
};

__attribute__((format(printf, 2, 3)))
static void disasm_printf(struct disasm_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->buf, o->len, fmt, ap);
	va_end(ap);
}

static const char *disasm_str(const char *const *tab, unsigned int i,
			      unsigned int n)
{
	return i < n && tab[i] ? tab[i] : "?";
}

const char *disasm_helper_name(int32_t id)
{
	if (id < 0 || (uint32_t)id >= DISASM_NHELPERS)
		return NULL;
	return disasm_helpers[id];
}

static char disasm_wr(uint8_t class)
{
	return class == BPF_ALU || class == BPF_JMP32 ? 'w' : 'r';
}

static void disasm_alu(struct disasm_out *o, const struct bpf_insn *in)
{
	uint8_t class = BPF_CLASS(in->code), op = BPF_OP(in->code);
	char w = disasm_wr(class);
	bool sdiv = (op == BPF_DIV || op == BPF_MOD) &&
		    in->off == DISASM_SDIV_OFF;
	const char *ops = sdiv ? (op == BPF_DIV ? "s/=" : "s%=") :
			  disasm_str(disasm_alu_op, op >> 4, 16);

	if (op == BPF_END && class == BPF_ALU64)
		disasm_printf(o, "(%02x) r%d = bswap%d r%d", in->code,
			      in->dst_reg, in->imm, in->dst_reg);
	else if (op == BPF_END)
		disasm_printf(o, "(%02x) r%d = %s%d r%d", in->code,
			      in->dst_reg,
			      BPF_SRC(in->code) == BPF_TO_BE ? "be" : "le",
			      in->imm, in->dst_reg);
	else if (op == BPF_NEG)
		disasm_printf(o, "(%02x) %c%d = -%c%d", in->code, w,
			      in->dst_reg, w, in->dst_reg);
	else if (in->code == (BPF_ALU64 | BPF_MOV | BPF_X) &&
		 in->off == DISASM_ADDR_SPACE_CAST)
		disasm_printf(o, "(%02x) r%d = addr_space_cast(r%d, %d, %d)",
			      in->code, in->dst_reg, in->src_reg,
			      (int)((uint32_t)in->imm >> 16),
			      (int)(uint16_t)in->imm);
	else if (BPF_SRC(in->code) == BPF_X && op == BPF_MOV &&
		 (in->off == 8 || in->off == 16 || in->off == 32))
		disasm_printf(o, "(%02x) %c%d = (s%d)%c%d", in->code, w,
			      in->dst_reg, in->off, w, in->src_reg);
	else if (BPF_SRC(in->code) == BPF_X)
		disasm_printf(o, "(%02x) %c%d %s %c%d", in->code, w,
			      in->dst_reg, ops, w, in->src_reg);
	else
		disasm_printf(o, "(%02x) %c%d %s %d", in->code, w,
			      in->dst_reg, ops, in->imm);
}

static void disasm_atomic(struct disasm_out *o, const struct bpf_insn *in)
{
	const char *sz = disasm_size[BPF_SIZE(in->code) >> 3];
	const char *bits = BPF_SIZE(in->code) == BPF_DW ? "64" : "";
	int32_t imm = in->imm, op = imm & ~BPF_FETCH;
	bool alu = op == BPF_ADD || op == BPF_AND || op == BPF_OR ||
		   op == BPF_XOR;

	if (alu && !(imm & BPF_FETCH))
		disasm_printf(o, "(%02x) lock *(%s *)(r%d %+d) %s r%d",
			      in->code, sz, in->dst_reg, in->off,
			      disasm_alu_op[op >> 4], in->src_reg);
	else if (alu)
		disasm_printf(o, "(%02x) r%d = atomic%s_fetch_%s((%s *)(r%d %+d), r%d)",
			      in->code, in->src_reg, bits,
			      disasm_atomic_op[op >> 4], sz, in->dst_reg,
			      in->off, in->src_reg);
	else if (imm == BPF_CMPXCHG)
		disasm_printf(o, "(%02x) r0 = atomic%s_cmpxchg((%s *)(r%d %+d), r0, r%d)",
			      in->code, bits, sz, in->dst_reg, in->off,
			      in->src_reg);
	else if (imm == BPF_XCHG)
		disasm_printf(o, "(%02x) r%d = atomic%s_xchg((%s *)(r%d %+d), r%d)",
			      in->code, in->src_reg, bits, sz, in->dst_reg,
			      in->off, in->src_reg);
	else
		disasm_printf(o, "BUG_%02x", in->code);
}

static void disasm_stx(struct disasm_out *o, const struct bpf_insn *in)
{
	if (BPF_MODE(in->code) == BPF_MEM)
		disasm_printf(o, "(%02x) *(%s *)(r%d %+d) = r%d", in->code,
			      disasm_size[BPF_SIZE(in->code) >> 3],
			      in->dst_reg, in->off, in->src_reg);
	else if (BPF_MODE(in->code) == BPF_ATOMIC)
		disasm_atomic(o, in);
	else
		disasm_printf(o, "BUG_%02x", in->code);
}

static void disasm_st(struct disasm_out *o, const struct bpf_insn *in)
{
	if (BPF_MODE(in->code) == BPF_MEM)
		disasm_printf(o, "(%02x) *(%s *)(r%d %+d) = %d", in->code,
			      disasm_size[BPF_SIZE(in->code) >> 3],
			      in->dst_reg, in->off, in->imm);
	else if (BPF_MODE(in->code) == DISASM_NOSPEC)
		disasm_printf(o, "(%02x) nospec", in->code);
	else
		disasm_printf(o, "BUG_st_%02x", in->code);
}

static void disasm_ldx(struct disasm_out *o, const struct bpf_insn *in)
{
	const char *const *sizes;

	if (BPF_MODE(in->code) == BPF_MEM) {
		sizes = disasm_size;
	} else if (BPF_MODE(in->code) == BPF_MEMSX) {
		sizes = disasm_ssize;
	} else {
		disasm_printf(o, "BUG_ldx_%02x", in->code);
		return;
	}
	disasm_printf(o, "(%02x) r%d = *(%s *)(r%d %+d)", in->code,
		      in->dst_reg, sizes[BPF_SIZE(in->code) >> 3], in->src_reg,
		      in->off);
}

static const struct bt_reloc *disasm_reloc(const struct bt_objprog *prog,
					   uint32_t idx)
{
	uint32_t i;

	if (!prog)
		return NULL;
	for (i = 0; i < prog->nrelocs; i++)
		if (prog->relocs[i].insn == idx)
			return &prog->relocs[i];
	return NULL;
}

/* The name of the subprogram relocation r refers to, or NULL. */
static const char *disasm_subprog(const struct bt_reloc *r,
				  const struct bt_object *obj)
{
	int i;

	if (!r || r->map > BT_RELOC_PROG(0) || !obj)
		return NULL;
	i = BT_RELOC_PROG_INDEX(r->map);
	if (i >= obj->nprogs || !obj->progs[i].name)
		return NULL;
	return obj->progs[i].name;
}

/* ld_imm64: a map, a pointer into .data or .rodata, a subprogram's
 * address, or a plain 64-bit constant. */
static void disasm_ld_imm64(struct disasm_out *o, const struct bpf_insn *in,
			    const struct bt_reloc *r,
			    const struct bt_object *obj)
{
	uint64_t imm = (uint64_t)(uint32_t)in[1].imm << 32 |
		       (uint32_t)in[0].imm;
	const char *func = disasm_subprog(r, obj);

	if (r && r->map == BT_RELOC_DATA)
		disasm_printf(o, "(%02x) r%d = map[.data][0]+%u", in->code,
			      in->dst_reg, (uint32_t)in[0].imm);
	else if (r && r->map == BT_RELOC_RODATA)
		disasm_printf(o, "(%02x) r%d = map[.rodata][0]+%u", in->code,
			      in->dst_reg, (uint32_t)in[0].imm);
	else if (func)
		disasm_printf(o, "(%02x) r%d = func[%s]", in->code,
			      in->dst_reg, func);
	else if (r && r->map <= BT_RELOC_PROG(0))
		disasm_printf(o, "(%02x) r%d = func[#%d]", in->code,
			      in->dst_reg, BT_RELOC_PROG_INDEX(r->map));
	else if (r && obj && r->map >= 0 && r->map < obj->nmaps)
		disasm_printf(o, "(%02x) r%d = map[%s]", in->code,
			      in->dst_reg, obj->maps[r->map].name);
	else if (r)
		disasm_printf(o, "(%02x) r%d = map[#%d]", in->code,
			      in->dst_reg, r->map);
	else if (in->src_reg == BPF_PSEUDO_MAP_FD)
		disasm_printf(o, "(%02x) r%d = map[fd:%d]", in->code,
			      in->dst_reg, in[0].imm);
	else if (in->src_reg == BPF_PSEUDO_MAP_VALUE)
		disasm_printf(o, "(%02x) r%d = map[fd:%d][0]+%u", in->code,
			      in->dst_reg, in[0].imm, (uint32_t)in[1].imm);
	else
		disasm_printf(o, "(%02x) r%d = 0x%" PRIx64, in->code,
			      in->dst_reg, imm);
}

static void disasm_ld(struct disasm_out *o, const struct bpf_insn *in,
		      const struct bt_reloc *r, const struct bt_object *obj)
{
	const char *sz = disasm_size[BPF_SIZE(in->code) >> 3];

	if (BPF_MODE(in->code) == BPF_ABS)
		disasm_printf(o, "(%02x) r0 = *(%s *)skb[%d]", in->code, sz,
			      in->imm);
	else if (BPF_MODE(in->code) == BPF_IND)
		disasm_printf(o, "(%02x) r0 = *(%s *)skb[r%d + %d]", in->code,
			      sz, in->src_reg, in->imm);
	else if (BPF_MODE(in->code) == BPF_IMM &&
		 BPF_SIZE(in->code) == BPF_DW)
		disasm_ld_imm64(o, in, r, obj);
	else
		disasm_printf(o, "BUG_ld_%02x", in->code);
}

static void disasm_call(struct disasm_out *o, const struct bpf_insn *in,
			const struct bt_reloc *r, const struct bt_object *obj)
{
	const char *name = disasm_subprog(r, obj);

	if (in->src_reg == BPF_PSEUDO_CALL && name) {
		disasm_printf(o, "(%02x) call %s", in->code, name);
		return;
	}
	if (in->src_reg == BPF_PSEUDO_CALL && r &&
	    r->map <= BT_RELOC_PROG(0)) {
		disasm_printf(o, "(%02x) call #%d", in->code,
			      BT_RELOC_PROG_INDEX(r->map));
		return;
	}
	if (in->src_reg == BPF_PSEUDO_CALL) {
		disasm_printf(o, "(%02x) call pc%+d", in->code, in->imm);
		return;
	}
	if (in->src_reg == BPF_PSEUDO_KFUNC_CALL) {
		disasm_printf(o, "(%02x) call kfunc#%d", in->code, in->imm);
		return;
	}
	name = disasm_helper_name(in->imm);
	if (name)
		disasm_printf(o, "(%02x) call %s#%d", in->code, name, in->imm);
	else
		disasm_printf(o, "(%02x) call #%d", in->code, in->imm);
}

static void disasm_jmp(struct disasm_out *o, const struct bpf_insn *in,
		       const struct bt_reloc *r, const struct bt_object *obj)
{
	uint8_t class = BPF_CLASS(in->code), op = BPF_OP(in->code);
	char w = disasm_wr(class);
	const char *ops = disasm_str(disasm_jmp_op, op >> 4, 16);

	if (op == BPF_CALL)
		disasm_call(o, in, r, obj);
	else if (in->code == (BPF_JMP | BPF_JA))
		disasm_printf(o, "(%02x) goto pc%+d", in->code, in->off);
	else if (in->code == (BPF_JMP32 | BPF_JA))
		disasm_printf(o, "(%02x) gotol pc%+d", in->code, in->imm);
	else if (in->code == (BPF_JMP | BPF_JCOND) &&
		 in->src_reg == DISASM_MAY_GOTO)
		disasm_printf(o, "(%02x) may_goto pc%+d", in->code, in->off);
	else if (in->code == (BPF_JMP | BPF_EXIT))
		disasm_printf(o, "(%02x) exit", in->code);
	else if (BPF_SRC(in->code) == BPF_X)
		disasm_printf(o, "(%02x) if %c%d %s %c%d goto pc%+d", in->code,
			      w, in->dst_reg, ops, w, in->src_reg, in->off);
	else
		disasm_printf(o, "(%02x) if %c%d %s 0x%x goto pc%+d", in->code,
			      w, in->dst_reg, ops, (uint32_t)in->imm, in->off);
}

void disasm_insn(const struct bpf_insn *insns, uint32_t idx,
		 const struct bt_objprog *prog, const struct bt_object *obj,
		 char *buf, size_t len)
{
	const struct bpf_insn *in = &insns[idx];
	struct disasm_out o = { buf, len };

	if (!len)
		return;
	switch (BPF_CLASS(in->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		disasm_alu(&o, in);
		break;
	case BPF_STX:
		disasm_stx(&o, in);
		break;
	case BPF_ST:
		disasm_st(&o, in);
		break;
	case BPF_LDX:
		disasm_ldx(&o, in);
		break;
	case BPF_LD:
		disasm_ld(&o, in, disasm_reloc(prog, idx), obj);
		break;
	default:	/* BPF_JMP, BPF_JMP32 */
		disasm_jmp(&o, in, disasm_reloc(prog, idx), obj);
		break;
	}
}

/* ---- obj_dump --------------------------------------------------------- */

/* "BPF_PROG_TYPE_RAW_TRACEPOINT" from libbpf's "raw_tracepoint". */
static void dump_prog_type(FILE *out, uint32_t type)
{
	const char *s = libbpf_bpf_prog_type_str(type);

	if (!s) {
		fprintf(out, "prog type %u", type);
		return;
	}
	fputs("BPF_PROG_TYPE_", out);
	for (; *s; s++)
		fputc(toupper((unsigned char)*s), out);
}

/* "; <source text>  [file:line]", the text trimmed of indentation;
 * "; [file:line]" when the source is not at hand. */
static void dump_srcline(FILE *out, const struct bt_loc *loc)
{
	const char *file = loc->file ? loc->file : "?";
	const char *text = NULL;
	size_t len = 0;

	if (loc->file)
		text = diag_source_line(loc->file, loc->line, &len);
	if (!text)
		len = 0;
	while (len && (*text == ' ' || *text == '\t')) {
		text++;
		len--;
	}
	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	if (len)
		fprintf(out, "; %.*s  [%s:%d]\n", (int)len, text, file,
			loc->line);
	else
		fprintf(out, "; [%s:%d]\n", file, loc->line);
}

static bool dump_same_line(const struct bt_loc *a, const struct bt_loc *b)
{
	if (!a || a->line != b->line)
		return false;
	return a->file == b->file ||
	       (a->file && b->file && !strcmp(a->file, b->file));
}

static void dump_prog(FILE *out, const struct bt_objprog *p,
		      const struct bt_object *obj)
{
	const struct bt_loc *shown = NULL;
	uint32_t i, line = 0;
	char buf[160];

	fprintf(out, "%s:", p->name ? p->name : "?");
	if (p->subprog) {
		fprintf(out, " subprogram (.text), %u insns\n", p->ninsns);
	} else {
		if (p->attach.pp)
			fprintf(out, " %s", p->attach.pp);
		fprintf(out, " (%s, ", p->section ? p->section : "?");
		dump_prog_type(out, p->prog_type);
		fprintf(out, "), %u insns\n", p->ninsns);
	}

	for (i = 0; i < p->ninsns; i++) {
		const struct bt_loc *loc = NULL;

		/* The last of the lines starting here is the one in effect. */
		while (line < p->nlines && p->lines[line].insn <= i) {
			if (p->lines[line].insn == i)
				loc = &p->lines[line].loc;
			line++;
		}
		if (loc && !dump_same_line(shown, loc)) {
			dump_srcline(out, loc);
			shown = loc;
		}
		if (p->insns[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    i + 1 >= p->ninsns)
			snprintf(buf, sizeof(buf), "(18) BUG_ld_imm64 truncated");
		else
			disasm_insn(p->insns, i, p, obj, buf, sizeof(buf));
		fprintf(out, "%4u: %s\n", i, buf);
		if (p->insns[i].code == (BPF_LD | BPF_IMM | BPF_DW))
			i++;
	}
	fputc('\n', out);
}

static void dump_map_type(FILE *out, uint32_t type)
{
	const char *s = libbpf_bpf_map_type_str(type);
	char tmp[24];

	if (!s) {
		snprintf(tmp, sizeof(tmp), "type%u", type);
		s = tmp;
	}
	fprintf(out, "%-14s", s);
}

static void dump_maps(FILE *out, const struct bt_object *obj)
{
	int i;

	fprintf(out, "maps:\n");
	fprintf(out, "  %3s  %-24s %-14s %5s %6s %8s  %s\n", "#", "name",
		"type", "key", "value", "entries", "flags");
	for (i = 0; i < obj->nmaps; i++) {
		const struct bt_objmap *m = &obj->maps[i];

		fprintf(out, "  %3d  %-24s ", i, m->name);
		dump_map_type(out, m->type);
		fprintf(out, " %5u %6u %8u  0x%x\n", m->key_size,
			m->value_size, m->max_entries, m->flags);
	}
}

/* The format string as a C literal would spell it. */
static void dump_c_string(FILE *out, const char *s, size_t len)
{
	size_t i;

	fputc('"', out);
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		case '\a': fputs("\\a", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		case '\v': fputs("\\v", out); break;
		case '\\': fputs("\\\\", out); break;
		case '"': fputs("\\\"", out); break;
		default:
			/* Three digits always, so a digit after it is not
			 * taken into the escape. */
			if (c < 0x20 || c >= 0x7f)
				fprintf(out, "\\%03o", c);
			else
				fputc(c, out);
		}
	}
	fputc('"', out);
}

static const char *dump_type_name(enum bt_type t)
{
	switch (t) {
	case BT_LONG:
		return "long";
	case BT_STRING:
		return "string";
	case BT_STATS:
		return "stats";
	default:
		return "?";
	}
}

static void dump_formats(FILE *out, const struct bt_object *obj)
{
	int i, j;

	fprintf(out, "formats:\n");
	for (i = 0; i < obj->nformats; i++) {
		const struct bt_format *f = &obj->formats[i];

		fprintf(out, "  %3d  ", i);
		dump_c_string(out, f->fmt ? f->fmt : "",
			      f->fmt ? f->len : 0);
		fputs(" (", out);
		for (j = 0; j < f->nargs; j++)
			fprintf(out, "%s%s", j ? ", " : "",
				dump_type_name(f->argtypes[j]));
		fputs(")\n", out);
	}
}

void obj_dump(const struct bt_object *obj, FILE *out)
{
	int i;

	for (i = 0; i < obj->nprogs; i++)
		if (!obj->progs[i].subprog)
			dump_prog(out, &obj->progs[i], obj);
	for (i = 0; i < obj->nprogs; i++)
		if (obj->progs[i].subprog)
			dump_prog(out, &obj->progs[i], obj);
	dump_maps(out, obj);
	fprintf(out, ".data: %u bytes\n", obj->data_size);
	if (obj->rodata_size)
		fprintf(out, ".rodata: %u bytes\n", obj->rodata_size);
	dump_formats(out, obj);
}
