/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compiled program: everything code generation produces and the runtime
 * needs. objwrite.c turns the programs, maps and .data into a standard BPF
 * ELF relocatable that libbpf opens (bpf_object__open_mem); the rest is
 * bpftap's metadata (attach points, printf formats, globals, errors).
 *
 * The .data section (libbpf makes it an internal ARRAY map with one entry,
 * "<obj>.data") holds the exit flag at offset 0 and every scalar global.
 * Programs address it with ld_imm64 of a map value (BPF_PSEUDO_MAP_VALUE),
 * which the verifier knows is never NULL, so scalar globals need no lookup.
 */
#ifndef BPFTAP_OBJECT_H
#define BPFTAP_OBJECT_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/bpf.h>
#include "../parser/ast.h"

#define BT_DATA_EXIT_OFF	0	/* u64 exit flag in .data */
#define BT_DATA_TARGET_OFF	8	/* u64 target() pid, set by the runtime */
#define BT_DATA_TIMEOFF_OFF	16	/* s64 CLOCK_REALTIME - CLOCK_MONOTONIC
					 * in ns, set by the runtime */
#define BT_DATA_NCPUS_OFF	24	/* u64 possible CPUs, set by the runtime
					 * (per-CPU aggregates are summed over
					 * them) */
#define BT_DATA_LOST_OFF	32	/* u64 output records lost because the
					 * ring was full (atomic add) */
#define BT_DATA_GLOBALS_OFF	40	/* first global */
#define BT_LICENSE		"GPL"

/* A map declared in .maps (BTF-defined, as libbpf expects). */
struct bt_objmap {
	char *name;
	uint32_t type;			/* BPF_MAP_TYPE_* */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t flags;
};

/*
 * An ld_imm64 that names a map. In the ELF it becomes an R_BPF_64_64
 * relocation; libbpf patches in the fd when loading.
 *  map >= 0: insn (first half) loads the map (BPF_PSEUDO_MAP_FD after
 *            relocation); both imm fields are 0.
 *  map == BT_RELOC_DATA: a pointer into .data; insns[insn].imm holds the
 *            byte offset (libbpf turns it into BPF_PSEUDO_MAP_VALUE).
 *  map == BT_RELOC_RODATA: the same into .rodata, which libbpf freezes
 *            (BPF_F_RDONLY_PROG): what bpf_snprintf's format must point to.
 *  map <= BT_RELOC_PROG(0): the subprogram progs[BT_RELOC_PROG_INDEX(map)]
 *            (which has `subprog` set), referenced by either
 *            - a call, BPF_JMP|BPF_CALL with src_reg BPF_PSEUDO_CALL, or
 *            - an ld_imm64 (first half) with src_reg BPF_PSEUDO_FUNC, the
 *              callback argument of bpf_loop/bpf_for_each_map_elem.
 *            Leave imm 0: the writer sets what the ELF convention needs.
 * Subprograms may carry relocations of every kind themselves.
 */
#define BT_RELOC_DATA		(-1)
#define BT_RELOC_RODATA		(-2)
#define BT_RELOC_PROG(i)	(-3 - (i))
#define BT_RELOC_PROG_INDEX(m)	(-3 - (m))
struct bt_reloc {
	uint32_t insn;
	int32_t map;
};

/* From instruction `insn` on, code comes from source location `loc`. */
struct bt_srcline {
	uint32_t insn;
	struct bt_loc loc;
};

/* How and where a program attaches (resolved probe point). */
struct bt_attach {
	enum bt_probe_type type;
	int64_t priority;		/* begin/end/error(N) */
	uint64_t period_ns;		/* timers */
	uint64_t hz;			/* timer.hz, perf .hz */
	char *tp_system;		/* tracepoints */
	char *tp_event;
	char *path;			/* uprobes */
	char *func;			/* kprobes, uprobes */
	int64_t pid;			/* uprobes: process(PID), else 0 */
	uint64_t perf_type;		/* perf.type(T).config(C).sample(N) */
	uint64_t perf_config;
	uint64_t perf_sample;		/* 0 with hz set */
	bool optional;			/* point written with '?' */
	char *pp;			/* the probe point as text, for pp() */
};

