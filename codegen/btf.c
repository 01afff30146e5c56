// SPDX-License-Identifier: GPL-2.0
/*
 * BTF writer. The blob is what the kernel's BTF loader and libbpf parse:
 * struct btf_header, then the type section (each struct btf_type followed
 * by its kind-specific data), then the string section, which starts with
 * the empty string so that name_off 0 means "anonymous".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>
#include "btf.h"

/* The UAPI header only has the decoders. */
#define BTF_INFO_ENC(kind, kflag, vlen) \
	((!!(kflag) << 31) | ((kind) << 24) | ((vlen) & 0xffff))
#define BTF_INT_ENC(encoding, bits_off, nr_bits) \
	(((encoding) << 24) | ((bits_off) << 16) | (nr_bits))

struct btfw_buf {
	uint8_t *p;
	size_t len;
	size_t cap;
};

struct btfw {
	struct btfw_buf types;
	struct btfw_buf strs;
	uint32_t ntypes;
	/* Type section offset of the STRUCT, FUNC_PROTO or DATASEC being
	 * filled, whose vlen grows with each member; SIZE_MAX when none. */
	size_t open;
	int err;
};

static void *btfw_grow(struct btfw *b, struct btfw_buf *buf, size_t n)
{
	void *p;

	if (b->err)
		return NULL;
	if (buf->len + n > buf->cap) {
		size_t cap = buf->cap ? buf->cap * 2 : 256;
		uint8_t *np;

		while (cap < buf->len + n)
			cap *= 2;
		np = realloc(buf->p, cap);
		if (!np) {
			b->err = ENOMEM;
			return NULL;
		}
		buf->p = np;
		buf->cap = cap;
	}
	p = buf->p + buf->len;
	memset(p, 0, n);
	buf->len += n;
	return p;
}

struct btfw *btfw_new(void)
{
	struct btfw *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->open = SIZE_MAX;
	btfw_grow(b, &b->strs, 1);	/* "" at offset 0 */
	if (b->err) {
		btfw_free(b);
		return NULL;
	}
	return b;
}

void btfw_free(struct btfw *b)
{
	if (!b)
		return;
	free(b->types.p);
	free(b->strs.p);
	free(b);
}

uint32_t btfw_str(struct btfw *b, const char *s)
{
	size_t off, n;
	char *p;

	if (!s || !*s || b->err)
		return 0;
	n = strlen(s) + 1;
	/* Few, short names: a linear search keeps the section deduplicated
	 * without a hash table. */
	for (off = 1; off < b->strs.len; off += strlen((char *)b->strs.p + off) + 1)
		if (!strcmp((char *)b->strs.p + off, s))
			return off;
	off = b->strs.len;
	p = btfw_grow(b, &b->strs, n);
	if (!p)
		return 0;
	memcpy(p, s, n);
	return off;
}

/* Append a btf_type with `extra` bytes of kind data; returns its id. */
static uint32_t btfw_type(struct btfw *b, const char *name, uint32_t kind,
			  uint32_t size_type, size_t extra, void **data)
{
	uint32_t name_off = btfw_str(b, name);
	struct btf_type *t;

	b->open = SIZE_MAX;
	t = btfw_grow(b, &b->types, sizeof(*t) + extra);
	if (!t)
		return 0;
	t->name_off = name_off;
	t->info = BTF_INFO_ENC(kind, 0, 0);
	t->size = size_type;
	if (data)
		*data = t + 1;
	return ++b->ntypes;
}

uint32_t btfw_int(struct btfw *b, const char *name, uint32_t size,
		  uint32_t encoding)
{
	uint32_t *val = NULL;
	uint32_t id = btfw_type(b, name, BTF_KIND_INT, size, sizeof(*val),
				(void **)&val);

	if (val)
		*val = BTF_INT_ENC(encoding, 0, size * 8);
	return id;
}

uint32_t btfw_ptr(struct btfw *b, uint32_t type)
{
	return btfw_type(b, NULL, BTF_KIND_PTR, type, 0, NULL);
}

uint32_t btfw_const(struct btfw *b, uint32_t type)
{
	return btfw_type(b, NULL, BTF_KIND_CONST, type, 0, NULL);
}

uint32_t btfw_array(struct btfw *b, uint32_t elem, uint32_t index,
		    uint32_t nelems)
{
	struct btf_array *a = NULL;
	uint32_t id = btfw_type(b, NULL, BTF_KIND_ARRAY, 0, sizeof(*a),
				(void **)&a);

	if (a) {
		a->type = elem;
		a->index_type = index;
		a->nelems = nelems;
	}
	return id;
}

