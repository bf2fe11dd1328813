/* test_writer.c - -w: pcap (micro, nano) and pcapng files read back by
 * tapir's reader, -U, and tcpdump's -C / -G / -W rotation (tcpdump 4.99
 * man page and dump_packet_and_trunc()), through the directory fd.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "tapir/capture.h"
#include "tapir/writer.h"

static char dir[64];

static int mkdir_tmp(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/tapir-writer-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	return 0;
}

/* Remove every file of the temporary directory (and one level of
 * subdirectories), then the directory. */
static void rm_tree(const char *d)
{
	DIR *dp = opendir(d);
	if (!dp)
		return;
	struct dirent *e;
	while ((e = readdir(dp))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char p[512];
		snprintf(p, sizeof p, "%s/%s", d, e->d_name);
		if (e->d_type == DT_DIR)
			rm_tree(p);
		else
			unlink(p);
	}
	closedir(dp);
	rmdir(d);
}

static int rm_tmp(void **state)
{
	(void)state;
	tp_writer_set_clock(NULL, NULL);
	rm_tree(dir);
	return 0;
}

static const char *at(const char *name)
{
	static char p[4][512];
	static int i;
	i = (i + 1) % 4;
	snprintf(p[i], sizeof p[i], "%s/%s", dir, name);
	return p[i];
}

static int count_files(const char *d)
{
	DIR *dp = opendir(d);
	assert_non_null(dp);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dp)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(dp);
	return n;
}

static long file_size(const char *p)
{
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	return (long)st.st_size;
}

/* Packet i: an Ethernet-ish frame of 20 + 13 * i bytes (odd lengths, so
 * pcapng padding is exercised), a pattern depending on i, and a
 * timestamp with a nanosecond part that micro precision cuts. */
#define MAXPK 200
static uint8_t pk[MAXPK];

static tp_pkthdr mkpkt(unsigned i, uint32_t size)
{
	tp_pkthdr h;
	memset(&h, 0, sizeof h);
	h.sec = 1700000000 + (int64_t)i * 7;
	h.nsec = 123456789u + i * 1001u;
	h.caplen = size;
	h.len = size + 10;
	h.linktype = TP_LT_ETHERNET;
	for (uint32_t k = 0; k < size && k < MAXPK; k++)
		pk[k] = (uint8_t)(i * 31 + k);
	return h;
}

static uint32_t size_of(unsigned i)
{
	return 20 + 13 * i;
}

static tp_writer *open_ok(const tp_writer_opts *o)
{
	char err[512] = "";
	tp_writer *w = tp_writer_open(o, err, sizeof err);
	if (!w)
		fail_msg("tp_writer_open(%s): %s", o->path, err);
	return w;
}

static void write_ok(tp_writer *w, unsigned i)
{
	tp_pkthdr h = mkpkt(i, size_of(i));
	int rc = tp_writer_write(w, &h, pk);
	if (rc != 0)
		fail_msg("write %u: %d %s", i, rc, tp_writer_error(w));
}

/* Read `path` back and check it holds packets first..first+n-1 exactly
 * (headers and bytes), in format fmt with the given link type. */
static void expect_packets(const char *path, unsigned first, unsigned n,
			   tp_filefmt fmt, bool nano, int linktype)
{
	char err[512] = "";
	tp_source *s = tp_source_open_file(path, err, sizeof err);
	if (!s)
		fail_msg("%s: %s", path, err);
	assert_int_equal(tp_source_format(s), fmt);
	tp_pkthdr h;
	const uint8_t *d;
	for (unsigned i = first; i < first + n; i++) {
		tp_rd r = tp_source_next(s, &h, &d);
		if (r != TP_RD_PACKET)
			fail_msg("%s: packet %u: %d %s", path, i, r,
				 tp_source_error(s) ? tp_source_error(s) : "");
		tp_pkthdr want = mkpkt(i, size_of(i));
		assert_int_equal(h.sec, want.sec);
		if (nano)
			assert_int_equal(h.nsec, want.nsec);
		else
			assert_int_equal(h.nsec, want.nsec / 1000 * 1000);
		assert_int_equal(h.caplen, want.caplen);
		assert_int_equal(h.len, want.len);
		assert_int_equal(h.linktype, linktype);
		assert_memory_equal(d, pk, want.caplen);
	}
	assert_int_equal(tp_source_next(s, &h, &d), TP_RD_EOF);
	tp_source_close(s);
}

