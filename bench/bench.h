/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpftap-bench: runs the same tracing workloads under bpftap and, when
 * they are installed, hand-written libbpf C, bpftrace and stapbpf, and
 * prints one table with ratios (bench/README.md).
 *
 *   bench.c    options, the tool and workload tables, the main loop
 *   launch.c   starting a tool, seeing its probe attached, stopping it
 *   drive.c    the workload: N syscalls in a fresh, pinned process
 *   bpfinfo.c  bpf_stats and program sizes, by program id
 *   check.c    does a tool's output account for every event?
 *   stats.c    samples, medians, the table
 *   scale.c    generated scripts of 10..1000 probes, 500 tracepoints
 */
#ifndef BPFTAP_BENCH_H
#define BPFTAP_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define BENCH_MAX_ARGS	24
#define BENCH_MAX_PROGS	1024

enum drive_mode {
	DRIVE_GETPID,		/* syscall(SYS_getpid) in a loop */
	DRIVE_READ,		/* read(/dev/zero, buf, i % 64 + 1) */
};

enum check_kind {
	CHECK_NONE,
	CHECK_COUNT,		/* count=N, N == the program's run count */
	CHECK_PERKEY,		/* pid=P count=N for the driver's pid */
	CHECK_STATS,		/* count=N avg=A sum=S */
	CHECK_LINES,		/* one "getpid pid=P" line per event */
	CHECK_STRKEY,		/* the driver's comm counted N times */
	CHECK_HIST,		/* histogram buckets add up to the run count */
};

struct workload {
	const char *name;	/* file base name: workloads/NAME.stp ... */
	const char *title;
	const char *event;	/* tracepoint, as BPF_TASK_FD_QUERY names it */
	enum drive_mode mode;
	long n;
	enum check_kind check;
};

/* A tool column. Templates: "%s" = script or object, "%o" = output. */
struct tool {
	const char *name;
	const char *ext;		/* workloads/W.EXT, or the hand dir */
	const char *run[BENCH_MAX_ARGS];
	const char *run_lines[BENCH_MAX_ARGS];	/* line-buffered, if not run */
	const char *compile[BENCH_MAX_ARGS];
	const char *begin_exit[BENCH_MAX_ARGS];
	const char *env[4];		/* NAME=VALUE, NULL-terminated */
	const char *only;		/* run this workload only, or NULL */
	bool children;			/* its probes may be in a child */
	bool available;
	char why[160];			/* when not available */
};

struct bench {
	const char *src;		/* bench/ in the source tree */
	const char *build;		/* bench/ in the build tree */
	const char *out;		/* results of this run */
	const char *bpftap;
	int reps;
	int driver_cpu;
	bool quick;			/* fewer events, fewer reps */
	bool callgrind;
	const char *only_tools;		/* comma list, or NULL */
	const char *only_wls;
	FILE *raw;			/* out/runs.txt: key=value lines */
	struct tool *tools;
	int ntools;
	const struct workload *wls;
	int nwls;
};

/* A tool started in its own session, stdout and stderr to files. */
struct proc {
	pid_t pid;
	bool children;			/* look at the whole session */
	int pidfd;
	uint64_t t_start;		/* ns, CLOCK_MONOTONIC, before fork */
	int status;
	bool reaped;
};

struct drive_result {
	pid_t pid;
	uint64_t wall_ns;
	uint64_t sum;			/* read: bytes asked for */
	double lat_ms[64];		/* rare events: syscall -> output */
	int nlat;
};

struct progstat {
	uint64_t run_cnt, run_time_ns;
	uint32_t xlated_insns;
	uint32_t jited_bytes;
};

/* bench.c */
uint64_t now_ns(void);
void bench_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* argv from a template: %s -> a, %o -> o (a copy the caller frees). */
char **bench_argv(const char *const *tmpl, const char *a, const char *o);
void bench_argv_free(char **argv);

/* launch.c */
int proc_start(struct proc *p, const struct tool *t, char *const *argv,
	       const char *out, const char *err, const char *cwd);
/* Wait until nprogs programs are attached to `event` (NULL: any) by p's
 * session. Fills ids. Returns the count or -1 (timeout, exit). */
int proc_wait_attached(struct proc *p, const char *event, int nprogs,
		       int timeout_ms, uint32_t *ids, double *ms);
/* SIGINT, then wait (escalating); ms until reaped. */
int proc_stop(struct proc *p, int sig, double *ms);
/* Wait for exit without signalling; ms since start. */
int proc_wait(struct proc *p, int timeout_ms, double *ms);
void proc_kill(struct proc *p);
/* Run to completion: wall ms, CPU ms, max RSS KB. Returns exit status. */
int run_cmd(const struct tool *t, char *const *argv, const char *cwd,
	    const char *out, double *wall_ms, double *cpu_ms, long *rss_kb);

/* drive.c */
int drive(enum drive_mode mode, long n, long rate, int cpu,
	  struct drive_result *r);
/* n getpid calls `gap_ms` apart; each waits until `file` grows. */
int drive_rare(int n, int gap_ms, int cpu, const char *file,
	       struct drive_result *r);

/* bpfinfo.c */
int bpf_stats_on(void);
int progstat_get(const uint32_t *ids, int n, struct progstat *s);
bool prog_exists(uint32_t id);

/* check.c: "" when the output accounts for the run, else why not */
const char *check_output(const struct workload *w, const char *out_path,
			 const struct drive_result *d, uint64_t run_cnt,
			 uint64_t *lines);

/* stats.c */
void sample_add(const char *metric, const char *wl, const char *tool,
		double v);
double sample_median(const char *metric, const char *wl, const char *tool);
void table_print(FILE *f, const struct bench *b);
void samples_free(void);

/* scale.c */
void scale_run(struct bench *b);

#endif