uint32_t btfw_struct(struct btfw *b, const char *name, uint32_t size)
{
	uint32_t id = btfw_type(b, name, BTF_KIND_STRUCT, size, 0, NULL);

	if (id)
		b->open = b->types.len - sizeof(struct btf_type);
	return id;
}

/* Append one vlen record to the open STRUCT/FUNC_PROTO/DATASEC, bumping
 * its vlen. */
static void *btfw_vlen_add(struct btfw *b, size_t n)
{
	size_t open = b->open;
	struct btf_type *t;
	void *p;

	if (b->err)
		return NULL;
	if (open == SIZE_MAX) {
		b->err = EINVAL;
		return NULL;
	}
	p = btfw_grow(b, &b->types, n);
	if (!p)
		return NULL;
	/* The buffer may have moved: find the header again. */
	t = (struct btf_type *)(b->types.p + open);
	t->info = BTF_INFO_ENC(BTF_INFO_KIND(t->info), 0,
			       BTF_INFO_VLEN(t->info) + 1);
	return p;
}

void btfw_member(struct btfw *b, const char *name, uint32_t type,
		 uint32_t bit_off)
{
	uint32_t name_off = btfw_str(b, name);
	struct btf_member *m = btfw_vlen_add(b, sizeof(*m));

	if (!m)
		return;
	m->name_off = name_off;
	m->type = type;
	m->offset = bit_off;
}

uint32_t btfw_func_proto(struct btfw *b, uint32_t ret)
{
	uint32_t id = btfw_type(b, NULL, BTF_KIND_FUNC_PROTO, ret, 0, NULL);

	if (id)
		b->open = b->types.len - sizeof(struct btf_type);
	return id;
}

void btfw_param(struct btfw *b, const char *name, uint32_t type)
{
	uint32_t name_off = btfw_str(b, name);
	struct btf_param *p = btfw_vlen_add(b, sizeof(*p));

	if (!p)
		return;
	p->name_off = name_off;
	p->type = type;
}

/* A FUNC keeps its linkage where other kinds keep vlen. */
uint32_t btfw_func(struct btfw *b, const char *name, uint32_t proto,
		   uint32_t linkage)
{
	uint32_t id = btfw_type(b, name, BTF_KIND_FUNC, proto, 0, NULL);
	struct btf_type *t;

	if (!id)
		return 0;
	t = (struct btf_type *)(b->types.p + b->types.len - sizeof(*t));
	t->info = BTF_INFO_ENC(BTF_KIND_FUNC, 0, linkage);
	return id;
}

uint32_t btfw_var(struct btfw *b, const char *name, uint32_t type,
		  uint32_t linkage)
{
	struct btf_var *v = NULL;
	uint32_t id = btfw_type(b, name, BTF_KIND_VAR, type, sizeof(*v),
				(void **)&v);

	if (v)
		v->linkage = linkage;
	return id;
}

uint32_t btfw_datasec(struct btfw *b, const char *name, uint32_t size)
{
	uint32_t id = btfw_type(b, name, BTF_KIND_DATASEC, size, 0, NULL);

	if (id)
		b->open = b->types.len - sizeof(struct btf_type);
	return id;
}

void btfw_secinfo(struct btfw *b, uint32_t var, uint32_t off, uint32_t size)
{
	struct btf_var_secinfo *vs = btfw_vlen_add(b, sizeof(*vs));

	if (!vs)
		return;
	vs->type = var;
	vs->offset = off;
	vs->size = size;
}

int btfw_finish(struct btfw *b, void **buf, size_t *len)
{
	struct btf_header hdr = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.hdr_len = sizeof(hdr),
	};
	uint8_t *p;

	if (b->err) {
		errno = b->err;
		return -1;
	}
	hdr.type_off = 0;
	hdr.type_len = b->types.len;
	hdr.str_off = b->types.len;
	hdr.str_len = b->strs.len;
	*len = sizeof(hdr) + b->types.len + b->strs.len;
	p = malloc(*len);
	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(p, &hdr, sizeof(hdr));
	if (b->types.len)
		memcpy(p + sizeof(hdr), b->types.p, b->types.len);
	memcpy(p + sizeof(hdr) + b->types.len, b->strs.p, b->strs.len);
	*buf = p;
	return 0;
}