static tp_writer_opts base_opts(const char *path)
{
	tp_writer_opts o;
	memset(&o, 0, sizeof o);
	o.path = path;
	o.linktype = TP_LT_ETHERNET;
	o.snaplen = 262144;
	return o;
}

static void roundtrip(bool pcapng, bool nano, tp_filefmt fmt)
{
	const char *p = at("out.cap");
	tp_writer_opts o = base_opts(p);
	o.pcapng = pcapng;
	o.nano = nano;
	tp_writer *w = open_ok(&o);
	uint64_t want = pcapng ? 44 + 32 : 24;
	assert_int_equal(tp_writer_bytes(w), want);
	for (unsigned i = 0; i < 9; i++) {
		write_ok(w, i);
		uint32_t c = size_of(i);
		want += pcapng ? 32 + ((c + 3) & ~3u) : 16 + c;
		assert_int_equal(tp_writer_bytes(w), want);
	}
	assert_int_equal(tp_writer_packets(w), 9);
	assert_int_equal(tp_writer_files(w), 1);
	assert_int_equal(tp_writer_close(w), 0);
	assert_int_equal(file_size(p), (long)want);
	expect_packets(p, 0, 9, fmt, nano, TP_LT_ETHERNET);
}

static void test_writer_pcap_micro(void **state)
{
	(void)state;
	roundtrip(false, false, TP_FMT_PCAP);
}

static void test_writer_pcap_nano(void **state)
{
	(void)state;
	roundtrip(false, true, TP_FMT_PCAP_NSEC);
}

static void test_writer_pcapng_micro(void **state)
{
	(void)state;
	roundtrip(true, false, TP_FMT_PCAPNG);
}

static void test_writer_pcapng_nano(void **state)
{
	(void)state;
	roundtrip(true, true, TP_FMT_PCAPNG);
}

static size_t slurp(const char *p, uint8_t *b, size_t cap)
{
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	size_t n = fread(b, 1, cap, f);
	fclose(f);
	return n;
}

static uint32_t h32(const uint8_t *b)
{
	uint32_t v;
	memcpy(&v, b, 4);
	return v;
}

static uint16_t h16(const uint8_t *b)
{
	uint16_t v;
	memcpy(&v, b, 2);
	return v;
}

/* The pcapng blocks byte by byte: SHB with shb_userappl "tapir", IDB with
 * if_tsresol, EPB with the 64-bit timestamp in those units and padding. */
static void test_writer_pcapng_layout(void **state)
{
	(void)state;
	const char *p = at("layout.pcapng");
	tp_writer_opts o = base_opts(p);
	o.pcapng = true;
	o.nano = true;
	o.linktype = TP_LT_RAW;
	o.snaplen = 1500;
	tp_writer *w = open_ok(&o);
	tp_pkthdr h = mkpkt(1, 5);
	assert_int_equal(tp_writer_write(w, &h, pk), 0);
	assert_int_equal(tp_writer_close(w), 0);

	uint8_t b[256];
	size_t n = slurp(p, b, sizeof b);
	assert_int_equal(n, 44 + 32 + 32 + 8);
	/* SHB */
	assert_int_equal(h32(b), 0x0a0d0d0a);
	assert_int_equal(h32(b + 4), 44);
	assert_int_equal(h32(b + 8), 0x1a2b3c4d);
	assert_int_equal(h16(b + 12), 1);
	assert_int_equal(h16(b + 14), 0);
	assert_int_equal(h32(b + 16), 0xffffffffu);
	assert_int_equal(h32(b + 20), 0xffffffffu);
	assert_int_equal(h16(b + 24), 4);
	assert_int_equal(h16(b + 26), 5);
	assert_memory_equal(b + 28, "tapir\0\0\0", 8);
	assert_int_equal(h32(b + 36), 0);
	assert_int_equal(h32(b + 40), 44);
	/* IDB */
	const uint8_t *i = b + 44;
	assert_int_equal(h32(i), 1);
	assert_int_equal(h32(i + 4), 32);
	assert_int_equal(h16(i + 8), TP_LT_RAW); /* a LINKTYPE, not DLT 12 */
	assert_int_equal(h32(i + 12), 1500);
	assert_int_equal(h16(i + 16), 9);
	assert_int_equal(h16(i + 18), 1);
	assert_int_equal(i[20], 9);
	assert_int_equal(h32(i + 24), 0);
	assert_int_equal(h32(i + 28), 32);
	/* EPB */
	const uint8_t *e = b + 76;
	uint64_t ts = (uint64_t)h.sec * 1000000000u + h.nsec;
	assert_int_equal(h32(e), 6);
	assert_int_equal(h32(e + 4), 40);
	assert_int_equal(h32(e + 8), 0);
	assert_int_equal(h32(e + 12), (uint32_t)(ts >> 32));
	assert_int_equal(h32(e + 16), (uint32_t)ts);
	assert_int_equal(h32(e + 20), 5);
	assert_int_equal(h32(e + 24), 15);
	assert_memory_equal(e + 28, pk, 5);
	assert_memory_equal(e + 33, "\0\0\0", 3);
	assert_int_equal(h32(e + 36), 40);
}

