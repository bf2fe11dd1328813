/* test_sandbox.c - privilege drop and the seccomp sandbox (sandbox.h).
 *
 * The sandbox is per process and cannot be left, so every test runs the
 * interesting part in a forked child: the child checks and _exit()s with
 * 0 (after printing what went wrong to stderr otherwise), or is killed,
 * and the parent asserts on the wait status.  Sandbox tests skip in an
 * AddressSanitizer build (tp_sandbox_available() is false there); the
 * privilege tests and the live capture test skip when not root.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "tapir/sandbox.h"

/* ---- harness ------------------------------------------------------- */

struct dirs {
	char out[64];	/* the -w directory: rotate_dirfd */
	char other[64]; /* any other directory */
	int outfd;
	int otherfd;
};

static int dirs_setup(void **state)
{
	struct dirs *d = calloc(1, sizeof *d);
	assert_non_null(d);
	snprintf(d->out, sizeof d->out, "/tmp/tapir-sbx-out-XXXXXX");
	snprintf(d->other, sizeof d->other, "/tmp/tapir-sbx-other-XXXXXX");
	assert_non_null(mkdtemp(d->out));
	assert_non_null(mkdtemp(d->other));
	d->outfd = open(d->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d->otherfd = open(d->other, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(d->outfd >= 0 && d->otherfd >= 0);
	*state = d;
	return 0;
}

static void rmtree(const char *path)
{
	DIR *dir = opendir(path);
	if (!dir)
		return;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(dir), e->d_name, 0);
	closedir(dir);
	rmdir(path);
}

static int dirs_teardown(void **state)
{
	struct dirs *d = *state;
	close(d->outfd);
	close(d->otherfd);
	rmtree(d->out);
	rmtree(d->other);
	free(d);
	return 0;
}

/* In the child: a failed check says which and exits 1. */
#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "child: %s:%d: %s (errno %d: %s)\n",   \
				__FILE__, __LINE__, #cond, errno,              \
				strerror(errno));                              \
			return 1;                                              \
		}                                                              \
	} while (0)

/* A call that must be refused by the sandbox. */
#define REFUSED(call) CHECK((call) == -1 && errno == EPERM)

typedef int (*child_fn)(void *arg);

/* Run fn(arg) in a child; its wait status. */
static int in_child(child_fn fn, void *arg)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* cmocka catches SIGSYS in the test process: the child wants
		 * the default action, and no core file when killed. */
		signal(SIGSYS, SIG_DFL);
		struct rlimit no = {0, 0};
		setrlimit(RLIMIT_CORE, &no);
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		_exit(fn(arg));
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		assert_int_equal(errno, EINTR);
	return st;
}

static void assert_exit0(int st)
{
	if (WIFSIGNALED(st))
		fail_msg("child killed by signal %d", WTERMSIG(st));
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void assert_killed_by(int st, int sig)
{
	if (WIFEXITED(st))
		fail_msg("child exited with %d, expected signal %d",
			 WEXITSTATUS(st), sig);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), sig);
}

static int enter(int dirfd, bool live, bool tty)
{
	tp_sandbox_opts o = {
	    .rotate_dirfd = dirfd, .live = live, .tty_output = tty};
	char err[256] = "";
	if (tp_sandbox_enter(&o, err, sizeof err) < 0) {
		fprintf(stderr, "child: tp_sandbox_enter: %s\n", err);
		return -1;
	}
	return 0;
}

#define NEED_SANDBOX()                                                         \
	do {                                                                   \
		if (!tp_sandbox_available())                                   \
			skip();                                                \
	} while (0)

#define NEED_ROOT()                                                            \
	do {                                                                   \
		if (geteuid() != 0)                                            \
			skip();                                                \
	} while (0)

static bool exists_in(int dirfd, const char *name)
{
	struct stat st;
	return fstatat(dirfd, name, &st, 0) == 0;
}

/* ---- what the sandbox refuses -------------------------------------- */

