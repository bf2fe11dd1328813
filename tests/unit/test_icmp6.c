#include "helpers.h"
static void test_icmp6_placeholder(void **state) { (void)state; assert_true(1); }
int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_icmp6_placeholder) };
	return cmocka_run_group_tests_name("icmp6", tests, NULL, NULL);
}
