/* test_reasm.c - placeholder while being written. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
static void test_reasm_todo(void **state) { (void)state; skip(); }
int main(void)
{
	const struct CMUnitTest t[] = {cmocka_unit_test(test_reasm_todo)};
	return cmocka_run_group_tests(t, NULL, NULL);
}
