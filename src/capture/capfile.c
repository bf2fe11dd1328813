/* capfile.c - reading pcap and pcapng capture files, plain or gzip.
 *
 * pcap:   https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html
 * pcapng: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html
 *
 * Why not pcap_fopen_offline(): libpcap refuses pcapng files whose
 * interfaces differ in link type, cannot say at which byte a file is
 * damaged, and reads gzip only through a FILE * we would have to build.
 * This reader goes through zlib's gzread, which passes plain files through
 * untouched and inflates gzip ones whatever their name.  Every length the
 * file claims is checked against a limit before anything is read into
 * memory (limits.h), so a hostile file can neither make it allocate
 * without bound nor read outside a block.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "capture_int.h"
#include "tapir/limits.h"
#include "tapir/readahead.h"

static bool read_thread;

void tp_source_read_thread(bool on) { read_thread = on; }

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
#define PCAP_MAGIC_KUZ 0xa1b2cd34u
#define PCAPNG_SHB 0x0a0d0d0au
#define PCAPNG_BOM 0x1a2b3c4du
#define PCAPNG_IDB 0x00000001u
#define PCAPNG_OPB 0x00000002u
#define PCAPNG_SPB 0x00000003u
#define PCAPNG_EPB 0x00000006u
#define TP_MAX_INTERFACES 65536

static uint32_t bswap32(uint32_t v)
{
	return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) |
	       (v << 24);
}

static uint32_t rd32(const tp_source *s, const uint8_t *p)
{
	if (s->big)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static uint16_t rd16(const tp_source *s, const uint8_t *p)
{
	if (s->big)
		return (uint16_t)((unsigned)p[0] << 8 | p[1]);
	return (uint16_t)((unsigned)p[1] << 8 | p[0]);
}

static tp_rd damaged(tp_source *s, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static tp_rd damaged(tp_source *s, uint64_t off, const char *fmt, ...)
{
	char msg[sizeof s->err]; /* the arguments may point at s->err */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	memcpy(s->err, msg, sizeof msg);
	s->err_off = off;
	s->dead = true;
	return TP_RD_DAMAGED;
}

/* Read exactly n bytes into dst; returns how many were read (less at end
 * of file), or -1 on an I/O or decompression error. */
