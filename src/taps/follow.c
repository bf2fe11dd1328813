/* follow.c - --follow (one conversation, reassembled) and --export-streams
 * (every stream direction as a file): the two stream taps.
 *
 * Follow prints what `tshark -q -z follow,PROTO,MODE,N` prints: the
 * banner, "Node 0" and "Node 1", then one chunk per delivery in capture
 * order, node 1's chunks indented by a tab; ascii (a byte count line, then
 * the bytes with non-printing ones as '.'), hex (offset per direction,
 * 16 bytes a line, as tshark), hexraw (tshark's "raw": the bytes as hex,
 * one line per chunk), or raw (the bytes themselves, nothing else).
 * tshark's node 0 is the sender of the stream's first packet; tapir's
 * client is the sender of the first SYN.  With --direction the client is
 * tapir's; without it (and with -z) node 0 is tshark's.
 *
 * Gaps (bytes the capture does not have) are never hidden: the text modes
 * print "[N bytes missing in capture file]" (Wireshark's words) where they
 * are; raw cannot mark them in the bytes, so the total goes to stderr.
 *
 * Export names each file tcpflow-style with the stream number first:
 * "tcp-000007-010.099.000.001.37350-010.099.000.002.08000" holds what
 * 10.99.0.1:37350 sent in tcp.stream 7 (IPv6 groups are dotted too: no
 * colons in file names).  Bytes are written at their stream offset, so a
 * gap is a hole (zeros when read); index.tsv lists every file with its
 * byte and gap counts.  At most the descriptor limit less a margin (16 to
 * 4096) files are open at once, least recently written closed first, so
 * 100 000 flows never run out of file descriptors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "tapir/engine.h"
#include "tapir/follow.h"
#include "tapir/output.h"

/* ---- parsing ----------------------------------------------------------- */

static bool parse_u32(const char *s, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v > 0xffffffffu)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* "10.0.0.1:80" or "[fd00::1]:80" */
static bool parse_endpoint(const char *s, uint8_t *family, uint8_t *addr,
			   uint16_t *port)
{
	char host[64];
	const char *colon;
	if (*s == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof host)
			return false;
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= sizeof host)
			return false;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
	}
	uint32_t p;
	if (!parse_u32(colon + 1, &p) || p > 65535)
		return false;
	*port = (uint16_t)p;
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, host, addr) == 1) {
		*family = 4;
		return true;
	}
	if (inet_pton(AF_INET6, host, addr) == 1) {
		*family = 6;
		return true;
	}
	return false;
}

static int parse_tuple(const char *proto_end, tp_follow_spec *s)
{
	/* ",A:P,B:P" */
	const char *a = proto_end;
	if (*a != ',')
		return -1;
	a++;
	const char *comma = a;
	/* the separator is the comma after the first endpoint's port */
	if (*a == '[') {
		comma = strchr(a, ']');
		if (!comma)
			return -1;
	}
	comma = strchr(comma, ',');
	if (!comma)
		return -1;
	char first[80];
	if ((size_t)(comma - a) >= sizeof first)
		return -1;
	memcpy(first, a, (size_t)(comma - a));
	first[comma - a] = '\0';
	uint8_t f1, f2;
	if (!parse_endpoint(first, &f1, s->addr[0], &s->port[0]) ||
	    !parse_endpoint(comma + 1, &f2, s->addr[1], &s->port[1]) ||
	    f1 != f2)
		return -1;
	s->family = f1;
	s->by_stream = false;
	return 0;
}

int tp_follow_parse(const char *e, tp_follow_spec *s)
{
	memset(s, 0, sizeof *s);
	if (strncmp(e, "tcp", 3) == 0)
		s->proto = 6;
	else if (strncmp(e, "udp", 3) == 0)
		s->proto = 17;
	else
		return -1;
	e += 3;
	if (!*e) { /* the streams -Y selects */
		s->any = true;
		return 0;
	}
	if (*e == ',')
		return parse_tuple(e, s);
	if (strncmp(e, ".stream", 7) != 0)
		return -1;
	e += 7;
	while (*e == ' ')
		e++;
	if (strncmp(e, "==", 2) == 0)
		e += 2;
	else if (strncmp(e, "eq", 2) == 0)
		e += 2;
	else
		return -1;
	while (*e == ' ')
		e++;
	if (!parse_u32(e, &s->stream))
		return -1;
	s->by_stream = true;
	return 0;
}

int tp_follow_parse_fmt(const char *name, tp_follow_fmt *f)
{
	static const char *names[] = {"ascii", "hex", "raw", "hexraw"};
	for (int i = 0; i < 4; i++)
		if (strcmp(name, names[i]) == 0) {
			*f = (tp_follow_fmt)i;
			return 0;
		}
	return -1;
}

/* tshark: follow,tcp,ascii,N  |  follow,tcp,hex,A:P,B:P */
int tp_follow_parse_z(const char *arg, tp_follow_spec *s)
{
	char buf[256];
	size_t alen = strlen(arg);
	if (alen >= sizeof buf || strncmp(arg, "follow,", 7) != 0)
		return -1;
	memcpy(buf, arg + 7, alen - 7 + 1);
	char *proto = buf, *mode = strchr(buf, ',');
	if (!mode)
		return -1;
	*mode++ = '\0';
	char *rest = strchr(mode, ',');
	if (!rest)
		return -1;
	*rest++ = '\0';
	tp_follow_fmt fmt = TP_FOLLOW_ASCII;
	if (strcmp(mode, "raw") == 0)
		fmt = TP_FOLLOW_HEXRAW; /* tshark's raw is hex */
	else if (strcmp(mode, "ascii") == 0 || strcmp(mode, "hex") == 0)
		tp_follow_parse_fmt(mode, &fmt);
	else
		return -1;
	char expr[300];
	if (strcmp(proto, "tcp") && strcmp(proto, "udp"))
		return -1;
	if (strchr(rest, ','))
		snprintf(expr, sizeof expr, "%s,%s", proto, rest);
	else
		snprintf(expr, sizeof expr, "%s.stream==%s", proto, rest);
	if (tp_follow_parse(expr, s))
		return -1;
	s->fmt = fmt;
	s->tshark_z = true;
	return 0;
}

/* ---- follow ------------------------------------------------------------ */

/* Where tshark cuts a TCP stream into chunks (Wireshark 4.0,
 * epan/dissectors/packet-tcp.c, follow_tcp_tap_listener and
 * check_follow_fragments): one chunk per segment that brings new bytes
 * in order (only its new part); a segment ahead of the next expected
 * byte waits in a list, in capture order, and goes out as a chunk of
 * its own once the stream reaches it (the first waiting segment that
 * starts at or before the next expected byte, the list scanned again
 * after each).  An ACK from the other side past the lowest waiting
 * segment gives up the hole in front of it.  The first packet of a
 * direction, whatever it carries, sets its first expected byte.
 *
 * That rule is replayed here on the segments' numbers only (the `seg`
 * list); it yields a list of cuts, in tshark's order, each "print
 * direction d up to stream offset e".  The bytes printed are still the
 * reassembler's (data and gap calls), held until a cut reaches them:
 * where tshark drops data (after a hole nobody acknowledged) or prints
 * its marker as if it were stream bytes, tapir keeps its own bytes and
 * gap lines.  Memory is capped: past FOLLOW_HOLD bytes or FOLLOW_ITEMS
 * pieces held, or FOLLOW_SEGS waiting segments, everything held is
 * printed and the rest of the stream as the reassembler delivers it. */
#define FOLLOW_HOLD (4u << 20)
#define FOLLOW_SEGS 8192
#define FOLLOW_CUTS (1u << 20)
#define FOLLOW_ITEMS 65536

typedef struct fitem {     /* held bytes (or a gap) of one direction */
	struct fitem *next;
	bool gap;
	uint64_t off, n;       /* stream offset of the first unprinted byte */
	uint8_t *mem, *b;      /* data: b within mem, n bytes */
	size_t cap;
} fitem;

typedef struct fseg {
	uint32_t seq, len;
} fseg;

typedef struct fsim {      /* tshark's follow state of one direction */
	bool init, off_ok;
	uint32_t exp;          /* next expected sequence number */
	uint64_t exp_off;      /* its stream offset (once off_ok) */
	fseg *seg;             /* waiting segments, in capture order */
	size_t nseg, capseg;
} fsim;

typedef struct fcut {
	uint64_t end;
	uint8_t dir;
} fcut;

struct tp_follow {
	tp_follow_spec spec;
	FILE *out;
	tp_stream_tap tap;
	bool matched, ended, headed;
	uint32_t stream;       /* the matched flow's stream number */
	const tp_flow *flow;
	tp_flow copy;          /* for the banner, once the flow is gone */
	uint64_t hexoff[2];    /* per node */
	uint64_t missing;
	/* TCP chunking (above) */
	bool direct;           /* no (more) cuts: print as delivered */
	fsim sim[2];           /* by flow direction */
	fitem *head[2], *tail[2];
	uint64_t pos[2];       /* offset printed up to */
	bool started[2];
	size_t held;           /* bytes in the fitems */
	size_t nitems;         /* fitems (gaps count too) */
	fcut *cut;             /* a ring */
	size_t ncut, cut0, capcut;
};

