// SPDX-License-Identifier: GPL-2.0
/* The instruction buffer: growth, labels and their fixups, relocations. */
#include <stdlib.h>
#include <string.h>
#include "emit.h"

void emit_init(struct emit_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void emit_release(struct emit_buf *b)
{
	free(b->insns);
	free(b->relocs);
	free(b->lines);
	free(b->labels);
	free(b->fixups);
	memset(b, 0, sizeof(*b));
}

/* Make room for one more element of an array; false (and oom) on failure. */
static bool emit_grow(struct emit_buf *b, void **arr, uint32_t n,
		      uint32_t *cap, size_t size)
{
	uint32_t ncap;
	void *p;

	if (n < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 64;
	p = realloc(*arr, (size_t)ncap * size);
	if (!p) {
		b->oom = true;
		return false;
	}
	*arr = p;
	*cap = ncap;
	return true;
}

void emit(struct emit_buf *b, struct bpf_insn insn)
{
	if (!emit_grow(b, (void **)&b->insns, b->n, &b->cap, sizeof(insn)))
		return;
	b->insns[b->n++] = insn;
}

static void emit_ld_imm64(struct emit_buf *b, int reg, int64_t imm)
{
	emit(b, (struct bpf_insn){ .code = BPF_LD | BPF_DW | BPF_IMM,
				   .dst_reg = reg, .imm = (int32_t)imm });
	emit(b, (struct bpf_insn){ .imm = (int32_t)((uint64_t)imm >> 32) });
}

void emit_mov_imm(struct emit_buf *b, int reg, int64_t imm)
{
	if (imm >= INT32_MIN && imm <= INT32_MAX)
		emit(b, insn_alu64_imm(BPF_MOV, reg, (int32_t)imm));
	else
		emit_ld_imm64(b, reg, imm);
}

void emit_ld_map(struct emit_buf *b, int reg, int map, int32_t off)
{
	if (emit_grow(b, (void **)&b->relocs, b->nrelocs, &b->relocs_cap,
		      sizeof(*b->relocs)))
		b->relocs[b->nrelocs++] = (struct bt_reloc){ b->n, map };
	emit_ld_imm64(b, reg, map == BT_RELOC_DATA || map == BT_RELOC_RODATA ?
		      off : 0);
}

int emit_new_label(struct emit_buf *b)
{
	if (b->nlabels == b->labels_cap) {
		int ncap = b->labels_cap ? b->labels_cap * 2 : 32;
		int32_t *p = realloc(b->labels, ncap * sizeof(*p));

		if (!p) {
			b->oom = true;
			return 0;
		}
		b->labels = p;
		b->labels_cap = ncap;
	}
	b->labels[b->nlabels] = -1;
	return b->nlabels++;
}

void emit_place_label(struct emit_buf *b, int label)
{
	if (label < b->nlabels)
		b->labels[label] = b->n;
}

static void emit_jump(struct emit_buf *b, struct bpf_insn insn, int label)
{
	if (emit_grow(b, (void **)&b->fixups, b->nfixups, &b->fixups_cap,
		      sizeof(*b->fixups)))
		b->fixups[b->nfixups++] = (struct emit_fixup){ b->n, label };
	emit(b, insn);
}

void emit_jmp_reg(struct emit_buf *b, int op, int dst, int src, int label)
{
	emit_jump(b, (struct bpf_insn){ .code = BPF_JMP | BPF_OP(op) | BPF_X,
					 .dst_reg = dst, .src_reg = src },
		  label);
}

void emit_jmp_imm(struct emit_buf *b, int op, int dst, int32_t imm,
		  int label)
{
	emit_jump(b, (struct bpf_insn){ .code = BPF_JMP | BPF_OP(op) | BPF_K,
					 .dst_reg = dst, .imm = imm },
		  label);
}

void emit_ja(struct emit_buf *b, int label)
{
	emit_jump(b, (struct bpf_insn){ .code = BPF_JMP | BPF_JA }, label);
}

void emit_line(struct emit_buf *b, const struct bt_loc *loc)
{
	struct bt_srcline *last = b->nlines ? &b->lines[b->nlines - 1] : NULL;

	if (!loc || !loc->file)
		return;
	if (last && last->loc.line == loc->line &&
	    last->loc.file == loc->file)
		return;
	if (last && last->insn == b->n) {
		last->loc = *loc;	/* nothing emitted for the previous */
		return;
	}
	if (emit_grow(b, (void **)&b->lines, b->nlines, &b->lines_cap,
		      sizeof(*b->lines)))
		b->lines[b->nlines++] = (struct bt_srcline){ b->n, *loc };
}

int emit_resolve(struct emit_buf *b)
{
	for (uint32_t i = 0; i < b->nfixups; i++) {
		struct emit_fixup *f = &b->fixups[i];
		int64_t off;

		if (f->label >= b->nlabels || b->labels[f->label] < 0)
			return -1;
		off = (int64_t)b->labels[f->label] - f->insn - 1;
		if (off < INT16_MIN || off > INT16_MAX)
			return -1;
		b->insns[f->insn].off = (int16_t)off;
	}
	return b->oom ? -1 : 0;
}

bool emit_is_ldimm64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_DW | BPF_IMM);
}

