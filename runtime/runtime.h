/* SPDX-License-Identifier: GPL-2.0 */
/* Pass 5: load the compiled object into the kernel and run the session. */
#ifndef BPFTAP_RUNTIME_H
#define BPFTAP_RUNTIME_H

#include <stdbool.h>
#include <stdio.h>
#include "../codegen/object.h"

struct rt_options {
	const char *target_cmd;		/* -c CMD, or NULL */
	int target_pid;			/* -x PID, or 0 */
	bool no_global_display;		/* --no-global-var-display */
	int verbose;			/* -v count */
	/* -D MAXERRORS: runtime errors tolerated; the next one ends the
	 * session (0, the default: the first one does). */
	int maxerrors;
	int bufsize_mb;			/* -s: output ring in MB, 0: default */
	FILE *out;			/* script output (stdout or -o FILE) */
	/* --format=json: JSON Lines on out instead of text (json.h) */
	bool json;
};

/*
 * Load obj (via obj_write_elf + libbpf), run begin probes, attach the rest,
 * deliver output until exit() / a signal / the -c command ends, detach, run
 * end probes, drain output, print globals. Returns the process exit status
 * (0, or 1 after errors). Every fd, link and child is released on return.
 */
int rt_run(const struct bt_object *obj, const struct rt_options *opt);

#endif
