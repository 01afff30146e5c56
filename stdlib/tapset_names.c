// SPDX-License-Identifier: GPL-2.0
/* Sets of names for the library loader (see tapset_int.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tapset_int.h"

static uint32_t tn_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h;
}

/* The slot of name, or of the empty place it would go. */
static size_t tn_find(const struct tapset_names *set, const char *name,
		      size_t len)
{
	size_t i = tn_hash(name, len) & (set->cap - 1);

	while (set->slot[i] && (strncmp(set->slot[i], name, len) ||
				set->slot[i][len]))
		i = (i + 1) & (set->cap - 1);
	return i;
}

static bool tn_grow(struct tapset_names *set)
{
	struct tapset_names bigger = { .cap = set->cap ? set->cap * 2 : 64 };

	bigger.slot = calloc(bigger.cap, sizeof(*bigger.slot));
	if (!bigger.slot)
		return false;
	for (size_t i = 0; i < set->cap; i++) {
		char *s = set->slot[i];

		if (s)
			bigger.slot[tn_find(&bigger, s, strlen(s))] = s;
	}
	free(set->slot);
	set->slot = bigger.slot;
	set->cap = bigger.cap;
	return true;
}

void tapset_names_add(struct tapset_names *set, const char *name,
		      size_t len)
{
	size_t i;

	if (set->oom)
		return;
	if ((set->n + 1) * 2 > set->cap && !tn_grow(set)) {
		set->oom = true;
		return;
	}
	i = tn_find(set, name, len);
	if (set->slot[i])
		return;
	set->slot[i] = strndup(name, len);
	if (!set->slot[i]) {
		set->oom = true;
		return;
	}
	set->n++;
}

bool tapset_names_has(const struct tapset_names *set, const char *name)
{
	return set->cap && set->slot[tn_find(set, name, strlen(name))];
}

void tapset_names_free(struct tapset_names *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
	*set = (struct tapset_names){ 0 };
}

/* FNV-1a over 8 bytes at a time (then the tail): a few instructions a
 * word, and any change of a byte changes it but by accident. */
uint64_t tapset_hash(const char *text, size_t len)
{
	uint64_t h = 14695981039346656037ull, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, text + i, 8);
		h = (h ^ w) * 1099511628211ull;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ (unsigned char)text[i]) * 1099511628211ull;
	return h ^ len;
}