bool emit_is_jump(const struct bpf_insn *in)
{
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL &&
	       op != BPF_EXIT;
}

/* Mark what can run, from instruction 0 (resolved jumps only). */
static void emit_mark_live(const struct emit_buf *b, bool *live)
{
	uint32_t *work = malloc((b->n + 1) * sizeof(*work)), nw = 0;

	if (!work) {
		for (uint32_t i = 0; i < b->n; i++)
			live[i] = true;
		return;
	}
	if (b->n)
		work[nw++] = 0;
	while (nw) {
		uint32_t i = work[--nw];

		while (i < b->n && !live[i]) {
			const struct bpf_insn *in = &b->insns[i];

			live[i] = true;
			if (emit_is_ldimm64(in)) {
				if (i + 1 < b->n)
					live[i + 1] = true;
				i += 2;
				continue;
			}
			if (BPF_CLASS(in->code) == BPF_JMP &&
			    BPF_OP(in->code) == BPF_EXIT)
				break;
			if (emit_is_jump(in)) {
				uint32_t t = i + 1 + in->off;

				if (t < b->n && !live[t])
					work[nw++] = t;
				if (BPF_OP(in->code) == BPF_JA)
					break;
			}
			i++;
		}
	}
	free(work);
}

void emit_compact(struct emit_buf *b, const bool *keep)
{
	uint32_t *map = malloc((b->n + 1) * sizeof(*map)), n = 0, r = 0;

	if (!map) {
		b->oom = true;
		return;
	}
	for (uint32_t i = 0; i < b->n; i++) {
		map[i] = n;
		n += keep[i];
	}
	map[b->n] = n;
	for (uint32_t i = 0; i < b->n; i++) {
		struct bpf_insn in = b->insns[i];

		if (!keep[i])
			continue;
		if (emit_is_jump(&in))
			in.off = (int16_t)(map[i + 1 + in.off] - map[i] - 1);
		b->insns[map[i]] = in;
	}
	for (uint32_t i = 0; i < b->nrelocs; i++)
		if (keep[b->relocs[i].insn])
			b->relocs[r++] = (struct bt_reloc){
				map[b->relocs[i].insn], b->relocs[i].map };
	b->nrelocs = r;
	for (uint32_t i = 0; i < b->nlines; i++)
		b->lines[i].insn = map[b->lines[i].insn];
	for (int i = 0; i < b->nlabels; i++)
		if (b->labels[i] >= 0)
			b->labels[i] = map[b->labels[i]];
	b->n = n;
	free(map);
}

/*
 * Remove instructions that can never run (code after a return or next,
 * the fall-through default of a function that always returns): the
 * verifier rejects unreachable instructions. Call after emit_resolve.
 */
int emit_dce(struct emit_buf *b)
{
	bool *live = calloc(b->n + 1, sizeof(*live));

	if (!live)
		return -1;
	emit_mark_live(b, live);
	/* a jump to the next instruction that runs is no jump (a constant
	 * condition leaves them) */
	for (uint32_t i = 0; i < b->n; i++) {
		const struct bpf_insn *in = &b->insns[i];
		uint32_t t;

		if (!live[i] || in->code != (BPF_JMP | BPF_JA))
			continue;
		for (t = i + 1; t < b->n && !live[t]; t++)
			;
		if (t == i + 1 + in->off)
			live[i] = false;
	}
	emit_compact(b, live);
	free(live);
	return b->oom ? -1 : 0;
}
