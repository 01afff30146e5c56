// SPDX-License-Identifier: GPL-2.0
/*
 * The object writer: struct bt_object -> BPF ELF relocatable, the same
 * shape clang produces for a libbpf program, so that libbpf
 * (bpf_object__open_mem) and bpftool accept it:
 *
 *   <prog sections>  code, one GLOBAL FUNC symbol per program
 *   .text            the subprograms, one LOCAL FUNC symbol each (clang's
 *                    static functions); libbpf appends those a program
 *                    uses to it when loading
 *   .rel<section>    R_BPF_64_64 against a map symbol or the .data/.rodata
 *                    section; for subprograms, against the .text section
 *                    symbol: R_BPF_64_32 on calls, R_BPF_64_64 on ld_imm64
 *   license          "GPL"
 *   .maps            BTF-defined maps: zeroed storage for one anonymous
 *                    struct per map, a GLOBAL OBJECT symbol each
 *   .data            initial values of the .data map
 *   .rodata          constants; libbpf freezes this map after loading it
 *   .BTF             types of the .maps (.data, .rodata) variables, and
 *                    with subprograms, a FUNC per program
 *   .BTF.ext         with subprograms: func info (the kernel insists on it
 *                    for callbacks)
 *   .bpftap.meta     bpftap's metadata (objmeta.c): attach points,
 *                    formats, errors, globals, source lines; not
 *                    SHF_ALLOC, so libbpf and bpftool skip it
 *   .symtab, .strtab (the latter also holds the section names)
 *
 * The ELF is laid out by hand rather than through libelf: libelf writes
 * only to file descriptors, and an ET_REL without program headers is a
 * header, section contents and a section header table.
 */
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>
#include "../parser/diag.h"
#include "btf.h"
#include "object.h"
#include "objmeta.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif
#define OW_R_BPF_64_64	1	/* elf.h calls it R_BPF_MAP_FD */
#define OW_R_BPF_64_32	10	/* call: imm = insn offset */
#define OW_TEXT		".text"
#define OW_MAX_MEMBERS	6

struct ow_buf {
	uint8_t *p;
	size_t len;
	size_t cap;
};

struct ow_sec {
	uint32_t name_off;
	Elf64_Word type;
	Elf64_Xword flags;
	Elf64_Word link;
	Elf64_Word info;
	Elf64_Xword align;
	Elf64_Xword entsize;
	struct ow_buf buf;
	const char *name;	/* for matching program sections */
};

/* One member of a map definition struct. */
struct ow_member {
	const char *name;
	uint32_t value;		/* int (*name)[value] ... */
	uint32_t typed_size;	/* ... or, when nonzero, T *name, sizeof(T) */
};

/* A variable of .data described in BTF (and as a symbol). */
struct ow_dvar {
	const char *name;
	uint32_t off;
	uint32_t size;
	bool is_long;		/* else an unsigned char array */
};
#define OW_MAX_DVARS 8

struct ow {
	const struct bt_object *obj;
	struct ow_sec *secs;
	int nsecs;
	struct ow_buf strtab;
	Elf64_Sym *syms;
	int nsyms;
	int err;

	int *prog_sec;		/* per program: its section */
	uint32_t *prog_off;	/* per program: byte offset in it */
	uint32_t *map_off;	/* per map: offset in .maps */
	int sec_maps, sec_data, sec_rodata;
	int sym_data;		/* the .data section symbol */
	int sym_rodata;		/* the .rodata section symbol */
	int sym_text;		/* the .text section symbol */
	int sym_maps;		/* symbol of map 0 */
	struct ow_dvar dvars[OW_MAX_DVARS];
	int ndvars;
	struct ow_dvar rodata_var;	/* .rodata as one byte array */
	bool rodata_described;
};

static void *ow_grow(struct ow *w, struct ow_buf *b, size_t n)
{
	void *p;

	if (w->err || !n)
		return NULL;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		uint8_t *np;

		while (cap < b->len + n)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np) {
			w->err = ENOMEM;
			return NULL;
		}
		b->p = np;
		b->cap = cap;
	}
	p = b->p + b->len;
	memset(p, 0, n);
	b->len += n;
	return p;
}

static void ow_append(struct ow *w, struct ow_buf *b, const void *src,
		      size_t n)
{
	void *p = ow_grow(w, b, n);

	if (p)
		memcpy(p, src, n);
}

static uint32_t ow_str(struct ow *w, const char *s)
{
	uint32_t off = w->strtab.len;

	ow_append(w, &w->strtab, s, strlen(s) + 1);
	return off;
}

/* a and b joined, for ".rel" + the name of the section relocated. */
static uint32_t ow_str2(struct ow *w, const char *a, const char *b)
{
	uint32_t off = w->strtab.len;

	ow_append(w, &w->strtab, a, strlen(a));
	ow_append(w, &w->strtab, b, strlen(b) + 1);
	return off;
}

static int ow_sec_new(struct ow *w, const char *name, Elf64_Word type,
		      Elf64_Xword flags, Elf64_Xword align)
{
	struct ow_sec *s;

	if (w->err)
		return 0;
	s = realloc(w->secs, (w->nsecs + 1) * sizeof(*s));
	if (!s) {
		w->err = ENOMEM;
		return 0;
	}
	w->secs = s;
	s = &w->secs[w->nsecs];
	memset(s, 0, sizeof(*s));
	s->name_off = name ? ow_str(w, name) : 0;
	s->name = name;
	s->type = type;
	s->flags = flags;
	s->align = align;
	return w->nsecs++;
}

