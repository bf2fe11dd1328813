/* test_capfile.c - the pcap / pcapng / gzip reader, and damaged files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "helpers.h"
#include "tapir/capture.h"
#include "tapir/limits.h"

struct buf {
	uint8_t d[4096];
	size_t n;
	bool big;
};

static void put(struct buf *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof b->d);
	memcpy(b->d + b->n, p, n);
	b->n += n;
}

static void u16(struct buf *b, uint16_t v)
{
	uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	if (b->big) {
		x[0] = (uint8_t)(v >> 8);
		x[1] = (uint8_t)v;
	}
	put(b, x, 2);
}

static void u32(struct buf *b, uint32_t v)
{
	uint8_t x[4];
	for (int i = 0; i < 4; i++)
		x[b->big ? 3 - i : i] = (uint8_t)(v >> (8 * i));
	put(b, x, 4);
}

static char path[64];

static const char *write_file(const uint8_t *d, size_t n)
{
	snprintf(path, sizeof path, "/tmp/tapir-capfile-%d.bin", (int)getpid());
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(d, 1, n, f), n);
	fclose(f);
	return path;
}

static const uint8_t frame[6] = {1, 2, 3, 4, 5, 6};

/* A classic pcap with `npk` records. */
static void make_pcap(struct buf *b, uint32_t magic, bool big, int npk,
		      uint32_t linktype)
{
	memset(b, 0, sizeof *b);
	b->big = big;
	u32(b, magic);
	u16(b, 2);
	u16(b, 4);
	u32(b, 0);
	u32(b, 0);
	u32(b, 65535);
	u32(b, linktype);
	for (int i = 0; i < npk; i++) {
		u32(b, 1000 + (uint32_t)i);
		u32(b, 500);
		u32(b, 6);
		u32(b, 60);
		if (magic == 0xa1b2cd34u) {
			u32(b, 7); /* ifindex */
			u16(b, 0x0800);
			put(b, "\x00\x00", 2); /* pkt_type, pad */
		}
		put(b, frame, 6);
	}
}

static int read_all(const char *p, tp_pkthdr *last, tp_rd *end, uint64_t *off)
{
	char err[256];
	tp_source *s = tp_source_open_file(p, err, sizeof err);
	if (!s)
		return -1;
	int n = 0;
	tp_rd r;
	tp_pkthdr h;
	const uint8_t *d;
	while ((r = tp_source_next(s, &h, &d)) == TP_RD_PACKET) {
		assert_true(h.caplen <= TP_MAX_BLOCK);
		if (last)
			*last = h;
		n++;
	}
	if (end)
		*end = r;
	if (off)
		*off = tp_source_offset(s);
	tp_source_close(s);
	return n;
}

static void test_capfile_pcap_variants(void **state)
{
	(void)state;
	static const struct {
		uint32_t magic;
		bool big;
		uint32_t nsec;
	} v[] = {
		{0xa1b2c3d4u, false, 500000}, {0xa1b2c3d4u, true, 500000},
		{0xa1b23c4du, false, 500},    {0xa1b23c4du, true, 500},
		{0xa1b2cd34u, false, 500000},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct buf b;
		make_pcap(&b, v[i].magic, v[i].big, 3, 1);
		tp_pkthdr h;
		tp_rd end;
		assert_int_equal(read_all(write_file(b.d, b.n), &h, &end, NULL),
				 3);
		assert_int_equal(end, TP_RD_EOF);
		assert_int_equal(h.sec, 1002);
		assert_int_equal(h.nsec, v[i].nsec);
		assert_int_equal(h.caplen, 6);
		assert_int_equal(h.len, 60);
		assert_int_equal(h.linktype, 1);
	}
}

