// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the object reader: the input is a file given to
 * `bpftap FILE.bo`. obj_read_elf must check every offset, size and index;
 * what it accepts must be safe to dump (-p3 on an object) and free.
 *
 * Build and run: tests/fuzz/run.sh (make fuzz).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "parser/diag.h"
#include "codegen/object.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct bt_object *obj;
	char err[256];

	obj = obj_read_elf(data, len, err, sizeof(err));
	if (obj) {
		if (!devnull)
			devnull = fopen("/dev/null", "w");
		if (devnull) {
			obj_dump(obj, devnull);
			obj_dump_json(obj, devnull);
		}
	}
	obj_free(obj);
	diag_reset();
	return 0;
}