static int ow_sym(struct ow *w, uint32_t name_off, int bind, int type,
		  int shndx, uint64_t value, uint64_t size)
{
	Elf64_Sym *s;

	if (w->err)
		return 0;
	s = realloc(w->syms, (w->nsyms + 1) * sizeof(*s));
	if (!s) {
		w->err = ENOMEM;
		return 0;
	}
	w->syms = s;
	s = &w->syms[w->nsyms];
	memset(s, 0, sizeof(*s));
	s->st_name = name_off;
	s->st_info = ELF64_ST_INFO(bind, type);
	s->st_other = STV_DEFAULT;
	s->st_shndx = shndx;
	s->st_value = value;
	s->st_size = size;
	return w->nsyms++;
}

static bool ow_is_ldimm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static bool ow_is_pseudo_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) &&
	       insn->src_reg == BPF_PSEUDO_CALL;
}

/* A reference to a subprogram: a call, or an ld_imm64 of its address. */
static bool ow_check_prog_reloc(const struct bt_object *obj,
				const struct bt_objprog *p,
				const struct bt_reloc *r)
{
	int target = BT_RELOC_PROG_INDEX(r->map);
	const struct bpf_insn *insn = &p->insns[r->insn];

	if (target >= obj->nprogs || !obj->progs[target].subprog)
		return false;
	if (ow_is_pseudo_call(insn))
		return true;
	return ow_is_ldimm64(insn) && r->insn + 1 < p->ninsns &&
	       insn->src_reg == BPF_PSEUDO_FUNC;
}

static bool ow_check_reloc(const struct bt_object *obj,
			   const struct bt_objprog *p, const struct bt_reloc *r)
{
	if (r->insn >= p->ninsns)
		return false;
	if (r->map <= BT_RELOC_PROG(0))
		return ow_check_prog_reloc(obj, p, r);
	if (r->insn + 1 >= p->ninsns || !ow_is_ldimm64(&p->insns[r->insn]))
		return false;
	switch (r->map) {
	case BT_RELOC_DATA:
		return obj->data_size;
	case BT_RELOC_RODATA:
		return obj->rodata_size;
	default:
		return r->map >= 0 && r->map < obj->nmaps;
	}
}

/* Reject what would make an object libbpf refuses with a vaguer error. */
static int ow_check(const struct bt_object *obj)
{
	int i, j;

	for (i = 0; i < obj->nmaps; i++)
		if (!obj->maps[i].name || !obj->maps[i].name[0])
			return -1;
	if (obj->rodata_size && !obj->rodata)
		return -1;
	for (i = 0; i < obj->nprogs; i++) {
		const struct bt_objprog *p = &obj->progs[i];

		if (!p->name || !p->name[0] || !p->ninsns || !p->insns)
			return -1;
		/* libbpf takes every function in .text for a subprogram. */
		if (!p->subprog &&
		    (!p->section || !strcmp(p->section, OW_TEXT)))
			return -1;
		for (j = 0; j < p->nrelocs; j++)
			if (!ow_check_reloc(obj, p, &p->relocs[j]))
				return -1;
	}
	return 0;
}

/* Programs sharing a section name share the section, as with clang. */
static int ow_prog_section(struct ow *w, const char *name)
{
	int i;

	for (i = 1; i < w->nsecs; i++)
		if (w->secs[i].type == SHT_PROGBITS &&
		    (w->secs[i].flags & SHF_EXECINSTR) &&
		    !strcmp(w->secs[i].name, name))
			return i;
	return ow_sec_new(w, name, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
			  8);
}

static void ow_add_progs(struct ow *w)
{
	const struct bt_object *obj = w->obj;
	int i;

	for (i = 0; i < obj->nprogs && !w->err; i++) {
		const struct bt_objprog *p = &obj->progs[i];
		int sec = ow_prog_section(w, p->subprog ? OW_TEXT : p->section);

		if (w->err)
			return;
		w->prog_sec[i] = sec;
		w->prog_off[i] = w->secs[sec].buf.len;
		ow_append(w, &w->secs[sec].buf, p->insns,
			  p->ninsns * sizeof(struct bpf_insn));
	}
}

/*
 * References to subprograms are relocated against the .text section
 * symbol, as clang does for static functions, and the instruction's imm
 * says where in .text the target starts. libbpf finds the target at
 *   call:     insn index  sym_off / 8 + imm + 1
 *   ld_imm64: byte offset sym_off + imm
 * (bpf_object__reloc_code), sym_off being 0 for a section symbol.
 */
