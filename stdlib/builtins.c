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
	{ "sprint",	BI_SPRINT,	S, 1, 1, { ANY } },
	{ "exit",	BI_EXIT,	V, 0, 0 },
	{ "error",	BI_ERROR,	V, 1, 1, { S } },
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
	{ "strlen",	BI_STRLEN,	L, 1, 1, { S } },
	{ "substr",	BI_SUBSTR,	S, 3, 3, { S, L, L } },
	{ "isinstr",	BI_ISINSTR,	L, 2, 2, { S, S } },
	{ "strtol",	BI_STRTOL,	L, 2, 2, { S, L } },
	{ "str_replace", BI_STR_REPLACE, S, 3, 3, { S, S, S } },
	{ "text_str",	BI_TEXT_STR,	S, 1, 1, { S } },
	{ NULL }
};

const struct bt_builtin *builtin_find(const char *name)
{
	for (const struct bt_builtin *b = builtin_table; b->name; b++)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}
