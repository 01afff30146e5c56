/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small BTF writer: just the kinds an object file needs to describe its
 * maps, .data and .rodata and its functions (INT, PTR, CONST, ARRAY, STRUCT,
 * FUNC_PROTO, FUNC, VAR, DATASEC).
 * Types get ids in the order they are added, starting at 1 (0 is void).
 * Errors are sticky: after an allocation failure every call is a no-op
 * returning 0 and btfw_finish() fails, so callers check once at the end.
 */
#ifndef BPFTAP_BTF_H
#define BPFTAP_BTF_H

#include <stddef.h>
#include <stdint.h>

struct btfw;

struct btfw *btfw_new(void);
void btfw_free(struct btfw *b);

/* Offset of s in the string section (added once, then shared). */
uint32_t btfw_str(struct btfw *b, const char *s);

/* encoding: 0 or BTF_INT_SIGNED/CHAR/BOOL; bits = size * 8. */
uint32_t btfw_int(struct btfw *b, const char *name, uint32_t size,
		  uint32_t encoding);
uint32_t btfw_ptr(struct btfw *b, uint32_t type);
uint32_t btfw_const(struct btfw *b, uint32_t type);
uint32_t btfw_array(struct btfw *b, uint32_t elem, uint32_t index,
		    uint32_t nelems);

/* A struct (name NULL: anonymous); then add its members in order. */
uint32_t btfw_struct(struct btfw *b, const char *name, uint32_t size);
void btfw_member(struct btfw *b, const char *name, uint32_t type,
		 uint32_t bit_off);

/* A function type returning ret (0: void); then add its parameters. */
uint32_t btfw_func_proto(struct btfw *b, uint32_t ret);
void btfw_param(struct btfw *b, const char *name, uint32_t type);

/* linkage: BTF_FUNC_STATIC / BTF_FUNC_GLOBAL. */
uint32_t btfw_func(struct btfw *b, const char *name, uint32_t proto,
		   uint32_t linkage);

/* linkage: BTF_VAR_STATIC / BTF_VAR_GLOBAL_ALLOCATED. */
uint32_t btfw_var(struct btfw *b, const char *name, uint32_t type,
		  uint32_t linkage);

/* A data section; then add its variables in increasing offset order. */
uint32_t btfw_datasec(struct btfw *b, const char *name, uint32_t size);
void btfw_secinfo(struct btfw *b, uint32_t var, uint32_t off, uint32_t size);

/* The raw blob (header, types, strings), malloc'ed. 0, or -1 with errno. */
int btfw_finish(struct btfw *b, void **buf, size_t *len);

#endif
