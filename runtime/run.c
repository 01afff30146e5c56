// SPDX-License-Identifier: GPL-2.0
/*
 * rt_run: one session, in phases.
 *   setup     check the probe types, fork the -c child, load
 *   start     begin probes (BPF_PROG_RUN, priority order), then attach
 *             the rest and let the -c child go
 *   run       print output until exit(), a signal, an error or the
 *             target's end
 *   shutdown  stop the probes (quiesce while detaching, or detach),
 *             print what is left, run end (or error) probes, print
 *             globals, release the child
 * Output is drained after every begin/end probe, so it appears in the
 * order the script produced it.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "runtime/internal.h"
#include "runtime/objfile.h"

/* At most this late, a flag, a signal or the target's end is seen. */
#define RT_POLL_MS	50

static const int rt_signal_list[] = { SIGINT, SIGTERM, SIGHUP };
#define RT_NSIGNALS	(int)(sizeof(rt_signal_list) / sizeof(int))

static volatile sig_atomic_t rt_signals;	/* signals received */
static volatile sig_atomic_t rt_shutting_down;
static volatile sig_atomic_t rt_child;		/* -c child, for _exit */

void rt_error(const char *fmt, ...)
{
	va_list ap;

	fputs("bpftap: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void rt_bug(struct rt_session *s, const char *fmt, ...)
{
	va_list ap;

	fputs("bpftap: internal error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (please report this bug)\n", stderr);
	s->bug = true;
}

const char *rt_loc_str(const struct rt_session *s, const struct bt_loc *loc)
{
	static char buf[512];
	const char *file = loc->file ? loc->file :
			   s->obj->source ? s->obj->source : "<input>";

	snprintf(buf, sizeof(buf), "%s:%d:%d", file, loc->line, loc->col);
	return buf;
}

/*
 * The first signal asks for an orderly stop (end probes, output,
 * globals); a second one during shutdown leaves at once.
 */
static void rt_on_signal(int sig)
{
	rt_signals++;
	if (rt_shutting_down && rt_signals >= 2) {
		if (rt_child > 0)
			kill(rt_child, SIGKILL);
		_exit(1);
	}
}

/*
 * SA_RESTART, so that a signal arriving while the output blocks on a slow
 * reader restarts the write instead of failing it (and losing output);
 * the ring buffer's wait (epoll_wait) and nanosleep are never restarted,
 * so a signal still cuts them short. SIGPIPE is ignored, so that a reader
 * going away (`| head`) shows up as a write error, which ends the session
 * in order like any other stop.
 */
static void rt_signals_install(struct sigaction *old)
{
	struct sigaction sa;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = rt_on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	rt_signals = 0;
	rt_shutting_down = 0;
	for (i = 0; i < RT_NSIGNALS; i++)
		sigaction(rt_signal_list[i], &sa, &old[i]);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old[RT_NSIGNALS]);
}

static void rt_signals_restore(const struct sigaction *old)
{
	int i;

	for (i = 0; i < RT_NSIGNALS; i++)
		sigaction(rt_signal_list[i], &old[i], NULL);
	sigaction(SIGPIPE, &old[RT_NSIGNALS], NULL);
	rt_child = 0;
}

static bool rt_too_many_errors(const struct rt_session *s)
{
	return s->nerrors > s->opt->maxerrors;
}

static bool rt_stopping(const struct rt_session *s)
{
	return s->exit_seen || rt_signals || rt_too_many_errors(s) ||
	       s->out_failed;
}

static int rt_prog_run(struct rt_session *s, int i)
{
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	const struct bt_objprog *p = &s->obj->progs[i];

	if (bpf_prog_test_run_opts(bpf_program__fd(s->bprogs[i]), &topts)) {
		rt_error("cannot run probe %s at %s: %s",
			 p->attach.pp ? p->attach.pp : p->name,
			 rt_loc_str(s, &p->loc), strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The programs of one type (begin, end, error) in priority order; equal
 * priorities keep program order. begin probes stop at exit() or an error,
 * as later ones would see the exit flag and do nothing anyway. end and
 * error probes all run, even after one of them calls exit(): the flag is
 * cleared before each (nothing else is attached by then).
 */
static int rt_run_probes(struct rt_session *s, enum bt_probe_type type)
{
	const struct bt_objprog *progs = s->obj->progs;
	int *order = malloc((s->obj->nprogs + 1) * sizeof(*order));
	int n = 0, i, j, err = 0;

	if (!order) {
		rt_error("out of memory");
		return -1;
	}
	for (i = 0; i < s->obj->nprogs; i++) {
		if (progs[i].attach.type != type)
			continue;
		for (j = n; j > 0 && progs[order[j - 1]].attach.priority >
				     progs[i].attach.priority; j--)
			order[j] = order[j - 1];
		order[j] = i;
		n++;
	}
	for (i = 0; i < n && !err; i++) {
		if (type == PT_BEGIN && rt_stopping(s))
			break;
		/* (quiesced, the flag stays up while links may remain: end
		 * and error programs do not look at it) */
		if (type != PT_BEGIN && !s->quiesced && rt_exit_flag_clear(s))
			break;
		err = rt_prog_run(s, order[i]);
		rt_output_drain(s);
		if (rt_exit_flag(s))
			s->exit_seen = true;
	}
	free(order);
	return err;
}

static bool rt_has_probes(const struct rt_session *s, enum bt_probe_type t)
{
	int i;

	for (i = 0; i < s->obj->nprogs; i++)
		if (s->obj->progs[i].attach.type == t)
			return true;
	return false;
}

/* begin probes, then everything else, then the -c command. */
static int rt_start(struct rt_session *s)
{
	if (rt_run_probes(s, PT_BEGIN))
		return -1;
	if (rt_stopping(s))
		return 0;
	if (rt_attach_all(s))
		return -1;
	return rt_target_release(s);
}

static void rt_loop(struct rt_session *s)
{
	while (!rt_stopping(s)) {
		int n = rt_output_poll(s, RT_POLL_MS);

		if (n < 0 && n != -EINTR) {
			rt_bug(s, "cannot read the output ring: %s",
			       strerror(-n));
			break;
		}
		if (rt_exit_flag(s))
			s->exit_seen = true;
		if (rt_target_gone(s))
			break;
	}
}

/*
 * Stop every attached probe before the end probes run: raise the exit
 * flag (each probe checks it first and returns), then wait until none
 * is still running from before: BPF tracing programs run inside RCU
 * read-side sections, and membarrier(MEMBARRIER_CMD_GLOBAL) waits for a
 * grace period. Meanwhile the links go in a thread (rt_detach_async):
 * destroying them waits for grace periods of the kernel's own, longer
 * for uprobes, and the end probes need not wait for that. False when
 * this cannot be done safely (no shared mapping of .data, so the flag
 * would go in with a whole-value update; no membarrier): the caller
 * detaches first instead.
 */
static bool rt_quiesce(struct rt_session *s)
{
	if (!s->nlinks || !s->data_mm)
		return false;
	rt_exit_flag_set(s);
	if (!rt_detach_async(s))
		return false;
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0)) {
		rt_detach_wait(s);
		return false;
	}
	s->quiesced = true;
	return true;
}

/*
 * No probe runs any more when end probes run (quiesced, or detached),
 * and everything the probes wrote is printed before what end probes
 * write; every link is gone when this returns. After runtime errors,
 * error probes run instead of end probes, if there are any.
 */
static void rt_shutdown(struct rt_session *s)
{
	enum bt_probe_type last = PT_END;

	rt_shutting_down = 1;
	if (!rt_quiesce(s))
		rt_detach_all(s);
	rt_output_drain(s);
	if (s->nerrors && rt_has_probes(s, PT_ERROR))
		last = PT_ERROR;
	s->final_probes = true;
	rt_run_probes(s, last);
	rt_output_drain(s);
	/* stap displays unread globals from a synthetic end probe: not when
	 * error probes ran instead */
	if (last == PT_END)
		rt_globals_print(s);
	rt_detach_wait(s);
}

/*
 * Last words, in stap's order and wording: the error count (stap has no
 * other reason to skip a probe here, so that count is 0), then the
 * records the kernel side dropped because the ring was full.
 */
static void rt_report_end(struct rt_session *s)
{
	uint64_t lost;

	if (s->nerrors)
		fprintf(stderr, "WARNING: Number of errors: %d, skipped "
			"probes: 0\n", s->nerrors);
	if (s->data_fd < 0)
		return;
	lost = rt_lost_records(s);
	if (lost)
		fprintf(stderr, "WARNING: %llu output records lost\n",
			(unsigned long long)lost);
}

/* CLOCK_REALTIME - CLOCK_MONOTONIC, for gettimeofday_*() in probes. */
static int64_t rt_time_offset(void)
{
	struct timespec m1, r, m2;
	int64_t mono;

	clock_gettime(CLOCK_MONOTONIC, &m1);
	clock_gettime(CLOCK_REALTIME, &r);
	clock_gettime(CLOCK_MONOTONIC, &m2);
	mono = ((m1.tv_sec + m2.tv_sec) * 1000000000LL + m1.tv_nsec +
		m2.tv_nsec) / 2;
	return r.tv_sec * 1000000000LL + r.tv_nsec - mono;
}

int rt_run(const struct bt_object *obj, const struct rt_options *opt)
{
	struct rt_session s = {
		.obj = obj,
		.opt = opt,
		.data_fd = -1,
		.target = { .go_fd = -1, .exec_fd = -1 },
		.time_offset = rt_time_offset(),
	};
	struct sigaction old[RT_NSIGNALS + 1];	/* + SIGPIPE */
	bool ok = false;

	rt_log_begin(opt->verbose);
	if (rt_check_probes(obj) || rt_attach_check(&s))
		goto out;
	if (opt->target_cmd) {
		if (rt_target_spawn(&s))
			goto out;
		rt_child = s.target.child;
	} else {
		s.target.pid = opt->target_pid;
	}
	rt_signals_install(old);
	if (!rt_load(&s) && !rt_start(&s)) {
		ok = true;
		rt_loop(&s);
		rt_shutdown(&s);
	} else {
		rt_shutting_down = 1;
		rt_detach_all(&s);
		if (s.rb)
			rt_output_drain(&s);
	}
	fflush(opt->out);
	rt_report_end(&s);
	rt_signals_restore(old);
out:
	rt_detach_wait(&s);
	rt_detach_all(&s);
	rt_target_cleanup(&s);
	rt_unload(&s);
	rt_log_end();
	return ok && !s.nerrors && !s.bug && !s.out_failed &&
	       !s.target.failed ? 0 : 1;
}