static void put_endpoint(FILE *o, const tp_flow *f, int side)
{
	char a[INET6_ADDRSTRLEN];
	bool v6 = f->key.family == 6;
	inet_ntop(v6 ? AF_INET6 : AF_INET, f->key.addr[side], a, sizeof a);
	fprintf(o, v6 ? "[%s]:%u" : "%s:%u", a, f->key.port[side]);
}

static void banner_line(FILE *o)
{
	fputs("===================================================================\n",
	      o);
}

static const char *fmt_name(tp_follow_fmt f)
{
	switch (f) {
	case TP_FOLLOW_ASCII:
		return "ascii";
	case TP_FOLLOW_HEX:
		return "hex";
	default:
		return "raw";
	}
}

static void header(tp_follow *fo, const tp_flow *f)
{
	if (fo->headed || fo->spec.fmt == TP_FOLLOW_RAW)
		return;
	fo->headed = true;
	const char *proto = fo->spec.proto == 6 ? "tcp" : "udp";
	fputs("\n", fo->out);
	banner_line(fo->out);
	fprintf(fo->out, "Follow: %s,%s\n", proto, fmt_name(fo->spec.fmt));
	fprintf(fo->out, "Filter: %s.stream eq %u\n", proto, fo->stream);
	int n0 = f ? (fo->spec.dir == TP_DIR_BOTH ? f->first_side : f->client)
		   : 0;
	fputs("Node 0: ", fo->out);
	if (f)
		put_endpoint(fo->out, f, n0);
	else
		fputs(":0", fo->out);
	fputs("\nNode 1: ", fo->out);
	if (f)
		put_endpoint(fo->out, f, !n0);
	else
		fputs(":0", fo->out);
	fputs("\n", fo->out);
}

static bool tuple_match(const tp_follow_spec *s, const tp_flow *f)
{
	if (f->key.family != s->family)
		return false;
	for (int side = 0; side < 2; side++)
		if (memcmp(f->key.addr[side], s->addr[0], 16) == 0 &&
		    f->key.port[side] == s->port[0] &&
		    memcmp(f->key.addr[!side], s->addr[1], 16) == 0 &&
		    f->key.port[!side] == s->port[1])
			return true;
	return false;
}

static bool fo_want(void *ctx, const tp_flow *f)
{
	tp_follow *fo = ctx;
	if (f->key.proto != fo->spec.proto)
		return false;
	if (fo->matched)
		return f == fo->flow && f->stream == fo->stream;
	bool m = fo->spec.by_stream ? f->stream == fo->spec.stream
				    : tuple_match(&fo->spec, f);
	if (m) {
		fo->matched = true;
		fo->flow = f;
		fo->stream = f->stream;
		fo->copy = *f;
	}
	return m;
}

/* node 0 or 1 of a flow direction (0 client->server) */
static int node_of(const tp_follow *fo, const tp_flow *f, int dir)
{
	int side = dir == 0 ? f->client : !f->client;
	int n0 = fo->spec.dir == TP_DIR_BOTH ? f->first_side : f->client;
	return side == n0 ? 0 : 1;
}

static bool shown(const tp_follow *fo, int dir)
{
	return fo->spec.dir == TP_DIR_BOTH ||
	       (fo->spec.dir == TP_DIR_CLIENT && dir == 0) ||
	       (fo->spec.dir == TP_DIR_SERVER && dir == 1);
}

static bool mine(const tp_follow *fo, const tp_flow *f)
{
	return fo->matched && !fo->ended && f == fo->flow &&
	       f->stream == fo->stream;
}

static void put_ascii(FILE *o, const uint8_t *b, size_t n)
{
	char line[4096];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = b[i];
		/* tshark: \r and \n as they are, every other byte outside
		 * g_ascii_isprint() (TAB too) as '.' */
		line[k++] = (ch >= 0x20 && ch < 0x7f) || ch == '\n' ||
					    ch == '\r'
				    ? (char)ch
				    : '.';
		if (k == sizeof line) {
			fwrite(line, 1, k, o);
			k = 0;
		}
	}
	fwrite(line, 1, k, o);
}

static void put_hex(FILE *o, const uint8_t *b, size_t n, uint64_t *off,
		    bool indent)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i += 16) {
		char line[128];
		size_t k = 0;
		if (indent)
			line[k++] = '\t';
		k += (size_t)snprintf(line + k, sizeof line - k, "%08llX  ",
				      (unsigned long long)(*off + i));
		size_t m = n - i < 16 ? n - i : 16;
		for (size_t j = 0; j < 16; j++) {
			if (j < m) {
				line[k++] = hx[b[i + j] >> 4];
				line[k++] = hx[b[i + j] & 15];
				line[k++] = ' ';
			} else {
				line[k++] = ' ';
				line[k++] = ' ';
				line[k++] = ' ';
			}
			if (j == 7)
				line[k++] = ' ';
		}
		line[k++] = ' ';
		for (size_t j = 0; j < m; j++) {
			uint8_t ch = b[i + j];
			line[k++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '.';
			if (j == 7)
				line[k++] = ' ';
		}
		/* tshark drops one space at the end of the line: the one
		 * after the 8th byte, or else a space byte's own */
		if (line[k - 1] == ' ')
			k--;
		line[k++] = '\n';
		fwrite(line, 1, k, o);
	}
	*off += n;
}

/* One chunk of flow direction `dir`, as tshark prints it. */
static void emit_chunk(tp_follow *fo, int dir, const uint8_t *b, size_t n)
{
	header(fo, &fo->copy);
	if (!shown(fo, dir) || n == 0)
		return;
	int node = node_of(fo, &fo->copy, dir);
	FILE *o = fo->out;
	switch (fo->spec.fmt) {
	case TP_FOLLOW_RAW:
		fwrite(b, 1, n, o);
		break;
	case TP_FOLLOW_ASCII:
		fprintf(o, "%s%zu\n", node ? "\t" : "", n);
		put_ascii(o, b, n);
		fputc('\n', o);
		break;
	case TP_FOLLOW_HEX:
		put_hex(o, b, n, &fo->hexoff[node], node == 1);
		break;
	case TP_FOLLOW_HEXRAW: {
		static const char hx[] = "0123456789abcdef";
		if (node)
			fputc('\t', o);
		char buf[2048];
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			buf[k++] = hx[b[i] >> 4];
			buf[k++] = hx[b[i] & 15];
			if (k == sizeof buf) {
				fwrite(buf, 1, k, o);
				k = 0;
			}
		}
		fwrite(buf, 1, k, o);
		fputc('\n', o);
		break;
	}
	}
}

static void emit_gap(tp_follow *fo, int dir, uint64_t n)
{
	header(fo, &fo->copy);
	if (!shown(fo, dir) || n == 0)
		return;
	fo->missing += n;
	if (fo->spec.fmt == TP_FOLLOW_RAW)
		return;
	int node = node_of(fo, &fo->copy, dir);
	if (fo->spec.fmt == TP_FOLLOW_HEX)
		fo->hexoff[node] += n;
	fprintf(fo->out, "%s[%llu bytes missing in capture file]\n",
		node ? "\t" : "", (unsigned long long)n);
}

/* Print direction dir's held bytes up to stream offset `end`: each run
 * of bytes one chunk, a gap its line (whole, even past `end`). */
static void print_upto(tp_follow *fo, int dir, uint64_t end)
{
	while (fo->head[dir] && fo->pos[dir] < end) {
		fitem *it = fo->head[dir];
		uint64_t k = it->n;
		if (it->gap) {
			emit_gap(fo, dir, k);
		} else {
			if (k > end - fo->pos[dir])
				k = end - fo->pos[dir];
			emit_chunk(fo, dir, it->b, (size_t)k);
			it->b += k;
			fo->held -= (size_t)k;
		}
		it->off += k;
		it->n -= k;
		fo->pos[dir] = it->off;
		if (it->n == 0) {
			fo->head[dir] = it->next;
			if (!it->next)
				fo->tail[dir] = NULL;
			fo->nitems--;
			free(it->mem);
			free(it);
		}
	}
}

/* Print every cut whose bytes have all come, in order; stop at the
 * first that waits for the reassembler. */
static void print_cuts(tp_follow *fo)
{
	while (fo->ncut) {
		const fcut *c = &fo->cut[fo->cut0];
		int d = c->dir;
		uint64_t have = fo->tail[d] ? fo->tail[d]->off + fo->tail[d]->n
					    : fo->pos[d];
		if (have < c->end)
			return;
		print_upto(fo, d, c->end);
		fo->cut0 = (fo->cut0 + 1) % fo->capcut;
		fo->ncut--;
	}
}