static void test_capfile_gzip_by_magic(void **state)
{
	(void)state;
	struct buf b;
	make_pcap(&b, 0xa1b2c3d4u, false, 2, 113);
	/* named .bin, not .gz: detection is by content */
	snprintf(path, sizeof path, "/tmp/tapir-capfile-%d.bin", (int)getpid());
	gzFile g = gzopen(path, "wb");
	assert_non_null(g);
	assert_int_equal(gzwrite(g, b.d, (unsigned)b.n), (int)b.n);
	gzclose(g);
	char err[256];
	tp_source *s = tp_source_open_file(path, err, sizeof err);
	assert_non_null(s);
	assert_true(tp_source_gzip(s));
	tp_source_close(s);
	tp_pkthdr h;
	assert_int_equal(read_all(path, &h, NULL, NULL), 2);
	assert_int_equal(h.linktype, 113);
}

/* A gzip file cut short is damage, never a clean end, wherever the cut
 * falls (zlib reports a stream that ends early). */
static void test_capfile_truncated_gzip(void **state)
{
	(void)state;
	struct buf b;
	make_pcap(&b, 0xa1b2c3d4u, false, 20, 1);
	uLongf zn = compressBound(b.n) + 64;
	uint8_t *z = malloc(zn + 18);
	assert_non_null(z);
	/* a gzip member: header, raw deflate, trailer */
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + 15, 8,
				      Z_DEFAULT_STRATEGY),
			 Z_OK);
	zs.next_in = b.d;
	zs.avail_in = (uInt)b.n;
	zs.next_out = z;
	zs.avail_out = (uInt)(zn + 18);
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	size_t total = zs.total_out;
	deflateEnd(&zs);
	tp_rd end;
	assert_int_equal(read_all(write_file(z, total), NULL, &end, NULL), 20);
	assert_int_equal(end, TP_RD_EOF);
	for (size_t cut = 20; cut < total; cut++) {
		int n = read_all(write_file(z, cut), NULL, &end, NULL);
		if (n < 0)
			continue; /* not even the file header: cannot open */
		/* a cut in the last deflate bits or the 8-byte trailer
		 * may lose no packet, but is still damage */
		assert_true(n <= 20);
		assert_int_equal(end, TP_RD_DAMAGED);
	}
	free(z);
}

/* pcapng: SHB, two IDBs of different link types (ns and 2^-10
 * resolution), EPBs on each, an SPB, an unknown block. */
static void ng_block(struct buf *b, uint32_t type, const struct buf *body)
{
	u32(b, type);
	u32(b, (uint32_t)(12 + body->n));
	put(b, body->d, body->n);
	u32(b, (uint32_t)(12 + body->n));
}

static void make_pcapng(struct buf *b, bool big)
{
	struct buf x;
	memset(b, 0, sizeof *b);
	b->big = big;
	memset(&x, 0, sizeof x);
	x.big = big;
	u32(&x, 0x1a2b3c4d);
	u16(&x, 1);
	u16(&x, 0);
	u32(&x, 0xffffffff);
	u32(&x, 0xffffffff);
	ng_block(b, 0x0a0d0d0a, &x);
	/* IDB 0: Ethernet, if_tsresol = 9 (ns) */
	memset(&x, 0, sizeof x);
	x.big = big;
	u16(&x, 1);
	u16(&x, 0);
	u32(&x, 0);
	u16(&x, 9);
	u16(&x, 1);
	put(&x, "\x09\x00\x00\x00", 4);
	u16(&x, 0);
	u16(&x, 0);
	ng_block(b, 1, &x);
	/* IDB 1: Linux SLL, if_tsresol = 2^-10 */
	memset(&x, 0, sizeof x);
	x.big = big;
	u16(&x, 113);
	u16(&x, 0);
	u32(&x, 96);
	u16(&x, 9);
	u16(&x, 1);
	put(&x, "\x8a\x00\x00\x00", 4);
	ng_block(b, 1, &x);
	for (uint32_t ifid = 0; ifid < 2; ifid++) {
		memset(&x, 0, sizeof x);
		x.big = big;
		u32(&x, ifid);
		uint64_t ts = ifid == 0 ? 5000000123ull : (7ull << 10) + 512;
		u32(&x, (uint32_t)(ts >> 32));
		u32(&x, (uint32_t)ts);
		u32(&x, 6);
		u32(&x, 6);
		put(&x, frame, 6);
		put(&x, "\0\0", 2); /* pad to 4 */
		ng_block(b, 6, &x);
	}
	memset(&x, 0, sizeof x);
	x.big = big;
	u32(&x, 0x12345678);
	ng_block(b, 0x0bad, &x); /* unknown: skipped */
	memset(&x, 0, sizeof x);
	x.big = big;
	u32(&x, 6); /* SPB: original length */
	put(&x, frame, 6);
	put(&x, "\0\0", 2);
	ng_block(b, 3, &x);
}