/* pcap header: the nanosecond magic, snaplen, and LINKTYPE_RAW (101)
 * written as 101 although libpcap is handed DLT_RAW (12). */
static void test_writer_pcap_header_raw(void **state)
{
	(void)state;
	const char *p = at("raw.pcap");
	tp_writer_opts o = base_opts(p);
	o.nano = true;
	o.linktype = TP_LT_RAW;
	o.snaplen = 96;
	tp_writer *w = open_ok(&o);
	assert_int_equal(tp_writer_close(w), 0);
	uint8_t b[64];
	assert_int_equal(slurp(p, b, sizeof b), 24);
	assert_int_equal(h32(b), 0xa1b23c4d);
	assert_int_equal(h16(b + 4), 2);
	assert_int_equal(h16(b + 6), 4);
	assert_int_equal(h32(b + 16), 96);
	assert_int_equal(h32(b + 20), 101);
}

/* A record never holds more than the snaplen the file declares. */
static void test_writer_caplen_clamped_to_snaplen(void **state)
{
	(void)state;
	for (int ng = 0; ng < 2; ng++) {
		const char *p = at(ng ? "clamp.pcapng" : "clamp.pcap");
		tp_writer_opts o = base_opts(p);
		o.pcapng = ng;
		o.snaplen = 64;
		tp_writer *w = open_ok(&o);
		tp_pkthdr h = mkpkt(3, 100);
		assert_int_equal(tp_writer_write(w, &h, pk), 0);
		assert_int_equal(tp_writer_close(w), 0);
		char err[256];
		tp_source *s = tp_source_open_file(p, err, sizeof err);
		assert_non_null(s);
		const uint8_t *d;
		assert_int_equal(tp_source_next(s, &h, &d), TP_RD_PACKET);
		assert_int_equal(h.caplen, 64);
		assert_int_equal(h.len, 110);
		assert_memory_equal(d, pk, 64);
		tp_source_close(s);
	}
}

/* -U: every packet is in the file, readable, before close. */
static void test_writer_flush_each(void **state)
{
	(void)state;
	for (int ng = 0; ng < 2; ng++) {
		const char *p = at(ng ? "u.pcapng" : "u.pcap");
		tp_writer_opts o = base_opts(p);
		o.pcapng = ng;
		o.flush_each = true;
		tp_writer *w = open_ok(&o);
		/* the header alone is already a valid, empty file */
		expect_packets(p, 0, 0, ng ? TP_FMT_PCAPNG : TP_FMT_PCAP, false,
			       TP_LT_ETHERNET);
		for (unsigned i = 0; i < 4; i++) {
			write_ok(w, i);
			expect_packets(p, 0, i + 1,
				       ng ? TP_FMT_PCAPNG : TP_FMT_PCAP, false,
				       TP_LT_ETHERNET);
			assert_int_equal(file_size(p),
					 (long)tp_writer_bytes(w));
		}
		assert_int_equal(tp_writer_close(w), 0);
	}
}

