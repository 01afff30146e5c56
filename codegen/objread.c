// SPDX-License-Identifier: GPL-2.0
/*
 * The object reader: a -p4 file back into the struct bt_object it was
 * written from, so that `bpftap FILE.bo` runs (rt_run) and dumps
 * (obj_dump) it exactly like a fresh compile.
 *
 * The standard sections say what they can: code from the program
 * symbols, relocations from .rel<section>, .data and .rodata contents.
 * `.bpftap.meta` (objmeta.c) says the rest, including which maps there
 * are; the reader checks the two agree.
 *
 * Files come from anywhere, so nothing is trusted: the ELF is parsed by
 * hand with every offset and size checked against the buffer, headers
 * and symbols are copied out (no unaligned access), and every index is
 * checked before use. Any inconsistency is an error, never a crash.
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "objmeta.h"
#include "object.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif
#define OR_R_BPF_64_64	1
#define OR_R_BPF_64_32	10
#define OR_INSN		sizeof(struct bpf_insn)
#define OR_CORRUPT	"is truncated or corrupt: "

struct or_ctx {
	const uint8_t *p;
	size_t len;
	char *err;
	size_t errlen;
	bool bad;
	Elf64_Shdr *sh;
	uint32_t nsh;
	uint32_t shstrndx;
	Elf64_Sym *syms;
	uint32_t nsyms;
	uint32_t symstr;	/* section of the symbol names */
	int sec_maps, sec_data, sec_rodata, sec_text;
	int *prog_sec;		/* per program: its section */
	uint64_t *prog_off;	/* per program: byte offset in it */
	struct bt_object *obj;
};