static void test_capfile_pcapng_mixed_linktypes(void **state)
{
	(void)state;
	for (int big = 0; big < 2; big++) {
		struct buf b;
		make_pcapng(&b, big);
		char err[256];
		tp_source *s =
			tp_source_open_file(write_file(b.d, b.n), err, sizeof err);
		assert_non_null(s);
		assert_int_equal(tp_source_format(s), TP_FMT_PCAPNG);
		tp_pkthdr h;
		const uint8_t *d;
		assert_int_equal(tp_source_next(s, &h, &d), TP_RD_PACKET);
		assert_int_equal(h.linktype, 1);
		assert_int_equal(h.sec, 5);
		assert_int_equal(h.nsec, 123);
		assert_memory_equal(d, frame, 6);
		assert_int_equal(tp_source_next(s, &h, &d), TP_RD_PACKET);
		assert_int_equal(h.linktype, 113);
		assert_int_equal(h.ifindex, 1);
		assert_int_equal(h.sec, 7);
		assert_int_equal(h.nsec, 500000000);
		assert_int_equal(tp_source_next(s, &h, &d), TP_RD_PACKET);
		assert_int_equal(h.linktype, 1); /* SPB: interface 0 */
		assert_int_equal(h.caplen, 6);
		assert_int_equal(tp_source_next(s, &h, &d), TP_RD_EOF);
		tp_source_close(s);
	}
}

/* Cut a good file at every length: the packets before the cut are read,
 * then EOF (cut on a record boundary) or DAMAGED with an offset inside
 * the file; never anything else. */
static void every_cut(const struct buf *b, int total, size_t hdr)
{
	for (size_t cut = 0; cut < b->n; cut++) {
		tp_rd end = TP_RD_EOF;
		uint64_t off = 0;
		int n = read_all(write_file(b->d, cut), NULL, &end, &off);
		if (cut < hdr) {
			assert_true(n == -1 || n == 0);
			continue;
		}
		assert_true(n >= 0 && n <= total);
		assert_true(end == TP_RD_EOF || end == TP_RD_DAMAGED);
		if (end == TP_RD_DAMAGED)
			assert_true(off <= cut);
	}
}

static void test_capfile_every_truncation(void **state)
{
	(void)state;
	struct buf b;
	make_pcap(&b, 0xa1b2c3d4u, false, 3, 1);
	every_cut(&b, 3, 24);
	/* one record header cut in half: 1 packet, then damage at byte 46 */
	tp_rd end;
	uint64_t off;
	assert_int_equal(read_all(write_file(b.d, 24 + 22 + 8), NULL, &end,
				  &off),
			 1);
	assert_int_equal(end, TP_RD_DAMAGED);
	assert_int_equal(off, 46);
	make_pcapng(&b, false);
	every_cut(&b, 3, 28);
}

