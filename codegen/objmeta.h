/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpftap's metadata section, `.bpftap.meta`: everything in struct
 * bt_object that the standard sections (code, .maps, .data, .rodata,
 * relocations) do not say. The encoding is documented in docs/design.md
 * ("The metadata section"); this file and objmeta.c are its only
 * definition.
 *
 * The section is SHT_PROGBITS without SHF_ALLOC: libbpf and bpftool skip
 * sections they do not know, and nothing of it is loaded.
 */
#ifndef BPFTAP_OBJMETA_H
#define BPFTAP_OBJMETA_H

#include <stddef.h>
#include <stdint.h>
#include "object.h"

#define OBJMETA_SECTION		".bpftap.meta"
#define OBJMETA_MAGIC		"BTAPMETA"	/* 8 bytes, no NUL */
#define OBJMETA_FORMAT		2		/* bumped on any change */
#define OBJMETA_VERSION_OFF	16		/* char version[32] */
#define OBJMETA_VERSION_LEN	32
#define OBJMETA_HDR_LEN		48

/*
 * Encode obj's metadata (header included). Source lines the programs
 * point at are copied from diag's sources, so that -p3 of the object
 * quotes them where the script is gone. Returns 0 and a malloc'ed
 * buffer, or -1 with errno set.
 */
int objmeta_encode(const struct bt_object *obj, void **buf, size_t *len);

/*
 * Decode a metadata section into obj (zeroed by the caller): everything
 * but the code, relocations, .data and .rodata contents, which come from
 * the ELF. progs[i].ninsns is set from the metadata, insns left NULL.
 * Interns file names and registers the recorded source lines with diag.
 * Returns 0, or -1 with a message in err that reads after the file name
 * ("was compiled by bpftap 0.0.9; ..."). obj may be partly filled on
 * failure: obj_free() releases it.
 */
int objmeta_decode(const void *buf, size_t len, struct bt_object *obj,
		   char *err, size_t errlen);

#endif