static void ow_patch_subprog_refs(struct ow *w)
{
	const struct bt_object *obj = w->obj;
	int i, j;

	for (i = 0; i < obj->nprogs && !w->err; i++) {
		const struct bt_objprog *p = &obj->progs[i];
		struct bpf_insn *code = (struct bpf_insn *)
			(w->secs[w->prog_sec[i]].buf.p + w->prog_off[i]);

		for (j = 0; j < p->nrelocs; j++) {
			const struct bt_reloc *r = &p->relocs[j];
			uint32_t off;

			if (r->map > BT_RELOC_PROG(0))
				continue;
			off = w->prog_off[BT_RELOC_PROG_INDEX(r->map)];
			if (ow_is_pseudo_call(&code[r->insn]))
				code[r->insn].imm = off / sizeof(*code) - 1;
			else
				code[r->insn].imm = off;
		}
	}
}

static bool ow_map_is_ringbuf(uint32_t type)
{
	return type == BPF_MAP_TYPE_RINGBUF ||
	       type == BPF_MAP_TYPE_USER_RINGBUF;
}

/*
 * Key and value get a real type (__type(key, T)) where the kernel accepts
 * BTF for the map type and the size names an integer, so that bpftool map
 * dump prints numbers; everything else is described by its size only.
 */
static bool ow_map_typed(const struct bt_objmap *m)
{
	bool sized = (m->key_size == 4 || m->key_size == 8) &&
		     (m->value_size == 4 || m->value_size == 8);

	switch (m->type) {
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		/* The kernel insists on a 32-bit int key for arrays. */
		return sized && m->key_size == 4;
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		return sized;
	default:
		return false;
	}
}

/* The members of map m's definition struct, the way libbpf's
 * __uint()/__type() macros spell them. Returns their number. */
static int ow_map_members(const struct bt_objmap *m, struct ow_member *mb)
{
	bool typed = ow_map_typed(m);
	int n = 0;

	mb[n++] = (struct ow_member){ "type", m->type, 0 };
	if (!ow_map_is_ringbuf(m->type)) {
		if (typed) {
			mb[n++] = (struct ow_member){ "key", 0, m->key_size };
			mb[n++] = (struct ow_member){ "value", 0,
						      m->value_size };
		} else {
			if (m->key_size)
				mb[n++] = (struct ow_member){ "key_size",
							      m->key_size, 0 };
			if (m->value_size)
				mb[n++] = (struct ow_member){ "value_size",
							      m->value_size,
							      0 };
		}
	}
	mb[n++] = (struct ow_member){ "max_entries", m->max_entries, 0 };
	if (m->flags)
		mb[n++] = (struct ow_member){ "map_flags", m->flags, 0 };
	return n;
}

static uint32_t ow_map_def_size(const struct bt_objmap *m)
{
	struct ow_member mb[OW_MAX_MEMBERS];

	return ow_map_members(m, mb) * sizeof(uint64_t);
}

static void ow_add_maps(struct ow *w)
{
	const struct bt_object *obj = w->obj;
	struct ow_sec *s;
	int i, sec;

	if (!obj->nmaps)
		return;
	sec = ow_sec_new(w, ".maps", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8);
	if (w->err)
		return;
	w->sec_maps = sec;
	for (i = 0; i < obj->nmaps; i++) {
		s = &w->secs[sec];
		w->map_off[i] = s->buf.len;
		ow_grow(w, &s->buf, ow_map_def_size(&obj->maps[i]));
	}
}

static bool ow_map_named(const struct bt_object *obj, const char *name)
{
	int i;

	for (i = 0; i < obj->nmaps; i++)
		if (!strcmp(obj->maps[i].name, name))
			return true;
	return false;
}

/*
 * .data is described as the runtime's fixed header fields, then one byte
 * array for the globals, so that bpftool map dump shows the fields by
 * name. libbpf matches every BTF variable of a DATASEC with a global ELF
 * symbol of the same name, so nothing is described if a map took one.
 */
static const struct ow_dvar ow_data_header[] = {
	{ "bpftap_exit", BT_DATA_EXIT_OFF, 8, true },
	{ "bpftap_target", BT_DATA_TARGET_OFF, 8, true },
	{ "bpftap_timeoff", BT_DATA_TIMEOFF_OFF, 8, true },
	{ "bpftap_ncpus", BT_DATA_NCPUS_OFF, 8, true },
	{ "bpftap_lost", BT_DATA_LOST_OFF, 8, true },
};
#define OW_NHEADER (sizeof(ow_data_header) / sizeof(ow_data_header[0]))
_Static_assert(OW_NHEADER + 1 <= OW_MAX_DVARS, "dvars too small");

static void ow_plan_data(struct ow *w)
{
	const struct bt_object *obj = w->obj;
	uint32_t size = obj->data_size;
	int i;

	w->ndvars = 0;
	if (size >= BT_DATA_GLOBALS_OFF) {
		for (i = 0; i < OW_NHEADER; i++)
			w->dvars[w->ndvars++] = ow_data_header[i];
		if (size > BT_DATA_GLOBALS_OFF)
			w->dvars[w->ndvars++] = (struct ow_dvar){
				"bpftap_globals", BT_DATA_GLOBALS_OFF,
				size - BT_DATA_GLOBALS_OFF, false };
	} else if (size) {
		w->dvars[w->ndvars++] = (struct ow_dvar){ "bpftap_data", 0,
							  size, false };
	}
	for (i = 0; i < w->ndvars; i++)
		if (ow_map_named(obj, w->dvars[i].name))
			w->ndvars = 0;
}

