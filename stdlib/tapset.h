/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The script-language library ("tapsets"): files of functions and probe
 * aliases parsed into the user's bt_script after the user's own file, so
 * elaboration sees one program and pulls in what the script uses.
 */
#ifndef BPFTAP_TAPSET_H
#define BPFTAP_TAPSET_H

#include "../parser/ast.h"

/*
 * Parse every *.stp file of the -I directories (in order, each file in
 * name order), then of bpftap's own stdlib directory, then the syscall
 * aliases the script's probe points name (syscalls.c). The user's script
 * must already be parsed: it stays the main file. Returns 0, or -1 after
 * printing diagnostics.
 */
int tapset_load(struct bt_script *s, char *const *dirs, int ndirs);

/*
 * Read the macro libraries (*.stpm, as in stap) of the -I directories
 * and of the stdlib: their @define macros are visible to every file.
 * Call before parsing the user's script. Returns 0 or -1.
 */
int tapset_load_macros(char *const *dirs, int ndirs);

/* The stdlib directory in use: the source tree's when this bpftap runs
 * from its build tree, else the installed one. */
const char *tapset_stdlib_dir(void);

/*
 * syscalls.c: write the aliases `syscall.NAME` and `syscall.NAME.return`
 * for every syscall some probe point of s names (wildcards allowed), over
 * the syscalls:sys_enter_NAME / sys_exit_NAME tracepoints, and the
 * function syscall_name(nr); parse them into s. Returns 0 or -1.
 */
int tapset_syscalls(struct bt_script *s);
/* Make the syscall aliases assign every variable they offer, used or not
 * (for -L, which lists them). */
void tapset_syscalls_all_vars(bool on);

#endif