/* Print all that is held: the cuts as far as their bytes go, then the
 * rest of each direction; from then on bytes are printed as they come
 * (the end of the stream, or a cap reached). */
static void drain(tp_follow *fo)
{
	while (fo->ncut) {
		const fcut *c = &fo->cut[fo->cut0];
		print_upto(fo, c->dir, c->end);
		fo->cut0 = (fo->cut0 + 1) % fo->capcut;
		fo->ncut--;
	}
	for (int d = 0; d < 2; d++)
		print_upto(fo, d, UINT64_MAX);
	for (int d = 0; d < 2; d++) {
		free(fo->sim[d].seg);
		fo->sim[d].seg = NULL;
		fo->sim[d].nseg = fo->sim[d].capseg = 0;
	}
	free(fo->cut);
	fo->cut = NULL;
	fo->capcut = fo->cut0 = 0;
	fo->direct = true;
}

/* Keep n bytes (or a gap of n) of direction dir at offset off. */
static void hold(tp_follow *fo, int dir, uint64_t off, const uint8_t *b,
		 uint64_t n)
{
	if (!fo->started[dir]) {
		fo->started[dir] = true;
		fo->pos[dir] = off;
	}
	fitem *t = fo->tail[dir];
	if (b && t && !t->gap && t->off + t->n == off) {
		size_t used = (size_t)(t->b - t->mem) + (size_t)t->n;
		if (used + n > t->cap) { /* move to the front, then grow */
			memmove(t->mem, t->b, (size_t)t->n);
			t->b = t->mem;
			used = (size_t)t->n;
			size_t want = t->cap * 2;
			while (want < used + n)
				want *= 2;
			uint8_t *nm = realloc(t->mem, want);
			if (!nm) {
				drain(fo);
				emit_chunk(fo, dir, b, (size_t)n);
				return;
			}
			t->mem = t->b = nm;
			t->cap = want;
		}
		memcpy(t->mem + used, b, (size_t)n);
		t->n += n;
		fo->held += (size_t)n;
		return;
	}
	fitem *it = calloc(1, sizeof *it);
	size_t cap = b ? (n > 4096 ? (size_t)n : 4096) : 0;
	if (it && b && !(it->mem = malloc(cap))) {
		free(it);
		it = NULL;
	}
	if (!it) { /* no memory: print what is held, then this */
		drain(fo);
		if (b)
			emit_chunk(fo, dir, b, (size_t)n);
		else
			emit_gap(fo, dir, n);
		return;
	}
	it->gap = !b;
	it->off = off;
	it->n = n;
	if (b) {
		memcpy(it->mem, b, (size_t)n);
		it->b = it->mem;
		it->cap = cap;
		fo->held += (size_t)n;
	}
	if (t)
		t->next = it;
	else
		fo->head[dir] = it;
	fo->tail[dir] = it;
	fo->nitems++;
}

/* Bytes (b != NULL) or a gap of n from the reassembler: UDP and the
 * fallback print them at once, TCP holds them for tshark's cuts. */
static void take(tp_follow *fo, const tp_flow *f, int dir, uint64_t off,
		 const uint8_t *b, uint64_t n)
{
	if (!mine(fo, f))
		return;
	fo->copy = *f;
	header(fo, f);
	if (n == 0)
		return;
	if (f->key.proto == 6 && !fo->direct) {
		hold(fo, dir, off, b, n);
		if (fo->held > FOLLOW_HOLD || fo->nitems > FOLLOW_ITEMS)
			drain(fo);
	} else if (b) {
		emit_chunk(fo, dir, b, (size_t)n);
	} else {
		emit_gap(fo, dir, n);
	}
}

static void fo_data(void *ctx, const tp_flow *f, int dir, uint64_t off,
		    const uint8_t *b, size_t n, const struct tp_pkt *p)
{
	(void)p;
	take(ctx, f, dir, off, b, n);
}

static void fo_gap(void *ctx, const tp_flow *f, int dir, uint64_t off,
		   uint64_t n)
{
	take(ctx, f, dir, off, NULL, n);
}

/* ---- tshark's cuts, replayed ---- */

static bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }

/* tshark's next chunk of direction d: `n` bytes (or a hole of n), its
 * expected sequence number moving by `adv`. */
static void cut(tp_follow *fo, int d, const tp_tcpseg *g, uint64_t n,
		uint32_t adv)
{
	fsim *S = &fo->sim[d];
	if (!S->off_ok) {
		int32_t rel = (int32_t)(S->exp - g->base[d]);
		if (!g->base_set[d] || rel < 0) {
			drain(fo); /* numbers the reassembler does not share */
			return;
		}
		S->off_ok = true;
		S->exp_off = (uint64_t)rel;
	}
	if (fo->ncut == fo->capcut) {
		size_t nc = fo->capcut ? fo->capcut * 2 : 64;
		fcut *c = nc <= FOLLOW_CUTS ? malloc(nc * sizeof *c) : NULL;
		if (!c) {
			drain(fo);
			return;
		}
		for (size_t i = 0; i < fo->ncut; i++)
			c[i] = fo->cut[(fo->cut0 + i) % fo->capcut];
		free(fo->cut);
		fo->cut = c;
		fo->cut0 = 0;
		fo->capcut = nc;
	}
	fo->cut[(fo->cut0 + fo->ncut++) % fo->capcut] =
		(fcut){S->exp_off + n, (uint8_t)d};
	S->exp += adv;
	S->exp_off += adv;
}

/* check_follow_fragments: place one waiting segment of direction d, or
 * give up the hole before them when `ack` (use_ack) passes the lowest.
 * Returns whether something changed (tshark calls it again then). */
static bool place_one(tp_follow *fo, int d, const tp_tcpseg *g, bool use_ack,
		      uint32_t ack)
{
	fsim *S = &fo->sim[d];
	if (!S->nseg)
		return false;
	uint32_t lowest = S->seg[0].seq;
	for (size_t i = 0; i < S->nseg; i++) {
		fseg x = S->seg[i];
		if (seq_lt(x.seq, lowest))
			lowest = x.seq;
		if (seq_lt(x.seq, S->exp) || x.seq == S->exp) {
			uint32_t skip = S->exp - x.seq; /* 0 when it fits */
			memmove(S->seg + i, S->seg + i + 1,
				(S->nseg - i - 1) * sizeof *S->seg);
			S->nseg--;
			if (seq_lt(S->exp, x.seq + x.len) && x.len > skip)
				cut(fo, d, g, x.len - skip, x.len - skip);
			return true;
		}
	}
	if (use_ack && seq_lt(lowest, ack)) {
		cut(fo, d, g, lowest - S->exp, lowest - S->exp);
		return true;
	}
	return false;
}

static void fo_segment(void *ctx, const tp_flow *f, int dir,
		       const tp_tcpseg *g)
{
	tp_follow *fo = ctx;
	if (!mine(fo, f) || fo->direct)
		return;
	fo->copy = *f;
	/* this segment's ACK may give up a hole of the other side first */
	if (g->flags & 0x10)
		while (!fo->direct && place_one(fo, !dir, g, true, g->ack))
			;
	fsim *S = &fo->sim[dir];
	uint32_t seq = g->seq + ((g->flags & 0x02) ? 1 : 0);
	if (!S->init) {
		S->init = true;
		S->exp = seq;
	}
	uint32_t len = g->seglen, n = g->caplen;
	if (seq_lt(seq, S->exp) && seq_lt(S->exp, seq + len)) {
		uint32_t skip = S->exp - seq; /* a retransmission with more */
		n = n > skip ? n - skip : 0;
		len -= skip;
		seq = S->exp;
	}
	if (!fo->direct && n && !seq_lt(seq, S->exp)) {
		if (seq == S->exp) {
			cut(fo, dir, g, n, len);
			while (!fo->direct && place_one(fo, dir, g, false, 0))
				;
		} else if (S->nseg < FOLLOW_SEGS) {
			if (S->nseg == S->capseg) {
				size_t nc = S->capseg ? S->capseg * 2 : 16;
				fseg *ns = realloc(S->seg, nc * sizeof *ns);
				if (!ns) {
					drain(fo);
					return;
				}
				S->seg = ns;
				S->capseg = nc;
			}
			S->seg[S->nseg++] = (fseg){seq, n};
		} else {
			drain(fo);
		}
	}
	if (!fo->direct)
		print_cuts(fo);
}

static void fo_end(void *ctx, const tp_flow *f)
{
	tp_follow *fo = ctx;
	if (mine(fo, f)) {
		drain(fo);
		fo->ended = true;
	}
}

tp_follow *tp_follow_new(const tp_follow_spec *s, FILE *out)
{
	tp_follow *fo = calloc(1, sizeof *fo);
	if (!fo)
		return NULL;
	fo->spec = *s;
	fo->out = out;
	fo->tap = (tp_stream_tap){.want = fo_want,
				  .data = fo_data,
				  .gap = fo_gap,
				  .end = fo_end,
				  .ctx = fo,
				  .segment = fo_segment};
	return fo;
}