static void ow_add_data(struct ow *w)
{
	const struct bt_object *obj = w->obj;
	int sec;

	if (!obj->data_size)
		return;
	sec = ow_sec_new(w, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8);
	if (w->err)
		return;
	w->sec_data = sec;
	ow_append(w, &w->secs[sec].buf, obj->data, obj->data_size);
	ow_plan_data(w);
}

/*
 * .rodata is described like .data, as one unsigned char array, and under
 * the same condition: no map may have taken the variable's name.
 */
static void ow_add_rodata(struct ow *w)
{
	const struct bt_object *obj = w->obj;
	int sec;

	if (!obj->rodata_size)
		return;
	sec = ow_sec_new(w, ".rodata", SHT_PROGBITS, SHF_ALLOC, 8);
	if (w->err)
		return;
	w->sec_rodata = sec;
	ow_append(w, &w->secs[sec].buf, obj->rodata, obj->rodata_size);
	w->rodata_var = (struct ow_dvar){ "bpftap_rodata", 0,
					  obj->rodata_size, false };
	w->rodata_described = !ow_map_named(obj, w->rodata_var.name);
}

static void ow_add_prog_symbols(struct ow *w, bool subprogs)
{
	const struct bt_object *obj = w->obj;
	int i;

	for (i = 0; i < obj->nprogs; i++) {
		const struct bt_objprog *p = &obj->progs[i];

		if (p->subprog != subprogs)
			continue;
		ow_sym(w, ow_str(w, p->name),
		       subprogs ? STB_LOCAL : STB_GLOBAL, STT_FUNC,
		       w->prog_sec[i], w->prog_off[i],
		       p->ninsns * sizeof(struct bpf_insn));
	}
}

/* Locals first (section symbols, subprograms), then the globals. */
static void ow_add_symbols(struct ow *w)
{
	const struct bt_object *obj = w->obj;
	int i;

	if (w->err)
		return;
	ow_sym(w, 0, STB_LOCAL, STT_NOTYPE, SHN_UNDEF, 0, 0);
	if (w->sec_data)
		w->sym_data = ow_sym(w, 0, STB_LOCAL, STT_SECTION,
				     w->sec_data, 0, 0);
	if (w->sec_rodata)
		w->sym_rodata = ow_sym(w, 0, STB_LOCAL, STT_SECTION,
				       w->sec_rodata, 0, 0);
	for (i = 0; i < obj->nprogs; i++)
		if (obj->progs[i].subprog) {
			w->sym_text = ow_sym(w, 0, STB_LOCAL, STT_SECTION,
					     w->prog_sec[i], 0, 0);
			break;
		}
	ow_add_prog_symbols(w, true);
	ow_add_prog_symbols(w, false);
	w->sym_maps = w->nsyms;
	for (i = 0; i < obj->nmaps; i++)
		ow_sym(w, ow_str(w, obj->maps[i].name), STB_GLOBAL,
		       STT_OBJECT, w->sec_maps, w->map_off[i],
		       ow_map_def_size(&obj->maps[i]));
	for (i = 0; i < w->ndvars; i++)
		ow_sym(w, ow_str(w, w->dvars[i].name), STB_GLOBAL,
		       STT_OBJECT, w->sec_data, w->dvars[i].off,
		       w->dvars[i].size);
	if (w->rodata_described)
		ow_sym(w, ow_str(w, w->rodata_var.name), STB_GLOBAL,
		       STT_OBJECT, w->sec_rodata, 0, w->rodata_var.size);
}

/* The symbol relocation r is against, and the relocation type. */
static int ow_reloc_sym(const struct ow *w, const struct bt_objprog *p,
			const struct bt_reloc *r, uint32_t *type)
{
	*type = OW_R_BPF_64_64;
	if (r->map <= BT_RELOC_PROG(0)) {
		if (ow_is_pseudo_call(&p->insns[r->insn]))
			*type = OW_R_BPF_64_32;
		return w->sym_text;
	}
	switch (r->map) {
	case BT_RELOC_DATA:
		return w->sym_data;
	case BT_RELOC_RODATA:
		return w->sym_rodata;
	default:
		return w->sym_maps + r->map;
	}
}

static void ow_add_relocs(struct ow *w, int symtab)
{
	const struct bt_object *obj = w->obj;
	int nprogsecs = w->nsecs;
	int sec, i, j, rel;

	for (sec = 1; sec < nprogsecs; sec++) {
		if (!(w->secs[sec].flags & SHF_EXECINSTR))
			continue;
		rel = 0;
		for (i = 0; i < obj->nprogs; i++) {
			const struct bt_objprog *p = &obj->progs[i];

			if (w->prog_sec[i] != sec)
				continue;
			for (j = 0; j < p->nrelocs && !w->err; j++) {
				const struct bt_reloc *r = &p->relocs[j];
				Elf64_Rel er;
				uint32_t type;
				int sym;

				if (!rel) {
					rel = ow_sec_new(w, NULL, SHT_REL, 0, 8);
					if (w->err)
						return;
					w->secs[rel].name_off =
						ow_str2(w, ".rel",
							w->secs[sec].name);
					w->secs[rel].link = symtab;
					w->secs[rel].info = sec;
					w->secs[rel].flags = SHF_INFO_LINK;
					w->secs[rel].entsize = sizeof(er);
				}
				sym = ow_reloc_sym(w, p, r, &type);
				er.r_offset = w->prog_off[i] +
					      r->insn * sizeof(struct bpf_insn);
				er.r_info = ELF64_R_INFO(sym, type);
				ow_append(w, &w->secs[rel].buf, &er,
					  sizeof(er));
			}
		}
	}
}

