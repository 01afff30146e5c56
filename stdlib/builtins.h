/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Built-in functions: their signatures, used by elaboration to check calls
 * and infer types, and their ids, used by code generation to lower them.
 */
#ifndef BPFTAP_BUILTINS_H
#define BPFTAP_BUILTINS_H

#include "../parser/ast.h"

enum bt_builtin_id {
	BI_PRINTF, BI_PRINT, BI_PRINTLN, BI_PRINTD, BI_PRINTDLN,
	BI_SPRINTF, BI_SPRINT, BI_SPRINTLN, BI_SPRINTD, BI_SPRINTDLN,
	BI_EXIT, BI_ERROR, BI_ABORT, BI_ASSERT, BI_LOG, BI_WARN,
	BI_PID, BI_TID, BI_PPID, BI_UID, BI_GID, BI_EUID, BI_EGID, BI_CPU,
	BI_EXECNAME,
	BI_GETTIMEOFDAY_S, BI_GETTIMEOFDAY_MS, BI_GETTIMEOFDAY_US,
	BI_GETTIMEOFDAY_NS, BI_KTIME_GET_NS, BI_JIFFIES,
	BI_TARGET,
	BI_PEXECNAME, BI_SID, BI_PGRP, BI_PP, BI_PROBEFUNC, BI_TASK_CURRENT,
	BI_STRLEN, BI_SUBSTR, BI_ISINSTR, BI_STRTOL, BI_STR_REPLACE,
	BI_TEXT_STR, BI_TEXT_STRN,
	/* probe arguments and memory reads (codegen/cg_regs.c) */
	BI_INT_ARG, BI_UINT_ARG, BI_LONG_ARG, BI_ULONG_ARG, BI_LONGLONG_ARG,
	BI_ULONGLONG_ARG, BI_POINTER_ARG, BI_S32_ARG, BI_U32_ARG, BI_S64_ARG,
	BI_U64_ARG, BI_RETURNVAL, BI_REGISTER, BI_U_REGISTER,
	BI_USER_STRING, BI_USER_STRING_N,
	BI_USER_CHAR, BI_USER_SHORT, BI_USER_USHORT, BI_USER_INT,
	BI_USER_LONG, BI_USER_ULONG, BI_USER_INT8, BI_USER_UINT8,
	BI_USER_INT16, BI_USER_UINT16, BI_USER_INT32, BI_USER_UINT32,
	BI_USER_INT64, BI_USER_UINT64,
	BI_KERNEL_STRING, BI_KERNEL_STRING_N, BI_KERNEL_LONG, BI_KERNEL_INT,
	BI_KERNEL_SHORT, BI_KERNEL_CHAR, BI_KERNEL_POINTER,
	/* matched(n): a part of the last =~ match (codegen/cg_regex.c) */
	BI_MATCHED,
	BI_COUNT_
};

#define BI_MAX_ARGS 4

struct bt_builtin {
	const char *name;
	enum bt_builtin_id id;
	enum bt_type ret;		/* BT_VOID for statements */
	int min_args;
	int max_args;			/* -1: variadic (printf family) */
	/* Fixed parameters; BT_UNKNOWN accepts long or string. For
	 * variadic ones the first min_args are checked, the rest are free. */
	enum bt_type args[BI_MAX_ARGS];
	/* The first argument must be a string literal (printf formats). */
	bool literal_format;
};

const struct bt_builtin *builtin_find(const char *name);
/* For "did you mean": the table, terminated by a NULL name. */
extern const struct bt_builtin builtin_table[];

#endif