__attribute__((format(printf, 2, 3)))
static int or_fail(struct or_ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->bad) {
		c->bad = true;
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* [off, off + size) lies inside the file. */
static bool or_in_file(const struct or_ctx *c, uint64_t off, uint64_t size)
{
	return off <= c->len && size <= c->len - off;
}

static const uint8_t *or_sec_data(const struct or_ctx *c, uint32_t i)
{
	return c->p + c->sh[i].sh_offset;
}

/* The NUL-terminated string at off of string table section sec, or NULL. */
static const char *or_string(const struct or_ctx *c, uint32_t sec,
			     uint64_t off)
{
	const Elf64_Shdr *s;
	const char *str;

	if (sec >= c->nsh)
		return NULL;
	s = &c->sh[sec];
	if (s->sh_type != SHT_STRTAB || off >= s->sh_size)
		return NULL;
	str = (const char *)or_sec_data(c, sec) + off;
	return memchr(str, 0, s->sh_size - off) ? str : NULL;
}

static const char *or_sec_name(const struct or_ctx *c, uint32_t i)
{
	return or_string(c, c->shstrndx, c->sh[i].sh_name);
}

static int or_ehdr(struct or_ctx *c, Elf64_Ehdr *eh)
{
	if (c->len < SELFMAG || memcmp(c->p, ELFMAG, SELFMAG))
		return or_fail(c, "is not a bpftap object (not an ELF file)");
	if (c->len < sizeof(*eh))
		return or_fail(c, OR_CORRUPT "the ELF header is cut short");
	memcpy(eh, c->p, sizeof(*eh));
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_BPF)
		return or_fail(c, "is not a bpftap object (not a BPF ELF "
			       "file)");
	if (eh->e_type != ET_REL)
		return or_fail(c, "is not a bpftap object (not a "
			       "relocatable ELF file)");
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || !eh->e_shnum ||
	    !or_in_file(c, eh->e_shoff,
			(uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
		return or_fail(c, OR_CORRUPT "the section headers lie outside "
			       "the file");
	if (eh->e_shstrndx >= eh->e_shnum)
		return or_fail(c, OR_CORRUPT "no section name table");
	return 0;
}

static int or_sections(struct or_ctx *c)
{
	Elf64_Ehdr eh;
	uint32_t i;

	if (or_ehdr(c, &eh))
		return -1;
	c->nsh = eh.e_shnum;
	c->shstrndx = eh.e_shstrndx;
	c->sh = calloc(c->nsh, sizeof(*c->sh));
	if (!c->sh)
		return or_fail(c, "cannot be read: out of memory");
	memcpy(c->sh, c->p + eh.e_shoff, c->nsh * sizeof(*c->sh));
	/* Section 0 too: a corrupt file may point at it. */
	for (i = 0; i < c->nsh; i++) {
		const Elf64_Shdr *s = &c->sh[i];

		if (s->sh_type != SHT_NOBITS &&
		    !or_in_file(c, s->sh_offset, s->sh_size))
			return or_fail(c, OR_CORRUPT "section %u lies outside "
				       "the file", i);
	}
	/* Names once every section, the name table too, is in bounds. */
	for (i = 1; i < c->nsh; i++) {
		if (!or_sec_name(c, i))
			return or_fail(c, OR_CORRUPT "section %u has no name",
				       i);
	}
	if (c->sh[c->shstrndx].sh_type != SHT_STRTAB)
		return or_fail(c, OR_CORRUPT "no section name table");
	return 0;
}

/* The section named name (the first one), or 0. */
static int or_find_sec(const struct or_ctx *c, const char *name)
{
	uint32_t i;

	for (i = 1; i < c->nsh; i++)
		if (!strcmp(or_sec_name(c, i), name))
			return i;
	return 0;
}

static int or_symtab(struct or_ctx *c)
{
	uint32_t i, sec = 0;
	const Elf64_Shdr *s;

	for (i = 1; i < c->nsh; i++)
		if (c->sh[i].sh_type == SHT_SYMTAB)
			sec = i;
	if (!sec)
		return or_fail(c, OR_CORRUPT "no symbol table");
	s = &c->sh[sec];
	if (s->sh_entsize != sizeof(Elf64_Sym) ||
	    s->sh_size % sizeof(Elf64_Sym) || s->sh_link >= c->nsh ||
	    c->sh[s->sh_link].sh_type != SHT_STRTAB)
		return or_fail(c, OR_CORRUPT "bad symbol table");
	c->nsyms = s->sh_size / sizeof(Elf64_Sym);
	c->symstr = s->sh_link;
	c->syms = calloc(c->nsyms + 1, sizeof(*c->syms));
	if (!c->syms)
		return or_fail(c, "cannot be read: out of memory");
	memcpy(c->syms, or_sec_data(c, sec), c->nsyms * sizeof(Elf64_Sym));
	for (i = 1; i < c->nsyms; i++)
		if (!or_string(c, c->symstr, c->syms[i].st_name))
			return or_fail(c, OR_CORRUPT "symbol %u has no name",
				       i);
	return 0;
}

/* The symbol named name of type type in section sec (any when 0), or
 * NULL. */
static const Elf64_Sym *or_find_sym(const struct or_ctx *c, const char *name,
				    int type, int sec)
{
	uint32_t i;

	for (i = 1; i < c->nsyms; i++) {
		const Elf64_Sym *s = &c->syms[i];

		if (ELF64_ST_TYPE(s->st_info) == type &&
		    (!sec || s->st_shndx == sec) &&
		    !strcmp(or_string(c, c->symstr, s->st_name), name))
			return s;
	}
	return NULL;
}

static int or_meta(struct or_ctx *c)
{
	int sec = or_find_sec(c, OBJMETA_SECTION);

	if (!sec || c->sh[sec].sh_type != SHT_PROGBITS)
		return or_fail(c, "is not a bpftap object (no %s section)",
			       OBJMETA_SECTION);
	c->bad = objmeta_decode(or_sec_data(c, sec), c->sh[sec].sh_size,
				c->obj, c->err, c->errlen) != 0;
	return c->bad ? -1 : 0;
}

/* Program i's code: its FUNC symbol says where it lies. */
static int or_prog_code(struct or_ctx *c, int i)
{
	struct bt_objprog *p = &c->obj->progs[i];
	const Elf64_Sym *sym;
	const Elf64_Shdr *s;
	const char *want;

	if (!p->name)
		return or_fail(c, OR_CORRUPT "program %d has no name", i);
	sym = or_find_sym(c, p->name, STT_FUNC, 0);
	if (!sym || sym->st_shndx == SHN_UNDEF || sym->st_shndx >= c->nsh)
		return or_fail(c, OR_CORRUPT "program %s has no code",
			       p->name);
	s = &c->sh[sym->st_shndx];
	want = p->subprog ? ".text" : p->section;
	if (!(s->sh_flags & SHF_EXECINSTR) || s->sh_type != SHT_PROGBITS ||
	    !want || strcmp(or_sec_name(c, sym->st_shndx), want))
		return or_fail(c, OR_CORRUPT "program %s is not in section %s",
			       p->name, want ? want : "?");
	if (!p->ninsns || sym->st_value % OR_INSN ||
	    sym->st_size != (uint64_t)p->ninsns * OR_INSN ||
	    sym->st_value > s->sh_size ||
	    sym->st_size > s->sh_size - sym->st_value)
		return or_fail(c, OR_CORRUPT "the code of program %s does not "
			       "match its symbol", p->name);
	p->insns = malloc(sym->st_size);
	if (!p->insns)
		return or_fail(c, "cannot be read: out of memory");
	memcpy(p->insns, or_sec_data(c, sym->st_shndx) + sym->st_value,
	       sym->st_size);
	c->prog_sec[i] = sym->st_shndx;
	c->prog_off[i] = sym->st_value;
	return 0;
}

/* The program of section sec whose code holds byte off, or -1. */
static int or_prog_at(const struct or_ctx *c, int sec, uint64_t off)
{
	int i;

	for (i = 0; i < c->obj->nprogs; i++)
		if (c->prog_sec[i] == sec && off >= c->prog_off[i] &&
		    off - c->prog_off[i] <
		    (uint64_t)c->obj->progs[i].ninsns * OR_INSN)
			return i;
	return -1;
}

/*
 * A reference to a subprogram: the writer relocated it against the
 * .text section symbol and put the target's place in imm (objwrite.c,
 * ow_patch_subprog_refs); the bt_object form names the subprogram and
 * has imm 0.
 */
static int or_subprog_ref(struct or_ctx *c, struct bpf_insn *insn,
			  uint32_t type, int32_t *map)
{
	uint64_t off;
	int t;

	if (type == OR_R_BPF_64_32 && insn->code == (BPF_JMP | BPF_CALL) &&
	    insn->src_reg == BPF_PSEUDO_CALL)
		off = ((int64_t)insn->imm + 1) * (int64_t)OR_INSN;
	else if (type == OR_R_BPF_64_64 &&
		 insn->code == (BPF_LD | BPF_IMM | BPF_DW) &&
		 insn->src_reg == BPF_PSEUDO_FUNC)
		off = (uint32_t)insn->imm;
	else
		return or_fail(c, OR_CORRUPT "bad reference to a subprogram");
	t = or_prog_at(c, c->sec_text, off);
	if (t < 0 || c->prog_off[t] != off || !c->obj->progs[t].subprog)
		return or_fail(c, OR_CORRUPT "a call to no subprogram");
	insn->imm = 0;
	*map = BT_RELOC_PROG(t);
	return 0;
}

static int or_map_by_name(const struct or_ctx *c, const char *name)
{
	int i;

	for (i = 0; i < c->obj->nmaps; i++)
		if (c->obj->maps[i].name && !strcmp(c->obj->maps[i].name, name))
			return i;
	return -1;
}

/* What relocation er of program p points at, in bt_reloc terms. */
static int or_reloc_target(struct or_ctx *c, struct bt_objprog *p,
			   uint32_t insn, const Elf64_Rel *er, int32_t *map)
{
	uint32_t symi = ELF64_R_SYM(er->r_info);
	uint32_t type = ELF64_R_TYPE(er->r_info);
	const Elf64_Sym *sym;

	if (!symi || symi >= c->nsyms)
		return or_fail(c, OR_CORRUPT "relocation against symbol %u",
			       symi);
	sym = &c->syms[symi];
	if (ELF64_ST_TYPE(sym->st_info) == STT_SECTION &&
	    sym->st_shndx == c->sec_text && c->sec_text)
		return or_subprog_ref(c, &p->insns[insn], type, map);
	if (type != OR_R_BPF_64_64 || insn + 1 >= p->ninsns ||
	    p->insns[insn].code != (BPF_LD | BPF_IMM | BPF_DW))
		return or_fail(c, OR_CORRUPT "relocation of a non-ld_imm64");
	if (ELF64_ST_TYPE(sym->st_info) == STT_SECTION && c->sec_data &&
	    sym->st_shndx == c->sec_data) {
		*map = BT_RELOC_DATA;
	} else if (ELF64_ST_TYPE(sym->st_info) == STT_SECTION &&
		   c->sec_rodata && sym->st_shndx == c->sec_rodata) {
		*map = BT_RELOC_RODATA;
	} else if (c->sec_maps && sym->st_shndx == c->sec_maps) {
		*map = or_map_by_name(c, or_string(c, c->symstr,
						   sym->st_name));
		if (*map < 0)
			return or_fail(c, OR_CORRUPT "relocation against an "
				       "unknown map");
	} else {
		return or_fail(c, OR_CORRUPT "relocation against an unknown "
			       "symbol");
	}
	return 0;
}

static int or_add_reloc(struct or_ctx *c, int sec, const Elf64_Rel *er)
{
	struct bt_objprog *p;
	struct bt_reloc *nr;
	uint32_t insn;
	int32_t map;
	int i;

	i = or_prog_at(c, sec, er->r_offset);
	if (i < 0 || (er->r_offset - c->prog_off[i]) % OR_INSN)
		return or_fail(c, OR_CORRUPT "relocation outside the code");
	p = &c->obj->progs[i];
	insn = (er->r_offset - c->prog_off[i]) / OR_INSN;
	if (or_reloc_target(c, p, insn, er, &map))
		return -1;
	nr = realloc(p->relocs, (p->nrelocs + 1) * sizeof(*nr));
	if (!nr)
		return or_fail(c, "cannot be read: out of memory");
	p->relocs = nr;
	p->relocs[p->nrelocs++] = (struct bt_reloc){ insn, map };
	return 0;
}

static int or_relocs(struct or_ctx *c)
{
	uint32_t i;
	uint64_t k;

	for (i = 1; i < c->nsh; i++) {
		const Elf64_Shdr *s = &c->sh[i];

		if (s->sh_type == SHT_RELA)
			return or_fail(c, OR_CORRUPT "RELA relocations");
		if (s->sh_type != SHT_REL)
			continue;
		if (s->sh_entsize != sizeof(Elf64_Rel) ||
		    s->sh_size % sizeof(Elf64_Rel) || s->sh_info >= c->nsh ||
		    !(c->sh[s->sh_info].sh_flags & SHF_EXECINSTR))
			return or_fail(c, OR_CORRUPT "bad relocation section "
				       "%s", or_sec_name(c, i));
		for (k = 0; k < s->sh_size / sizeof(Elf64_Rel); k++) {
			Elf64_Rel er;

			memcpy(&er, or_sec_data(c, i) + k * sizeof(er),
			       sizeof(er));
			if (or_add_reloc(c, s->sh_info, &er))
				return -1;
		}
	}
	return 0;
}

/* .data or .rodata: the contents, of the size the metadata says. */
static int or_blob(struct or_ctx *c, int sec, const char *name,
		   uint32_t size, uint8_t **out)
{
	if (!size)
		return 0;
	if (!sec || c->sh[sec].sh_type != SHT_PROGBITS ||
	    c->sh[sec].sh_size != size)
		return or_fail(c, OR_CORRUPT "%s does not have the %u bytes "
			       "the metadata says", name, size);
	*out = malloc(size);
	if (!*out)
		return or_fail(c, "cannot be read: out of memory");
	memcpy(*out, or_sec_data(c, sec), size);
	return 0;
}

static int or_maps(struct or_ctx *c)
{
	int i;

	for (i = 0; i < c->obj->nmaps; i++) {
		const struct bt_objmap *m = &c->obj->maps[i];

		if (!m->name || !m->name[0])
			return or_fail(c, OR_CORRUPT "map %d has no name", i);
		if (!c->sec_maps ||
		    !or_find_sym(c, m->name, STT_OBJECT, c->sec_maps))
			return or_fail(c, OR_CORRUPT "map %s is not in .maps",
				       m->name);
	}
	return 0;
}

static bool or_type_ok(enum bt_type t, bool stats)
{
	return t == BT_LONG || t == BT_STRING || (stats && t == BT_STATS);
}

static int or_check_global(struct or_ctx *c, const struct bt_objglobal *g)
{
	const struct bt_object *obj = c->obj;
	int k;

	/* An unused global keeps BT_UNKNOWN: the runtime skips it. */
	if (!g->name || g->type > BT_VOID || g->hist.kind > BT_HIST_LINEAR)
		return or_fail(c, OR_CORRUPT "a bad global");
	for (k = 0; k < g->nkeys; k++)
		if (g->keys[k] > BT_VOID ||
		    (g->keys[k] == BT_STRING ? g->key_width[k] % 8 ||
		     !g->key_width[k] || g->key_width[k] > obj->strfield :
		     g->key_width[k] != 8))
			return or_fail(c, OR_CORRUPT "global %s has a bad key",
				       g->name);
	if (g->map < -1 || g->map >= obj->nmaps)
		return or_fail(c, OR_CORRUPT "global %s names map %d",
			       g->name, g->map);
	if (g->map < 0 && g->type != BT_UNKNOWN &&
	    (g->nkeys || g->type == BT_STATS))
		return or_fail(c, OR_CORRUPT "global %s has no map", g->name);
	if (g->map < 0 && or_type_ok(g->type, false) &&
	    (g->data_off > obj->data_size ||
			   obj->data_size - g->data_off <
			   (g->type == BT_LONG ? 8 : obj->strfield)))
		return or_fail(c, OR_CORRUPT "global %s lies outside .data",
			       g->name);
	return 0;
}

/* What the runtime and the dumper take for granted. */
static int or_check(struct or_ctx *c)
{
	const struct bt_object *obj = c->obj;
	int i, j;

	if (obj->strfield < 8 || obj->strfield % 8 ||
	    obj->strfield > (1u << 20) || obj->maxstringlen > obj->strfield ||
	    !obj->ncpus)
		return or_fail(c, OR_CORRUPT "bad limits");
	if (obj->ringbuf_map < 0 || obj->ringbuf_map >= obj->nmaps)
		return or_fail(c, OR_CORRUPT "no output ring buffer");
	for (i = 0; i < obj->nprogs; i++) {
		const struct bt_objprog *p = &obj->progs[i];

		if (!p->subprog && (!p->section || !p->section[0]))
			return or_fail(c, OR_CORRUPT "program %s has no "
				       "section", p->name);
	}
	for (i = 0; i < obj->nformats; i++) {
		if (!obj->formats[i].fmt)
			return or_fail(c, OR_CORRUPT "format %d is empty", i);
		for (j = 0; j < obj->formats[i].nargs; j++)
			if (!or_type_ok(obj->formats[i].argtypes[j], false))
				return or_fail(c, OR_CORRUPT "format %d has a "
					       "bad argument", i);
	}
	for (i = 0; i < obj->nerrors; i++)
		if (!obj->errors[i].msg)
			return or_fail(c, OR_CORRUPT "error message %d is "
				       "missing", i);
	for (i = 0; i < obj->nglobals; i++)
		if (or_check_global(c, &obj->globals[i]))
			return -1;
	return 0;
}

static int or_read(struct or_ctx *c)
{
	int i, n;

	if (or_sections(c) || or_meta(c) || or_symtab(c))
		return -1;
	c->sec_maps = or_find_sec(c, ".maps");
	c->sec_data = or_find_sec(c, ".data");
	c->sec_rodata = or_find_sec(c, ".rodata");
	c->sec_text = or_find_sec(c, ".text");
	n = c->obj->nprogs;
	c->prog_sec = calloc(n + 1, sizeof(*c->prog_sec));
	c->prog_off = calloc(n + 1, sizeof(*c->prog_off));
	if (!c->prog_sec || !c->prog_off)
		return or_fail(c, "cannot be read: out of memory");
	for (i = 0; i < n; i++)
		if (or_prog_code(c, i))
			return -1;
	if (or_relocs(c) || or_maps(c) ||
	    or_blob(c, c->sec_data, ".data", c->obj->data_size,
		    &c->obj->data) ||
	    or_blob(c, c->sec_rodata, ".rodata", c->obj->rodata_size,
		    &c->obj->rodata))
		return -1;
	return or_check(c);
}

struct bt_object *obj_read_elf(const void *buf, size_t len, char *err,
			       size_t errlen)
{
	struct or_ctx c = { .p = buf, .len = len, .err = err,
			    .errlen = errlen };
	int rc;

	if (errlen)
		err[0] = 0;
	c.obj = calloc(1, sizeof(*c.obj));
	if (!c.obj) {
		snprintf(err, errlen, "cannot be read: out of memory");
		return NULL;
	}
	c.obj->ringbuf_map = -1;
	rc = or_read(&c);
	free(c.sh);
	free(c.syms);
	free(c.prog_sec);
	free(c.prog_off);
	if (rc) {
		obj_free(c.obj);
		return NULL;
	}
	return c.obj;
}
