/* test_readahead.c - reading a plain file in blocks, in line or on a
 * thread (readahead.h): the bytes in order across block boundaries, in
 * place when they lie in one block, the end of the file, a read error,
 * the default rule. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "tapir/readahead.h"

/* A file of `n` pseudo-random bytes (also returned in *data). */
static int make_file(size_t n, uint8_t **data)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/tapir-ra-%d.bin", (int)getpid());
	uint8_t *d = malloc(n ? n : 1);
	assert_non_null(d);
	uint32_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		d[i] = (uint8_t)(x >> 16);
	}
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		fail_msg("set-up: open %s: %s", path, strerror(errno));
	assert_int_equal(write(fd, d, n), (ssize_t)n);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	unlink(path);
	*data = d;
	return fd;
}

/* Reads the whole file in pieces of 1 to 3000 bytes (in place when it
 * can) and compares with what was written. */
static void read_all(bool threaded, size_t n)
{
	uint8_t *want;
	int fd = make_file(n, &want);
	tp_readahead *ra = tp_ra_new(fd, threaded);
	assert_non_null(ra);
	assert_int_equal(tp_ra_threaded(ra), threaded);
	uint8_t *got = malloc(n + 3000);
	assert_non_null(got);
	size_t at = 0, inplace = 0;
	uint32_t x = 7;
	for (;;) {
		x = x * 1103515245u + 12345u;
		size_t k = 1 + (x >> 8) % 3000;
		const uint8_t *p = (x & 1) ? tp_ra_next(ra, k) : NULL;
		if (p) {
			assert_true(at + k <= n);
			memcpy(got + at, p, k);
			at += k;
			inplace++;
			continue;
		}
		long r = tp_ra_read(ra, got + at, k);
		/* all k bytes, or the rest of the file at its end */
		assert_int_equal(r, at + k <= n ? k : n - at);
		at += (size_t)r;
		if ((size_t)r < k)
			break;
	}
	assert_int_equal(at, n);
	assert_memory_equal(got, want, n);
	if (n > 100000)
		assert_true(inplace > 0);
	/* the end stays the end, in place or not */
	uint8_t b;
	assert_int_equal(tp_ra_read(ra, &b, 1), 0);
	assert_null(tp_ra_next(ra, 1));
	tp_ra_free(ra);
	close(fd);
	free(got);
	free(want);
}

static void test_ra_inline(void **state)
{
	(void)state;
	read_all(false, 0);
	read_all(false, 1000);
	read_all(false, TP_RA_BLOCK);
	read_all(false, 3 * TP_RA_BLOCK + 777);
}

/* more blocks than the ring holds: the thread waits for room */
static void test_ra_thread(void **state)
{
	(void)state;
	read_all(true, 0);
	read_all(true, TP_RA_BLOCK - 1);
	read_all(true, TP_RA_BLOCK);
	read_all(true, (TP_RA_BLOCKS + 3) * TP_RA_BLOCK + 12345);
}

/* freed before the end: the thread stops */
static void test_ra_free_early(void **state)
{
	(void)state;
	uint8_t *want;
	int fd = make_file((TP_RA_BLOCKS + 2) * TP_RA_BLOCK, &want);
	tp_readahead *ra = tp_ra_new(fd, true);
	assert_non_null(ra);
	uint8_t b[10];
	assert_int_equal(tp_ra_read(ra, b, sizeof b), (long)sizeof b);
	assert_memory_equal(b, want, sizeof b);
	tp_ra_free(ra);
	close(fd);
	free(want);
}

/* a read error (a directory) is -1 with errno, in line and threaded */
static void test_ra_error(void **state)
{
	(void)state;
	for (int t = 0; t < 2; t++) {
		int fd = open("/tmp", O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			fail_msg("set-up: open /tmp: %s", strerror(errno));
		tp_readahead *ra = tp_ra_new(fd, t);
		assert_non_null(ra);
		uint8_t b[4];
		errno = 0;
		assert_int_equal(tp_ra_read(ra, b, sizeof b), -1);
		assert_int_equal(errno, EISDIR);
		assert_null(tp_ra_next(ra, 1));
		tp_ra_free(ra);
		close(fd);
	}
}

/* --threads 1: none; 2 or 3: always; not given: when two CPUs are free
 * (ncpu, other runnable tasks) */
static void test_ra_default(void **state)
{
	(void)state;
	assert_false(tp_ra_default(1, 8, 0));
	assert_true(tp_ra_default(2, 1, 5));
	assert_true(tp_ra_default(3, 2, -1));
	assert_true(tp_ra_default(0, 2, 0));
	assert_true(tp_ra_default(0, 64, 10));
	assert_false(tp_ra_default(0, 2, 1));  /* another busy program */
	assert_false(tp_ra_default(0, 8, 7));
	assert_false(tp_ra_default(0, 1, 0));  /* one CPU */
	assert_false(tp_ra_default(0, 2, -1)); /* load unknown */
	assert_false(tp_ra_default(0, -1, 0)); /* sysconf failed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ra_inline),
		cmocka_unit_test(test_ra_thread),
		cmocka_unit_test(test_ra_free_early),
		cmocka_unit_test(test_ra_error),
		cmocka_unit_test(test_ra_default),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