static int child_network(void *arg)
{
	(void)arg;
	int sp[2];
	CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sp) == 0);
	int udp = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(udp >= 0);
	CHECK(enter(-1, false, false) == 0);
	REFUSED(socket(AF_INET, SOCK_STREAM, 0));
	REFUSED(socket(AF_INET6, SOCK_DGRAM, 0));
	REFUSED(socket(AF_UNIX, SOCK_STREAM, 0));
	REFUSED(socket(AF_PACKET, SOCK_RAW, 0));
	int sp2[2];
	REFUSED(socketpair(AF_UNIX, SOCK_STREAM, 0, sp2));
	/* sockets opened before: no connect, bind, send, setsockopt */
	struct sockaddr_in sin = {.sin_family = AF_INET,
				  .sin_port = htons(9),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	REFUSED(connect(udp, (struct sockaddr *)&sin, sizeof sin));
	REFUSED(bind(udp, (struct sockaddr *)&sin, sizeof sin));
	REFUSED(sendto(udp, "x", 1, 0, (struct sockaddr *)&sin, sizeof sin));
	REFUSED(send(sp[0], "x", 1, 0));
	int one = 1;
	REFUSED(setsockopt(udp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
	/* not live: no getsockopt either */
	int v;
	socklen_t vl = sizeof v;
	REFUSED(getsockopt(udp, SOL_SOCKET, SO_ERROR, &v, &vl));
	return 0;
}

static void test_sandbox_refuses_network(void **state)
{
	(void)state;
	NEED_SANDBOX();
	assert_exit0(in_child(child_network, NULL));
}

static int child_open(void *arg)
{
	const struct dirs *d = arg;
	char path[128];
	snprintf(path, sizeof path, "%s/abs", d->out);
	CHECK(enter(d->outfd, false, false) == 0);
	REFUSED(open("/etc/passwd", O_RDONLY));
	REFUSED(open(path, O_WRONLY | O_CREAT, 0600));
	REFUSED(openat(AT_FDCWD, "rel", O_WRONLY | O_CREAT, 0600));
	REFUSED(openat(d->otherfd, "x", O_WRONLY | O_CREAT, 0600));
	REFUSED(openat(d->otherfd, "x", O_RDWR | O_CREAT, 0600));
	/* the output directory: for writing only */
	REFUSED(openat(d->outfd, "x", O_RDONLY));
	REFUSED(openat(d->outfd, "x", O_RDONLY | O_CREAT, 0600));
	REFUSED(openat(d->outfd, ".", O_PATH));
	REFUSED(openat(d->outfd, ".", O_WRONLY | O_PATH));
	REFUSED(openat(d->outfd, "/etc/passwd", O_RDONLY));
	/* and no other way to a file or a directory */
	REFUSED(mkdirat(d->outfd, "dir", 0700));
	REFUSED(unlinkat(d->outfd, "x", 0));
	REFUSED(renameat(d->outfd, "a", d->outfd, "b"));
	REFUSED(fchdir(d->otherfd));
	REFUSED(chdir("/"));
	REFUSED(dup(2));
	return 0;
}

static void test_sandbox_refuses_open(void **state)
{
	struct dirs *d = *state;
	NEED_SANDBOX();
	assert_exit0(in_child(child_open, d));
	assert_false(exists_in(d->outfd, "abs"));
	assert_false(exists_in(d->outfd, "x"));
	assert_false(exists_in(d->otherfd, "x"));
}

static int child_no_dirfd(void *arg)
{
	const struct dirs *d = arg;
	CHECK(enter(-1, true, true) == 0);
	REFUSED(openat(d->outfd, "x", O_WRONLY | O_CREAT, 0600));
	REFUSED(openat(-1, "x", O_WRONLY | O_CREAT, 0600));
	return 0;
}

static void test_sandbox_no_dirfd_no_openat(void **state)
{
	struct dirs *d = *state;
	NEED_SANDBOX();
	assert_exit0(in_child(child_no_dirfd, d));
	assert_false(exists_in(d->outfd, "x"));
}

static int child_memory_rules(void *arg)
{
	(void)arg;
	CHECK(enter(-1, false, false) == 0);
	/* never executable memory */
	errno = 0;
	CHECK(mmap(NULL, 4096, PROT_READ | PROT_EXEC,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == EPERM);
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	REFUSED(mprotect(m, 4096, PROT_READ | PROT_EXEC));
	REFUSED(mprotect(m, 4096, PROT_READ));
	CHECK(munmap(m, 4096) == 0);
	return 0;
}

static void test_sandbox_refuses_exec_memory(void **state)
{
	(void)state;
	NEED_SANDBOX();
	assert_exit0(in_child(child_memory_rules, NULL));
}

static int child_ioctl(void *arg)
{
	bool tty = *(const bool *)arg;
	int p[2];
	CHECK(pipe(p) == 0);
	CHECK(enter(-1, false, tty) == 0);
	struct termios t;
	if (tty) /* passed to the kernel: a pipe is no terminal */
		CHECK(ioctl(p[0], TCGETS, &t) == -1 && errno == ENOTTY);
	else
		REFUSED(ioctl(p[0], TCGETS, &t));
	CHECK(!isatty(p[1]));
	char c = 'x';
	REFUSED(ioctl(p[0], TIOCSTI, &c));
	int n;
	REFUSED(ioctl(p[0], FIONREAD, &n));
	REFUSED(ioctl(p[0], SIOCGIFFLAGS, &n)); /* not live */
	return 0;
}

static void test_sandbox_ioctl_tcgets_only(void **state)
{
	(void)state;
	NEED_SANDBOX();
	bool tty = true;
	assert_exit0(in_child(child_ioctl, &tty));
	tty = false;
	assert_exit0(in_child(child_ioctl, &tty));
}

/* ---- what the sandbox allows --------------------------------------- */

static int child_openat_dirfd(void *arg)
{
	const struct dirs *d = arg;
	CHECK(enter(d->outfd, false, false) == 0);
	int fd = openat(d->outfd, "x", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			0644);
	CHECK(fd >= 0);
	CHECK(write(fd, "hello", 5) == 5);
	CHECK(fsync(fd) == 0);
	CHECK(close(fd) == 0);
	/* the writer's way: fdopen, buffered writes, fclose */
	fd = openat(d->outfd, "y", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	FILE *f = fdopen(fd, "wb");
	CHECK(f != NULL);
	for (int i = 0; i < 10000; i++)
		CHECK(fputs("0123456789", f) >= 0);
	CHECK(fflush(f) == 0);
	CHECK(ftruncate(fd, 50000) == 0);
	CHECK(fclose(f) == 0);
	return 0;
}

static void test_sandbox_allows_openat_dirfd(void **state)
{
	struct dirs *d = *state;
	NEED_SANDBOX();
	assert_exit0(in_child(child_openat_dirfd, d));
	char b[16] = "";
	int fd = openat(d->outfd, "x", O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, b, sizeof b), 5);
	assert_memory_equal(b, "hello", 5);
	close(fd);
	struct stat st;
	assert_int_equal(fstatat(d->outfd, "y", &st, 0), 0);
	assert_int_equal(st.st_size, 50000);
}

static int child_io(void *arg)
{
	const struct dirs *d = arg;
	int p[2];
	CHECK(pipe(p) == 0);
	int fd = openat(d->outfd, "pre", O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK(enter(-1, false, false) == 0);

	char b[32];
	CHECK(write(p[1], "ping", 4) == 4);
	struct pollfd pf = {.fd = p[0], .events = POLLIN};
	CHECK(poll(&pf, 1, 1000) == 1);
	CHECK(read(p[0], b, sizeof b) == 4 && memcmp(b, "ping", 4) == 0);
	int fl = fcntl(p[0], F_GETFL);
	CHECK(fl >= 0);
	CHECK(fcntl(p[0], F_SETFL, fl | O_NONBLOCK) == 0);
	CHECK(read(p[0], b, sizeof b) == -1 && errno == EAGAIN);
	REFUSED(fcntl(p[0], F_DUPFD, 10));

	CHECK(write(fd, "abcdef", 6) == 6);
	CHECK(pwrite(fd, "XY", 2, 1) == 2);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(read(fd, b, sizeof b) == 6 && memcmp(b, "aXYdef", 6) == 0);
	CHECK(pread(fd, b, 3, 3) == 3 && memcmp(b, "def", 3) == 0);
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && st.st_size == 6);
	CHECK(fdatasync(fd) == 0);
	CHECK(close(fd) == 0);
	CHECK(close(p[0]) == 0 && close(p[1]) == 0);

	struct timespec ts;
	CHECK(clock_gettime(CLOCK_MONOTONIC, &ts) == 0);
	CHECK(clock_gettime(CLOCK_REALTIME, &ts) == 0);
	CHECK(time(NULL) > 0);
	CHECK(getpid() > 0);
	return 0;
}

static void test_sandbox_allows_io_on_open_fds(void **state)
{
	struct dirs *d = *state;
	NEED_SANDBOX();
	assert_exit0(in_child(child_io, d));
	char b[16];
	int fd = openat(d->outfd, "pre", O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, b, sizeof b), 6);
	assert_memory_equal(b, "aXYdef", 6);
	close(fd);
}

static int child_malloc(void *arg)
{
	(void)arg;
	CHECK(enter(-1, false, false) == 0);
	size_t big = 10u << 20;
	char *m = malloc(big); /* mmap */
	CHECK(m != NULL);
	memset(m, 0xa5, big);
	m = realloc(m, 2 * big); /* mremap */
	CHECK(m != NULL && (unsigned char)m[big - 1] == 0xa5);
	memset(m + big, 0x5a, big);
	free(m);
	enum { N = 20000 };
	static void *small[N]; /* brk */
	for (int i = 0; i < N; i++) {
		small[i] = malloc(64 + (size_t)i % 512);
		CHECK(small[i] != NULL);
		memset(small[i], i, 64);
	}
	for (int i = 0; i < N; i++)
		free(small[i]);
	return 0;
}

static void test_sandbox_allows_malloc(void **state)
{
	(void)state;
	NEED_SANDBOX();
	assert_exit0(in_child(child_malloc, NULL));
}

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

static int child_signals(void *arg)
{
	(void)arg;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	CHECK(enter(-1, false, false) == 0);
	CHECK(raise(SIGUSR1) == 0); /* tgkill, the handler, rt_sigreturn */
	CHECK(got_usr1);
	REFUSED(kill(getppid(), 0));
	REFUSED((int)syscall(SYS_tgkill, getppid(), getppid(), 0));
	abort(); /* must die of SIGABRT, not SIGSYS */
}

static void test_sandbox_signals_and_abort(void **state)
{
	(void)state;
	NEED_SANDBOX();
	assert_killed_by(in_child(child_signals, NULL), SIGABRT);
}

/* The sandbox calls tzset(): localtime_r, whose first call reads the
 * zone file, still knows the zone afterwards. */
static int child_localtime(void *arg)
{
	(void)arg;
	CHECK(setenv("TZ", "Europe/Paris", 1) == 0);
	CHECK(enter(-1, false, false) == 0);
	time_t t = 1700000000; /* 2023-11-14, CET: UTC+1 */
	struct tm tm;
	CHECK(localtime_r(&t, &tm) != NULL);
	CHECK(tm.tm_gmtoff == 3600);
	char b[32];
	CHECK(strftime(b, sizeof b, "%H:%M %Z", &tm) > 0);
	CHECK(strcmp(b, "23:13 CET") == 0);
	return 0;
}

static void test_sandbox_localtime_works(void **state)
{
	(void)state;
	NEED_SANDBOX();
	if (access("/usr/share/zoneinfo/Europe/Paris", R_OK) != 0)
		skip();
	assert_exit0(in_child(child_localtime, NULL));
}

/* ---- what kills ------------------------------------------------------ */

static int child_execve(void *arg)
{
	(void)arg;
	CHECK(enter(-1, false, false) == 0);
	char *const argv[] = {(char *)"true", NULL};
	execve("/bin/true", argv, NULL);
	return 2; /* refused instead of killed */
}

static void test_sandbox_kills_execve(void **state)
{
	(void)state;
	NEED_SANDBOX();
	assert_killed_by(in_child(child_execve, NULL), SIGSYS);
}

static int child_fork(void *arg)
{
	(void)arg;
	CHECK(enter(-1, false, false) == 0);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	return 2;
}

static void test_sandbox_kills_fork(void **state)
{
	(void)state;
	NEED_SANDBOX();
	assert_killed_by(in_child(child_fork, NULL), SIGSYS);
}

/* Each call is made raw with zero arguments: the filter acts on entry,
 * and were it to let one through, zero arguments do no harm (clone with
 * flags 0 is a fork whose both sides exit 0, which fails the test). */
/* clang-format off */
static const long kill_list[] = {
	SYS_execve, SYS_execveat, SYS_ptrace, SYS_process_vm_readv,
	SYS_process_vm_writev, SYS_fork, SYS_clone,
#ifdef SYS_clone3
	SYS_clone3,
#endif
};
/* clang-format on */

static int child_raw(void *arg)
{
	long nr = *(const long *)arg;
	CHECK(enter(-1, true, true) == 0);
	syscall(nr, 0, 0, 0, 0, 0, 0);
	_exit(0);
}

static void test_sandbox_kills_dangerous_syscalls(void **state)
{
	(void)state;
	NEED_SANDBOX();
	for (size_t i = 0; i < sizeof kill_list / sizeof kill_list[0]; i++) {
		long nr = kill_list[i];
		int st = in_child(child_raw, &nr);
		if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSYS)
			fail_msg("syscall %ld not killed (status 0x%x)", nr,
				 st);
	}
}

/* ---- tp_sandbox_selftest -------------------------------------------- */

static int child_selftest(void *arg)
{
	(void)arg;
	CHECK(tp_sandbox_selftest("nonsense") == -1);
	CHECK(tp_sandbox_selftest("socket") == 1); /* not sandboxed yet */
	CHECK(tp_sandbox_selftest("open") == 1);
	CHECK(enter(-1, true, true) == 0);
	CHECK(tp_sandbox_selftest("socket") == 0);
	CHECK(tp_sandbox_selftest("open") == 0);
	tp_sandbox_selftest("exec");
	return 2;
}

static void test_sandbox_selftest(void **state)
{
	(void)state;
	NEED_SANDBOX();
	assert_killed_by(in_child(child_selftest, NULL), SIGSYS);
}

/* ---- errors ------------------------------------------------------------ */

static void test_sandbox_available_matches_build(void **state)
{
	(void)state;
	bool asan = false;
#if defined(__SANITIZE_ADDRESS__)
	asan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	asan = true;
#endif
#endif
	assert_int_equal(tp_sandbox_available(), !asan);
	if (asan) {
		tp_sandbox_opts o = {-1, false, false};
		char err[128] = "";
		assert_int_equal(tp_sandbox_enter(&o, err, sizeof err), -1);
		assert_non_null(strstr(err, "AddressSanitizer"));
	}
}

/* A second filter cannot be loaded from inside the first (seccomp and
 * prctl are refused): an error with a reason, and the process goes on. */
static int child_twice(void *arg)
{
	(void)arg;
	CHECK(enter(-1, false, false) == 0);
	tp_sandbox_opts o = {-1, false, false};
	char err[256] = "";
	CHECK(tp_sandbox_enter(&o, err, sizeof err) == -1);
	CHECK(strstr(err, "seccomp") != NULL);
	REFUSED(socket(AF_INET, SOCK_STREAM, 0)); /* the first still holds */
	return 0;
}

static void test_sandbox_load_failure_reported(void **state)
{
	(void)state;
	NEED_SANDBOX();
	assert_exit0(in_child(child_twice, NULL));
}

/* ---- privilege drop (root only) ------------------------------------ */

struct who {
	uid_t uid;
	gid_t gid;
	char name[64];
};

static void lookup(const char *name, struct who *w)
{
	struct passwd *pw = getpwnam(name);
	if (!pw)
		skip();
	w->uid = pw->pw_uid;
	w->gid = pw->pw_gid;
	snprintf(w->name, sizeof w->name, "%s", pw->pw_name);
}

static unsigned long cap_eff(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return ~0ul;
	char line[256];
	unsigned long v = ~0ul;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "CapEff: %lx", &v) == 1)
			break;
	fclose(f);
	return v;
}