/*
 * BTF types are shared where they repeat: `int (*)[N]` for each distinct N
 * and the few integer types, each made on first use.
 */
struct ow_btf {
	struct btfw *b;
	uint32_t int_id;	/* int */
	uint32_t idx_id;	/* __ARRAY_SIZE_TYPE__, clang's array index */
	uint32_t long_id;	/* long */
	uint32_t uint_id;	/* unsigned int */
	uint32_t u8_id;		/* unsigned char */
	uint32_t long_ptr;	/* long * */
	uint32_t uint_ptr;	/* unsigned int * */
	struct {
		uint32_t n;
		uint32_t id;
	} *arr_ptrs;		/* int (*)[n] */
	int narr_ptrs;
	uint32_t *func_ids;	/* per program: its FUNC, for .BTF.ext */
	uint32_t *sec_names;	/* per section: its name in .BTF strings */
	struct bpf_line_info *lines;	/* insn_off: index in the program */
	int *line_prog;		/* per line: its program */
	int nlines;
};

static uint32_t ow_btf_long(struct ow_btf *t)
{
	if (!t->long_id)
		t->long_id = btfw_int(t->b, "long", 8, BTF_INT_SIGNED);
	return t->long_id;
}

static uint32_t ow_btf_arr_ptr(struct ow *w, struct ow_btf *t, uint32_t n)
{
	void *p;
	int i;

	for (i = 0; i < t->narr_ptrs; i++)
		if (t->arr_ptrs[i].n == n)
			return t->arr_ptrs[i].id;
	p = realloc(t->arr_ptrs, (t->narr_ptrs + 1) * sizeof(*t->arr_ptrs));
	if (!p) {
		w->err = ENOMEM;
		return 0;
	}
	t->arr_ptrs = p;
	t->arr_ptrs[i].n = n;
	t->arr_ptrs[i].id = btfw_ptr(t->b, btfw_array(t->b, t->int_id,
						      t->idx_id, n));
	t->narr_ptrs++;
	return t->arr_ptrs[i].id;
}

static uint32_t ow_btf_member_type(struct ow *w, struct ow_btf *t,
				   const struct ow_member *m)
{
	switch (m->typed_size) {
	case 8:
		if (!t->long_ptr)
			t->long_ptr = btfw_ptr(t->b, ow_btf_long(t));
		return t->long_ptr;
	case 4:
		if (!t->uint_id)
			t->uint_id = btfw_int(t->b, "unsigned int", 4, 0);
		if (!t->uint_ptr)
			t->uint_ptr = btfw_ptr(t->b, t->uint_id);
		return t->uint_ptr;
	default:
		return ow_btf_arr_ptr(w, t, m->value);
	}
}

/* Per map: struct { int (*type)[T]; ... } NAME SEC(".maps"). */
static void ow_btf_maps(struct ow *w, struct ow_btf *t)
{
	const struct bt_object *obj = w->obj;
	uint32_t *vars;
	int i, k, n;

	vars = calloc(obj->nmaps, sizeof(*vars));
	if (!vars) {
		w->err = ENOMEM;
		return;
	}
	for (i = 0; i < obj->nmaps && !w->err; i++) {
		const struct bt_objmap *m = &obj->maps[i];
		struct ow_member mb[OW_MAX_MEMBERS];
		uint32_t types[OW_MAX_MEMBERS], st;

		n = ow_map_members(m, mb);
		for (k = 0; k < n; k++)
			types[k] = ow_btf_member_type(w, t, &mb[k]);
		st = btfw_struct(t->b, NULL, n * sizeof(uint64_t));
		for (k = 0; k < n; k++)
			btfw_member(t->b, mb[k].name, types[k], k * 64);
		vars[i] = btfw_var(t->b, m->name, st,
				   BTF_VAR_GLOBAL_ALLOCATED);
	}
	btfw_datasec(t->b, ".maps", w->secs[w->sec_maps].buf.len);
	for (i = 0; i < obj->nmaps; i++)
		btfw_secinfo(t->b, vars[i], w->map_off[i],
			     ow_map_def_size(&obj->maps[i]));
	free(vars);
}

static uint32_t ow_btf_u8(struct ow_btf *t)
{
	if (!t->u8_id)
		t->u8_id = btfw_int(t->b, "unsigned char", 1, 0);
	return t->u8_id;
}

/* .data: long for the header fields, unsigned char[] for the rest. */
static void ow_btf_data(struct ow *w, struct ow_btf *t)
{
	uint32_t vars[OW_MAX_DVARS];
	int i;

	for (i = 0; i < w->ndvars; i++) {
		const struct ow_dvar *v = &w->dvars[i];
		uint32_t type;

		if (v->is_long)
			type = ow_btf_long(t);
		else
			type = btfw_array(t->b, ow_btf_u8(t), t->idx_id,
					  v->size);
		vars[i] = btfw_var(t->b, v->name, type,
				   BTF_VAR_GLOBAL_ALLOCATED);
	}
	btfw_datasec(t->b, ".data", w->obj->data_size);
	for (i = 0; i < w->ndvars; i++)
		btfw_secinfo(t->b, vars[i], w->dvars[i].off, w->dvars[i].size);
}

