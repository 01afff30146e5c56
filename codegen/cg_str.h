/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between cg_string.c (string values, `.`, comparison) and
 * cg_strfn.c (the string built-ins): building strings piece by piece and
 * the word-at-a-time tricks.
 */
#ifndef BPFTAP_CG_STR_H
#define BPFTAP_CG_STR_H

#include "cg.h"

/* 0x80 in each byte that is zero, with 0x7f.. in a register: see
 * cg_str_zero_flags. */
#define CG_STR_K7F	0x7f7f7f7f7f7f7f7fLL
#define CG_STR_K01	0x0101010101010101LL

/*
 * A string being built: a buffer of 2 * strfield bytes (temporary buf)
 * and its length so far, known at compile time (known >= 0) or in the
 * temporary len. Pieces past MAXSTRINGLEN-1 bytes are cut.
 */
struct cg_cat {
	int buf;
	int len;
	int32_t known;
};

void cg_cat_begin(struct cg *c, const struct bt_loc *loc, struct cg_cat *k);
int cg_cat_end(struct cg *c, struct cg_cat *k);
void cg_cat_ptr(struct cg *c, struct cg_cat *k, int p);
void cg_cat_bytes(struct cg *c, struct cg_cat *k, const char *s, size_t n);
void cg_cat_expr(struct cg *c, struct cg_cat *k, const struct bt_expr *e);

int cg_str_buffer_n(struct cg *c, const struct bt_loc *loc, uint32_t size);
void cg_str_store_bytes(struct cg *c, int reg, int32_t off, const char *s,
			size_t n);
void cg_str_tmov(struct cg *c, int reg, int t);
void cg_str_clamp_max(struct cg *c, int reg, int32_t max);
void cg_str_clamp_min0(struct cg *c, int reg);
void cg_str_zero_flags(struct cg *c, int dst, int src, int k);

/* cg_strfn.c: the offset of NUL-terminated s in .rodata, or -1 */
int32_t cg_rodata_str(struct cg *c, const char *s);

/* cg_sprintf.c: sprintf(fmt, ...) as a string temporary */
int cg_sprintf(struct cg *c, const struct bt_expr *e);
int cg_sprint_family(struct cg *c, const struct bt_expr *e);

#endif
