// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the front end: the input is a script; parse it,
 * load the library, elaborate and generate code, then write the object
 * and read it back, as -p4 and running an object would. Nothing is loaded
 * into the kernel. Elaboration may read tracefs, /proc/kallsyms and ELF
 * files named by probe points; all of that is read-only.
 *
 * Build and run: tests/fuzz/run.sh (make fuzz).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "parser/ast.h"
#include "parser/diag.h"
#include "parser/parse.h"
#include "parser/at_entry.h"
#include "parser/elaborate.h"
#include "stdlib/tapset.h"
#include "codegen/codegen.h"
#include "codegen/object.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct bt_script *s = ast_script_new();
	struct bt_object *obj = NULL, *back;
	struct cg_options o;
	char err[256];
	void *buf;
	size_t blen;

	if (!s)
		return 0;
	cg_default_options(&o);
	/* As bpftap does: the library's macros, then the script. */
	parse_set_config_reader(kconfig_read_proc);
	if (tapset_load_macros(NULL, 0) ||
	    parse_string(s, "<fuzz>", (const char *)data, len) ||
	    at_entry_rewrite(s) || tapset_load(s, NULL, 0) ||
	    elab_script(s))
		goto out;
	obj = cg_compile(s, &o);
	if (!obj || obj_write_elf(obj, &buf, &blen))
		goto out;
	back = obj_read_elf(buf, blen, err, sizeof(err));
	/* What bpftap wrote, bpftap must read. */
	if (!back) {
		fprintf(stderr, "obj_read_elf of its own object: %s\n", err);
		abort();
	}
	obj_free(back);
	free(buf);
out:
	obj_free(obj);
	ast_script_free(s);
	parse_reset_env();
	diag_reset();
	return 0;
}