struct drop_case {
	const struct dirs *d;
	const char *user; /* passed to tp_drop_privileges */
	struct who want;
};

static int child_drop(void *arg)
{
	const struct drop_case *c = arg;
	/* a root-only file, opened before the drop */
	int fd = openat(c->d->outfd, "rootfile",
			O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, "before\n", 7) == 7);
	char err[256] = "";
	if (tp_drop_privileges(c->user, err, sizeof err) < 0) {
		fprintf(stderr, "child: tp_drop_privileges: %s\n", err);
		return 1;
	}
	uid_t r, e, s;
	CHECK(getresuid(&r, &e, &s) == 0);
	CHECK(r == c->want.uid && e == c->want.uid && s == c->want.uid);
	gid_t gr, ge, gs;
	CHECK(getresgid(&gr, &ge, &gs) == 0);
	CHECK(gr == c->want.gid && ge == c->want.gid && gs == c->want.gid);
	/* the supplementary groups are the user's, root's are gone */
	gid_t groups[256];
	int ng = getgroups(256, groups);
	CHECK(ng >= 0);
	gid_t wantg[256];
	int nw = 256;
	CHECK(getgrouplist(c->want.name, c->want.gid, wantg, &nw) >= 0);
	CHECK(ng == nw);
	for (int i = 0; i < ng; i++) {
		bool found = false;
		for (int j = 0; j < nw; j++)
			found |= groups[i] == wantg[j];
		CHECK(found);
	}
	/* no way back */
	CHECK(setuid(0) == -1 && errno == EPERM);
	CHECK(seteuid(0) == -1);
	CHECK(setresuid(0, 0, 0) == -1);
	CHECK(setgid(0) == -1);
	CHECK(cap_eff() == 0);
	CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1);
	/* what was open stays usable; a fresh open is denied */
	CHECK(write(fd, "after\n", 6) == 6);
	CHECK(close(fd) == 0);
	CHECK(openat(c->d->outfd, "rootfile", O_RDWR) == -1 && errno == EACCES);
	return 0;
}