/* The first file is handed to the capture user before root is dropped,
 * so a -W ring can reopen it when it wraps (needs root; skipped else). */
static void test_writer_chown_first_file(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		skip();
		return;
	}
	const char *p = at("own.pcap");
	tp_writer_opts o = base_opts(p);
	tp_writer *w = open_ok(&o);
	assert_int_equal(tp_writer_chown(w, 65534, 65534), 0);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_gid, 65534);
	assert_int_equal(tp_writer_close(w), 0);
}

/* Without -U the data stays in the stdio buffer until flushed. */
static void test_writer_flush_explicit(void **state)
{
	(void)state;
	const char *p = at("f.pcap");
	tp_writer_opts o = base_opts(p);
	tp_writer *w = open_ok(&o);
	write_ok(w, 0);
	write_ok(w, 1);
	assert_int_equal(file_size(p), 0);
	assert_int_equal(tp_writer_flush(w), 0);
	expect_packets(p, 0, 2, TP_FMT_PCAP, false, TP_LT_ETHERNET);
	assert_int_equal(tp_writer_close(w), 0);
}

/* A file of 24 + 2 records of 56 bytes (caplen 40) = 136 bytes. */
static void write_same(tp_writer *w, unsigned i)
{
	tp_pkthdr h = mkpkt(i, 40);
	int rc = tp_writer_write(w, &h, pk);
	if (rc != 0)
		fail_msg("write %u: %d %s", i, rc, tp_writer_error(w));
}

static void expect_same(const char *path, unsigned first, unsigned n)
{
	char err[512] = "";
	tp_source *s = tp_source_open_file(path, err, sizeof err);
	if (!s)
		fail_msg("%s: %s", path, err);
	tp_pkthdr h;
	const uint8_t *d;
	for (unsigned i = first; i < first + n; i++) {
		assert_int_equal(tp_source_next(s, &h, &d), TP_RD_PACKET);
		tp_pkthdr want = mkpkt(i, 40);
		assert_int_equal(h.sec, want.sec);
		assert_int_equal(h.caplen, 40);
		assert_memory_equal(d, pk, 40);
	}
	assert_int_equal(tp_source_next(s, &h, &d), TP_RD_EOF);
	tp_source_close(s);
}

/* -C: tcpdump checks before each packet whether the file already holds
 * more than the limit.  With 100 bytes: 24 -> 80 -> 136 (> 100), so two
 * packets per file; names file, file1, file2, file3. */
static void test_writer_rotate_size(void **state)
{
	(void)state;
	tp_writer_opts o = base_opts(at("cap"));
	o.rotate_bytes = 100;
	tp_writer *w = open_ok(&o);
	for (unsigned i = 0; i < 7; i++)
		write_same(w, i);
	assert_int_equal(tp_writer_files(w), 4);
	assert_int_equal(tp_writer_packets(w), 7);
	assert_int_equal(tp_writer_bytes(w), 24 + 56);
	assert_int_equal(tp_writer_close(w), 0);
	assert_int_equal(count_files(dir), 4);
	expect_same(at("cap"), 0, 2);
	expect_same(at("cap1"), 2, 2);
	expect_same(at("cap2"), 4, 2);
	expect_same(at("cap3"), 6, 1);
}

/* -C exactly at the limit does not rotate ("more than"): 136 bytes with
 * -C 136 takes a third packet. */
static void test_writer_rotate_size_boundary(void **state)
{
	(void)state;
	tp_writer_opts o = base_opts(at("b"));
	o.rotate_bytes = 136;
	tp_writer *w = open_ok(&o);
	for (unsigned i = 0; i < 4; i++)
		write_same(w, i);
	assert_int_equal(tp_writer_close(w), 0);
	expect_same(at("b"), 0, 3);
	expect_same(at("b1"), 3, 1);
	assert_int_equal(count_files(dir), 2);
}

/* -C with pcapng counts the pcapng headers (76 bytes): 76 -> 132 (> 100)
 * means one packet per file. */