static long readn(tp_source *s, void *dst, size_t n)
{
	if (s->ra) {
		long r = tp_ra_read(s->ra, dst, n);
		if (r < 0) {
			snprintf(s->err, sizeof s->err, "read error: %s",
				 strerror(errno));
			return -1;
		}
		s->off += (size_t)r;
		return r;
	}
	size_t got = 0;
	while (got < n) {
		size_t want = n - got;
		if (want > (1u << 30))
			want = 1u << 30;
		int r = gzread(s->gz, (uint8_t *)dst + got, (unsigned)want);
		if (r < 0) {
			int zerr;
			const char *m = gzerror(s->gz, &zerr);
			snprintf(s->err, sizeof s->err, "read error: %s",
				 zerr == Z_ERRNO ? strerror(errno) : m);
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	/* A gzip stream that ends early is damage, not a clean end: zlib
	 * reports it as Z_BUF_ERROR once the input runs out mid-stream. */
	if (got < n && s->gzip) {
		int zerr;
		gzerror(s->gz, &zerr);
		if (zerr == Z_BUF_ERROR) {
			snprintf(s->err, sizeof s->err,
				 "compressed data ends early (truncated gzip "
				 "file)");
			s->off += got;
			return -1;
		}
		if (zerr != Z_OK) {
			snprintf(s->err, sizeof s->err, "gzip error");
			s->off += got;
			return -1;
		}
	}
	s->off += got;
	return (long)got;
}

static bool ensure_buf(tp_source *s, size_t n)
{
	if (n <= s->bufcap)
		return true;
	size_t cap = s->bufcap ? s->bufcap : 65536;
	while (cap < n)
		cap *= 2;
	uint8_t *b = realloc(s->buf, cap);
	if (!b)
		return false;
	s->buf = b;
	s->bufcap = cap;
	return true;
}

/* ---- pcap ---------------------------------------------------------- */

static int pcap_header(tp_source *s, uint32_t magic_le)
{
	uint8_t h[24];
	memcpy(h, &magic_le, 4); /* already read; only the rest matters */
	long r = readn(s, h + 4, 20);
	if (r < 20)
		return -1;
	uint32_t m = magic_le;
	s->big = false;
	if (m == bswap32(PCAP_MAGIC_US) || m == bswap32(PCAP_MAGIC_NS) ||
	    m == bswap32(PCAP_MAGIC_KUZ)) {
		s->big = true;
		m = bswap32(m);
	}
	s->fmt = m == PCAP_MAGIC_NS    ? TP_FMT_PCAP_NSEC
		 : m == PCAP_MAGIC_KUZ ? TP_FMT_PCAP_KUZNETZOV
				       : TP_FMT_PCAP;
	s->snaplen = rd32(s, h + 16);
	/* The upper bits may carry FCS information; the link type is the
	 * low 16 (pcap draft, LinkType and additional information). */
	s->linktype = (int)(rd32(s, h + 20) & 0xffff);
	return 0;
}

static tp_rd pcap_next_rec(tp_source *s, tp_pkthdr *h, const uint8_t **data)
{
	size_t hl = s->fmt == TP_FMT_PCAP_KUZNETZOV ? 24 : 16;
	uint8_t rhb[24];
	const uint8_t *rh = rhb;
	uint64_t at = s->off;
	long r;
	/* read ahead: the header in place when the block holds it */
	const uint8_t *inh = s->ra ? tp_ra_next(s->ra, hl) : NULL;
	if (inh) {
		rh = inh;
		r = (long)hl;
		s->off += hl;
	} else {
		r = readn(s, rhb, hl);
	}
	if (r < 0)
		return damaged(s, at, "%s", s->err);
	if (r == 0)
		return TP_RD_EOF;
	if ((size_t)r < hl)
		return damaged(s, at,
			       "truncated record header (%ld of %zu bytes)", r,
			       hl);
	uint32_t sec = rd32(s, rh), frac = rd32(s, rh + 4);
	uint32_t caplen = rd32(s, rh + 8), len = rd32(s, rh + 12);
	if (caplen > TP_MAX_SNAPLEN)
		return damaged(s, at,
			       "record claims %u captured bytes, more than the "
			       "limit of %u",
			       caplen, TP_MAX_SNAPLEN);
	h->bad_frac = frac;
	h->bad_frac_unit = 0;
	if (s->fmt == TP_FMT_PCAP_NSEC) {
		if (frac >= 1000000000u) {
			frac = 999999999u;
			h->bad_frac_unit = 9;
		}
	} else {
		if (frac >= 1000000u) {
			frac = 999999u;
			h->bad_frac_unit = 6;
		}
		frac *= 1000u;
	}
	/* tcpdump and tshark keep such a record whole without a word; keep
	 * it too, and count it for tp_source_warning */
	if (s->snaplen && caplen > s->snaplen)
		s->over_snaplen++;
	/* read ahead: the bytes in place, not copied */
	const uint8_t *in = s->ra ? tp_ra_next(s->ra, caplen) : NULL;
	if (in) {
		s->off += caplen;
		*data = in;
	} else {
		if (!ensure_buf(s, caplen ? caplen : 1))
			return damaged(s, at, "out of memory");
		r = readn(s, s->buf, caplen);
		if (r < 0)
			return damaged(s, at, "%s", s->err);
		if ((size_t)r < caplen)
			return damaged(s, at,
				       "truncated packet data (%ld of %u "
				       "bytes)",
				       r, caplen);
		*data = s->buf;
	}
	h->sec = sec;
	h->nsec = frac;
	h->caplen = caplen;
	h->len = len;
	h->linktype = s->linktype;
	h->ifindex = 0;
	return TP_RD_PACKET;
}

/* ---- pcapng -------------------------------------------------------- */

/* Options of an IDB: if_tsresol (9) and if_tsoffset (14). */
static void idb_options(tp_source *s, struct tp_iface *ifc, const uint8_t *p,
			size_t n)
{
	size_t i = 0;
	while (i + 4 <= n) {
		uint16_t code = rd16(s, p + i), olen = rd16(s, p + i + 2);
		i += 4;
		if (code == 0 || olen > n - i)
			break;
		if (code == 9 && olen >= 1) {
			uint8_t v = p[i];
			ifc->res_pow2 = (v & 0x80) != 0;
			ifc->res_exp = v & 0x7f;
		} else if (code == 14 && olen >= 8) {
			uint64_t hi = rd32(s, p + i + (s->big ? 0 : 4));
			uint64_t lo = rd32(s, p + i + (s->big ? 4 : 0));
			ifc->tsoffset = (int64_t)(hi << 32 | lo);
		}
		i += ((size_t)olen + 3) & ~(size_t)3;
	}
}

/* Convert a pcapng timestamp in the interface's units to sec + nsec. */
static void ng_time(const struct tp_iface *ifc, uint64_t ts, int64_t *sec,
		    uint32_t *nsec)
{
	unsigned __int128 units; /* units per second */
	if (ifc->res_pow2) {
		unsigned e = ifc->res_exp > 63 ? 63 : ifc->res_exp;
		units = (unsigned __int128)1 << e;
	} else {
		unsigned e = ifc->res_exp > 19 ? 19 : ifc->res_exp;
		units = 1;
		while (e--)
			units *= 10;
	}
	uint64_t s = (uint64_t)(ts / units);
	unsigned __int128 rem = ts % units;
	*sec = (int64_t)s + ifc->tsoffset;
	*nsec = (uint32_t)(rem * 1000000000u / units);
}

static tp_rd ng_shb(tp_source *s, uint64_t at, const uint8_t *body, size_t n)
{
	(void)body;
	(void)n;
	(void)at;
	s->nifs = 0; /* a new section forgets the interfaces of the last */
	return TP_RD_PACKET;
}

static tp_rd ng_idb(tp_source *s, uint64_t at, const uint8_t *b, size_t n)
{
	if (n < 8)
		return damaged(s, at, "interface description block too short");
	if (s->nifs >= TP_MAX_INTERFACES)
		return damaged(s, at, "more than %d interfaces",
			       TP_MAX_INTERFACES);
	if (s->nifs == s->ifcap) {
		size_t cap = s->ifcap ? s->ifcap * 2 : 8;
		struct tp_iface *ni = realloc(s->ifs, cap * sizeof *ni);
		if (!ni)
			return damaged(s, at, "out of memory");
		s->ifs = ni;
		s->ifcap = cap;
	}
	struct tp_iface *ifc = &s->ifs[s->nifs++];
	memset(ifc, 0, sizeof *ifc);
	ifc->linktype = rd16(s, b);
	ifc->snaplen = rd32(s, b + 4);
	ifc->res_exp = 6;
	idb_options(s, ifc, b + 8, n - 8);
	if (s->linktype < 0)
		s->linktype = ifc->linktype;
	return TP_RD_PACKET;
}

static tp_rd ng_packet(tp_source *s, uint32_t type, uint64_t at,
		       const uint8_t *b, size_t n, tp_pkthdr *h,
		       const uint8_t **data)
{
	uint32_t ifid, caplen, len;
	uint64_t ts = 0;
	size_t hdr;
	if (type == PCAPNG_SPB) {
		if (n < 4)
			return damaged(s, at, "simple packet block too short");
		ifid = 0;
		len = rd32(s, b);
		hdr = 4;
		caplen = len;
		if (s->nifs && s->ifs[0].snaplen && caplen > s->ifs[0].snaplen)
			caplen = s->ifs[0].snaplen;
		if (caplen > n - hdr)
			caplen = (uint32_t)(n - hdr);
	} else {
		hdr = 20;
		if (n < hdr)
			return damaged(s, at, "packet block too short");
		if (type == PCAPNG_OPB) {
			ifid = rd16(s, b);
		} else {
			ifid = rd32(s, b);
		}
		ts = (uint64_t)rd32(s, b + 4) << 32 | rd32(s, b + 8);
		caplen = rd32(s, b + 12);
		len = rd32(s, b + 16);
		if (caplen > n - hdr)
			return damaged(s, at,
				       "packet block claims %u captured bytes "
				       "but holds %zu",
				       caplen, n - hdr);
	}
	if (ifid >= s->nifs)
		return damaged(s, at,
			       "packet block names interface %u, but %zu %s "
			       "defined",
			       ifid, s->nifs,
			       s->nifs == 1 ? "is" : "are");
	const struct tp_iface *ifc = &s->ifs[ifid];
	ng_time(ifc, ts, &h->sec, &h->nsec);
	h->caplen = caplen;
	h->len = len;
	h->linktype = ifc->linktype;
	h->ifindex = ifid;
	h->bad_frac = 0;
	h->bad_frac_unit = 0; /* computed: always in range */
	*data = b + hdr;
	return TP_RD_PACKET;
}

static tp_rd ng_next(tp_source *s, tp_pkthdr *h, const uint8_t **data)
{
	for (;;) {
		uint8_t bh[12];
		uint64_t at = s->off;
		long r = readn(s, bh, 8);
		if (r < 0)
			return damaged(s, at, "%s", s->err);
		if (r == 0)
			return TP_RD_EOF;
		if (r < 8)
			return damaged(s, at,
				       "truncated block header (%ld of 8 bytes)",
				       r);
		uint32_t type = rd32(s, bh);
		size_t have = 8;
		if (type == PCAPNG_SHB) {
			r = readn(s, bh + 8, 4);
			if (r < 4)
				return damaged(s, at,
					       "truncated section header");
			have = 12;
			uint32_t bom = (uint32_t)bh[8] | (uint32_t)bh[9] << 8 |
				       (uint32_t)bh[10] << 16 |
				       (uint32_t)bh[11] << 24;
			if (bom == PCAPNG_BOM)
				s->big = false;
			else if (bom == bswap32(PCAPNG_BOM))
				s->big = true;
			else
				return damaged(s, at,
					       "section header with a bad "
					       "byte-order magic");
		}
		uint32_t tlen = rd32(s, bh + 4);
		if (tlen < 12 || tlen % 4 != 0)
			return damaged(s, at, "block length %u is invalid",
				       tlen);
		if (tlen > TP_MAX_BLOCK)
			return damaged(s, at,
				       "block claims %u bytes, more than the "
				       "limit of %u",
				       tlen, TP_MAX_BLOCK);
		size_t rest = tlen - have; /* body + trailing length */
		if (!ensure_buf(s, rest))
			return damaged(s, at, "out of memory");
		memcpy(s->buf, bh + 8, have - 8);
		r = readn(s, s->buf + (have - 8), rest - (have - 8));
		if (r < 0)
			return damaged(s, at, "%s", s->err);
		if ((size_t)r < rest - (have - 8))
			return damaged(s, at,
				       "truncated block (%zu of %u bytes)",
				       have + (size_t)r, tlen);
		if (rd32(s, s->buf + rest - 4) != tlen)
			return damaged(s, at,
				       "block length %u does not match its "
				       "trailing copy",
				       tlen);
		const uint8_t *body = s->buf;
		size_t n = rest - 4;
		tp_rd rc = TP_RD_PACKET;
		switch (type) {
		case PCAPNG_SHB:
			/* body starts after the BOM we already consumed */
			if (n < 16)
				return damaged(s, at, "section header too short");
			if (rd16(s, body + 4) != 1)
				return damaged(s, at,
					       "section header version %u is not "
					       "supported",
					       rd16(s, body + 4));
			rc = ng_shb(s, at, body, n);
			break;
		case PCAPNG_IDB:
			rc = ng_idb(s, at, body, n);
			break;
		case PCAPNG_EPB:
		case PCAPNG_SPB:
		case PCAPNG_OPB:
			return ng_packet(s, type, at, body, n, h, data);
		default:
			break; /* NRB, ISB, DSB, custom: not needed */
		}
		if (rc != TP_RD_PACKET)
			return rc;
	}
}

/* ---- open ---------------------------------------------------------- */

tp_source *tp_source_open_file(const char *path, char *err, size_t errlen)
{
	int fd;
	if (strcmp(path, "-") == 0)
		fd = dup(0);
	else
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	return tp_source_open_fd(fd, path, err, errlen);
}

/* Start reading the capture file open on fd (taken over). */
static int file_begin(tp_source *s, int fd, const char *path, char *err,
		      size_t errlen)
{
	s->linktype = -1;
	s->name = path;
	/* A plain regular file: read in blocks, on a thread when allowed;
	 * gzip and pipes go through zlib. */
	struct stat st;
	uint8_t gzm[2];
	off_t at = lseek(fd, 0, SEEK_CUR);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && at >= 0 &&
	    !(pread(fd, gzm, 2, at) == 2 && gzm[0] == 0x1f && gzm[1] == 0x8b)) {
		s->ra = tp_ra_new(fd, read_thread);
		if (!s->ra) {
			close(fd);
			snprintf(err, errlen, "%s: out of memory", path);
			return -1;
		}
	} else
		s->gz = gzdopen(fd, "rb");
	if (!s->ra && !s->gz) {
		close(fd);
		snprintf(err, errlen, "%s: cannot read", path);
		return -1;
	}
	s->fd = fd;
	if (s->gz)
		gzbuffer(s->gz, 256 * 1024);
	uint8_t m[4];
	long r = readn(s, m, 4);
	s->gzip = s->gz && !gzdirect(s->gz);
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", path, s->err);
		return -1;
	}
	if (r < 4) {
		snprintf(err, errlen, "%s: empty or too short to be a capture "
				      "file (%ld bytes)",
			 path, r);
		return -1;
	}
	uint32_t le = (uint32_t)m[0] | (uint32_t)m[1] << 8 |
		      (uint32_t)m[2] << 16 | (uint32_t)m[3] << 24;
	uint32_t be = bswap32(le);
	if (le == PCAPNG_SHB) {
		s->fmt = TP_FMT_PCAPNG;
		/* Re-read the SHB through the block loop: push back by
		 * handling it as the first block. */
		s->pending_shb = true;
	} else if (le == PCAP_MAGIC_US || le == PCAP_MAGIC_NS ||
		   le == PCAP_MAGIC_KUZ || be == PCAP_MAGIC_US ||
		   be == PCAP_MAGIC_NS || be == PCAP_MAGIC_KUZ) {
		if (pcap_header(s, le) < 0) {
			snprintf(err, errlen,
				 "%s: truncated pcap file header", path);
			return -1;
		}
	} else {
		snprintf(err, errlen,
			 "%s: not a pcap or pcapng file (magic %02x%02x%02x%02x)",
			 path, m[0], m[1], m[2], m[3]);
		return -1;
	}
	return 0;
}

