/* sandbox.c - privilege drop and the seccomp-bpf sandbox of live capture.
 *
 * References: setresuid(2), setresgid(2), initgroups(3), prctl(2)
 * (PR_SET_NO_NEW_PRIVS), seccomp(2), seccomp_rule_add(3) (libseccomp),
 * tcpdump's -Z default user ("tapir" here in the place of "tcpdump").
 *
 * The allowlist was derived from `strace -f tapir -i lo` (everything the
 * process does after the capture handle is open: poll on the packet
 * socket and libpcap's breakloop eventfd, read of the eventfd, write of
 * the output, brk/mmap/munmap for malloc, close/munmap at pcap_close) and
 * from libpcap 1.10's pcap-linux.c for the paths strace does not show on
 * a healthy interface: getsockopt(SO_ERROR), getsockname and
 * ioctl(SIOCGIFFLAGS) when the interface goes down, getsockopt
 * (PACKET_STATISTICS) for pcap_stats.  Everything else fails with EPERM;
 * a few calls that only an attacker would make kill the process.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tapir/sandbox.h"

#ifndef SOL_PACKET
#define SOL_PACKET 263
#endif

/* ---- privilege drop -------------------------------------------------- */

/* -Z USER, or tcpdump's default: "tapir" if it exists, else "nobody". */
static struct passwd *capture_user(const char *user)
{
	errno = 0;
	if (user)
		return getpwnam(user);
	struct passwd *pw = getpwnam("tapir");
	return pw ? pw : getpwnam("nobody");
}

int tp_capture_user_ids(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd *pw = capture_user(user);
	if (!pw)
		return -1;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

int tp_drop_privileges(const char *user, char *err, size_t errlen)
{
	if (geteuid() != 0)
		return 0;
	struct passwd *pw = capture_user(user);
	if (!pw) {
		snprintf(err, errlen, "unknown user \"%s\"%s%s",
			 user ? user : "nobody", errno ? ": " : "",
			 errno ? strerror(errno) : "");
		return -1;
	}
	char name[256];
	snprintf(name, sizeof name, "%s", pw->pw_name);
	uid_t uid = pw->pw_uid;
	gid_t gid = pw->pw_gid;

	if (initgroups(name, gid) < 0) {
		snprintf(err, errlen, "initgroups(%s): %s", name,
			 strerror(errno));
		return -1;
	}
	if (setresgid(gid, gid, gid) < 0) {
		snprintf(err, errlen, "setresgid(%u): %s", (unsigned)gid,
			 strerror(errno));
		return -1;
	}
	if (setresuid(uid, uid, uid) < 0) {
		snprintf(err, errlen, "setresuid(%u): %s", (unsigned)uid,
			 strerror(errno));
		return -1;
	}
	/* An explicit -Z root keeps root; anyone else must not get it
	 * back (setresuid also cleared every capability). */
	if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		snprintf(err, errlen, "could not drop root");
		return -1;
	}
	if (gid != 0 && (setgid(0) == 0 || setegid(0) == 0)) {
		snprintf(err, errlen, "could not drop group root");
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "prctl(PR_SET_NO_NEW_PRIVS): %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- seccomp ----------------------------------------------------------- */

bool tp_sandbox_available(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
	return false;
#else
	return true;
#endif
#else
	return true;
#endif
}

/* Allowed whatever the arguments. */
/* clang-format off */
static const int allow_any[] = {
	/* I/O on descriptors that are already open */
	SCMP_SYS(read), SCMP_SYS(readv), SCMP_SYS(pread64),
	SCMP_SYS(write), SCMP_SYS(writev), SCMP_SYS(pwrite64),
	SCMP_SYS(lseek), SCMP_SYS(fstat), SCMP_SYS(newfstatat),
	SCMP_SYS(statx), SCMP_SYS(close), SCMP_SYS(fsync),
	SCMP_SYS(fdatasync), SCMP_SYS(ftruncate),
	/* waiting for packets (libpcap polls the socket and its eventfd) */
	SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(select),
	SCMP_SYS(pselect6), SCMP_SYS(epoll_wait), SCMP_SYS(epoll_pwait),
	/* malloc (mmap itself is below: never executable) */
	SCMP_SYS(brk), SCMP_SYS(munmap), SCMP_SYS(mremap),
	SCMP_SYS(madvise), SCMP_SYS(futex),
	/* time */
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres),
	SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep),
	SCMP_SYS(gettimeofday), SCMP_SYS(time),
	/* process */
	SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(getrandom),
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(rt_sigreturn), SCMP_SYS(sigaltstack),
	SCMP_SYS(restart_syscall), SCMP_SYS(exit), SCMP_SYS(exit_group),
};

/* Allowed with a live capture handle, whatever the arguments. */
static const int live_any[] = {
	SCMP_SYS(getsockname), SCMP_SYS(recvfrom), SCMP_SYS(recvmsg),
};

/* Allowed with any of these values as the second argument. */
static const int fcntl_cmds[] = {F_GETFL, F_SETFL, F_GETFD, F_SETFD};

/* Only an attacker would: the process is killed (SIGSYS). */
static const int kill_any[] = {
	SCMP_SYS(execve), SCMP_SYS(execveat), SCMP_SYS(ptrace),
	SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev),
	SCMP_SYS(fork), SCMP_SYS(vfork), SCMP_SYS(clone), SCMP_SYS(clone3),
};
/* clang-format on */