static void test_capfile_hostile_lengths(void **state)
{
	(void)state;
	struct buf b;
	tp_rd end;
	uint64_t off;
	/* a record claiming 4 GB */
	make_pcap(&b, 0xa1b2c3d4u, false, 2, 1);
	memcpy(b.d + 24 + 22 + 8, "\xff\xff\xff\xff", 4);
	assert_int_equal(read_all(write_file(b.d, b.n), NULL, &end, &off), 1);
	assert_int_equal(end, TP_RD_DAMAGED);
	assert_int_equal(off, 46);
	/* header snaplen 0 and caplen > snaplen: still read */
	make_pcap(&b, 0xa1b2c3d4u, false, 1, 1);
	memset(b.d + 16, 0, 4);
	assert_int_equal(read_all(write_file(b.d, b.n), NULL, &end, NULL), 1);
	assert_int_equal(end, TP_RD_EOF);

	/* pcapng: each length field of each block set to hostile values */
	struct buf ng;
	make_pcapng(&ng, false);
	static const uint32_t bad[] = {0, 4, 11, 13, 0xfffffffc, 0x7ffffff0,
				       TP_MAX_BLOCK + 4};
	for (size_t at = 4; at + 4 <= ng.n; at += 4) {
		for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
			struct buf h = ng;
			memcpy(h.d + at, &bad[k], 4);
			int n = read_all(write_file(h.d, h.n), NULL, &end, NULL);
			assert_true(n <= 3);
		}
	}
	/* EPB naming an interface that does not exist */
	struct buf h = ng;
	size_t epb = 28 + 32 + 28; /* SHB + IDB (with end of options) + IDB */
	memcpy(h.d + epb + 8, "\x05\x00\x00\x00", 4);
	assert_int_equal(read_all(write_file(h.d, h.n), NULL, &end, &off), 0);
	assert_int_equal(end, TP_RD_DAMAGED);
	assert_int_equal(off, epb);
	/* trailing length that disagrees */
	h = ng;
	h.d[epb + 40 - 4] ^= 4; /* EPB: 12 + 28 bytes */
	assert_int_equal(read_all(write_file(h.d, h.n), NULL, &end, &off), 0);
	assert_int_equal(end, TP_RD_DAMAGED);
}

static void test_capfile_not_a_capture(void **state)
{
	(void)state;
	char err[256];
	assert_null(tp_source_open_file(write_file((const uint8_t *)"hello world", 11),
					err, sizeof err));
	assert_non_null(strstr(err, "not a pcap or pcapng file"));
	assert_null(tp_source_open_file(write_file((const uint8_t *)"", 0), err,
					sizeof err));
	assert_null(tp_source_open_file("/nonexistent/x.pcap", err, sizeof err));
	assert_non_null(strstr(err, "No such file"));
	unlink(path);
}

/* A fraction of a second out of range: the largest valid one in nsec,
 * the record's own value beside it for the text output. */
static void test_capfile_bad_fraction(void **state)
{
	(void)state;
	static const struct {
		uint32_t magic, frac, nsec, unit;
	} c[] = {
		{0xa1b2c3d4u, 999999, 999999000, 0},
		{0xa1b2c3d4u, 1000000, 999999000, 6},
		{0xa1b2c3d4u, 0xffffffffu, 999999000, 6},
		{0xa1b23c4du, 999999999, 999999999, 0},
		{0xa1b23c4du, 1000000000, 999999999, 9},
		{0xa1b23c4du, 0x80000000u, 999999999, 9},
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct buf b;
		make_pcap(&b, c[i].magic, false, 1, 1);
		/* the record's fraction follows the 24-byte header and its
		 * 4-byte seconds */
		memcpy(b.d + 28, &c[i].frac, 4); /* little-endian host */
		tp_pkthdr h;
		assert_int_equal(read_all(write_file(b.d, b.n), &h, NULL, NULL),
				 1);
		assert_int_equal(h.nsec, c[i].nsec);
		assert_int_equal(h.bad_frac_unit, c[i].unit);
		if (c[i].unit)
			assert_int_equal(h.bad_frac, c[i].frac);
	}
	unlink(path);
}

