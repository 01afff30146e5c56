/* SPDX-License-Identifier: GPL-2.0 */
/* Pass 1: text to AST. */
#ifndef BPFTAP_PARSE_H
#define BPFTAP_PARSE_H

#include <stddef.h>
#include "ast.h"

/*
 * Parse one source into the script: its globals, functions and probes are
 * appended to those already there, so the user script and library files
 * share one bt_script. Returns 0, or -1 after printing diagnostics.
 * Never crashes or loops on any input; nesting deeper than
 * PARSE_MAX_DEPTH is an error.
 */
#define PARSE_MAX_DEPTH 1000
int parse_file(struct bt_script *s, const char *path);
int parse_string(struct bt_script *s, const char *name, const char *text,
		 size_t len);
/* A script file's whole text (a regular file of bounded size),
 * malloc'ed, or NULL after a message on stderr. */
char *parse_read(const char *path, size_t *len);

/*
 * The preprocessor's view of the session (preproc.c), shared by every
 * parse until parse_reset_env(). Strings and arrays are not copied.
 */
/* Script arguments: $1 @1 ... and $# @#. */
void parse_set_args(char *const *args, int nargs);
/* Searched by @include after the including file's directory. */
void parse_set_incdirs(char *const *dirs, int ndirs);
/* The kernel that kernel_v, kernel_vr and arch describe (default:
 * uname). */
void parse_set_kernel(const char *release, const char *machine);
/* Returns the kernel configuration text (malloc'ed) or NULL; without
 * one, or when it fails, /boot/config-RELEASE is read. */
void parse_set_config_reader(char *(*read)(size_t *len));
/* /proc/config.gz, uncompressed (kconfig.c, which needs zlib). */
char *kconfig_read_proc(size_t *len);
/* A macro library file (*.stpm): only @define, visible in every file
 * parsed afterwards. Returns 0, or -1 after printing diagnostics. */
int parse_macro_file(const char *path);
/* Forget the settings and the library macros. */
void parse_reset_env(void);

#endif