/* .rodata: const unsigned char bpftap_rodata[size]. */
static void ow_btf_rodata(struct ow *w, struct ow_btf *t)
{
	uint32_t size = w->rodata_var.size, arr, var;

	arr = btfw_array(t->b, ow_btf_u8(t), t->idx_id, size);
	var = btfw_var(t->b, w->rodata_var.name, btfw_const(t->b, arr),
		       BTF_VAR_GLOBAL_ALLOCATED);
	btfw_datasec(t->b, ".rodata", size);
	btfw_secinfo(t->b, var, 0, size);
}

static void ow_btf_line(struct ow *w, struct ow_btf *t, int prog,
			uint32_t insn, const struct bt_loc *loc)
{
	struct bpf_line_info *li;
	const char *text = NULL;
	size_t len = 0;
	char *copy;
	int *lp;

	li = realloc(t->lines, (t->nlines + 1) * sizeof(*li));
	if (!li) {
		w->err = ENOMEM;
		return;
	}
	t->lines = li;
	lp = realloc(t->line_prog, (t->nlines + 1) * sizeof(*lp));
	if (!lp) {
		w->err = ENOMEM;
		return;
	}
	t->line_prog = lp;
	if (loc && loc->file)
		text = diag_source_line(loc->file, loc->line, &len);
	while (text && len && (*text == ' ' || *text == '\t')) {
		text++;
		len--;
	}
	while (text && len && isspace((unsigned char)text[len - 1]))
		len--;
	copy = strndup(text ? text : "", text ? len : 0);
	if (!copy) {
		w->err = ENOMEM;
		return;
	}
	li = &t->lines[t->nlines];
	li->insn_off = insn;
	li->file_name_off = btfw_str(t->b, loc && loc->file ? loc->file : "");
	li->line_off = btfw_str(t->b, copy);
	li->line_col = loc ? (uint32_t)loc->line << 10 |
			     ((uint32_t)loc->col & 0x3ff) : 0;
	t->line_prog[t->nlines++] = prog;
	free(copy);
}

/*
 * Line info: libbpf wants it for every program once there is func info,
 * the kernel one record at each function's first instruction and none on
 * the second half of an ld_imm64. The program's source lines serve, the
 * probe point's location standing in at instruction 0.
 */
static void ow_btf_prog_lines(struct ow *w, struct ow_btf *t, int prog)
{
	const struct bt_objprog *p = &w->obj->progs[prog];
	const struct bt_loc *loc = &p->loc;
	uint32_t i, l = 0;

	for (i = 0; i < p->ninsns && !w->err; i++) {
		bool mark = i == 0;

		/* The last of the lines starting here is the one in effect. */
		while (l < p->nlines && p->lines[l].insn <= i) {
			if (p->lines[l].insn == i) {
				loc = &p->lines[l].loc;
				mark = true;
			}
			l++;
		}
		if (mark)
			ow_btf_line(w, t, prog, i, loc);
		if (ow_is_ldimm64(&p->insns[i]))
			i++;
	}
}

static bool ow_has_subprogs(const struct bt_object *obj)
{
	int i;

	for (i = 0; i < obj->nprogs; i++)
		if (obj->progs[i].subprog)
			return true;
	return false;
}

/*
 * The kernel takes a callback's address (BPF_PSEUDO_FUNC) only with BTF
 * func info saying the callback is static, and then wants func info for
 * every function of the program. So with subprograms each program gets a
 * FUNC, as clang would declare them:
 *   entry:      int NAME(void *ctx), global
 *   subprogram: long NAME(void), static (whose arguments, unlike a global
 *               function's, the verifier does not check against BTF)
 */
static void ow_btf_funcs(struct ow *w, struct ow_btf *t)
{
	const struct bt_object *obj = w->obj;
	uint32_t void_ptr, entry, sub;
	int i;

	t->func_ids = calloc(obj->nprogs + 1, sizeof(*t->func_ids));
	t->sec_names = calloc(w->nsecs, sizeof(*t->sec_names));
	if (!t->func_ids || !t->sec_names) {
		w->err = ENOMEM;
		return;
	}
	/* Types first: a new type closes the open FUNC_PROTO. */
	void_ptr = btfw_ptr(t->b, 0);
	sub = btfw_func_proto(t->b, ow_btf_long(t));
	entry = btfw_func_proto(t->b, t->int_id);
	btfw_param(t->b, "ctx", void_ptr);
	for (i = 0; i < obj->nprogs; i++) {
		const struct bt_objprog *p = &obj->progs[i];

		t->func_ids[i] = btfw_func(t->b, p->name,
					   p->subprog ? sub : entry,
					   p->subprog ? BTF_FUNC_STATIC :
							BTF_FUNC_GLOBAL);
		ow_btf_prog_lines(w, t, i);
	}
	for (i = 1; i < w->nsecs; i++)
		if (w->secs[i].flags & SHF_EXECINSTR)
			t->sec_names[i] = btfw_str(t->b, w->secs[i].name);
}