static void test_writer_rotate_size_pcapng(void **state)
{
	(void)state;
	tp_writer_opts o = base_opts(at("ng"));
	o.pcapng = true;
	o.rotate_bytes = 100;
	tp_writer *w = open_ok(&o);
	for (unsigned i = 0; i < 3; i++)
		write_ok(w, i);
	assert_int_equal(tp_writer_files(w), 3);
	assert_int_equal(tp_writer_close(w), 0);
	expect_packets(at("ng"), 0, 1, TP_FMT_PCAPNG, false, TP_LT_ETHERNET);
	expect_packets(at("ng1"), 1, 1, TP_FMT_PCAPNG, false, TP_LT_ETHERNET);
	expect_packets(at("ng2"), 2, 1, TP_FMT_PCAPNG, false, TP_LT_ETHERNET);
}

/* -C -W 3: a ring cap0, cap1, cap2, then cap0 again (overwritten). */
static void test_writer_rotate_ring(void **state)
{
	(void)state;
	tp_writer_opts o = base_opts(at("cap"));
	o.rotate_bytes = 100;
	o.ring = 3;
	tp_writer *w = open_ok(&o);
	for (unsigned i = 0; i < 9; i++)
		write_same(w, i);
	/* files: 0-1 cap0, 2-3 cap1, 4-5 cap2, 6-7 cap0, 8 cap1 */
	assert_int_equal(tp_writer_files(w), 5);
	assert_int_equal(tp_writer_packets(w), 9);
	assert_int_equal(tp_writer_close(w), 0);
	assert_int_equal(count_files(dir), 3);
	expect_same(at("cap0"), 6, 2);
	expect_same(at("cap1"), 8, 1);
	expect_same(at("cap2"), 4, 2);
}

/* -W 11 needs two digits (counts 0..10); -W 10 one; -W 1 none. */
static void test_writer_rotate_ring_digits(void **state)
{
	(void)state;
	tp_writer_opts o = base_opts(at("r"));
	o.rotate_bytes = 100;
	o.ring = 11;
	tp_writer *w = open_ok(&o);
	for (unsigned i = 0; i < 24; i++)
		write_same(w, i);
	assert_int_equal(tp_writer_close(w), 0);
	assert_int_equal(count_files(dir), 11);
	expect_same(at("r00"), 22, 2);
	expect_same(at("r09"), 18, 2);
	expect_same(at("r10"), 20, 2);

	o.path = at("t");
	o.ring = 10;
	w = open_ok(&o);
	for (unsigned i = 0; i < 4; i++)
		write_same(w, i);
	assert_int_equal(tp_writer_close(w), 0);
	expect_same(at("t0"), 0, 2);
	expect_same(at("t1"), 2, 2);

	o.path = at("one");
	o.ring = 1;
	w = open_ok(&o);
	for (unsigned i = 0; i < 5; i++)
		write_same(w, i);
	assert_int_equal(tp_writer_files(w), 3);
	assert_int_equal(tp_writer_close(w), 0);
	expect_same(at("one"), 4, 1);
	assert_int_equal(count_files(dir), 11 + 2 + 1);
}

static int64_t fake_now;
static int64_t fake_clock(void)
{
	return fake_now;
}

#define T0 1700000000 /* 2023-11-14 22:13:20 UTC */

/* -G 2 with the strftime name: rotation when now - start >= 2, the new
 * name from the time of the rotation. */
static void test_writer_rotate_time(void **state)
{
	(void)state;
	fake_now = T0;
	tp_writer_set_clock(NULL, fake_clock);
	tp_writer_opts o = base_opts(at("g-%Y%m%d-%H%M%S.pcap"));
	o.rotate_secs = 2;
	tp_writer *w = open_ok(&o);
	write_ok(w, 0);
	fake_now = T0 + 1;
	write_ok(w, 1);
	fake_now = T0 + 2;
	write_ok(w, 2); /* rotates: 2 >= 2 */
	fake_now = T0 + 3;
	write_ok(w, 3);
	fake_now = T0 + 9;
	write_ok(w, 4); /* rotates */
	write_ok(w, 5);
	assert_int_equal(tp_writer_files(w), 3);
	assert_int_equal(tp_writer_packets(w), 6);
	assert_int_equal(tp_writer_close(w), 0);
	assert_int_equal(count_files(dir), 3);
	expect_packets(at("g-20231114-221320.pcap"), 0, 2, TP_FMT_PCAP, false,
		       TP_LT_ETHERNET);
	expect_packets(at("g-20231114-221322.pcap"), 2, 2, TP_FMT_PCAP, false,
		       TP_LT_ETHERNET);
	expect_packets(at("g-20231114-221329.pcap"), 4, 2, TP_FMT_PCAP, false,
		       TP_LT_ETHERNET);
}

