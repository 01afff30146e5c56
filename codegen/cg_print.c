// SPDX-License-Identifier: GPL-2.0
/*
 * printf and friends. The kernel side only ships the arguments: a record
 * {REC_PRINTF, format id, args...} goes into the ring buffer and the
 * runtime formats it with 64-bit conversions. print/println/printd/printdln
 * become printf formats built here, with literal text baked in.
 */
#include <stdlib.h>
#include <string.h>
#include "cg.h"

#define CG_MAX_PRINT_ARGS 32

struct cg_fmt {
	char *buf;
	size_t len, cap;
	const struct bt_expr *args[CG_MAX_PRINT_ARGS];
	enum bt_type types[CG_MAX_PRINT_ARGS];
	int nargs;
	bool oom;
};

static void cg_fmt_put(struct cg_fmt *f, const char *s, size_t n)
{
	if (f->len + n + 1 > f->cap) {
		size_t ncap = (f->len + n + 1) * 2;
		char *p = realloc(f->buf, ncap);

		if (!p) {
			f->oom = true;
			return;
		}
		f->buf = p;
		f->cap = ncap;
	}
	memcpy(f->buf + f->len, s, n);
	f->len += n;
	f->buf[f->len] = 0;
}

/* Literal text in a format: '%' doubles. */
static void cg_fmt_text(struct cg_fmt *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%')
			cg_fmt_put(f, "%%", 2);
		else
			cg_fmt_put(f, s + i, 1);
	}
}

static bool cg_fmt_arg(struct cg *c, struct cg_fmt *f, const struct bt_expr *e,
		       enum bt_type type)
{
	if (f->nargs == CG_MAX_PRINT_ARGS) {
		cg_error(c, &e->loc, "too many arguments to print (at most "
			 "%d)", CG_MAX_PRINT_ARGS);
		return false;
	}
	f->args[f->nargs] = e;
	f->types[f->nargs++] = type;
	return true;
}

/* One value of print/println/printd: literals become text. */
static bool cg_fmt_value(struct cg *c, struct cg_fmt *f,
			 const struct bt_expr *e)
{
	if (e->kind == E_STR) {
		cg_fmt_text(f, e->str, e->len);
		return true;
	}
	if (e->type == BT_STRING) {
		cg_fmt_put(f, "%s", 2);
		return cg_fmt_arg(c, f, e, BT_STRING);
	}
	if (e->type != BT_LONG) {
		cg_error(c, &e->loc, "printing this value is not supported "
			 "yet");
		return false;
	}
	cg_fmt_put(f, "%d", 2);
	return cg_fmt_arg(c, f, e, BT_LONG);
}

/*
 * Check a printf format against its arguments, dropping C length
 * modifiers (stap accepts and ignores them; every conversion is 64-bit).
 */
static bool cg_fmt_printf(struct cg *c, struct cg_fmt *f,
			  const struct bt_expr *fmt, const struct bt_expr *arg)
{
	const char *s = fmt->str, *end = fmt->str + fmt->len;

	while (s < end) {
		const char *start = s;
		enum bt_type want;

		if (*s != '%') {
			cg_fmt_put(f, s++, 1);
			continue;
		}
		s++;
		if (s < end && *s == '%') {
			cg_fmt_put(f, "%%", 2);
			s++;
			continue;
		}
		if (s < end && strchr("-+ 0#", *s))	/* one flag */
			s++;
		for (int part = 0; part < 2; part++) {
			if (part == 1) {
				if (s >= end || *s != '.')
					break;
				s++;
			}
			if (s < end && *s == '*') {
				if (!arg) {
					cg_error(c, &fmt->loc, "format '*' "
						 "has no argument");
					return false;
				}
				if (arg->type != BT_LONG) {
					cg_error(c, &arg->loc, "'*' in a format "
						 "takes a number");
					return false;
				}
				if (!cg_fmt_arg(c, f, arg, BT_LONG))
					return false;
				arg = arg->next;
				s++;
			}
			while (s < end && *s >= '0' && *s <= '9')
				s++;
		}
		cg_fmt_put(f, start, s - start);
		while (s < end && strchr("hlLqjzt", *s))
			s++;
		if (s >= end || !strchr("diuxXocsp", *s)) {
			cg_error(c, &fmt->loc, "unsupported conversion '%%%c' "
				 "in format", s < end ? *s : ' ');
			return false;
		}
		want = *s == 's' ? BT_STRING : BT_LONG;
		cg_fmt_put(f, s++, 1);
		if (!arg) {
			cg_error(c, &fmt->loc, "format needs more arguments "
				 "than the %d given", f->nargs);
			return false;
		}
		if (arg->type != want) {
			cg_error(c, &arg->loc, "format expects a %s here, not "
				 "a %s", ast_type_str(want),
				 ast_type_str(arg->type));
			return false;
		}
		if (!cg_fmt_arg(c, f, arg, want))
			return false;
		arg = arg->next;
	}
	if (arg) {
		cg_error(c, &arg->loc, "too many arguments for the format");
		return false;
	}
	return true;
}

static bool cg_fmt_build(struct cg *c, struct cg_fmt *f,
			 const struct bt_expr *call)
{
	const struct bt_expr *a = call->args, *delim = NULL;
	enum bt_builtin_id id = call->builtin->id;
	bool first = true;

	if (id == BI_PRINTF)
		return cg_fmt_printf(c, f, a, a->next);
	if (id == BI_PRINTD || id == BI_PRINTDLN) {
		delim = a;
		a = a->next;
	}
	for (; a; a = a->next, first = false) {
		if (delim && !first && !cg_fmt_value(c, f, delim))
			return false;
		if (!cg_fmt_value(c, f, a))
			return false;
	}
	if (id == BI_PRINTLN || id == BI_PRINTDLN || id == BI_LOG)
		cg_fmt_put(f, "\n", 1);
	return true;
}