struct bt_objprog {
	char *name;			/* function symbol, e.g. "probe0_0" */
	bool subprog;			/* a callback or function, not an entry
					 * point: written into `.text`; its
					 * section/attach are unused */
	char *section;			/* "raw_tp", "perf_event",
					 * "tracepoint/syscalls/sys_enter_read" */
	uint32_t prog_type;		/* BPF_PROG_TYPE_* */
	struct bpf_insn *insns;
	uint32_t ninsns;
	struct bt_reloc *relocs;
	uint32_t nrelocs;
	struct bt_srcline *lines;
	uint32_t nlines;
	int probe;			/* index of the script probe */
	struct bt_loc loc;		/* of the probe point */
	struct bt_attach attach;
};

/*
 * Output records in the ring buffer: a header, then the payload.
 *  REC_PRINTF: id = index in formats; payload = the arguments in order,
 *              a long as 8 bytes, a string as a field of `strfield` bytes
 *              (NUL-terminated inside it).
 *  REC_EXIT:   exit() was called; no payload.
 *  REC_ERROR:  id = index in errors; payload = for a dynamic error (error()),
 *              a string field; otherwise nothing.
 *  REC_HIST:   print(@hist_log(x)) / print(@hist_linear(...)): id = index
 *              in globals of the aggregate; payload = the histogram summed
 *              over CPUs: that global's hist.nbuckets u64 counters. The
 *              runtime prints it in stap's layout.
 *  REC_WARN:   warn(msg): payload = the message as a string field; the
 *              runtime prints "WARNING: msg" on stderr.
 */
enum bt_rec_kind {
	REC_PRINTF = 1,
	REC_EXIT = 2,
	REC_ERROR = 3,
	REC_HIST = 4,
	REC_WARN = 5,
};

struct bt_rec_hdr {
	uint32_t kind;
	uint32_t id;
};

struct bt_format {
	char *fmt;			/* decoded format string (stap syntax) */
	size_t len;
	int nargs;
	enum bt_type *argtypes;		/* BT_LONG or BT_STRING each */
};

struct bt_objerror {
	char *msg;		/* "division by 0 near operator '/' at f:3:7";
				 * for error(): " near identifier 'error' at ..."
				 * appended after the payload text */
	bool dynamic;		/* the payload string starts the message */
};

/*
 * Arrays and aggregates.
 *
 * A global array is one BPF hash map (LRU hash when declared with '%'),
 * bt_objglobal.map. Its key is the index columns in order: a long as 8
 * bytes, a string as a field of key_width[i] bytes (a multiple of 8, at
 * most strfield), NUL-terminated and zero-padded (so equal strings are
 * equal keys). A string column is narrower than strfield when every
 * value the script stores under it is short (execname(), literals):
 * hashing and comparing the key is what a lookup costs. A lookup with a
 * longer string sets the column's last byte to 0xff, a key no element
 * can have (cg_array.c). Its value is a long
 * (8 bytes), a string (strfield bytes) or, for an aggregate, a
 * struct bt_stats_val.
 *
 * Aggregates are per-CPU: a scalar aggregate is a PERCPU_ARRAY map with one
 * entry (key u32 0), an array of aggregates a PERCPU_HASH; readers sum the
 * CPUs' values (count, sum, buckets; min/max of the CPUs with count > 0).
 * Histogram buckets follow stap's runtime exactly:
 *   log:    128 buckets, value 0 -> 64, v > 0 -> 64 + (index of the most
 *           significant bit, counting from 1), v < 0 -> 64 - that of -v;
 *           bucket b > 64 stands for 1 << (b - 65), b < 64 for
 *           INT64_MIN >> b.
 *   linear: (stop - start) / interval + 3 buckets: 0 is underflow
 *           (v < start), b in 1..n-2 stands for start + (b - 1) * interval,
 *           n-1 is overflow; v goes to (v - start) / interval + 1, capped at
 *           n-1.
 */