/* -G with -W (no -C): capture stops once -W files were written; the
 * packet that would open the next file is not written. */
static void test_writer_rotate_time_limit(void **state)
{
	(void)state;
	fake_now = T0;
	tp_writer_set_clock(NULL, fake_clock);
	tp_writer_opts o = base_opts(at("%H%M%S"));
	o.rotate_secs = 5;
	o.ring = 2;
	o.pcapng = true;
	tp_writer *w = open_ok(&o);
	write_ok(w, 0);
	fake_now = T0 + 5;
	write_ok(w, 1);
	write_ok(w, 2);
	fake_now = T0 + 10;
	tp_pkthdr h = mkpkt(3, size_of(3));
	assert_int_equal(tp_writer_write(w, &h, pk), 1);
	assert_int_equal(tp_writer_write(w, &h, pk), 1);
	assert_int_equal(tp_writer_files(w), 2);
	assert_int_equal(tp_writer_packets(w), 3);
	assert_int_equal(tp_writer_close(w), 0);
	assert_int_equal(count_files(dir), 2);
	expect_packets(at("221320"), 0, 1, TP_FMT_PCAPNG, false,
		       TP_LT_ETHERNET);
	expect_packets(at("221325"), 1, 2, TP_FMT_PCAPNG, false,
		       TP_LT_ETHERNET);
}

/* -G with -C: the strftime name plus the -C count; a -G rotation starts
 * the count again.  -W with -C makes a ring per -G name and never stops
 * the capture. */
static void test_writer_rotate_time_and_size(void **state)
{
	(void)state;
	fake_now = T0;
	tp_writer_set_clock(NULL, fake_clock);
	tp_writer_opts o = base_opts(at("x%S_"));
	o.rotate_secs = 60;
	o.rotate_bytes = 100;
	tp_writer *w = open_ok(&o);
	for (unsigned i = 0; i < 5; i++)
		write_same(w, i); /* x20_, x20_1, x20_2 */
	fake_now = T0 + 61;
	write_same(w, 5); /* x21_ */
	write_same(w, 6);
	write_same(w, 7); /* x21_1 */
	assert_int_equal(tp_writer_files(w), 5);
	assert_int_equal(tp_writer_close(w), 0);
	assert_int_equal(count_files(dir), 5);
	expect_same(at("x20_"), 0, 2);
	expect_same(at("x20_1"), 2, 2);
	expect_same(at("x20_2"), 4, 1);
	expect_same(at("x21_"), 5, 2);
	expect_same(at("x21_1"), 7, 1);

	fake_now = T0;
	o.path = at("y%S_");
	o.ring = 2;
	w = open_ok(&o);
	for (unsigned i = 0; i < 5; i++)
		write_same(w, i); /* y20_0, y20_1, y20_0 */
	fake_now = T0 + 60;
	write_same(w, 5); /* y20_0 again: a -G rotation, same second */
	fake_now = T0 + 120;
	write_same(w, 6); /* y20_0 once more: no stop with -C */
	assert_int_equal(tp_writer_files(w), 5);
	assert_int_equal(tp_writer_close(w), 0);
	expect_same(at("y20_1"), 2, 2);
	expect_same(at("y20_0"), 6, 1);
	assert_int_equal(count_files(dir), 5 + 2);
}