/* Evaluate the arguments, then reserve, fill and submit the record. The
 * arguments come first so that no error path leaves a record reserved. */
static void cg_print_record(struct cg *c, const struct bt_loc *loc,
			    struct cg_fmt *f, int id)
{
	int base = c->depth, skip = emit_new_label(&c->b), rec, r, v;
	uint32_t size = sizeof(struct bt_rec_hdr), off;

	for (int i = 0; i < f->nargs; i++) {
		if (f->types[i] == BT_STRING && f->args[i]->kind == E_STR)
			cg_push(c, loc);	/* placeholder, stored below */
		else
			cg_expr(c, f->args[i]);
		size += f->types[i] == BT_STRING ? c->strfield : 8;
	}
	rec = cg_push(c, loc);
	cg_record_begin(c, REC_PRINTF, id, size, rec, skip);
	off = sizeof(struct bt_rec_hdr);
	for (int i = 0; i < f->nargs; i++) {
		if (f->types[i] == BT_LONG) {
			v = cg_treg(c, base + i, BPF_REG_2);
			r = cg_treg(c, rec, BPF_REG_1);
			emit(&c->b, insn_stx(BPF_DW, r, v, off));
			off += 8;
			continue;
		}
		if (f->args[i]->kind == E_STR) {
			cg_str_copy(c, rec, off, f->args[i]);
		} else {
			r = cg_treg(c, rec, BPF_REG_1);
			if (r != BPF_REG_1)
				emit(&c->b, insn_mov_reg(BPF_REG_1, r));
			emit(&c->b, insn_alu64_imm(BPF_ADD, BPF_REG_1, off));
			emit_mov_imm(&c->b, BPF_REG_2, c->strfield);
			v = cg_treg(c, base + i, BPF_REG_3);
			if (v != BPF_REG_3)
				emit(&c->b, insn_mov_reg(BPF_REG_3, v));
			emit(&c->b, insn_call(BPF_FUNC_probe_read_kernel_str));
		}
		off += c->strfield;
	}
	cg_record_end(c, rec);
	emit_place_label(&c->b, skip);
	c->depth = base;
}

/*
 * Many arguments would need more temporaries than there are: each is
 * evaluated alone and stored straight into a copy of the record in the
 * scratch value, which bpf_ringbuf_output sends whole. Evaluating them
 * all first keeps the rule above (no record is left reserved).
 */
static void cg_print_staged(struct cg *c, const struct bt_loc *loc,
			    struct cg_fmt *f, int id)
{
	uint32_t size = sizeof(struct bt_rec_hdr), off;
	int ok = emit_new_label(&c->b), t, r;
	int32_t blk;

	for (int i = 0; i < f->nargs; i++)
		size += f->types[i] == BT_STRING ? c->strfield : 8;
	blk = cg_scratch_temp(c, size);
	off = blk + sizeof(struct bt_rec_hdr);
	for (int i = 0; i < f->nargs; i++) {
		if (f->types[i] == BT_STRING) {
			t = cg_push(c, loc);
			cg_scratch_ptr(c, BPF_REG_0, 0);
			cg_tset(c, t, BPF_REG_0);
			cg_str_copy(c, t, off, f->args[i]);
			cg_pop(c, 1);
			off += c->strfield;
			continue;
		}
		t = cg_expr(c, f->args[i]);
		r = cg_treg(c, t, BPF_REG_2);
		emit(&c->b, insn_ldx(BPF_DW, BPF_REG_1, BPF_REG_10,
				     CG_FP_SCRATCH));
		emit(&c->b, insn_stx(BPF_DW, BPF_REG_1, r, off));
		cg_pop(c, 1);
		off += 8;
	}
	cg_scratch_ptr(c, BPF_REG_2, blk);
	emit(&c->b, insn_st(BPF_W, BPF_REG_2, 0, REC_PRINTF));
	emit(&c->b, insn_st(BPF_W, BPF_REG_2, 4, id));
	emit_ld_map(&c->b, BPF_REG_1, c->map_ringbuf, 0);
	emit_mov_imm(&c->b, BPF_REG_3, size);
	emit_mov_imm(&c->b, BPF_REG_4, 0);
	emit(&c->b, insn_call(BPF_FUNC_ringbuf_output));
	emit_jmp_imm(&c->b, BPF_JSGE, BPF_REG_0, 0, ok);
	cg_count_lost(c);
	emit_place_label(&c->b, ok);
}

void cg_print(struct cg *c, const struct bt_expr *call)
{
	struct cg_fmt f = { 0 };
	int id;

	if ((call->builtin->id == BI_PRINT || call->builtin->id == BI_PRINTLN) &&
	    call->args && call->args->kind == E_HIST && !call->args->keys &&
	    !call->args->next) {
		cg_stat_hist_print(c, call->args);
		return;
	}
	cg_fmt_put(&f, "", 0);
	if (cg_fmt_build(c, &f, call) && !f.oom) {
		id = cg_add_format(c, f.buf, f.len, f.types, f.nargs);
		if (id >= 0 && f.nargs > CG_TEMP_REGS)
			cg_print_staged(c, &call->loc, &f, id);
		else if (id >= 0)
			cg_print_record(c, &call->loc, &f, id);
	}
	free(f.buf);
}