static void check_file(const struct dirs *d, const char *name, const char *want)
{
	char b[64] = "";
	int fd = openat(d->outfd, name, O_RDONLY);
	assert_true(fd >= 0);
	assert_true(read(fd, b, sizeof b - 1) >= 0);
	close(fd);
	assert_string_equal(b, want);
}

static void test_drop_to_nobody(void **state)
{
	struct dirs *d = *state;
	NEED_ROOT();
	struct drop_case c = {d, "nobody", {0, 0, ""}};
	lookup("nobody", &c.want);
	assert_int_not_equal(c.want.uid, 0);
	assert_exit0(in_child(child_drop, &c));
	check_file(d, "rootfile", "before\nafter\n");
}

static void test_drop_default_user(void **state)
{
	struct dirs *d = *state;
	NEED_ROOT();
	struct drop_case c = {d, NULL, {0, 0, ""}};
	lookup(getpwnam("tapir") ? "tapir" : "nobody", &c.want);
	assert_exit0(in_child(child_drop, &c));
	check_file(d, "rootfile", "before\nafter\n");
}

static int child_drop_unknown(void *arg)
{
	(void)arg;
	char err[256] = "";
	CHECK(tp_drop_privileges("no-such-user-tapir", err, sizeof err) == -1);
	CHECK(strstr(err, "no-such-user-tapir") != NULL);
	CHECK(geteuid() == 0); /* nothing was changed */
	return 0;
}

