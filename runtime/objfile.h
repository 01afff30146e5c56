/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What main.c needs beyond compile-and-run: precompiled objects
 * (`bpftap FILE.bo`), verify mode (--verify) and the -v pass reports.
 */
#ifndef BPFTAP_OBJFILE_H
#define BPFTAP_OBJFILE_H

#include <stdbool.h>
#include "../parser/ast.h"
#include "runtime.h"

/* path starts with the ELF magic (then it is run as an object, whatever
 * its name). */
bool rt_is_object_file(const char *path);

/* Read and check an object file; NULL after printing
 * "bpftap: error: FILE ...". */
struct bt_object *rt_object_read(const char *path);

/*
 * Load every program of obj through the kernel's verifier without
 * attaching or running anything. Prints "N programs verified", or the
 * rejected probe, its source line, the failing instruction and the
 * verifier's reason (the whole log with -v). Returns 0 or 1.
 */
int rt_verify(const struct bt_object *obj, const struct rt_options *opt);

/* -v: milliseconds since an earlier rt_clock_ms(). */
double rt_clock_ms(void);
/* -v: "Pass N: ..." lines in stap's spirit, with counts. */
void rt_report_pass1(const struct bt_script *s, double ms);
void rt_report_pass2(const struct bt_script *s, double ms);
void rt_report_pass3(const struct bt_object *obj, double ms);

#endif