/* The per-writer clock restarts the -G interval at its time. */
static void test_writer_set_clock_per_writer(void **state)
{
	(void)state;
	fake_now = T0;
	tp_writer_set_clock(NULL, fake_clock);
	tp_writer_opts o = base_opts(at("c%S"));
	o.rotate_secs = 10;
	tp_writer *w = open_ok(&o);
	fake_now = T0 + 100;
	tp_writer_set_clock(w, fake_clock);
	fake_now = T0 + 105;
	write_ok(w, 0); /* 5 s after the restart: no rotation */
	fake_now = T0 + 110;
	write_ok(w, 1); /* rotates, named 22:15:10 */
	assert_int_equal(tp_writer_close(w), 0);
	expect_packets(at("c20"), 0, 1, TP_FMT_PCAP, false, TP_LT_ETHERNET);
	expect_packets(at("c10"), 1, 1, TP_FMT_PCAP, false, TP_LT_ETHERNET);
}

/* Rotation goes through the directory fd: the directory renamed after
 * open still receives the next files. */
static void test_writer_rotate_uses_dirfd(void **state)
{
	(void)state;
	char sub[128], moved[128];
	snprintf(sub, sizeof sub, "%s/sub", dir);
	snprintf(moved, sizeof moved, "%s/moved", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	char path[160];
	snprintf(path, sizeof path, "%s/cap", sub);
	tp_writer_opts o = base_opts(path);
	o.rotate_bytes = 100;
	tp_writer *w = open_ok(&o);
	int dfd = tp_writer_dirfd(w);
	assert_true(dfd >= 0);
	struct stat st;
	assert_int_equal(fstat(dfd, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_true(fcntl(dfd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(rename(sub, moved), 0);
	for (unsigned i = 0; i < 4; i++)
		write_same(w, i);
	assert_int_equal(tp_writer_close(w), 0);
	char p[200];
	snprintf(p, sizeof p, "%s/cap1", moved);
	expect_same(p, 2, 2);
	assert_int_equal(count_files(moved), 2);
}

/* A name without a directory part goes to the current directory. */
static void test_writer_relative_name(void **state)
{
	(void)state;
	char cwd[512];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(dir), 0);
	tp_writer_opts o = base_opts("rel.pcap");
	o.rotate_bytes = 1;
	tp_writer *w = open_ok(&o);
	write_ok(w, 0); /* 24 > 1: rotates before the first packet */
	assert_int_equal(tp_writer_close(w), 0);
	assert_int_equal(chdir(cwd), 0);
	expect_packets(at("rel.pcap"), 0, 0, TP_FMT_PCAP, false,
		       TP_LT_ETHERNET);
	expect_packets(at("rel.pcap1"), 0, 1, TP_FMT_PCAP, false,
		       TP_LT_ETHERNET);
}

/* -w - is standard output, and refuses rotation. */
static void test_writer_stdout(void **state)
{
	(void)state;
	char err[256] = "";
	tp_writer_opts o = base_opts("-");
	o.rotate_bytes = 1000000;
	assert_null(tp_writer_open(&o, err, sizeof err));
	assert_non_null(strstr(err, "standard output"));
	o.rotate_bytes = 0;
	o.rotate_secs = 10;
	err[0] = '\0';
	assert_null(tp_writer_open(&o, err, sizeof err));
	assert_non_null(strstr(err, "-G"));

	o.rotate_secs = 0;
	o.pcapng = true;
	const char *p = at("stdout.pcapng");
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	assert_int_equal(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	close(fd);
	tp_writer *w = open_ok(&o);
	assert_int_equal(tp_writer_dirfd(w), -1);
	write_ok(w, 0);
	write_ok(w, 1);
	int rc = tp_writer_close(w);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	assert_int_equal(rc, 0);
	expect_packets(p, 0, 2, TP_FMT_PCAPNG, false, TP_LT_ETHERNET);
}

static void test_writer_missing_directory(void **state)
{
	(void)state;
	char err[512] = "";
	tp_writer_opts o = base_opts(at("nope/x.pcap"));
	assert_null(tp_writer_open(&o, err, sizeof err));
	assert_non_null(strstr(err, "nope/x.pcap"));
	assert_non_null(strstr(err, strerror(ENOENT)));

	o.path = at("dir/");
	err[0] = '\0';
	assert_null(tp_writer_open(&o, err, sizeof err));
	assert_non_null(strstr(err, "not a file name"));
	assert_int_equal(count_files(dir), 0);
}

/* -G: only the last component may be a strftime format, and what it
 * expands to must not contain '/'. */
static void test_writer_bad_strftime_names(void **state)
{
	(void)state;
	char err[512] = "";
	tp_writer_opts o = base_opts(at("%Y/x"));
	o.rotate_secs = 10;
	assert_null(tp_writer_open(&o, err, sizeof err));
	assert_non_null(strstr(err, "directory"));

	o.path = at("x-%D");
	err[0] = '\0';
	assert_null(tp_writer_open(&o, err, sizeof err));
	assert_non_null(strstr(err, "'/'"));

	/* without -G a '%' is just a character */
	o.path = at("%Y");
	o.rotate_secs = 0;
	tp_writer *w = open_ok(&o);
	assert_int_equal(tp_writer_close(w), 0);
	assert_int_equal(file_size(at("%Y")), 24);
	assert_int_equal(count_files(dir), 1);
}

/* ENOSPC is reported: by close when the data sat in the buffer, by the
 * write itself with -U. */
static void test_writer_write_errors(void **state)
{
	(void)state;
	if (access("/dev/full", W_OK) != 0)
		skip();
	tp_writer_opts o = base_opts("/dev/full");
	tp_writer *w = open_ok(&o);
	write_ok(w, 0);
	assert_int_equal(tp_writer_close(w), -1);
	assert_non_null(strstr(tp_writer_error(NULL), "/dev/full"));
	assert_non_null(strstr(tp_writer_error(NULL), strerror(ENOSPC)));

	o.pcapng = true;
	w = open_ok(&o);
	assert_int_equal(tp_writer_flush(w), -1);
	assert_non_null(strstr(tp_writer_error(w), strerror(ENOSPC)));
	tp_pkthdr h = mkpkt(0, 20);
	assert_int_equal(tp_writer_write(w, &h, pk), -1);
	assert_int_equal(tp_writer_close(w), -1);

	o.flush_each = true;
	char err[512] = "";
	assert_null(tp_writer_open(&o, err, sizeof err));
	assert_non_null(strstr(err, strerror(ENOSPC)));
}

/* Big writes overflow the stdio buffer: the write itself fails. */
static void test_writer_write_error_unbuffered(void **state)
{
	(void)state;
	if (access("/dev/full", W_OK) != 0)
		skip();
	tp_writer_opts o = base_opts("/dev/full");
	tp_writer *w = open_ok(&o);
	int rc = 0;
	for (unsigned i = 0; i < 2000 && rc == 0; i++) {
		tp_pkthdr h = mkpkt(i, MAXPK);
		rc = tp_writer_write(w, &h, pk);
	}
	assert_int_equal(rc, -1);
	assert_non_null(strstr(tp_writer_error(w), strerror(ENOSPC)));
	assert_int_equal(tp_writer_close(w), -1);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
#define T(f) cmocka_unit_test_setup_teardown(f, mkdir_tmp, rm_tmp)
	const struct CMUnitTest tests[] = {
	    T(test_writer_pcap_micro),
	    T(test_writer_pcap_nano),
	    T(test_writer_pcapng_micro),
	    T(test_writer_pcapng_nano),
	    T(test_writer_pcapng_layout),
	    T(test_writer_pcap_header_raw),
	    T(test_writer_caplen_clamped_to_snaplen),
	    T(test_writer_flush_each),
	    T(test_writer_flush_explicit),
	    T(test_writer_chown_first_file),
	    T(test_writer_rotate_size),
	    T(test_writer_rotate_size_boundary),
	    T(test_writer_rotate_size_pcapng),
	    T(test_writer_rotate_ring),
	    T(test_writer_rotate_ring_digits),
	    T(test_writer_rotate_time),
	    T(test_writer_rotate_time_limit),
	    T(test_writer_rotate_time_and_size),
	    T(test_writer_set_clock_per_writer),
	    T(test_writer_rotate_uses_dirfd),
	    T(test_writer_relative_name),
	    T(test_writer_stdout),
	    T(test_writer_missing_directory),
	    T(test_writer_bad_strftime_names),
	    T(test_writer_write_errors),
	    T(test_writer_write_error_unbuffered),
	};
#undef T
	return cmocka_run_group_tests_name("writer", tests, NULL, NULL);
}
