/* sandbox.c - STUB: to be written (see sandbox.h). */
#include "tapir/sandbox.h"

int tp_drop_privileges(const char *user, char *err, size_t errlen)
{
	(void)user, (void)err, (void)errlen;
	return 0;
}
int tp_sandbox_enter(const tp_sandbox_opts *o, char *err, size_t errlen)
{
	(void)o, (void)err, (void)errlen;
	return 0;
}
bool tp_sandbox_available(void) { return false; }
int tp_sandbox_selftest(const char *what)
{
	(void)what;
	return 1;
}
