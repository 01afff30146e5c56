/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State of one session, shared by the runtime's files:
 *   load.c     object → libbpf, .data, verifier messages, the ring buffer
 *   attach.c   one hook per probe type (timers, tracepoints, ...)
 *   closer.c   closing tracepoints' perf events without waiting
 *   uprobe.c   uprobes and kprobes
 *   perf.c     perf events on every CPU
 *   output.c   decoding of output records (printf, exit, errors,
 *              histograms)
 *   target.c   -c (child held until every probe is attached) and -x
 *   globals.c  auto-print at shutdown (scalars, arrays, aggregates)
 *   hist.c     histogram text; aggregates summed over CPUs
 *   run.c      rt_run: phases, signals, the event loop
 */
#ifndef BPFTAP_RT_INTERNAL_H
#define BPFTAP_RT_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "runtime/runtime.h"
#include "runtime/format.h"

struct bpf_object;
struct bpf_program;
struct bpf_map;
struct bpf_link;
struct ring_buffer;

struct rt_target {
	pid_t pid;		/* target(): the -c child or -x, else 0 */
	pid_t child;		/* -c: our child until it is reaped */
	int go_fd;		/* -c: one byte here lets the child exec */
	int exec_fd;		/* -c: a failed exec's errno, or EOF */
	char *argv0;		/* -c: the command, for messages */
	bool released;		/* -c: it was let go (exec was tried) */
	bool failed;		/* -c: it exited non-zero or by a signal */
};

struct rt_session {
	const struct bt_object *obj;
	const struct rt_options *opt;
	void *elf;
	size_t elf_len;
	struct bpf_object *bobj;
	struct bpf_program **bprogs;	/* libbpf's obj->progs[i] */
	struct bpf_map *data_map;
	int data_fd;
	uint8_t *data;			/* last read of .data */
	uint8_t *data_mm;		/* .data mapped shared after load
					 * (NULL if the kernel would not):
					 * single words are written here */
	size_t data_mm_len;
	uint32_t data_size;
	int64_t time_offset;		/* for BT_DATA_TIMEOFF_OFF */
	struct ring_buffer *rb;
	int64_t last_records_ns;	/* when a poll last found records */
	struct bpf_link **links;
	int nlinks;
	int caplinks;
	int *keep;			/* tracepoints' perf events (attach.c) */
	int nkeep;
	int capkeep;
	struct rt_target target;
	struct fmt_arg *args;		/* scratch for one printf record */
	char *strs;			/* copies of unterminated strings */
	int maxargs;
	bool exit_seen;			/* REC_EXIT came, or the flag is set */
	int nerrors;			/* ERROR: lines printed */
	bool final_probes;		/* end/error probes are running */
	bool quiesced;			/* the exit flag stays up: links may
					 * still be attached (run.c) */
	bool detaching;			/* the detacher thread runs */
	pthread_t detacher;
	bool bug;			/* a malformed record or failed call */
	bool out_failed;		/* the output cannot be written */
};

/* Print "bpftap: error: ..." to stderr. */
void rt_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A malformed record or an impossible state: report, remember, go on. */
void rt_bug(struct rt_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "file:line:col" of loc, in a static buffer. */
const char *rt_loc_str(const struct rt_session *s, const struct bt_loc *loc);

/* load.c */
void rt_log_begin(int verbose);
void rt_log_end(void);
int rt_load(struct rt_session *s);
int rt_data_read(struct rt_session *s);
bool rt_exit_flag(struct rt_session *s);
int rt_exit_flag_clear(struct rt_session *s);
void rt_exit_flag_set(struct rt_session *s);
uint64_t rt_lost_records(struct rt_session *s);
void rt_unload(struct rt_session *s);

/* objfile.c: after a verifier rejection of p, its source line and the
 * failing instruction, from the log's last instruction index. */
void rt_verifier_explain(struct rt_session *s, const struct bt_objprog *p,
			 const char *log, size_t len);

/* attach.c */
int rt_attach_check(struct rt_session *s);
int rt_attach_all(struct rt_session *s);
void rt_detach_all(struct rt_session *s);
/* closer.c: rt_detach_all in a thread of its own while the caller goes
 * on (false: no thread, nothing done); wait for it. */
bool rt_detach_async(struct rt_session *s);
void rt_detach_wait(struct rt_session *s);
bool rt_probe_is_run(enum bt_probe_type t);
int rt_link_add(struct rt_session *s, struct bpf_link *link);
/* The online CPUs: their count (and *cpus, malloc'd), or -1. */
int rt_online_cpus(int **cpus);

/* closer.c: destroy links from a pool of threads (the kernel's waits
 * overlap); close fds in a process of their own, without waiting for
 * the kernel to free them (the fds are closed here too). */
void rt_links_destroy(struct bpf_link **links, int n);
void rt_close_later(int *fds, int n);

/* uprobe.c: uprobes and kprobes */
int rt_attach_uprobe(struct rt_session *s, int i);
int rt_attach_kprobe(struct rt_session *s, int i);
bool rt_kprobes_available(void);
void rt_uprobe_cleanup(void);

/* perf.c: perf.type(T).config(C) events on every CPU */
int rt_attach_perf(struct rt_session *s, int i);
const char *rt_perf_strerror(const struct bt_attach *a, int err);

/* output.c */
int rt_output_init(struct rt_session *s);
int rt_output_poll(struct rt_session *s, int timeout_ms);
int rt_output_drain(struct rt_session *s);
void rt_output_free(struct rt_session *s);

/* target.c */
int rt_target_spawn(struct rt_session *s);
int rt_target_release(struct rt_session *s);
bool rt_target_gone(struct rt_session *s);
void rt_target_cleanup(struct rt_session *s);

/* globals.c */
void rt_globals_print(struct rt_session *s);

#endif
