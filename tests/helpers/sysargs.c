// SPDX-License-Identifier: GPL-2.0
/*
 * A workload of known system calls with known arguments, for the test
 * of stap's syscall variables and argstr formats (tests/e2e/
 * syscall_argstr.stp). Every call goes through syscall(2), so the C
 * library's choice of call (open or openat, access or faccessat) does
 * not change what the kernel sees. The calls fail or succeed the same
 * way on every run: paths under /nonexistent-bpftap do not exist, and
 * port 9 of 127.0.0.1 refuses (nothing listens there in a test).
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NOPATH "/nonexistent-bpftap"

static void net(void)
{
	struct sockaddr_in sin;
	long s = syscall(SYS_socket, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	syscall(SYS_connect, s, &sin, sizeof(sin));
	syscall(SYS_close, s);
}

int main(void)
{
	struct timespec ts = { 0, 1000 };
	char *argv[] = { "x", "y z", NULL }, *envp[] = { NULL };
	long fd;
	void *p;

	fd = syscall(SYS_openat, AT_FDCWD, "/dev/null",
		     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	syscall(SYS_write, fd, "hello\n", 6);
	syscall(SYS_lseek, fd, 5L, SEEK_SET);
	syscall(SYS_fcntl, fd, F_GETFL, 0);
	syscall(SYS_dup3, fd, 100, O_CLOEXEC);
	syscall(SYS_close, 100);
	syscall(SYS_close, fd);
	syscall(SYS_open, NOPATH, O_RDONLY);
	syscall(SYS_access, "/dev/null", R_OK | W_OK);
	syscall(SYS_mkdirat, AT_FDCWD, NOPATH "/d", 0755);
	syscall(SYS_unlinkat, AT_FDCWD, NOPATH "/d", AT_REMOVEDIR);
	p = (void *)syscall(SYS_mmap, NULL, 8192, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	syscall(SYS_mprotect, p, 4096, PROT_READ);
	syscall(SYS_munmap, p, 8192);
	syscall(SYS_kill, getpid(), 0);
	syscall(SYS_nanosleep, &ts, NULL);
	net();
	syscall(SYS_execve, NOPATH, argv, envp);
	return 0;
}
