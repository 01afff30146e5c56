/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --format=json: the script's output as one JSON object per line (JSON
 * Lines), for tools that read bpftap's output rather than people. The
 * record shapes are listed in docs/design.md ("JSON output").
 */
#ifndef BPFTAP_JSON_H
#define BPFTAP_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../codegen/object.h"

/*
 * s[0..len) as a JSON string, quotes included. Valid UTF-8 is copied;
 * any other byte >= 0x80 is written as the code point of the same
 * number (\u00XX), so that every line stays valid JSON and no byte of
 * the script's output is silently lost.
 */
void json_string(FILE *out, const char *s, size_t len);

/* {"type":"printf","text":...} for one printf record's text. */
void json_printf(FILE *out, const char *text, size_t len);

/* {"type":"hist","name":...,"buckets":[...]}: the non-empty buckets. */
void json_hist(FILE *out, const char *name, const struct bt_histdesc *h,
	       const uint64_t *buckets);

#endif