/* --file-list: the files of a list in turn, as one source. */
static int no_packet(void *user, const tp_pkthdr *h, const uint8_t *data)
{
	(void)user;
	(void)h;
	(void)data;
	fail_msg("a file has no write-only path");
	return 1;
}

/* fd is an open descriptor of the file at `file` (-1 or another file:
 * false). */
static bool same_file(int fd, const char *file)
{
	struct stat a, f;
	return fd >= 0 && stat(file, &a) == 0 && fstat(fd, &f) == 0 &&
	       a.st_ino == f.st_ino && a.st_dev == f.st_dev;
}

/* The operations behind a source: each kind answers through its own
 * table (kind, descriptor to poll, stats, the live-only fast path, a
 * stop asked by a signal), plain and gzip files and lists alike. */
static void test_capfile_source_ops(void **state)
{
	(void)state;
	struct buf b;
	make_pcap(&b, 0xa1b2c3d4u, false, 3, 1);
	const char *p = write_file(b.d, b.n);
	char err[256];
	tp_source *s = tp_source_open_file(p, err, sizeof err);
	assert_non_null(s);
	assert_string_equal(tp_source_kind(s), "file");
	assert_false(tp_source_is_live(s));
	/* the descriptor is the file's own */
	assert_true(same_file(tp_source_fd(s), p));
	tp_capstats st;
	tp_source_stats(s, &st);
	assert_true(st.received == -1 && st.dropped == -1 &&
		    st.ifdropped == -1);
	assert_int_equal(tp_source_dispatch(s, -1, no_packet, NULL),
			 TP_RD_ERROR);
	assert_non_null(strstr(tp_source_error(s), "file source"));
	tp_pkthdr h;
	const uint8_t *d;
	assert_int_equal(tp_source_next(s, &h, &d), TP_RD_PACKET);
	/* a stop (SIGINT) ends a file at the next packet */
	tp_source_breakloop(s);
	assert_int_equal(tp_source_next(s, &h, &d), TP_RD_EOF);
	tp_source_close(s);

	/* gzip: read through zlib, the descriptor still the file's */
	char gzp[80];
	snprintf(gzp, sizeof gzp, "/tmp/tapir-ops-%d.pcap.gz", (int)getpid());
	gzFile z = gzopen(gzp, "wb");
	assert_non_null(z);
	assert_int_equal(gzwrite(z, b.d, (unsigned)b.n), (int)b.n);
	gzclose(z);
	s = tp_source_open_file(gzp, err, sizeof err);
	assert_non_null(s);
	assert_true(tp_source_gzip(s));
	assert_true(same_file(tp_source_fd(s), gzp));
	int n = 0;
	while (tp_source_next(s, &h, &d) == TP_RD_PACKET)
		n++;
	assert_int_equal(n, 3);
	tp_source_close(s);
	unlink(gzp);

	/* a list: its own kind, the files' packets in turn */
	char list[80];
	snprintf(list, sizeof list, "/tmp/tapir-ops-%d.txt", (int)getpid());
	FILE *lf = fopen(list, "w");
	assert_non_null(lf);
	fprintf(lf, "%s\n%s\n", p, p);
	fclose(lf);
	s = tp_source_open_list(list, err, sizeof err);
	assert_non_null(s);
	assert_string_equal(tp_source_kind(s), "file-list");
	assert_false(tp_source_is_live(s));
	assert_true(same_file(tp_source_fd(s), p)); /* the first file's */
	n = 0;
	while (tp_source_next(s, &h, &d) == TP_RD_PACKET)
		n++;
	assert_int_equal(n, 6);
	tp_source_close(s);
	unlink(list);
	unlink(p);
}

