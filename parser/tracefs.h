/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints as tracefs describes them: the list of events and, per
 * event, the fields of its raw record from the `format` file. This is all
 * bpftap knows about tracepoints: no kernel headers, no debuginfo.
 *
 * A tracepoint program's context is that raw record: the common header
 * (common_type, common_pid, ...) then the event's own fields, at the
 * offsets the format file gives. Strings of variable length are
 * `__data_loc` (a u32 at the field: length << 16 | offset of the bytes
 * from the start of the record) or `__rel_loc` (the same, but the offset
 * counts from the end of the field).
 *
 * Everything read is cached for the life of the process: one compile
 * reads each format file once, however many probes name the event.
 */
#ifndef BPFTAP_TRACEFS_H
#define BPFTAP_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>

enum tracefs_kind {
	TRACEFS_INT,		/* an integer of 1, 2, 4 or 8 bytes */
	TRACEFS_PTR,		/* a pointer: its value, as a long */
	TRACEFS_STR_LOC,	/* __data_loc char[]: a string */
	TRACEFS_STR_REL,	/* __rel_loc char[]: a string */
	TRACEFS_CHARS,		/* char name[N]: a string of at most N;
				 * name[i] is a char */
	TRACEFS_ARRAY,		/* TYPE name[N] of integers: only name[i]
				 * reads (an element) */
	TRACEFS_OTHER,		/* anything else: listed, not readable */
};

struct tracefs_field {
	char *name;
	char *type;		/* the C type as -L shows it: "unsigned
				 * int", "char*", "char[16]",
				 * "__data_loc char[]" */
	unsigned int offset;	/* in the raw record */
	unsigned int size;	/* bytes at offset (for strings: of the
				 * loc word or of the array) */
	bool is_signed;
	unsigned int count;	/* TRACEFS_CHARS, TRACEFS_ARRAY: N */
	unsigned int elem_size;	/* their element's bytes (size / N) */
	bool elem_signed;	/* from the element type's name: the
				 * format's signed: is the array's */
	bool common;		/* common_*: the header every event has */
	enum tracefs_kind kind;
};

struct tracefs_event {
	char *system;
	char *name;
	int id;			/* -1 when the format has none */
	struct tracefs_field *fields;	/* in record order, common first */
	int nfields;
};

/* Where tracefs is (tests point this at a fake tree); NULL: the default
 * /sys/kernel/tracing, else /sys/kernel/debug/tracing. Clears the cache. */
void tracefs_set_root(const char *dir);
/* The directory in use, mounting tracefs at /sys/kernel/tracing when no
 * tree is there (root only); NULL if there is none. */
const char *tracefs_root(void);

/* Every event, "SYSTEM:EVENT", sorted (system, then event); the count,
 * or -1 with errno when tracefs cannot be read. Cached: do not free. */
int tracefs_events(const char *const **names);

/* The event's format, or NULL with errno set (ENOENT: no such event). */
const struct tracefs_event *tracefs_event(const char *system,
					  const char *event);
/* A field by name, or NULL. */
const struct tracefs_field *tracefs_field(const struct tracefs_event *ev,
					  const char *name);

/* Parse the text of a format file into ev (fields allocated, system and
 * name left to the caller); -1 on a malformed file. For tests too. */
int tracefs_parse_format(const char *text, struct tracefs_event *ev);
void tracefs_event_free(struct tracefs_event *ev);

/* Does a script read the field as a string? */
static inline bool tracefs_is_string(const struct tracefs_field *f)
{
	return f->kind == TRACEFS_STR_LOC || f->kind == TRACEFS_STR_REL ||
	       f->kind == TRACEFS_CHARS;
}

#endif