const tp_stream_tap *tp_follow_tap(tp_follow *fo) { return &fo->tap; }

int tp_follow_finish(tp_follow *fo)
{
	if (!fo->matched) {
		if (fo->spec.by_stream)
			fprintf(stderr, "tapir: no %s.stream %u in the capture\n",
				fo->spec.proto == 6 ? "tcp" : "udp",
				fo->spec.stream);
		else
			fprintf(stderr, "tapir: no %s conversation between "
					"those endpoints in the capture\n",
				fo->spec.proto == 6 ? "tcp" : "udp");
		return -1;
	}
	drain(fo);
	header(fo, &fo->copy);
	if (fo->spec.fmt != TP_FOLLOW_RAW)
		banner_line(fo->out);
	else if (fo->missing)
		fprintf(stderr,
			"tapir: %llu bytes of the stream are missing in the "
			"capture (not in the output)\n",
			(unsigned long long)fo->missing);
	fflush(fo->out);
	return 0;
}

void tp_follow_free(tp_follow *fo)
{
	if (!fo)
		return;
	for (int d = 0; d < 2; d++) {
		free(fo->sim[d].seg);
		while (fo->head[d]) {
			fitem *n = fo->head[d]->next;
			free(fo->head[d]->mem);
			free(fo->head[d]);
			fo->head[d] = n;
		}
	}
	free(fo->cut);
	free(fo);
}

/* ---- export ------------------------------------------------------------ */

/* Files kept open: what the descriptor limit leaves after a margin for
 * the rest of the program, between 16 and 4096. */
/* Writes are gathered per file (contiguous bytes only) and written in
 * one pwrite: a stream of small segments costs a few system calls, not
 * one each.  At most EXPORT_BUF bytes a file, EXPORT_BUDGET in all (the
 * oldest buffers are written out first). */
#define EXPORT_BUF (256u * 1024)
#define EXPORT_BUDGET (1u << 20)
#define EXPORT_FDS_MIN 16
#define EXPORT_FDS_MAX 4096
#define EXPORT_BUCKETS 4096

typedef struct expfile {
	const tp_flow *flow;
	uint32_t stream;
	int dir;
	int fd;              /* -1 when closed */
	bool made;           /* created (later opens append) */
	uint64_t bytes, gap_bytes, end;
	uint32_t gaps;
	uint8_t *buf;        /* bytes not written yet, from stream offset boff */
	uint32_t blen, bcap;
	uint64_t boff;
	struct expfile *hnext;          /* by flow */
	struct expfile *oprev, *onext;  /* open files, most recent first */
	struct expfile *bprev, *bnext;  /* files with a buffer, newest first */
} expfile;

/* A write for the writer thread: the bytes (owned), where they go. */
typedef struct wjob {
	struct wjob *next;
	uint8_t *buf;
	size_t n;
	uint32_t cap;        /* buf's size when it is a file buffer, else 0 */
	uint64_t off;
	bool create;
	int fd;              /* >= 0: write to it and close it (an object) */
	char *row;           /* an object's index row, its SHA-256 to fill */
	size_t rowlen, sha_at;
	char name[160];
} wjob;

/* File buffers are powers of two from 4 KiB to EXPORT_BUF: 7 sizes. */
#define EXPORT_CLASSES 7
#define EXPORT_SPARE (4u << 20) /* bytes of spare buffers kept */

typedef struct objname {
	struct objname *next;
	unsigned tries;      /* the next number to try for this name */
	char name[];
} objname;

struct tp_export {
	int dirfd;
	bool objects;        /* --export-objects: objects, not streams */
	tp_object_tap otap;
	/* the names given so far, by hash: a name used 1000 times is not
	 * tried 1000 times over (EXPORT_BUCKETS chains) */
	objname **names;
	char dir[256];       /* as given, for messages */
	FILE *index;         /* NULL until tp_export_open_index */
	tp_stream_tap tap;
	const tp_streamset *only; /* -Y: these streams only (NULL: all) */
	expfile *buckets[EXPORT_BUCKETS];
	expfile *open_head, *open_tail;
	unsigned nopen, maxopen;
	expfile *buf_head, *buf_tail;
	size_t buffered;     /* capacity of all buffers */
	bool created;        /* the directory was made by this run */
	int err;             /* first errno */
	char errwhat[160];
	uint64_t files;
	/* The writer thread: creating, writing and closing 10 000 files is
	 * system time (on tmpfs about as much as the dissection of the
	 * capture); with it on the second core the two overlap.  Jobs run
	 * in order, so a file's creation comes before its later writes.
	 * Without the thread (pthread_create failed) the writes are done
	 * in line through the descriptor cache. */
	bool threaded;
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t cv_work, cv_room;
	wjob *qhead, *qtail;
	size_t qbytes;       /* bytes queued (capped: EXPORT_QUEUE) */
	bool qdone;
	bool wsleep, rsleep; /* the writer / the reader waits (under mu) */
	size_t qjobs;        /* jobs queued since the writer last looked */
	/* Jobs the writer ran, handed back (under mu) with their buffers:
	 * the reader reuses both instead of malloc, realloc and free for
	 * every file (and the page faults of fresh memory) */
	wjob *ret;
	/* the reader's: spare jobs, spare buffers by size class */
	wjob *spare_jobs;
	uint8_t *spare[EXPORT_CLASSES];
	size_t spare_bytes;
	_Atomic int werr;    /* the writer's first errno (werrwhat before) */
	char werrwhat[160];
};

/* The writer is woken for this much queued work, not for every file
 * (a wake-up a file was a tenth of the reader's time in the kernel),
 * and soon enough that it is not left alone with a long queue at the
 * end. */
#define WAKE_BYTES (64u * 1024)
#define WAKE_JOBS 16

#define EXPORT_QUEUE (4u << 20)

/* Zero-padded decimal of `w` digits (v < 10^w), by hand: the names of
 * 10 000 files were a quarter of --export-streams' instructions with
 * snprintf. */
static char *put_pad(char *o, unsigned v, int w)
{
	for (int i = w - 1; i >= 0; i--, v /= 10)
		o[i] = (char)('0' + v % 10);
	return o + w;
}

static char *put_hex2(char *o, uint8_t v)
{
	static const char hx[] = "0123456789abcdef";
	o[0] = hx[v >> 4];
	o[1] = hx[v & 15];
	return o + 2;
}

/* tcpflow's form: 010.000.000.001.40000, or 2001.0db8.(...).40000 */
static char *put_addr_name(char *o, const tp_flow *f, int side)
{
	const uint8_t *a = f->key.addr[side];
	if (f->key.family == 4) {
		for (int i = 0; i < 4; i++) {
			o = put_pad(o, a[i], 3);
			*o++ = '.';
		}
	} else {
		for (int i = 0; i < 16; i += 2) {
			o = put_hex2(o, a[i]);
			o = put_hex2(o, a[i + 1]);
			*o++ = '.';
		}
	}
	return put_pad(o, f->key.port[side], 5);
}

/* The file's name, made when needed (not kept: 100 000 flows). */
#define NAME_MAX_LEN 160
static const char *file_name(const expfile *x, char *o)
{
	const tp_flow *f = x->flow;
	int from = x->dir == 0 ? f->client : !f->client;
	char *p = o;
	memcpy(p, f->key.proto == 6 ? "tcp-" : "udp-", 4);
	p += 4;
	if (x->stream >= 1000000) { /* more than six digits: as printf did */
		char d[12];
		int n = 0;
		for (unsigned v = x->stream; v; v /= 10)
			d[n++] = (char)('0' + v % 10);
		while (n)
			*p++ = d[--n];
	} else {
		p = put_pad(p, x->stream, 6);
	}
	*p++ = '-';
	p = put_addr_name(p, f, from);
	*p++ = '-';
	p = put_addr_name(p, f, !from);
	*p = 0;
	return o;
}

static size_t fhash(const tp_flow *f)
{
	uintptr_t v = (uintptr_t)f;
	return (size_t)((v >> 4) ^ (v >> 16)) % EXPORT_BUCKETS;
}

static void open_unlink(tp_export *e, expfile *x)
{
	if (x->oprev)
		x->oprev->onext = x->onext;
	else
		e->open_head = x->onext;
	if (x->onext)
		x->onext->oprev = x->oprev;
	else
		e->open_tail = x->oprev;
	x->oprev = x->onext = NULL;
}

static void close_file(tp_export *e, expfile *x)
{
	if (x->fd < 0)
		return;
	open_unlink(e, x);
	if (close(x->fd) < 0 && !e->err) {
		e->err = errno;
		char nm[NAME_MAX_LEN];
		snprintf(e->errwhat, sizeof e->errwhat, "%s", file_name(x, nm));
	}
	x->fd = -1;
	e->nopen--;
}

