// SPDX-License-Identifier: GPL-2.0
/*
 * -c CMD and -x PID. For -c the child is forked before loading, so its
 * pid can go into .data as target(), and is held on a pipe until every
 * probe is attached: the command's first instruction is already traced.
 * The words are split with wordexp(3) and exec'd directly, so target() is
 * the command itself and not a shell. A second close-on-exec pipe tells
 * the parent whether exec worked: EOF if it did, the errno if not.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wordexp.h>
#include <sys/wait.h>
#include "runtime/internal.h"

#define RT_TERM_WAIT_MS	1000

static const char *rt_wordexp_error(int rc)
{
	switch (rc) {
	case WRDE_BADCHAR:
		return "it contains one of | & ; < > ( ) { } or a newline "
		       "(it is not run by a shell)";
	case WRDE_CMDSUB:
		return "command substitution is not allowed";
	case WRDE_SYNTAX:
		return "syntax error (an unbalanced quote?)";
	case WRDE_NOSPACE:
		return "out of memory";
	}
	return "cannot split it into words";
}

/* In the child: wait for the go byte, then become the command. */
static void __attribute__((noreturn)) rt_target_child(int go, int ex,
						      char **argv)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	sigset_t none;
	ssize_t n;
	char c;
	int e;

	/* Until it execs, the child has its parent's handlers, and the
	 * SIGTERM of rt_target_reap() for a command that failed to start
	 * ran them here: under the unit tests, Check's handler, which
	 * passed the signal on to the whole test. The command gets the
	 * default dispositions and no blocked signals either way. */
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	do {
		n = read(go, &c, 1);
	} while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(127);	/* the session failed before it started */
	execvp(argv[0], argv);
	e = errno;
	if (write(ex, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int rt_target_spawn(struct rt_session *s)
{
	struct rt_target *t = &s->target;
	int go[2], ex[2];
	wordexp_t we;
	pid_t pid;
	int rc;

	rc = wordexp(s->opt->target_cmd, &we, WRDE_NOCMD);
	if (rc) {
		rt_error("-c '%s': %s", s->opt->target_cmd,
			 rt_wordexp_error(rc));
		if (rc == WRDE_NOSPACE)
			wordfree(&we);
		return -1;
	}
	if (we.we_wordc == 0) {
		rt_error("-c: the command is empty");
		wordfree(&we);
		return -1;
	}
	t->argv0 = strdup(we.we_wordv[0]);
	if (!t->argv0 || pipe2(go, O_CLOEXEC)) {
		rt_error("-c: %s", strerror(errno));
		wordfree(&we);
		return -1;
	}
	if (pipe2(ex, O_CLOEXEC)) {
		rt_error("-c: %s", strerror(errno));
		close(go[0]);
		close(go[1]);
		wordfree(&we);
		return -1;
	}
	/* Nothing buffered may be written twice. */
	fflush(stdout);
	fflush(s->opt->out);
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		close(ex[0]);
		rt_target_child(go[0], ex[1], we.we_wordv);
	}
	rc = errno;
	wordfree(&we);
	close(go[0]);
	close(ex[1]);
	if (pid < 0) {
		rt_error("-c: fork: %s", strerror(rc));
		close(go[1]);
		close(ex[0]);
		return -1;
	}
	t->pid = pid;
	t->child = pid;
	t->go_fd = go[1];
	t->exec_fd = ex[0];
	return 0;
}

/* Every probe is attached: let the command run, and see that it does. */
int rt_target_release(struct rt_session *s)
{
	struct rt_target *t = &s->target;
	ssize_t n;
	int e = 0;

	if (!t->child)
		return 0;
	n = write(t->go_fd, "g", 1);
	close(t->go_fd);
	t->go_fd = -1;
	if (n != 1) {
		rt_error("-c: cannot start '%s': %s", t->argv0,
			 strerror(errno));
		return -1;
	}
	do {
		n = read(t->exec_fd, &e, sizeof(e));
	} while (n < 0 && errno == EINTR);
	close(t->exec_fd);
	t->exec_fd = -1;
	if (n == (ssize_t)sizeof(e)) {
		rt_error("-c: cannot run '%s': %s", t->argv0, strerror(e));
		return -1;
	}
	t->released = true;
	return 0;
}

/*
 * The -c command ended: a failure is reported the way stap's stapio does,
 * and makes the session's exit status 1 as it does stap's.
 */
static void rt_target_ended(struct rt_target *t, int status)
{
	t->child = 0;
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "WARNING: Child process exited with signal %d "
			"(%s)\n", WTERMSIG(status), strsignal(WTERMSIG(status)));
		t->failed = true;
	} else if (WIFEXITED(status) && WEXITSTATUS(status)) {
		fprintf(stderr, "WARNING: Child process exited with status "
			"%d\n", WEXITSTATUS(status));
		t->failed = true;
	}
}

/* Has the -c command exited? (A -x PID's end does not end the session:
 * stap's script "runs independently of the PID's lifespan".) */
bool rt_target_gone(struct rt_session *s)
{
	struct rt_target *t = &s->target;
	int status;

	if (t->child) {
		if (waitpid(t->child, &status, WNOHANG) != t->child)
			return false;
		rt_target_ended(t, status);
		return true;
	}
	return false;
}

static void rt_close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Stop the child politely, then not: SIGTERM, a grace period, SIGKILL. */
static void rt_target_reap(pid_t pid)
{
	struct timespec tick = { 0, 10 * 1000000L };
	int status, waited;

	kill(pid, SIGTERM);
	for (waited = 0; waited < RT_TERM_WAIT_MS; waited += 10) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

void rt_target_cleanup(struct rt_session *s)
{
	struct rt_target *t = &s->target;

	/* A child still held on the pipe sees EOF and leaves by itself. */
	int status;

	rt_close_fd(&t->go_fd);
	rt_close_fd(&t->exec_fd);
	/* A command that ended while the session stopped for another reason
	 * (exit(), a signal) is reported too; one still running is not. */
	if (t->child && t->released &&
	    waitpid(t->child, &status, WNOHANG) == t->child)
		rt_target_ended(t, status);
	if (t->child)
		rt_target_reap(t->child);
	t->child = 0;
	free(t->argv0);
	t->argv0 = NULL;
}