static void test_capfile_file_list(void **state)
{
	(void)state;
	char a[80], bname[80], list[80], err[256];
	snprintf(a, sizeof a, "/tmp/tapir-list-a-%d.pcap", (int)getpid());
	snprintf(bname, sizeof bname, "/tmp/tapir-list-b-%d.pcap", (int)getpid());
	snprintf(list, sizeof list, "/tmp/tapir-list-%d.txt", (int)getpid());
	struct buf b;
	make_pcap(&b, 0xa1b2c3d4u, false, 2, 1);
	FILE *f = fopen(a, "wb");
	assert_non_null(f);
	fwrite(b.d, 1, b.n, f);
	fclose(f);
	make_pcap(&b, 0xa1b23c4du, true, 3, 101); /* other order, link type */
	f = fopen(bname, "wb");
	assert_non_null(f);
	fwrite(b.d, 1, b.n, f);
	fclose(f);

	/* a, an empty line, b with CR LF, a again */
	f = fopen(list, "w");
	fprintf(f, "%s\n\n%s\r\n%s", a, bname, a);
	fclose(f);
	tp_source *s = tp_source_open_list(list, err, sizeof err);
	assert_non_null(s);
	tp_pkthdr h;
	const uint8_t *d;
	int lt[8], n = 0;
	tp_rd r;
	while ((r = tp_source_next(s, &h, &d)) == TP_RD_PACKET && n < 8) {
		lt[n++] = h.linktype;
		assert_memory_equal(d, frame, 6);
	}
	assert_int_equal(r, TP_RD_EOF);
	assert_int_equal(n, 7);
	assert_int_equal(lt[1], 1);
	assert_int_equal(lt[2], 101);
	assert_int_equal(lt[4], 101);
	assert_int_equal(lt[5], 1);
	assert_string_equal(tp_source_name(s), a);
	tp_source_close(s);

	/* a file that is not a capture: an error when its turn comes */
	f = fopen(list, "w");
	fprintf(f, "%s\n%s\n", a, list);
	fclose(f);
	s = tp_source_open_list(list, err, sizeof err);
	assert_non_null(s);
	n = 0;
	while ((r = tp_source_next(s, &h, &d)) == TP_RD_PACKET)
		n++;
	assert_int_equal(n, 2);
	assert_int_equal(r, TP_RD_ERROR);
	assert_non_null(strstr(tp_source_error(s), "not a pcap or pcapng"));
	assert_int_equal(tp_source_next(s, &h, &d), TP_RD_DAMAGED);
	tp_source_close(s);

	/* a missing file, an empty list, a name too long: refused at once */
	f = fopen(list, "w");
	fprintf(f, "%s\n/nonexistent/x.pcap\n", a);
	fclose(f);
	assert_null(tp_source_open_list(list, err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent/x.pcap: No such file"));
	f = fopen(list, "w");
	fprintf(f, "\n\r\n");
	fclose(f);
	assert_null(tp_source_open_list(list, err, sizeof err));
	assert_non_null(strstr(err, "names no capture file"));
	f = fopen(list, "w");
	for (int i = 0; i < 5000; i++)
		fputc('x', f);
	fclose(f);
	assert_null(tp_source_open_list(list, err, sizeof err));
	assert_non_null(strstr(err, "longer than 4096"));
	assert_null(tp_source_open_list("/nonexistent/list", err, sizeof err));
	unlink(a);
	unlink(bname);
	unlink(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capfile_pcap_variants),
		cmocka_unit_test(test_capfile_gzip_by_magic),
		cmocka_unit_test(test_capfile_truncated_gzip),
		cmocka_unit_test(test_capfile_pcapng_mixed_linktypes),
		cmocka_unit_test(test_capfile_every_truncation),
		cmocka_unit_test(test_capfile_hostile_lengths),
		cmocka_unit_test(test_capfile_not_a_capture),
		cmocka_unit_test(test_capfile_bad_fraction),
		cmocka_unit_test(test_capfile_file_list),
		cmocka_unit_test(test_capfile_source_ops),
	};
	return cmocka_run_group_tests_name("capfile", tests, NULL, NULL);
}