static void note_err(tp_export *e, const char *what)
{
	if (e->err)
		return;
	e->err = errno;
	snprintf(e->errwhat, sizeof e->errwhat, "%s", what);
}

static expfile *file_of(tp_export *e, const tp_flow *f, int dir)
{
	size_t h = fhash(f);
	for (expfile *x = e->buckets[h]; x; x = x->hnext)
		if (x->flow == f && x->dir == dir && x->stream == f->stream)
			return x;
	expfile *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	x->flow = f;
	x->stream = f->stream;
	x->dir = dir;
	x->fd = -1;
	x->hnext = e->buckets[h];
	e->buckets[h] = x;
	return x;
}

static void open_push(tp_export *e, expfile *x)
{
	x->oprev = NULL;
	x->onext = e->open_head;
	if (e->open_head)
		e->open_head->oprev = x;
	e->open_head = x;
	if (!e->open_tail)
		e->open_tail = x;
}

static int fd_of(tp_export *e, expfile *x)
{
	if (x->fd >= 0) {
		if (e->open_head != x) {
			open_unlink(e, x);
			open_push(e, x);
		}
		return x->fd;
	}
	if (e->nopen >= e->maxopen && e->open_tail)
		close_file(e, e->open_tail);
	int flags = O_WRONLY | O_CLOEXEC | (x->made ? 0 : O_CREAT | O_TRUNC);
	char nm[NAME_MAX_LEN];
	x->fd = openat(e->dirfd, file_name(x, nm), flags, 0644);
	if (x->fd < 0) {
		note_err(e, nm);
		return -1;
	}
	x->made = true;
	e->nopen++;
	open_push(e, x);
	return x->fd;
}

static bool ex_want(void *ctx, const tp_flow *f)
{
	const tp_export *e = ctx;
	return !e->only || tp_streamset_has(e->only, f->key.proto, f->stream);
}

void tp_export_select(tp_export *e, const tp_streamset *s)
{
	e->only = s;
}

/* ---- stream sets ------------------------------------------------------- */

static int set_index(uint8_t proto)
{
	return proto == 6 ? 0 : proto == 17 ? 1 : -1;
}

bool tp_streamset_add(tp_streamset *s, uint8_t proto, uint32_t stream)
{
	int k = set_index(proto);
	if (k < 0)
		return false;
	if (stream >= TP_STREAMSET_MAX) {
		s->over = true;
		return false;
	}
	size_t byte = stream / 8;
	if (byte >= s->nbytes[k]) {
		size_t n = s->nbytes[k] ? s->nbytes[k] : 64;
		while (n <= byte)
			n *= 2;
		uint8_t *b = realloc(s->bits[k], n);
		if (!b)
			return false;
		memset(b + s->nbytes[k], 0, n - s->nbytes[k]);
		s->bits[k] = b;
		s->nbytes[k] = n;
	}
	uint8_t bit = (uint8_t)(1u << (stream % 8));
	if (!(s->bits[k][byte] & bit))
		s->count++;
	s->bits[k][byte] |= bit;
	return true;
}

bool tp_streamset_has(const tp_streamset *s, uint8_t proto, uint32_t stream)
{
	int k = set_index(proto);
	size_t byte = stream / 8;
	return k >= 0 && byte < s->nbytes[k] &&
	       (s->bits[k][byte] >> (stream % 8) & 1);
}

bool tp_streamset_next(const tp_streamset *s, uint8_t proto, uint32_t *from)
{
	int k = set_index(proto);
	if (k < 0)
		return false;
	for (uint64_t i = *from; i / 8 < s->nbytes[k]; i++)
		if (s->bits[k][i / 8] >> (i % 8) & 1) {
			*from = (uint32_t)i;
			return true;
		}
	return false;
}

void tp_streamset_free(tp_streamset *s)
{
	free(s->bits[0]);
	free(s->bits[1]);
	memset(s, 0, sizeof *s);
}

static void write_at(tp_export *e, expfile *x, const uint8_t *b, size_t n,
		     uint64_t off)
{
	int fd = fd_of(e, x);
	if (fd < 0)
		return;
	size_t done = 0;
	while (done < n) {
		ssize_t w = pwrite(fd, b + done, n - done, (off_t)(off + done));
		if (w < 0) {
			if (errno == EINTR)
				continue;
			char nm[NAME_MAX_LEN];
			note_err(e, file_name(x, nm));
			return;
		}
		done += (size_t)w;
	}
}

static void buf_unlink(tp_export *e, expfile *x)
{
	if (x->bprev)
		x->bprev->bnext = x->bnext;
	else
		e->buf_head = x->bnext;
	if (x->bnext)
		x->bnext->bprev = x->bprev;
	else
		e->buf_tail = x->bprev;
	x->bprev = x->bnext = NULL;
}

/* ---- the writer thread ---- */

static void obj_index(tp_export *e, const uint8_t *b, size_t n, char *row,
		      size_t len, size_t sha_at);

