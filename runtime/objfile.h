/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What main.c needs beyond compile-and-run: precompiled objects
 * (`bpftap FILE.bo`), verify mode (--verify) and the -v pass reports.
 */
#ifndef BPFTAP_OBJFILE_H
#define BPFTAP_OBJFILE_H

#include <stdbool.h>
#include <stdio.h>
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

/* checks.c: bounds on what the command line names. */
#define RT_MAX_INPUT	(16 << 20)	/* bytes of a script or object */
#define RT_MAX_PROBES	10000		/* probe points of one session */

/* path is a regular file of at most RT_MAX_INPUT bytes, else -1 after
 * "bpftap: error: PATH: not a regular file" (or its size, or errno). */
int rt_check_input(const char *path);
/* The capabilities a run needs are there, else -1 after one message. */
int rt_check_privileges(void);
/* Open -o PATH for writing, truncated; refuses (NULL, after a message)
 * anything that exists and is not a regular file. */
FILE *rt_open_output(const char *path);
/* The same for a file written whole: its old contents are overwritten,
 * then cut to the new length by rt_close_replace() (0, or -1). */
FILE *rt_open_replace(const char *path);
int rt_close_replace(FILE *f);
/* At most RT_MAX_PROBES entry programs, else -1 after a message. */
int rt_check_probes(const struct bt_object *obj);

/* -v: milliseconds since an earlier rt_clock_ms(). */
double rt_clock_ms(void);

/* -v: when a pass started (real, user and system CPU time, in ms). */
struct rt_pass_time {
	double real, usr, sys;
};
void rt_pass_start(struct rt_pass_time *t);
/* stap's " using Nvirt/Nres/Nshr/Ndata kb, in Nusr/Nsys/Nreal ms"
 * (memory now, times since t) into buf; mem false leaves out "using". */
const char *rt_pass_usage(const struct rt_pass_time *t, bool mem,
			  char *buf, size_t size);
/* -v: stap's "Pass N: ..." lines, with counts. */
void rt_report_pass1(const struct bt_script *s, const struct rt_pass_time *t);
void rt_report_pass2(const struct bt_script *s, const struct rt_pass_time *t);
void rt_report_pass3(const struct bt_object *obj,
		     const struct rt_pass_time *t);

#endif