static void test_drop_unknown_user(void **state)
{
	(void)state;
	NEED_ROOT();
	assert_exit0(in_child(child_drop_unknown, NULL));
}

static int child_drop_not_root(void *arg)
{
	const struct who *w = arg;
	if (geteuid() == 0)
		CHECK(setresgid(w->gid, w->gid, w->gid) == 0 &&
		      setresuid(w->uid, w->uid, w->uid) == 0);
	uid_t before = getuid();
	char err[64] = "";
	CHECK(tp_drop_privileges("root", err, sizeof err) == 0);
	CHECK(getuid() == before && geteuid() == before);
	CHECK(err[0] == '\0');
	return 0;
}

static void test_drop_is_noop_when_not_root(void **state)
{
	(void)state;
	struct who w = {0, 0, ""};
	if (geteuid() == 0)
		lookup("nobody", &w);
	assert_exit0(in_child(child_drop_not_root, &w));
}

/* ---- live capture after the drop, in the sandbox (root only) ------ */

static const char magic[] = "tapir-sandbox-test";

struct live_case {
	int port;
	int ready[2]; /* child -> parent: capture is sandboxed */
};

static int child_live(void *arg)
{
	struct live_case *c = arg;
	char eb[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create("lo", eb);
	CHECK(p != NULL);
	pcap_set_snaplen(p, 256);
	pcap_set_promisc(p, 0);
	pcap_set_timeout(p, 50);
	pcap_set_immediate_mode(p, 1);
	CHECK(pcap_activate(p) >= 0);
	char expr[64];
	snprintf(expr, sizeof expr, "udp and dst port %d", c->port);
	struct bpf_program prog;
	CHECK(pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == 0);
	CHECK(pcap_setfilter(p, &prog) == 0);
	pcap_freecode(&prog);

	char err[256] = "";
	if (tp_drop_privileges(NULL, err, sizeof err) < 0 ||
	    enter(-1, true, false) < 0) {
		fprintf(stderr, "child: %s\n", err);
		return 1;
	}
	CHECK(geteuid() != 0);
	CHECK(write(c->ready[1], "r", 1) == 1);

	int got = 0;
	for (int i = 0; i < 200 && got < 3; i++) {
		struct pcap_pkthdr *h;
		const u_char *data;
		int rc = pcap_next_ex(p, &h, &data);
		CHECK(rc >= 0);
		if (rc == 1 && h->caplen >= sizeof magic - 1 &&
		    memmem(data, h->caplen, magic, sizeof magic - 1))
			got++;
	}
	CHECK(got == 3);
	struct pcap_stat ps;
	CHECK(pcap_stats(p, &ps) == 0); /* getsockopt PACKET_STATISTICS */
	CHECK(ps.ps_recv >= 3);
	pcap_breakloop(p); /* a write to libpcap's eventfd */
	struct pcap_pkthdr *h;
	const u_char *data;
	CHECK(pcap_next_ex(p, &h, &data) == PCAP_ERROR_BREAK);
	pcap_close(p);
	return 0;
}

static void test_sandbox_live_capture_after_drop(void **state)
{
	(void)state;
	NEED_SANDBOX();
	NEED_ROOT();
	/* a root without CAP_NET_RAW (some containers) cannot capture */
	char eb[PCAP_ERRBUF_SIZE] = "";
	pcap_t *probe = pcap_create("lo", eb);
	if (!probe)
		skip();
	int arc = pcap_activate(probe);
	pcap_close(probe);
	if (arc < 0)
		skip();
	struct live_case c = {40000 + getpid() % 20000, {-1, -1}};
	assert_int_equal(pipe(c.ready), 0);
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(c.ready[0]);
		signal(SIGSYS, SIG_DFL);
		_exit(child_live(&c));
	}
	close(c.ready[1]);
	struct pollfd pf = {.fd = c.ready[0], .events = POLLIN};
	char r;
	bool ready = poll(&pf, 1, 5000) == 1 && read(c.ready[0], &r, 1) == 1;
	close(c.ready[0]);

	int s = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(s >= 0);
	struct sockaddr_in to = {.sin_family = AF_INET,
				 .sin_port = htons((uint16_t)c.port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int st = 0;
	pid_t w = 0;
	for (int i = 0; i < 250 && w == 0; i++) {
		if (ready)
			sendto(s, magic, sizeof magic - 1, 0,
			       (struct sockaddr *)&to, sizeof to);
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
		w = waitpid(pid, &st, WNOHANG);
	}
	close(s);
	if (w == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		fail_msg("live capture child did not finish");
	}
	assert_true(ready);
	assert_exit0(st);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, dirs_setup, dirs_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_sandbox_available_matches_build),
	    T(test_sandbox_refuses_network),
	    T(test_sandbox_refuses_open),
	    T(test_sandbox_no_dirfd_no_openat),
	    T(test_sandbox_refuses_exec_memory),
	    T(test_sandbox_ioctl_tcgets_only),
	    T(test_sandbox_allows_openat_dirfd),
	    T(test_sandbox_allows_io_on_open_fds),
	    T(test_sandbox_allows_malloc),
	    T(test_sandbox_signals_and_abort),
	    T(test_sandbox_localtime_works),
	    T(test_sandbox_kills_execve),
	    T(test_sandbox_kills_fork),
	    T(test_sandbox_kills_dangerous_syscalls),
	    T(test_sandbox_selftest),
	    T(test_sandbox_load_failure_reported),
	    T(test_drop_to_nobody),
	    T(test_drop_default_user),
	    T(test_drop_unknown_user),
	    T(test_drop_is_noop_when_not_root),
	    T(test_sandbox_live_capture_after_drop),
	};
	return cmocka_run_group_tests_name("sandbox", tests, NULL, NULL);
}