static void job_run(tp_export *e, wjob *j)
{
	if (atomic_load(&e->werr)) {
		if (j->fd >= 0)
			close(j->fd);
		free(j->row);
		j->row = NULL;
		return;
	}
	int flags = O_WRONLY | O_CLOEXEC | (j->create ? O_CREAT | O_TRUNC : 0);
	int fd = j->fd >= 0 ? j->fd : openat(e->dirfd, j->name, flags, 0644);
	size_t done = 0;
	while (fd >= 0 && done < j->n) {
		ssize_t w = pwrite(fd, j->buf + done, j->n - done,
				   (off_t)(j->off + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;
		done += (size_t)w;
	}
	int err = fd < 0 || done < j->n ? errno : 0;
	if (fd >= 0 && close(fd) < 0 && !err)
		err = errno;
	if (err) {
		snprintf(e->werrwhat, sizeof e->werrwhat, "%s", j->name);
		atomic_store(&e->werr, err);
	} else if (j->row) {
		obj_index(e, j->buf, j->n, j->row, j->rowlen, j->sha_at);
	}
	free(j->row);
	j->row = NULL;
}

/* The writer takes the whole queue at once and runs it unlocked: one
 * lock round per batch, not per job (a lock per job kept the two
 * threads trading the mutex: 37 000 futex calls for 10 000 files).
 * Each side signals only when the other is asleep. */
static void *writer(void *arg)
{
	tp_export *e = arg;
	pthread_mutex_lock(&e->mu);
	for (;;) {
		while (!e->qhead && !e->qdone) {
			e->wsleep = true;
			pthread_cond_wait(&e->cv_work, &e->mu);
			e->wsleep = false;
		}
		wjob *j = e->qhead;
		if (!j)
			break; /* done, and nothing left */
		e->qhead = e->qtail = NULL;
		pthread_mutex_unlock(&e->mu);
		size_t n = 0;
		wjob *last = NULL;
		for (wjob *k = j; k; k = k->next) {
			job_run(e, k);
			n += k->n;
			last = k;
		}
		pthread_mutex_lock(&e->mu);
		last->next = e->ret; /* back to the reader, buffers and all */
		e->ret = j;
		e->qbytes -= n;
		if (e->rsleep)
			pthread_cond_signal(&e->cv_room);
	}
	pthread_mutex_unlock(&e->mu);
	return NULL;
}

/* Hand `buf` (malloc'd, n bytes for stream offset off) to the writer. */
static void reclaim(tp_export *e, wjob *r);

/* A job to fill in (spare or new; NULL, buf freed, without memory). */
static wjob *job_get(tp_export *e, uint8_t *buf)
{
	wjob *j = e->spare_jobs;
	if (j)
		e->spare_jobs = j->next;
	else if (!(j = malloc(sizeof *j))) {
		free(buf);
		errno = ENOMEM;
		note_err(e, "export");
		return NULL;
	}
	j->next = NULL;
	j->buf = buf;
	j->fd = -1;
	j->row = NULL;
	return j;
}

/* Queue j for the writer (waiting while the queue is full). */
static void job_push(tp_export *e, wjob *j)
{
	pthread_mutex_lock(&e->mu);
	while (e->qbytes > EXPORT_QUEUE) {
		e->rsleep = true;
		pthread_cond_wait(&e->cv_room, &e->mu);
		e->rsleep = false;
	}
	if (e->qtail)
		e->qtail->next = j;
	else
		e->qhead = j;
	e->qtail = j;
	e->qbytes += j->n;
	e->qjobs++;
	if (e->wsleep && (e->qbytes >= WAKE_BYTES || e->qjobs >= WAKE_JOBS)) {
		e->qjobs = 0;
		pthread_cond_signal(&e->cv_work);
	}
	wjob *r = e->ret;
	e->ret = NULL;
	pthread_mutex_unlock(&e->mu);
	reclaim(e, r);
}

static void enqueue(tp_export *e, expfile *x, uint8_t *buf, uint32_t cap,
		    size_t n, uint64_t off)
{
	wjob *j = job_get(e, buf);
	if (!j)
		return;
	j->cap = cap;
	j->n = n;
	j->off = off;
	j->create = !x->made;
	x->made = true;
	file_name(x, j->name);
	job_push(e, j);
}

static void reclaim_buf(tp_export *e, wjob *j);

static unsigned size_class(uint32_t cap)
{
	unsigned c = 0;
	while (c + 1 < EXPORT_CLASSES && (4096u << c) < cap)
		c++;
	return c;
}

/* Keep what the writer handed back: the jobs, and the file buffers up
 * to EXPORT_SPARE bytes (a buffer's first word links its class). */
static void reclaim(tp_export *e, wjob *r)
{
	while (r) {
		wjob *next = r->next;
		reclaim_buf(e, r);
		r->next = e->spare_jobs;
		e->spare_jobs = r;
		r = next;
	}
}

/* One buffer back to the spares (or freed), without its job. */
static void reclaim_buf(tp_export *e, wjob *j)
{
	unsigned c = size_class(j->cap);
	if (j->cap && j->cap == 4096u << c &&
	    e->spare_bytes + j->cap <= EXPORT_SPARE) {
		memcpy(j->buf, &e->spare[c], sizeof(uint8_t *));
		e->spare[c] = j->buf;
		e->spare_bytes += j->cap;
	} else {
		free(j->buf);
	}
}

/* A buffer of `want` bytes (a power of two from 4 KiB), spare or new. */
static uint8_t *buf_get(tp_export *e, uint32_t want)
{
	unsigned c = size_class(want);
	uint8_t *b = e->spare[c];
	if (b && want == 4096u << c) {
		memcpy(&e->spare[c], b, sizeof(uint8_t *));
		e->spare_bytes -= want;
		return b;
	}
	return malloc(want);
}

static void writer_stop(tp_export *e)
{
	if (!e->threaded)
		return;
	pthread_mutex_lock(&e->mu);
	e->qdone = true;
	pthread_cond_signal(&e->cv_work);
	pthread_mutex_unlock(&e->mu);
	pthread_join(e->thr, NULL);
	e->threaded = false;
	reclaim(e, e->ret); /* the last batch's jobs */
	e->ret = NULL;
	int werr = atomic_load(&e->werr);
	if (werr && !e->err) {
		e->err = werr;
		snprintf(e->errwhat, sizeof e->errwhat, "%s", e->werrwhat);
	}
}

static bool failed(tp_export *e)
{
	return e->err || atomic_load(&e->werr);
}

/* Write a file's buffered bytes out and give the buffer back. */
static void flush_buf(tp_export *e, expfile *x)
{
	if (!x->buf)
		return;
	buf_unlink(e, x);
	e->buffered -= x->bcap;
	if (x->blen && !failed(e) && e->threaded)
		enqueue(e, x, x->buf, x->bcap, x->blen, x->boff); /* it owns it */
	else {
		if (x->blen && !failed(e))
			write_at(e, x, x->buf, x->blen, x->boff);
		free(x->buf);
	}
	x->buf = NULL;
	x->blen = x->bcap = 0;
}

/* Room for n more bytes in x's buffer (false: write directly). */
static bool buf_room(tp_export *e, expfile *x, size_t n)
{
	if (x->blen + n <= x->bcap)
		return true;
	size_t want = x->bcap ? (size_t)x->bcap * 2 : 4096;
	while (want < x->blen + n)
		want *= 2;
	if (want > EXPORT_BUF)
		return false;
	while (e->buffered + want - x->bcap > EXPORT_BUDGET && e->buf_tail &&
	       e->buf_tail != x)
		flush_buf(e, e->buf_tail);
	uint8_t *nb = buf_get(e, (uint32_t)want);
	if (!nb)
		return false;
	if (x->buf) { /* grown: the old one becomes a spare */
		memcpy(nb, x->buf, x->blen);
		wjob old = {.buf = x->buf, .cap = x->bcap};
		reclaim_buf(e, &old);
	}
	if (!x->buf) {
		x->bprev = NULL;
		x->bnext = e->buf_head;
		if (e->buf_head)
			e->buf_head->bprev = x;
		e->buf_head = x;
		if (!e->buf_tail)
			e->buf_tail = x;
	}
	e->buffered += want - x->bcap;
	x->buf = nb;
	x->bcap = (uint32_t)want;
	return true;
}

static void ex_data(void *ctx, const tp_flow *f, int dir, uint64_t off,
		    const uint8_t *b, size_t n, const struct tp_pkt *p)
{
	(void)p;
	tp_export *e = ctx;
	if (failed(e) || n == 0)
		return;
	expfile *x = file_of(e, f, dir);
	if (!x) {
		errno = ENOMEM;
		note_err(e, "export");
		return;
	}
	x->bytes += n;
	if (off + n > x->end)
		x->end = off + n;
	if (x->blen && off != x->boff + x->blen)
		flush_buf(e, x); /* after a gap: not contiguous */
	if (!buf_room(e, x, n)) {
		flush_buf(e, x);
		uint8_t *copy = e->threaded ? malloc(n) : NULL;
		if (copy) {
			memcpy(copy, b, n);
			enqueue(e, x, copy, 0, n, off);
		} else {
			write_at(e, x, b, n, off);
		}
		return;
	}
	if (!x->blen)
		x->boff = off;
	memcpy(x->buf + x->blen, b, n);
	x->blen += (uint32_t)n;
}

static void ex_gap(void *ctx, const tp_flow *f, int dir, uint64_t off,
		   uint64_t n)
{
	tp_export *e = ctx;
	expfile *x = file_of(e, f, dir);
	if (!x)
		return;
	x->gap_bytes += n;
	x->gaps++;
	/* The file is as long as the stream: a hole where bytes are
	 * missing, the last one included (a trailing gap would otherwise
	 * leave the file short).  One zero byte at the gap's end: bytes
	 * after it overwrite nothing, they come later in the file. */
	if (!x->bytes || !n || failed(e))
		return;
	if (off + n > x->end)
		x->end = off + n;
	flush_buf(e, x);
	uint8_t *z = e->threaded ? calloc(1, 1) : NULL;
	if (z) {
		enqueue(e, x, z, 0, 1, off + n - 1);
	} else {
		static const uint8_t zero;
		write_at(e, x, &zero, 1, off + n - 1);
	}
}

static void put_ip(tp_sbuf *sb, const tp_flow *f, int side)
{
	if (f->key.family == 4)
		tp_sb_ipv4(sb, f->key.addr[side]);
	else
		tp_sb_ipv6(sb, f->key.addr[side]);
}

static void ex_end(void *ctx, const tp_flow *f)
{
	tp_export *e = ctx;
	size_t h = fhash(f);
	expfile **pp = &e->buckets[h];
	while (*pp) {
		expfile *x = *pp;
		if (x->flow != f || x->stream != f->stream) {
			pp = &x->hnext;
			continue;
		}
		*pp = x->hnext;
		flush_buf(e, x);
		close_file(e, x);
		if (x->made || x->gaps) { /* only gaps: a row, no file */
			char nm[NAME_MAX_LEN], row[512];
			int from = x->dir == 0 ? f->client : !f->client;
			tp_sbuf sb;
			tp_sb_init(&sb, row, sizeof row);
			tp_sb_dec(&sb, x->stream);
			tp_sb_puts(&sb, f->key.proto == 6 ? "\ttcp\t" : "\tudp\t");
			tp_sb_puts(&sb, x->dir == 0 ? "client\t" : "server\t");
			put_ip(&sb, f, from);
			tp_sb_putc(&sb, '\t');
			tp_sb_dec(&sb, f->key.port[from]);
			tp_sb_putc(&sb, '\t');
			put_ip(&sb, f, !from);
			tp_sb_putc(&sb, '\t');
			tp_sb_dec(&sb, f->key.port[!from]);
			tp_sb_putc(&sb, '\t');
			tp_sb_dec(&sb, x->bytes);
			tp_sb_putc(&sb, '\t');
			tp_sb_dec(&sb, x->gap_bytes);
			tp_sb_putc(&sb, '\t');
			tp_sb_dec(&sb, x->gaps);
			tp_sb_putc(&sb, '\t');
			tp_sb_dec(&sb, f->first_frame);
			tp_sb_putc(&sb, '\t');
			tp_sb_puts(&sb, x->made ? file_name(x, nm) : "-");
			tp_sb_putc(&sb, '\n');
			if (e->index || tp_export_open_index(e, nm, sizeof nm) == 0)
				fwrite(row, 1, sb.len, e->index);
			else
				note_err(e, "index.tsv");
			e->files++;
		}
		free(x);
	}
}


/* ---- objects (--export-objects http,DIR) ------------------------------- */

/* A file name from the URI: its path's last segment (no query), the
 * bytes outside [A-Za-z0-9._-] as '_', no leading dot (no ".", "..",
 * hidden files), at most OBJ_NAME bytes; "object" when nothing is left. */
#define OBJ_NAME 100

void tp_object_name(const char *uri, char *out, size_t cap)
{
	size_t end = strcspn(uri, "?#");
	size_t start = end;
	while (start > 0 && uri[start - 1] != '/')
		start--;
	size_t k = 0;
	for (size_t i = start; i < end && k + 1 < cap && k < OBJ_NAME; i++) {
		char c = uri[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			  (c == '.' && k > 0);
		out[k++] = ok ? c : '_';
	}
	if (!k)
		k = (size_t)snprintf(out, cap, "object");
	out[k < cap ? k : cap - 1] = '\0';
}

/* The name's entry (made the first time; NULL without memory). */
static objname *name_of(tp_export *e, const char *base)
{
	if (!e->names &&
	    !(e->names = calloc(EXPORT_BUCKETS, sizeof *e->names)))
		return NULL;
	size_t h = 5381;
	for (const char *c = base; *c; c++)
		h = h * 33 + (unsigned char)*c;
	objname **b = &e->names[h % EXPORT_BUCKETS];
	for (objname *x = *b; x; x = x->next)
		if (strcmp(x->name, base) == 0)
			return x;
	size_t n = strlen(base) + 1;
	objname *x = malloc(sizeof *x + n);
	if (x) {
		memcpy(x->name, base, n);
		x->tries = 0;
		x->next = *b;
		*b = x;
	}
	return x;
}

/* Create DIR/name, or name-1, name-2 ... (before its extension): never
 * an existing file, never through a symbolic link. */
static int obj_create(tp_export *e, const char *base, char *name, size_t cap)
{
	const char *dot = strrchr(base, '.');
	size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	objname *nm = name_of(e, base);
	for (unsigned i = nm ? nm->tries : 0; i < UINT_MAX; i++) {
		if (nm)
			nm->tries = i + 1;
		if (i == 0)
			snprintf(name, cap, "%s", base);
		else
			snprintf(name, cap, "%.*s-%u%s", (int)stem, base, i,
				 base + stem);
		if (strcmp(name, "index.tsv") == 0)
			continue;
		int fd = openat(e->dirfd, name,
				O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
					O_CLOEXEC,
				0644);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

static void names_free(tp_export *e)
{
	for (size_t i = 0; e->names && i < EXPORT_BUCKETS; i++)
		while (e->names[i]) {
			objname *x = e->names[i];
			e->names[i] = x->next;
			free(x);
		}
	free(e->names);
	e->names = NULL;
}

/* A text column: tabs, line ends and other control bytes as '?'. */
static void put_col(tp_sbuf *sb, const char *s)
{
	for (; *s; s++)
		tp_sb_putc(sb, (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
	tp_sb_putc(sb, '\t');
}

#define SHA_HEX (2 * SHA256_DIGEST_SIZE)

/* The object's SHA-256 into its index row (at sha_at, SHA_HEX bytes
 * kept for it), and the row into index.tsv: on the writer thread when
 * there is one (in the order the objects came), else here. */
static void obj_index(tp_export *e, const uint8_t *b, size_t n, char *row,
		      size_t len, size_t sha_at)
{
	struct sha256_ctx sc;
	uint8_t md[SHA256_DIGEST_SIZE];
	sha256_init(&sc);
	sha256_update(&sc, n, b);
	sha256_digest(&sc, sizeof md, md);
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < sizeof md; i++) {
		row[sha_at + 2 * i] = hx[md[i] >> 4];
		row[sha_at + 2 * i + 1] = hx[md[i] & 15];
	}
	if (e->index)
		fwrite(row, 1, len, e->index);
}

static void ex_object(void *ctx, tp_object *o)
{
	tp_export *e = ctx;
	if (failed(e) || (!o->n && !o->missing && !o->status))
		return; /* no body */
	char base[OBJ_NAME + 8], name[OBJ_NAME + 32];
	tp_object_name(o->uri, base, sizeof base);
	int fd = obj_create(e, base, name, sizeof name);
	if (fd < 0) {
		note_err(e, base);
		return;
	}
	char row[4096], ierr[300];
	tp_sbuf sb;
	tp_sb_init(&sb, row, sizeof row - 1);
	tp_sb_dec(&sb, o->frame);
	tp_sb_putc(&sb, '\t');
	tp_sb_dec(&sb, o->stream);
	tp_sb_putc(&sb, '\t');
	if (o->h2_stream) /* HTTP/2's stream id; "-" for HTTP/1.x */
		tp_sb_dec(&sb, o->h2_stream);
	else
		tp_sb_putc(&sb, '-');
	tp_sb_putc(&sb, '\t');
	put_col(&sb, o->host);
	put_col(&sb, o->uri);
	put_col(&sb, o->ctype);
	tp_sb_dec(&sb, o->n);
	tp_sb_putc(&sb, '\t');
	size_t sha_at = sb.len;
	for (unsigned i = 0; i < SHA_HEX; i++)
		tp_sb_putc(&sb, '0');
	tp_sb_putc(&sb, '\t');
	if (!o->status && !o->missing) {
		tp_sb_puts(&sb, "complete");
	} else if (!o->status && o->zero_filled) {
		tp_sb_puts(&sb, "missing ");
		tp_sb_dec(&sb, o->missing);
		tp_sb_puts(&sb, " bytes (zero-filled)");
	} else {
		tp_sb_puts(&sb, o->status ? o->status : "cut");
		if (o->missing) {
			tp_sb_puts(&sb, " (missing ");
			tp_sb_dec(&sb, o->missing);
			tp_sb_puts(&sb, o->zero_filled ? " bytes, zero-filled)"
					: o->missing_unknown ? " bytes or more, cut)"
							     : " bytes, cut)");
		}
	}
	tp_sb_putc(&sb, '\t');
	put_col(&sb, name);
	row[sb.len - 1] = '\n'; /* the last column's tab */
	if (!e->index && tp_export_open_index(e, ierr, sizeof ierr) < 0)
		note_err(e, "index.tsv");
	e->files++;
	/* written, closed, hashed and listed by the writer thread (the
	 * body's buffer taken over, or a copy), or here */
	bool take = e->threaded && o->b && o->cap;
	uint8_t *copy = take ? (uint8_t *)(uintptr_t)o->b
			: e->threaded ? malloc(o->n ? o->n : 1)
				      : NULL;
	char *rcopy = copy ? malloc(sb.len) : NULL;
	/* (job_get frees what it is given when it fails: not the body's) */
	wjob *j = rcopy ? job_get(e, take ? NULL : copy) : NULL;
	if (j) {
		j->buf = copy;
		if (take)
			o->taken = true;
		else
			memcpy(copy, o->b, o->n);
		memcpy(rcopy, row, sb.len);
		j->cap = 0;
		j->n = o->n;
		j->off = 0;
		j->create = false;
		j->fd = fd;
		j->row = rcopy;
		j->rowlen = sb.len;
		j->sha_at = sha_at;
		snprintf(j->name, sizeof j->name, "%s", name);
		job_push(e, j);
		return;
	}
	if (copy && !rcopy && !take)
		free(copy);
	free(rcopy);
	size_t done = 0;
	while (done < o->n) {
		ssize_t w = write(fd, o->b + done, o->n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			note_err(e, name);
			break;
		}
		done += (size_t)w;
	}
	if (close(fd) < 0)
		note_err(e, name);
	obj_index(e, o->b, o->n, row, sb.len, sha_at);
}

static tp_export *export_make(const char *dir, bool objects, char *err,
			      size_t errlen);

tp_export *tp_export_new(const char *dir, char *err, size_t errlen)
{
	return export_make(dir, false, err, errlen);
}

tp_export *tp_export_objects_new(const char *dir, char *err, size_t errlen)
{
	return export_make(dir, true, err, errlen);
}

static tp_export *export_make(const char *dir, bool objects, char *err,
			      size_t errlen)
{
	bool created = mkdir(dir, 0755) == 0;
	if (!created && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	tp_export *e = calloc(1, sizeof *e);
	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->created = created;
	struct rlimit rl;
	rlim_t room = 64;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur > 64)
		room = rl.rlim_cur - 48;
	else if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
		 rl.rlim_cur == RLIM_INFINITY)
		room = EXPORT_FDS_MAX;
	e->maxopen = room < EXPORT_FDS_MIN   ? EXPORT_FDS_MIN
		     : room > EXPORT_FDS_MAX ? EXPORT_FDS_MAX
					      : (unsigned)room;
	e->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (e->dirfd < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		free(e);
		return NULL;
	}
	snprintf(e->dir, sizeof e->dir, "%s", dir);
	e->objects = objects;
	if (objects)
		e->otap = (tp_object_tap){ex_object, e};
	else
		e->tap = (tp_stream_tap){ex_want, ex_data, ex_gap, ex_end, e};
	/* the writer starts now, before the sandbox (which forbids clone;
	 * its filter is synchronised to every thread) */
	atomic_init(&e->werr, 0);
	if (pthread_mutex_init(&e->mu, NULL) == 0) {
		if (pthread_cond_init(&e->cv_work, NULL) == 0 &&
		    pthread_cond_init(&e->cv_room, NULL) == 0 &&
		    pthread_create(&e->thr, NULL, writer, e) == 0)
			e->threaded = true;
	}
	return e;
}

/* index.tsv is made here, after root is dropped (main.c), as the stream
 * files are: the whole tree belongs to one user. */
int tp_export_open_index(tp_export *e, char *err, size_t errlen)
{
	if (e->index)
		return 0;
	int ifd = openat(e->dirfd, "index.tsv",
			 O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	e->index = ifd >= 0 ? fdopen(ifd, "w") : NULL;
	if (!e->index) {
		snprintf(err, errlen, "%s/index.tsv: %s", e->dir,
			 strerror(errno));
		if (ifd >= 0)
			close(ifd);
		return -1;
	}
	fputs(e->objects ? "frame\tstream\th2_stream\thost\turi\tcontent_type\tsize\t"
			   "sha256\tcomplete\tfile\n"
			 : "stream\tproto\tdirection\tsrc\tsport\tdst\tdport\t"
			   "bytes\tgap_bytes\tgaps\tfirst_frame\tfile\n",
	      e->index);
	return 0;
}

const tp_stream_tap *tp_export_tap(tp_export *e) { return &e->tap; }
int tp_export_dirfd(const tp_export *e) { return e->dirfd; }
bool tp_export_created(const tp_export *e) { return e->created; }

int tp_export_finish(tp_export *e, char *err, size_t errlen)
{
	while (e->buf_head)
		flush_buf(e, e->buf_head);
	while (e->open_head)
		close_file(e, e->open_head);
	writer_stop(e);
	char ierr[300];
	if (!e->index && tp_export_open_index(e, ierr, sizeof ierr) < 0)
		note_err(e, "index.tsv");
	if (e->index && fclose(e->index) != 0 && !e->err)
		note_err(e, "index.tsv");
	e->index = NULL;
	if (e->err) {
		snprintf(err, errlen, "--export-%s: %s: %s",
			 e->objects ? "objects" : "streams", e->errwhat,
			 strerror(e->err));
		return -1;
	}
	return 0;
}

void tp_export_free(tp_export *e)
{
	if (!e)
		return;
	writer_stop(e);
	for (unsigned c = 0; c < EXPORT_CLASSES; c++)
		while (e->spare[c]) {
			uint8_t *b = e->spare[c];
			memcpy(&e->spare[c], b, sizeof(uint8_t *));
			free(b);
		}
	while (e->spare_jobs) {
		wjob *j = e->spare_jobs;
		e->spare_jobs = j->next;
		free(j);
	}
	for (size_t i = 0; i < EXPORT_BUCKETS; i++) {
		expfile *x = e->buckets[i];
		while (x) {
			expfile *n = x->hnext;
			if (x->fd >= 0)
				close(x->fd);
			free(x->buf);
			free(x);
			x = n;
		}
	}
	if (e->index)
		fclose(e->index);
	if (e->dirfd >= 0)
		close(e->dirfd);
	names_free(e);
	free(e);
}

/* ---- as consumers of the engine ------------------------------------- */

static int follow_finish(void *self)
{
	return tp_follow_finish(self) < 0 ? TP_EXIT_RUNTIME : 0;
}

tp_consumer tp_follow_consumer(tp_follow *fo)
{
	return (tp_consumer){.finish = follow_finish,
			     .self = fo,
			     .tap = tp_follow_tap(fo)};
}

static int export_finish(void *self)
{
	char err[512];
	if (tp_export_finish(self, err, sizeof err) == 0)
		return 0;
	fprintf(stderr, "tapir: %s\n", err);
	return TP_EXIT_RUNTIME;
}

tp_consumer tp_export_consumer(tp_export *e)
{
	return (tp_consumer){.finish = export_finish,
			     .self = e,
			     .tap = e->objects ? NULL : tp_export_tap(e),
			     .objtap = e->objects ? &e->otap : NULL};
}

/* ---- --follow tcp -Y: every stream the filter selected ----------------- */

/* One follow per stream of the set (ascending), each writing into a
 * temporary file; one tap in front of them hands each flow's bytes to
 * its stream's follow (a binary search), and the end prints them one
 * after the other, as tshark prints several -z follow. */
struct tp_follow_many {
	tp_follow **fo;
	FILE **tmp;
	uint32_t *stream;
	unsigned n;
	FILE *out;
	tp_stream_tap tap;
};

static tp_follow *many_of(tp_follow_many *m, const tp_flow *f)
{
	if (!m->n || f->key.proto != m->fo[0]->spec.proto)
		return NULL;
	unsigned lo = 0, hi = m->n;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (m->stream[mid] < f->stream)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n && m->stream[lo] == f->stream ? m->fo[lo] : NULL;
}

static bool many_want(void *ctx, const tp_flow *f)
{
	tp_follow *fo = many_of(ctx, f);
	return fo && fo_want(fo, f);
}

static void many_data(void *ctx, const tp_flow *f, int dir, uint64_t off,
		      const uint8_t *b, size_t n, const struct tp_pkt *p)
{
	tp_follow *fo = many_of(ctx, f);
	if (fo)
		fo_data(fo, f, dir, off, b, n, p);
}

static void many_gap(void *ctx, const tp_flow *f, int dir, uint64_t off,
		     uint64_t n)
{
	tp_follow *fo = many_of(ctx, f);
	if (fo)
		fo_gap(fo, f, dir, off, n);
}

static void many_end(void *ctx, const tp_flow *f)
{
	tp_follow *fo = many_of(ctx, f);
	if (fo)
		fo_end(fo, f);
}

static void many_segment(void *ctx, const tp_flow *f, int dir,
			 const tp_tcpseg *g)
{
	tp_follow *fo = many_of(ctx, f);
	if (fo)
		fo_segment(fo, f, dir, g);
}

tp_follow_many *tp_follow_many_new(const tp_follow_spec *s,
				   const tp_streamset *set, FILE *out,
				   unsigned max, unsigned *left)
{
	tp_follow_many *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->out = out;
	m->tap = (tp_stream_tap){.want = many_want, .data = many_data,
				 .gap = many_gap, .end = many_end, .ctx = m,
				 .segment = many_segment};
	*left = 0;
	unsigned cap = 0;
	for (uint32_t k = 0; tp_streamset_next(set, s->proto, &k); k++) {
		if (m->n == max) {
			++*left;
			continue;
		}
		if (m->n == cap) {
			cap = cap ? cap * 2 : 8;
			tp_follow **a = realloc(m->fo, cap * sizeof *a);
			if (a)
				m->fo = a;
			FILE **t = realloc(m->tmp, cap * sizeof *t);
			if (t)
				m->tmp = t;
			uint32_t *u = realloc(m->stream, cap * sizeof *u);
			if (u)
				m->stream = u;
			if (!a || !t || !u)
				goto fail;
		}
		tp_follow_spec one = *s;
		one.any = false;
		one.by_stream = true;
		one.stream = k;
		m->tmp[m->n] = tmpfile();
		m->fo[m->n] = m->tmp[m->n] ? tp_follow_new(&one, m->tmp[m->n])
					   : NULL;
		if (!m->fo[m->n]) {
			if (m->tmp[m->n])
				fclose(m->tmp[m->n]);
			goto fail;
		}
		m->stream[m->n++] = k;
	}
	return m;
fail:
	tp_follow_many_free(m);
	return NULL;
}

/* Each stream's follow, in stream order; -1 when one failed. */
int tp_follow_many_finish(tp_follow_many *m)
{
	int rc = 0;
	char buf[1 << 16];
	for (unsigned i = 0; i < m->n; i++) {
		if (tp_follow_finish(m->fo[i]) < 0)
			rc = -1;
		rewind(m->tmp[i]);
		size_t k;
		while ((k = fread(buf, 1, sizeof buf, m->tmp[i])) > 0)
			fwrite(buf, 1, k, m->out);
	}
	fflush(m->out);
	return rc;
}

unsigned tp_follow_many_count(const tp_follow_many *m) { return m->n; }

void tp_follow_many_free(tp_follow_many *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->n; i++) {
		tp_follow_free(m->fo[i]);
		fclose(m->tmp[i]);
	}
	free(m->fo);
	free(m->tmp);
	free(m->stream);
	free(m);
}

static int many_finish(void *self)
{
	return tp_follow_many_finish(self) < 0 ? TP_EXIT_RUNTIME : 0;
}

tp_consumer tp_follow_many_consumer(tp_follow_many *m)
{
	return (tp_consumer){.finish = many_finish, .self = m,
			     .tap = &m->tap};
}
