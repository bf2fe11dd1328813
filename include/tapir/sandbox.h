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

/* When running as root: switch to `user` (NULL: "tapir" if that user
 * exists, else "nobody", as tcpdump does), supplementary groups too, and
 * make sure root cannot be regained.  A no-op when not root.  0, or -1
 * with the reason in err. */
int tp_drop_privileges(const char *user, char *err, size_t errlen);

typedef struct tp_sandbox_opts {
	int rotate_dirfd;   /* openat() allowed on this fd only (-1: none) */
	bool live;          /* a live capture handle is open */
	bool tty_output;    /* stdout/stderr may be a terminal (ioctl TCGETS) */
} tp_sandbox_opts;

/* Enter the seccomp sandbox.  0, or -1 with the reason in err (for
 * example a kernel without seccomp: then tapir says so and goes on
 * unless the user asked for the sandbox explicitly). */
int tp_sandbox_enter(const tp_sandbox_opts *o, char *err, size_t errlen);

/* Tests only (--sandbox-selftest=WHAT): after the sandbox is entered, try
 * a forbidden action: "socket", "open" (returns 0 when refused, 1 when it
 * went through) or "exec" (the process must be killed; never returns). */
int tp_sandbox_selftest(const char *what);

/* Whether this build can sandbox at all (not under AddressSanitizer,
 * whose leak checker needs ptrace at exit). */
bool tp_sandbox_available(void);

#endif
