/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the library loader: sets of names (what a file defines, what a
 * script uses) and the scan of a file's definitions.
 */
#ifndef BPFTAP_TAPSET_INT_H
#define BPFTAP_TAPSET_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../parser/ast.h"

/* A set of names, copied in: open addressing over a power-of-two table. */
struct tapset_names {
	char **slot;
	size_t cap, n;
	bool oom;
};

void tapset_names_add(struct tapset_names *set, const char *name,
		      size_t len);
bool tapset_names_has(const struct tapset_names *set, const char *name);
void tapset_names_free(struct tapset_names *set);

/* A 64-bit hash of a file's text: tells a stdlib file is the one the
 * built-in index (tapset_index.h) was made from. */
uint64_t tapset_hash(const char *text, size_t len);

/* The built-in index of the stdlib files, made from them at build time
 * by tapset-index: for each, its name, length, hash and definitions. */
struct tapset_index_entry {
	const char *file;
	size_t len;
	uint64_t hash;
	const char *const *names;	/* NULL-terminated */
};
extern const struct tapset_index_entry tapset_index[];
extern const size_t tapset_index_n;

/* tapset_scan.c: add to defs the names the file's text defines. */
void tapset_scan(const char *text, size_t len, struct tapset_names *defs);

/*
 * tapset_uses.c: add to uses every name the script refers to that a
 * library could define (called functions, variables, the first
 * component of every probe point). True when some point's first
 * component is a wildcard, which any alias might match.
 */
bool tapset_uses(const struct bt_script *s, struct tapset_names *uses);

#endif