enum bt_hist_kind {
	BT_HIST_NONE = 0,
	BT_HIST_LOG,
	BT_HIST_LINEAR,
};

#define BT_HIST_LOG_BUCKETS	128
#define BT_HIST_LOG_BUCKET0	64

struct bt_histdesc {
	enum bt_hist_kind kind;
	int64_t start, stop, interval;	/* linear */
	uint32_t nbuckets;		/* 0 without a histogram */
};

/*
 * Value of an aggregate on one CPU; `nbuckets` u64 counters follow.
 * avg_s and m2 are the state of stap's integer Welford update for
 * @variance (runtime/stat-common.c), with values scaled by 2^bit-shift.
 */
struct bt_stats_val {
	int64_t count;
	int64_t sum;
	int64_t min;			/* meaningful when count > 0 */
	int64_t max;
	int64_t avg_s;			/* running mean, truncated */
	int64_t m2;			/* running sum of squared deviations */
	uint64_t buckets[];
};

/* A global for the runtime: where it lives, how to print it. */
struct bt_objglobal {
	char *name;
	enum bt_type type;		/* of the value */
	int nkeys;			/* 0 for a scalar */
	enum bt_type keys[BT_MAX_KEYS];
	uint32_t key_width[BT_MAX_KEYS];	/* bytes of each key column */
	bool autoprint;			/* written, never read */
	uint32_t data_off;		/* scalars: offset in .data */
	int map;			/* arrays and aggregates: index in
					 * maps; else -1 */
	struct bt_loc loc;
	struct bt_histdesc hist;	/* aggregates with @hist_* */
};

struct bt_object {
	struct bt_objmap *maps;
	int nmaps;
	struct bt_objprog *progs;
	int nprogs;
	uint8_t *data;			/* initial .data (exit flag, globals) */
	uint32_t data_size;
	uint8_t *rodata;		/* .rodata: constants (bpf_snprintf
					 * formats); none when size is 0 */
	uint32_t rodata_size;
	struct bt_format *formats;
	int nformats;
	struct bt_objerror *errors;
	int nerrors;
	struct bt_objglobal *globals;	/* in declaration order */
	int nglobals;
	int ringbuf_map;		/* index in maps of the output ring */
	uint32_t strfield;		/* bytes of a string field in records */
	uint32_t ncpus;			/* possible CPUs the per-CPU sums were
					 * compiled for; must match at run */
	uint32_t maxstringlen;
	char *source;			/* main script path, for messages */
};

/* Free obj (malloc'ed) and everything it owns, except the interned
 * bt_loc.file names. NULL is fine. */
void obj_free(struct bt_object *obj);

/*
 * Write obj as an ELF relocatable (EM_BPF): one section per program named
 * prog->section, a global FUNC symbol prog->name for each, the subprograms
 * in `.text` (a local FUNC symbol each), `.maps` with BTF map definitions,
 * `.data`, `.rodata`, `license`, `.BTF`, and the relocations.
 * Returns 0 and a malloc'ed buffer, or -1 with errno set.
 */
int obj_write_elf(const struct bt_object *obj, void **buf, size_t *len);

/* -p3: every entry program, with source lines, then the subprograms, the
 * maps and formats. */
void obj_dump(const struct bt_object *obj, FILE *out);

/* -p3 --dump-format=json: the same as one JSON document (dumpjson.c). */
void obj_dump_json(const struct bt_object *obj, FILE *out);

/*
 * Read back an object obj_write_elf wrote (objread.c): the programs, their
 * relocations, maps, .data, .rodata and bpftap's metadata, so rt_run and
 * obj_dump work on it as on a fresh compile. Returns a malloc'ed object,
 * or NULL with a message in err meant to follow the file's name:
 * "is not a bpftap object (...)", "was compiled by bpftap X; this is
 * bpftap Y: recompile it", "is truncated or corrupt: ...".
 * Never trusts buf: any offset, size or index is checked.
 */
struct bt_object *obj_read_elf(const void *buf, size_t len, char *err,
			       size_t errlen);

#endif
