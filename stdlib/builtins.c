// SPDX-License-Identifier: GPL-2.0
/* The table of built-in functions (see builtins.h). */
#include <string.h>
#include "builtins.h"

#define L BT_LONG
#define S BT_STRING
#define V BT_VOID
#define ANY BT_UNKNOWN

const struct bt_builtin builtin_table[] = {
	{ "printf",	BI_PRINTF,	V, 1, -1, { S }, true },
	{ "print",	BI_PRINT,	V, 1, -1, { ANY } },
	{ "println",	BI_PRINTLN,	V, 0, -1, { ANY } },
	{ "printd",	BI_PRINTD,	V, 2, -1, { S } },
	{ "printdln",	BI_PRINTDLN,	V, 2, -1, { S } },
	{ "sprintf",	BI_SPRINTF,	S, 1, -1, { S }, true },
	{ "sprint",	BI_SPRINT,	S, 1, -1, { ANY } },
	{ "sprintln",	BI_SPRINTLN,	S, 0, -1, { ANY } },
	{ "sprintd",	BI_SPRINTD,	S, 2, -1, { S } },
	{ "sprintdln",	BI_SPRINTDLN,	S, 2, -1, { S } },
	{ "exit",	BI_EXIT,	V, 0, 0 },
	{ "error",	BI_ERROR,	V, 1, 1, { S } },
	{ "abort",	BI_ABORT,	V, 0, 0 },
	{ "assert",	BI_ASSERT,	V, 1, 2, { L, S } },
	{ "log",	BI_LOG,		V, 1, 1, { S } },
	{ "warn",	BI_WARN,	V, 1, 1, { S } },
	{ "pid",	BI_PID,		L, 0, 0 },
	{ "tid",	BI_TID,		L, 0, 0 },
	{ "ppid",	BI_PPID,	L, 0, 0 },
	{ "uid",	BI_UID,		L, 0, 0 },
	{ "gid",	BI_GID,		L, 0, 0 },
	{ "euid",	BI_EUID,	L, 0, 0 },
	{ "egid",	BI_EGID,	L, 0, 0 },
	{ "cpu",	BI_CPU,		L, 0, 0 },
	{ "execname",	BI_EXECNAME,	S, 0, 0 },
	{ "gettimeofday_s",  BI_GETTIMEOFDAY_S,  L, 0, 0 },
	{ "gettimeofday_ms", BI_GETTIMEOFDAY_MS, L, 0, 0 },
	{ "gettimeofday_us", BI_GETTIMEOFDAY_US, L, 0, 0 },
	{ "gettimeofday_ns", BI_GETTIMEOFDAY_NS, L, 0, 0 },
	{ "ktime_get_ns",    BI_KTIME_GET_NS,    L, 0, 0 },
	{ "jiffies",	BI_JIFFIES,	L, 0, 0 },
	{ "target",	BI_TARGET,	L, 0, 0 },
	{ "pexecname",	BI_PEXECNAME,	S, 0, 0 },
	{ "sid",	BI_SID,		L, 0, 0 },
	{ "pgrp",	BI_PGRP,	L, 0, 0 },
	{ "pp",		BI_PP,		S, 0, 0 },
	{ "probefunc",	BI_PROBEFUNC,	S, 0, 0 },
	{ "task_current", BI_TASK_CURRENT, L, 0, 0 },
	{ "strlen",	BI_STRLEN,	L, 1, 1, { S } },
	{ "substr",	BI_SUBSTR,	S, 3, 3, { S, L, L } },
	{ "isinstr",	BI_ISINSTR,	L, 2, 2, { S, S } },
	{ "strtol",	BI_STRTOL,	L, 2, 2, { S, L } },
	{ "str_replace", BI_STR_REPLACE, S, 3, 3, { S, S, S } },
	{ "text_str",	BI_TEXT_STR,	S, 1, 1, { S } },
	{ "text_strn",	BI_TEXT_STRN,	S, 3, 3, { S, L, L } },
	{ "int_arg",	BI_INT_ARG,	L, 1, 1, { L } },
	{ "uint_arg",	BI_UINT_ARG,	L, 1, 1, { L } },
	{ "long_arg",	BI_LONG_ARG,	L, 1, 1, { L } },
	{ "ulong_arg",	BI_ULONG_ARG,	L, 1, 1, { L } },
	{ "longlong_arg",  BI_LONGLONG_ARG,  L, 1, 1, { L } },
	{ "ulonglong_arg", BI_ULONGLONG_ARG, L, 1, 1, { L } },
	{ "pointer_arg", BI_POINTER_ARG, L, 1, 1, { L } },
	{ "s32_arg",	BI_S32_ARG,	L, 1, 1, { L } },
	{ "u32_arg",	BI_U32_ARG,	L, 1, 1, { L } },
	{ "s64_arg",	BI_S64_ARG,	L, 1, 1, { L } },
	{ "u64_arg",	BI_U64_ARG,	L, 1, 1, { L } },
	{ "returnval",	BI_RETURNVAL,	L, 0, 0 },
	{ "register",	BI_REGISTER,	L, 1, 1, { S } },
	{ "u_register",	BI_U_REGISTER,	L, 1, 1, { S } },
	{ "user_string", BI_USER_STRING, S, 1, 2, { L, S } },
	{ "user_string_n", BI_USER_STRING_N, S, 2, 3, { L, L, S } },
	{ "user_char",	BI_USER_CHAR,	L, 1, 1, { L } },
	{ "user_short",	BI_USER_SHORT,	L, 1, 1, { L } },
	{ "user_ushort", BI_USER_USHORT, L, 1, 1, { L } },
	{ "user_int",	BI_USER_INT,	L, 1, 1, { L } },
	{ "user_long",	BI_USER_LONG,	L, 1, 1, { L } },
	{ "user_ulong",	BI_USER_ULONG,	L, 1, 1, { L } },
	{ "user_int8",	BI_USER_INT8,	L, 1, 1, { L } },
	{ "user_uint8",	BI_USER_UINT8,	L, 1, 1, { L } },
	{ "user_int16",	BI_USER_INT16,	L, 1, 1, { L } },
	{ "user_uint16", BI_USER_UINT16, L, 1, 1, { L } },
	{ "user_int32",	BI_USER_INT32,	L, 1, 1, { L } },
	{ "user_uint32", BI_USER_UINT32, L, 1, 1, { L } },
	{ "user_int64",	BI_USER_INT64,	L, 1, 1, { L } },
	{ "user_uint64", BI_USER_UINT64, L, 1, 1, { L } },
	{ "kernel_string", BI_KERNEL_STRING, S, 1, 2, { L, S } },
	{ "kernel_string_n", BI_KERNEL_STRING_N, S, 2, 2, { L, L } },
	{ "kernel_long", BI_KERNEL_LONG, L, 1, 1, { L } },
	{ "kernel_int",	BI_KERNEL_INT,	L, 1, 1, { L } },
	{ "kernel_short", BI_KERNEL_SHORT, L, 1, 1, { L } },
	{ "kernel_char", BI_KERNEL_CHAR, L, 1, 1, { L } },
	{ "kernel_pointer", BI_KERNEL_POINTER, L, 1, 1, { L } },
	{ "matched",	BI_MATCHED,	S, 1, 1, { L } },
	{ NULL }
};

const struct bt_builtin *builtin_find(const char *name)
{
	for (const struct bt_builtin *b = builtin_table; b->name; b++)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}