tp_source *tp_source_open_fd(int fd, const char *path, char *err,
			     size_t errlen)
{
	tp_source *s = calloc(1, sizeof *s);
	if (!s) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	s->ops = &tp_file_ops;
	s->fd = -1;
	if (file_begin(s, fd, path, err, errlen) < 0) {
		tp_source_close(s);
		return NULL;
	}
	return s;
}

int tp_capfile_switch(tp_source *s, int fd, const char *path)
{
	tp_capfile_close(s);
	s->buf = NULL;
	s->bufcap = 0;
	s->ifs = NULL;
	s->nifs = s->ifcap = 0;
	s->dead = s->pending_shb = s->big = false;
	s->off = 0;
	s->snaplen = 0;
	char err[sizeof s->err];
	/* The next file of a list is begun after the sandbox is entered,
	 * which refuses new threads: it is read on this one. */
	bool ra = read_thread;
	read_thread = false;
	int r = file_begin(s, fd, path, err, sizeof err);
	read_thread = ra;
	if (r == 0)
		return 0;
	snprintf(s->err, sizeof s->err, "%s", err);
	s->dead = true;
	s->fmt = TP_FMT_LIVE; /* no file header read: no warning about it */
	return -1;
}

tp_rd tp_capfile_next(tp_source *s, tp_pkthdr *h, const uint8_t **data)
{
	if (s->dead)
		return TP_RD_DAMAGED;
	if (s->fmt == TP_FMT_PCAPNG) {
		if (s->pending_shb) {
			/* The magic is consumed; rebuild the 8-byte header
			 * path by reading the length and BOM here. */
			s->pending_shb = false;
			uint8_t b[8];
			uint64_t at = 0;
			long r = readn(s, b, 8);
			if (r < 8)
				return damaged(s, at, "truncated section header");
			uint32_t bom = (uint32_t)b[4] | (uint32_t)b[5] << 8 |
				       (uint32_t)b[6] << 16 |
				       (uint32_t)b[7] << 24;
			if (bom == PCAPNG_BOM)
				s->big = false;
			else if (bom == bswap32(PCAPNG_BOM))
				s->big = true;
			else
				return damaged(s, at, "section header with a "
						      "bad byte-order magic");
			uint32_t tlen = rd32(s, b);
			if (tlen < 28 || tlen % 4 != 0 || tlen > TP_MAX_BLOCK)
				return damaged(s, at,
					       "section header length %u is "
					       "invalid",
					       tlen);
			size_t rest = tlen - 12;
			if (!ensure_buf(s, rest))
				return damaged(s, at, "out of memory");
			r = readn(s, s->buf, rest);
			if (r < 0 || (size_t)r < rest)
				return damaged(s, at, "truncated section header");
			if (rd32(s, s->buf + rest - 4) != tlen)
				return damaged(s, at,
					       "block length %u does not match "
					       "its trailing copy",
					       tlen);
			if (rd16(s, s->buf) != 1)
				return damaged(s, at,
					       "section header version %u is "
					       "not supported",
					       rd16(s, s->buf));
			s->nifs = 0;
		}
		return ng_next(s, h, data);
	}
	return pcap_next_rec(s, h, data);
}

void tp_capfile_close(tp_source *s)
{
	if (s->gz)
		gzclose(s->gz);
	s->gz = NULL;
	if (s->ra) {
		tp_ra_free(s->ra);
		close(s->fd);
	}
	s->ra = NULL;
	s->fd = -1;
	free(s->buf);
	free(s->ifs);
}

const char *tp_capfile_warning(const tp_source *s, char *buf, size_t n)
{
	if (s->fmt != TP_FMT_PCAP && s->fmt != TP_FMT_PCAP_NSEC &&
	    s->fmt != TP_FMT_PCAP_KUZNETZOV)
		return NULL;
	if (s->snaplen == 0)
		snprintf(buf, n, "the file header gives snaplen 0; read as %u",
			 TP_MAX_SNAPLEN);
	else if (s->over_snaplen)
		snprintf(buf, n,
			 "%llu records are longer than the file's snaplen of "
			 "%u bytes (kept whole)",
			 (unsigned long long)s->over_snaplen, s->snaplen);
	else
		return NULL;
	return buf;
}
