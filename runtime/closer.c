// SPDX-License-Identifier: GPL-2.0
/*
 * Detaching without serial waits. Two kernel costs, measured on the
 * development VM (Linux 6.18):
 *
 * - Closing a perf event link waits for an RCU grace period before it
 *   returns (15 to 30 ms), but concurrent closes share grace periods:
 *   20 links take 700 ms one after the other and 60 ms from 20 threads.
 *   So links are destroyed from a pool of threads.
 *
 * - Closing the last perf event of a tracepoint unregisters it and waits
 *   for grace periods (tracepoint_synchronize_unregister) holding the
 *   global event_mutex: 25 to 50 ms per tracepoint, strictly one after
 *   the other, threads or not; 500 tracepoints take about 20 s. bpftap
 *   need not wait for that: once the links are gone no program runs,
 *   and the events are disabled. The fds go to a short-lived process of
 *   their own (a grandchild in its own session, so Ctrl-C and the
 *   terminal do not reach it and init reaps it) that closes them and
 *   exits, while bpftap goes on with its end probes and exits at once.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>
#include "runtime/internal.h"

#define RT_DETACH_THREADS	64

struct rt_destroyer {
	struct bpf_link **links;
	int from, n, step;
};

static void *rt_destroy_some(void *arg)
{
	struct rt_destroyer *d = arg;

	for (int i = d->from; i < d->n; i += d->step)
		bpf_link__destroy(d->links[i]);
	return NULL;
}

void rt_links_destroy(struct bpf_link **links, int n)
{
	pthread_t th[RT_DETACH_THREADS];
	struct rt_destroyer d[RT_DETACH_THREADS];
	pthread_attr_t attr;
	int nt = n < RT_DETACH_THREADS ? n : RT_DETACH_THREADS, started = 0;

	if (n <= 1 || pthread_attr_init(&attr)) {
		for (int i = 0; i < n; i++)
			bpf_link__destroy(links[i]);
		return;
	}
	pthread_attr_setstacksize(&attr, 64 << 10);
	for (int t = 0; t < nt; t++) {
		d[t] = (struct rt_destroyer){ links, t, n, nt };
		if (pthread_create(&th[started], &attr, rt_destroy_some, &d[t]))
			rt_destroy_some(&d[t]);	/* no thread: here */
		else
			started++;
	}
	pthread_attr_destroy(&attr);
	for (int t = 0; t < started; t++)
		pthread_join(th[t], NULL);
}

static int rt_int_cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/*
 * In the closer: every fd but fds[0..n) (sorted), then those. Its parent
 * must be gone first: a file's last close is the slow one, and if the
 * parent still held copies when the closer let go of its own, the
 * parent's exit would do the waiting, and bpftap waits for the parent.
 */
static void rt_closer(int *fds, int n, pid_t parent)
{
	struct timespec tick = { 0, 100 * 1000 };
	unsigned int from = 0;

	while (getppid() == parent)
		nanosleep(&tick, NULL);
	setsid();
	prctl(PR_SET_NAME, "bpftap-closer");	/* what ps shows */
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	for (int i = 0; i < n; i++) {
		if ((unsigned int)fds[i] > from)
			syscall(SYS_close_range, from, fds[i] - 1, 0);
		from = fds[i] + 1;
	}
	syscall(SYS_close_range, from, ~0u, 0);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	_exit(0);
}

void rt_close_later(int *fds, int n)
{
	pid_t pid;
	int st;

	if (n <= 0)
		return;
	qsort(fds, n, sizeof(*fds), rt_int_cmp);
	pid = fork();
	if (pid == 0) {
		pid_t me = getpid(), c = fork();

		/* the closer's parent exits at once: init reaps the closer */
		if (c == 0)
			rt_closer(fds, n, me);
		else if (c < 0)
			rt_closer(fds, n, 0);	/* no closer: close here */
		_exit(0);
	}
	/* Our copies go at no cost now that the closer holds the files;
	 * if fork failed, this is where the waiting happens instead. */
	for (int i = 0; i < n; i++)
		close(fds[i]);
	if (pid > 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
}

static void *rt_detacher(void *arg)
{
	rt_detach_all(arg);
	return NULL;
}

/*
 * Detaching takes a grace period (for uprobes a tasks-trace one, about
 * 200 ms here) that the end probes need not wait for once the probes are
 * quiesced (run.c): it goes on in a thread meanwhile.
 */
bool rt_detach_async(struct rt_session *s)
{
	if (!s->nlinks || pthread_create(&s->detacher, NULL, rt_detacher, s))
		return false;
	s->detaching = true;
	return true;
}

void rt_detach_wait(struct rt_session *s)
{
	if (!s->detaching)
		return;
	pthread_join(s->detacher, NULL);
	s->detaching = false;
}