/* btf_ext_header of the UAPI-less .BTF.ext, as libbpf reads it. */
struct ow_btf_ext_hdr {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t func_info_off;	/* from the end of the header */
	uint32_t func_info_len;
	uint32_t line_info_off;
	uint32_t line_info_len;
	uint32_t core_relo_off;
	uint32_t core_relo_len;
};

/*
 * The records of code section `sec` (btf_ext_info_sec: section name,
 * count, records), with insn_off in bytes from the section's start, in
 * increasing order as programs are laid out in obj order.
 */
static void ow_btf_ext_funcs(struct ow *w, const struct ow_btf *t,
			     struct ow_buf *b, int sec)
{
	const struct bt_object *obj = w->obj;
	uint32_t head[2] = { t->sec_names[sec], 0 };
	size_t at = b->len;
	int i;

	ow_append(w, b, head, sizeof(head));
	for (i = 0; i < obj->nprogs && !w->err; i++) {
		struct bpf_func_info fi = { w->prog_off[i], t->func_ids[i] };

		if (w->prog_sec[i] != sec)
			continue;
		ow_append(w, b, &fi, sizeof(fi));
		head[1]++;
	}
	if (!w->err)
		memcpy(b->p + at, head, sizeof(head));
}

static void ow_btf_ext_lines(struct ow *w, const struct ow_btf *t,
			     struct ow_buf *b, int sec)
{
	uint32_t head[2] = { t->sec_names[sec], 0 };
	size_t at = b->len;
	int i;

	ow_append(w, b, head, sizeof(head));
	for (i = 0; i < t->nlines && !w->err; i++) {
		struct bpf_line_info li = t->lines[i];
		int prog = t->line_prog[i];

		if (w->prog_sec[prog] != sec)
			continue;
		li.insn_off = w->prog_off[prog] +
			      li.insn_off * sizeof(struct bpf_insn);
		ow_append(w, b, &li, sizeof(li));
		head[1]++;
	}
	if (!w->err)
		memcpy(b->p + at, head, sizeof(head));
}

/* Each part: u32 record size, then per code section its records. */
static void ow_btf_ext_part(struct ow *w, const struct ow_btf *t,
			    struct ow_buf *b, int nsecs, bool lines)
{
	uint32_t rec_size = lines ? sizeof(struct bpf_line_info) :
				    sizeof(struct bpf_func_info);
	int i;

	ow_append(w, b, &rec_size, sizeof(rec_size));
	for (i = 1; i < nsecs; i++) {
		if (!(w->secs[i].flags & SHF_EXECINSTR))
			continue;
		if (lines)
			ow_btf_ext_lines(w, t, b, i);
		else
			ow_btf_ext_funcs(w, t, b, i);
	}
}

static void ow_add_btf_ext(struct ow *w, const struct ow_btf *t)
{
	struct ow_btf_ext_hdr hdr = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.hdr_len = sizeof(hdr),
	};
	struct ow_buf *b;
	int sec;

	sec = ow_sec_new(w, ".BTF.ext", SHT_PROGBITS, 0, 4);
	if (w->err)
		return;
	b = &w->secs[sec].buf;
	ow_append(w, b, &hdr, sizeof(hdr));
	ow_btf_ext_part(w, t, b, sec, false);
	hdr.func_info_len = b->len - sizeof(hdr);
	hdr.line_info_off = hdr.func_info_len;
	ow_btf_ext_part(w, t, b, sec, true);
	hdr.line_info_len = b->len - sizeof(hdr) - hdr.line_info_off;
	hdr.core_relo_off = hdr.line_info_off + hdr.line_info_len;
	if (!w->err)
		memcpy(b->p, &hdr, sizeof(hdr));
}

static void ow_add_btf(struct ow *w)
{
	struct ow_btf t = { 0 };
	void *blob;
	size_t len;
	int sec;

	t.b = btfw_new();
	if (!t.b) {
		w->err = ENOMEM;
		return;
	}
	t.int_id = btfw_int(t.b, "int", 4, BTF_INT_SIGNED);
	t.idx_id = btfw_int(t.b, "__ARRAY_SIZE_TYPE__", 4, 0);
	if (w->sec_maps)
		ow_btf_maps(w, &t);
	if (w->ndvars)
		ow_btf_data(w, &t);
	if (w->rodata_described)
		ow_btf_rodata(w, &t);
	if (ow_has_subprogs(w->obj))
		ow_btf_funcs(w, &t);
	free(t.arr_ptrs);
	if (w->err || btfw_finish(t.b, &blob, &len)) {
		if (!w->err)
			w->err = errno;
		goto out;
	}
	sec = ow_sec_new(w, ".BTF", SHT_PROGBITS, 0, 4);
	if (!w->err)
		ow_append(w, &w->secs[sec].buf, blob, len);
	free(blob);
	if (t.func_ids)
		ow_add_btf_ext(w, &t);
out:
	btfw_free(t.b);
	free(t.func_ids);
	free(t.sec_names);
	free(t.lines);
	free(t.line_prog);
}

