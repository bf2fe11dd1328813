/* sandbox.h - privilege drop and the seccomp-bpf sandbox.
 *
 * Order in main(): open the capture handle and the output files, then
 * tp_drop_privileges(), then tp_sandbox_enter().  After that the process
 * can only do what the capture loop and the outputs need; everything else
 * (execve, socket, open of any path, ptrace, ...) is refused.
 */
#ifndef TAPIR_SANDBOX_H
#define TAPIR_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* When running as root: switch to `user` (NULL: "tapir" if that user
 * exists, else "nobody", as tcpdump does), supplementary groups too, and
 * make sure root cannot be regained.  A no-op when not root.  0, or -1
 * with the reason in err.
 *
 * initgroups(), setresgid() and setresuid() (real, effective and saved
 * IDs; every capability goes with uid 0), then a check that setuid(0)
 * fails ("could not drop root"; skipped for an explicit "root"), then
 * PR_SET_NO_NEW_PRIVS.  Descriptors already open (the packet socket and
 * its ring, output files, the rotation directory) keep working; files
 * created later by rotation are created as `user`, so the -w directory
 * must be writable by it (as with tcpdump -Z). */
int tp_drop_privileges(const char *user, char *err, size_t errlen);

/* The user and group ids tp_drop_privileges() would switch to (so files
 * opened before the drop can be handed to them).  0, or -1 when there is
 * no such user. */
int tp_capture_user_ids(const char *user, uid_t *uid, gid_t *gid);

typedef struct tp_sandbox_opts {
	int rotate_dirfd;   /* openat() allowed on this fd only (-1: none) */
	bool live;          /* a live capture handle is open */
	bool tty_output;    /* stdout/stderr may be a terminal (ioctl TCGETS) */
} tp_sandbox_opts;

/* Enter the seccomp sandbox.  0, or -1 with the reason in err (for
 * example a kernel without seccomp: then tapir says so and goes on
 * unless the user asked for the sandbox explicitly).
 *
 * Calls tzset() first (localtime_r reads /etc/localtime once, lazily).
 * Then every system call fails with EPERM except:
 *  - allowed: read readv pread64 write writev pwrite64 lseek fstat
 *    newfstatat statx close fsync fdatasync ftruncate; poll ppoll select
 *    pselect6 epoll_wait epoll_pwait; brk munmap mremap madvise futex;
 *    mmap without PROT_EXEC; fcntl F_GETFL/F_SETFL/F_GETFD/F_SETFD;
 *    clock_gettime clock_getres clock_nanosleep nanosleep gettimeofday
 *    time; getpid gettid getrandom; rt_sigaction rt_sigprocmask
 *    rt_sigreturn sigaltstack restart_syscall exit exit_group; tgkill on
 *    this process (abort);
 *  - with tty_output: ioctl TCGETS (isatty);
 *  - with live: getsockopt at SOL_SOCKET or SOL_PACKET level (SO_ERROR,
 *    PACKET_STATISTICS), getsockname, recvfrom, recvmsg, ioctl
 *    SIOCGIFFLAGS (what libpcap does when the interface goes down);
 *  - with rotate_dirfd >= 0: openat(rotate_dirfd, ...) with O_WRONLY or
 *    O_RDWR (not O_RDONLY, not O_PATH).  seccomp cannot see the path, so
 *    an absolute or ".." name still reaches anywhere the dropped user
 *    may write, but nothing can be opened for reading;
 *  - killed with SIGSYS (SECCOMP_RET_KILL_PROCESS): execve execveat
 *    ptrace process_vm_readv process_vm_writev fork vfork clone clone3.
 * Refused in particular: open/openat of any path for reading, socket,
 * connect, bind, sendto/sendmsg, setsockopt (so pcap_close's ring
 * teardown gets EPERM, which libpcap ignores: close() frees the ring),
 * mprotect, any other ioctl, and the files libpcap's pcap_stats reads
 * for ps_ifdrop (/sys/class/net/IF/statistics: ps_ifdrop is then wrong
 * in promiscuous mode).  -N cannot resolve names in the sandbox. */
int tp_sandbox_enter(const tp_sandbox_opts *o, char *err, size_t errlen);

/* Tests only (--sandbox-selftest=WHAT): after the sandbox is entered, try
 * a forbidden action.  "socket": socket(AF_INET, SOCK_STREAM, 0); "open":
 * open("/etc/passwd", O_RDONLY): 0 when refused with EPERM, 1 when it
 * went through (or failed for another reason).  "exec": execve of
 * /bin/true: the process must be killed by SIGSYS (shell status 159) and
 * this never returns; without the sandbox /bin/true runs and exits 0;
 * 1 if execve came back.  -1 for an unknown WHAT. */
int tp_sandbox_selftest(const char *what);

/* Whether this build can sandbox at all (not under AddressSanitizer,
 * whose leak checker needs ptrace at exit). */
bool tp_sandbox_available(void);

#endif