static int add(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned ncmp,
	       const struct scmp_arg_cmp *cmp, char *err, size_t errlen)
{
	if (nr < 0) /* not a system call on this architecture */
		return 0;
	int rc = seccomp_rule_add_array(ctx, action, nr, ncmp, cmp);
	if (rc < 0) {
		char *name =
		    seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		snprintf(err, errlen, "seccomp: rule for %s: %s",
			 name ? name : "?", strerror(-rc));
		free(name);
		return -1;
	}
	return 0;
}

static int add_list(scmp_filter_ctx ctx, uint32_t action, const int *nr,
		    size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		if (add(ctx, action, nr[i], 0, NULL, err, errlen) < 0)
			return -1;
	return 0;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define ADD(action, nr, ...)                                                   \
	do {                                                                   \
		const struct scmp_arg_cmp c_[] = {__VA_ARGS__};                \
		if (add(ctx, action, nr, NELEM(c_), c_, err, errlen) < 0)      \
			goto fail;                                             \
	} while (0)

static int build(scmp_filter_ctx ctx, const tp_sandbox_opts *o, char *err,
		 size_t errlen)
{
	const uint32_t allow = SCMP_ACT_ALLOW;
	const uint32_t kill =
	    seccomp_api_get() >= 3 ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_KILL;

	if (add_list(ctx, allow, allow_any, NELEM(allow_any), err, errlen))
		return -1;
	if (add_list(ctx, kill, kill_any, NELEM(kill_any), err, errlen))
		return -1;

	/* Memory is never made executable: mmap without PROT_EXEC only;
	 * mprotect is not needed by malloc's main arena and refused. */
	ADD(allow, SCMP_SYS(mmap), SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	for (size_t i = 0; i < NELEM(fcntl_cmds); i++)
		ADD(allow, SCMP_SYS(fcntl),
		    SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)fcntl_cmds[i]));
	/* abort(): raise(SIGABRT) on this process only. */
	ADD(allow, SCMP_SYS(tgkill),
	    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
	if (o->tty_output)
		ADD(allow, SCMP_SYS(ioctl), SCMP_A1(SCMP_CMP_EQ, TCGETS));
	if (o->live) {
		/* pcap_stats (PACKET_STATISTICS), SO_ERROR after POLLERR,
		 * and the checks libpcap makes when the interface goes
		 * down (getsockname, SIOCGIFFLAGS). */
		ADD(allow, SCMP_SYS(getsockopt),
		    SCMP_A1(SCMP_CMP_EQ, SOL_SOCKET));
		ADD(allow, SCMP_SYS(getsockopt),
		    SCMP_A1(SCMP_CMP_EQ, SOL_PACKET));
		if (add_list(ctx, allow, live_any, NELEM(live_any), err,
			     errlen) < 0)
			return -1;
		ADD(allow, SCMP_SYS(ioctl), SCMP_A1(SCMP_CMP_EQ, SIOCGIFFLAGS));
	}
	if (o->rotate_dirfd >= 0) {
		/* New output files in the -w directory: relative to that
		 * descriptor only, and for writing (reading a file needs
		 * O_RDONLY, and O_WRONLY/O_RDWR need write permission). */
		const scmp_datum_t fd = (scmp_datum_t)o->rotate_dirfd;
		const scmp_datum_t mask = O_ACCMODE | O_PATH;
		ADD(allow, SCMP_SYS(openat), SCMP_A0(SCMP_CMP_EQ, fd),
		    SCMP_A2(SCMP_CMP_MASKED_EQ, mask, O_WRONLY));
		ADD(allow, SCMP_SYS(openat), SCMP_A0(SCMP_CMP_EQ, fd),
		    SCMP_A2(SCMP_CMP_MASKED_EQ, mask, O_RDWR));
	}
	return 0;
fail:
	return -1;
}

int tp_sandbox_enter(const tp_sandbox_opts *o, char *err, size_t errlen)
{
	if (!tp_sandbox_available()) {
		snprintf(err, errlen,
			 "the sandbox is not available in an "
			 "AddressSanitizer build");
		return -1;
	}
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL) {
		snprintf(err, errlen, "this kernel has no seccomp support");
		return -1;
	}
	/* localtime_r reads /etc/localtime on its first call: now, while
	 * files can still be opened. */
	tzset();

	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx) {
		snprintf(err, errlen, "seccomp_init failed");
		return -1;
	}
	if (build(ctx, o, err, errlen) < 0) {
		seccomp_release(ctx);
		return -1;
	}
	/* every thread (the --export-streams writer started before this)
	 * gets the filter, not only the caller */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) < 0) {
		snprintf(err, errlen, "seccomp: cannot synchronise threads");
		seccomp_release(ctx);
		return -1;
	}
	/* libseccomp sets PR_SET_NO_NEW_PRIVS itself (SCMP_FLTATR_CTL_NNP
	 * defaults to on), which an unprivileged process needs. */
	int rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0) {
		snprintf(err, errlen, "cannot enter the seccomp sandbox: %s",
			 strerror(-rc));
		return -1;
	}
	return 0;
}

/* ---- self-test ------------------------------------------------------- */

int tp_sandbox_selftest(const char *what)
{
	if (strcmp(what, "socket") == 0) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd >= 0) {
			close(fd);
			return 1;
		}
		return errno == EPERM ? 0 : 1;
	}
	if (strcmp(what, "open") == 0) {
		int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			close(fd);
			return 1;
		}
		return errno == EPERM ? 0 : 1;
	}
	if (strcmp(what, "exec") == 0) {
		char *const argv[] = {(char *)"true", NULL};
		char *const envp[] = {NULL};
		execve("/bin/true", argv, envp);
		return 1; /* refused instead of killed */
	}
	return -1;
}
