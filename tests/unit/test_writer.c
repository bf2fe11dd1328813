#include "helpers.h"
static void test_writer_placeholder(void **state) { (void)state; assert_true(1); }
int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_writer_placeholder) };
	return cmocka_run_group_tests_name("writer", tests, NULL, NULL);
}