static void ow_add_meta(struct ow *w)
{
	void *meta;
	size_t len;
	int sec;

	if (w->err)
		return;
	if (objmeta_encode(w->obj, &meta, &len)) {
		w->err = errno;
		return;
	}
	sec = ow_sec_new(w, OBJMETA_SECTION, SHT_PROGBITS, 0, 8);
	if (!w->err)
		ow_append(w, &w->secs[sec].buf, meta, len);
	free(meta);
}

static size_t ow_align(size_t off, size_t align)
{
	return align > 1 ? (off + align - 1) & ~(align - 1) : off;
}

static int ow_serialize(struct ow *w, int strtab, void **out, size_t *outlen)
{
	Elf64_Ehdr eh = { 0 };
	Elf64_Shdr *sh;
	size_t off = sizeof(eh), shoff, total;
	uint8_t *p;
	int i;

	for (i = 1; i < w->nsecs; i++) {
		off = ow_align(off, w->secs[i].align);
		off += w->secs[i].buf.len;
	}
	shoff = ow_align(off, 8);
	total = shoff + w->nsecs * sizeof(Elf64_Shdr);
	p = calloc(1, total);
	if (!p) {
		errno = ENOMEM;
		return -1;
	}

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_REL;
	eh.e_machine = EM_BPF;
	eh.e_version = EV_CURRENT;
	eh.e_shoff = shoff;
	eh.e_ehsize = sizeof(eh);
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = w->nsecs;
	eh.e_shstrndx = strtab;
	memcpy(p, &eh, sizeof(eh));

	sh = (Elf64_Shdr *)(p + shoff);
	off = sizeof(eh);
	for (i = 1; i < w->nsecs; i++) {
		const struct ow_sec *s = &w->secs[i];

		off = ow_align(off, s->align);
		if (s->buf.len)
			memcpy(p + off, s->buf.p, s->buf.len);
		sh[i].sh_name = s->name_off;
		sh[i].sh_type = s->type;
		sh[i].sh_flags = s->flags;
		sh[i].sh_offset = off;
		sh[i].sh_size = s->buf.len;
		sh[i].sh_link = s->link;
		sh[i].sh_info = s->info;
		sh[i].sh_addralign = s->align;
		sh[i].sh_entsize = s->entsize;
		off += s->buf.len;
	}
	*out = p;
	*outlen = total;
	return 0;
}

static int ow_build(struct ow *w, void **buf, size_t *len)
{
	int sec_license, symtab, strtab, i;

	ow_str(w, "");
	ow_sec_new(w, NULL, SHT_NULL, 0, 0);
	ow_add_progs(w);
	ow_patch_subprog_refs(w);
	sec_license = ow_sec_new(w, "license", SHT_PROGBITS,
				 SHF_ALLOC | SHF_WRITE, 1);
	if (!w->err)
		ow_append(w, &w->secs[sec_license].buf, BT_LICENSE,
			  sizeof(BT_LICENSE));
	ow_add_maps(w);
	ow_add_data(w);
	ow_add_rodata(w);
	ow_add_symbols(w);
	ow_add_btf(w);
	ow_add_meta(w);
	/* Indices of the two tables are needed before they are filled. */
	symtab = ow_sec_new(w, ".symtab", SHT_SYMTAB, 0, 8);
	strtab = ow_sec_new(w, ".strtab", SHT_STRTAB, 0, 1);
	ow_add_relocs(w, symtab);
	if (w->err) {
		errno = w->err;
		return -1;
	}
	for (i = 1; i < w->nsyms; i++)
		if (ELF64_ST_BIND(w->syms[i].st_info) != STB_LOCAL)
			break;
	w->secs[symtab].link = strtab;
	w->secs[symtab].info = i;	/* first global */
	w->secs[symtab].entsize = sizeof(Elf64_Sym);
	ow_append(w, &w->secs[symtab].buf, w->syms,
		  w->nsyms * sizeof(Elf64_Sym));
	/* Last: every name, including ".strtab" itself, is in by now. */
	ow_append(w, &w->secs[strtab].buf, w->strtab.p, w->strtab.len);
	if (w->err) {
		errno = w->err;
		return -1;
	}
	return ow_serialize(w, strtab, buf, len);
}

int obj_write_elf(const struct bt_object *obj, void **buf, size_t *len)
{
	struct ow w = { .obj = obj };
	int nprogs = obj->nprogs, nmaps = obj->nmaps, ret, i;

	if (ow_check(obj)) {
		errno = EINVAL;
		return -1;
	}
	w.prog_sec = calloc(nprogs + 1, sizeof(*w.prog_sec));
	w.prog_off = calloc(nprogs + 1, sizeof(*w.prog_off));
	w.map_off = calloc(nmaps + 1, sizeof(*w.map_off));
	if (!w.prog_sec || !w.prog_off || !w.map_off)
		w.err = ENOMEM;
	ret = ow_build(&w, buf, len);
	if (ret && !errno)
		errno = ENOMEM;
	for (i = 0; i < w.nsecs; i++)
		free(w.secs[i].buf.p);
	free(w.secs);
	free(w.syms);
	free(w.strtab.p);
	free(w.prog_sec);
	free(w.prog_off);
	free(w.map_off);
	return ret;
}
