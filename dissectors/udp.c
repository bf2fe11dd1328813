/* udp.c - User Datagram Protocol: ports, length, checksum.
 *
 * RFC 768 (header, pseudo-header checksum; an all-zero checksum means
 * "none" over IPv4); RFC 8200 section 8.1 (over IPv6 the checksum is
 * mandatory, so zero is illegal); RFC 2675 section 4 (a jumbogram carries
 * length 0 and the real length comes from the IPv6 layer).  The length
 * field clamps the payload (IP padding never reaches it); a length larger
 * than the IP payload is an error, and what is there is still dissected.
 */
#include "tapir/dissector.h"
#include "tapir/flow.h"
#include "tapir/inet.h"
#include "tapir/output.h"
#include "tapir/proto.h"
#include "tapir/registry.h"
#include "tapir/stream.h"
#include "tapir/layerfields.h"

enum {
	F_SRCPORT,
	F_DSTPORT,
	F_PORT,
	F_LENGTH,
	F_CKSUM,
	F_CKSUM_CALC,
	F_CKSUM_STATUS,
	F_STREAM,
	F_PAYLOAD,
	F_COUNT
};

/* Wireshark's proto_checksum_vals: our status goes beyond inet.h's three. */
enum { CK_NOT_PRESENT = TP_CKSUM_NOT_PRESENT, CK_ILLEGAL = TP_CKSUM_ILLEGAL };
#define cksum_status_vals tp_cksum_status_vals

static const tp_field_def fields[F_COUNT] = {
	[F_SRCPORT] = {"udp.srcport", "Source Port", TP_FT_UINT16, TP_BASE_DEC,
		       NULL, 0},
	[F_DSTPORT] = {"udp.dstport", "Destination Port", TP_FT_UINT16,
		       TP_BASE_DEC, NULL, 0},
	[F_PORT] = {"udp.port", "Source or Destination Port", TP_FT_UINT16,
		    TP_BASE_DEC, NULL, 0},
	[F_LENGTH] = {"udp.length", "Length", TP_FT_UINT16, TP_BASE_DEC, NULL,
		      0},
	[F_CKSUM] = {"udp.checksum", "Checksum", TP_FT_UINT16, TP_BASE_HEX,
		     NULL, 0},
	[F_CKSUM_CALC] = {"udp.checksum_calculated", "Calculated Checksum",
			  TP_FT_UINT16, TP_BASE_HEX, NULL, 0},
	[F_CKSUM_STATUS] = {"udp.checksum.status", "Checksum Status",
			    TP_FT_UINT8, TP_BASE_NONE, cksum_status_vals, 0},
	[F_STREAM] = {"udp.stream", "Stream index", TP_FT_UINT32, TP_BASE_DEC,
		      NULL, 0},
	/* hidden here (tshark's tree shows "UDP payload (N bytes)") */
	[F_PAYLOAD] = {"udp.payload", "Payload", TP_FT_BYTES,
		       TP_BASE_NONE | TP_BASE_HIDDEN, NULL, 0},
};

const tp_field_def *const tp_fd_udp_srcport = &fields[F_SRCPORT];
const tp_field_def *const tp_fd_udp_dstport = &fields[F_DSTPORT];
const tp_field_def *const tp_fd_udp_stream = &fields[F_STREAM];

enum { E_LEN_SHORT, E_LEN_LONG, E_CKSUM_ZERO, E_CKSUM_BAD, E_COUNT };
static const tp_event_def events[E_COUNT] = {
	[E_LEN_SHORT] = {"udp.length.bad", TP_EV_MALFORMED,
			 "Bad length value: less than the 8-byte header"},
	[E_LEN_LONG] = {"udp.length.bad", TP_EV_MALFORMED,
			"Bad length value: larger than the IP payload"},
	[E_CKSUM_ZERO] = {"udp.checksum.zero", TP_EV_WARN,
			  "Illegal checksum value (0) over IPv6"},
	[E_CKSUM_BAD] = {"udp.checksum.bad", TP_EV_WARN, "Bad checksum"},
};

/* Inside an ICMP error the quote is usually just the 8-byte header, and
 * often less: take each field that is there, flag nothing. */
/* With a session: the flow (udp.stream, numbered as tshark numbers it,
 * quoted datagrams inside ICMP errors included) and the payload to the
 * stream taps (--follow udp.stream==N). */
static tp_flow *track(tp_pkt *p, const tp_cursor *c, size_t start,
		      uint16_t sport, uint16_t dport)
{
	const tp_netaddr *na = tp_nearest_addr(p, p->nlayers - 1);
	if (!na || !na->src || !na->dst || (na->family != 4 && na->family != 6))
		return NULL;
	int dir;
	tp_flow *f = tp_flow_get(p->sess, p, na->family, TP_IPPROTO_UDP,
				 na->src, na->dst, sport, dport, false, &dir);
	if (!f)
		return NULL;
	p->flow = f;
	p->flow_dir = dir;
	tp_add_uint(p, &fields[F_STREAM], start, 0, f->stream);
	if (p->in_error)
		return f; /* a quoted datagram: the number only, as tshark */
	tp_cursor pl = *c;
	size_t n = tp_avail(&pl);
	if (p->sess->ntaps && !na->fragment && tp_flow_wanted(p->sess, f)) {
		const uint8_t *b = n ? tp_bytes(&pl, n) : NULL;
		if (b)
			tp_flow_deliver(p->sess, f, dir, f->payload[dir], b, n,
					p);
	}
	f->payload[dir] += n;
	return f;
}

/* udp.payload: the captured bytes of the datagram after the header (the
 * cursor clamped to the UDP length), in a run that is not lean; none
 * when no byte was captured (tshark adds none to a quoted datagram). */
static void add_payload(tp_pkt *p, const tp_cursor *c)
{
	tp_cursor pl = *c;
	size_t at = pl.off, n = tp_avail(&pl);
	if (!p->lean && n)
		tp_add_bytes(p, &fields[F_PAYLOAD], at, n, tp_bytes(&pl, n), n);
}

static tp_next udp_quoted(tp_pkt *p, tp_cursor *c)
{
	size_t at = c->off;
	if (!tp_has(c, 2))
		return TP_STOP;
	uint16_t sport = tp_get_be16(p, c, &fields[F_SRCPORT]);
	if (!tp_has(c, 2))
		return TP_STOP;
	uint16_t dport = tp_get_be16(p, c, &fields[F_DSTPORT]);
	tp_add_uint(p, &fields[F_PORT], at, 2, sport);
	tp_add_uint(p, &fields[F_PORT], at + 2, 2, dport);
	if (!tp_has(c, 2))
		return TP_STOP;
	uint16_t ulen = tp_get_be16(p, c, &fields[F_LENGTH]);
	if (!tp_has(c, 2))
		return TP_STOP;
	tp_get_be16(p, c, &fields[F_CKSUM]);
	if (ulen >= 8)
		tp_clamp(c, ulen - 8u);
	if (p->sess)
		track(p, c, at, sport, dport);
	add_payload(p, c);
	return TP_STOP;
}

/* Verify the checksum over the whole datagram and the pseudo-header. */
static void check_sum(tp_pkt *p, const tp_cursor *c, size_t start,
		      uint32_t ulen, uint16_t sum, size_t sum_at)
{
	unsigned li = p->nlayers - 1;
	const tp_netaddr *a = tp_nearest_addr(p, li);
	uint8_t status = TP_CKSUM_UNVERIFIED;
	if (a && a->src && a->dst && sum == 0) {
		if (a->family == 6) {
			tp_add_event(p, &events[E_CKSUM_ZERO], sum_at);
			status = CK_ILLEGAL;
		} else {
			status = CK_NOT_PRESENT;
		}
	} else if (!p->no_verify && a && a->src && a->dst &&
		   !tp_fragmented(p, li)) {
		tp_cursor t = *c;
		t.off = start;
		const uint8_t *v = tp_has(&t, ulen) ? tp_bytes(&t, ulen) : NULL;
		if (v) {
			uint32_t s = tp_cksum_pseudo(
				a->family, a->src, tp_pseudo_dst(p, li),
				TP_IPPROTO_UDP, ulen);
			s = tp_cksum_add(s, v, 6);
			s = tp_cksum_add(s, v + 8, ulen - 8);
			uint16_t calc = tp_cksum_fold(s);
			if (calc == 0)
				calc = 0xffff; /* RFC 768: 0 is sent as ~0 */
			tp_add_uint(p, &fields[F_CKSUM_CALC], sum_at, 0, calc);
			status = calc == sum ? TP_CKSUM_GOOD
				 : tp_cksum_offloaded(a->family, a->src,
						      a->dst, TP_IPPROTO_UDP,
						      ulen, sum)
				     ? TP_CKSUM_OFFLOADED
				     : TP_CKSUM_BAD;
			if (status == TP_CKSUM_BAD)
				tp_add_event(p, &events[E_CKSUM_BAD], sum_at);
		}
	}
	tp_add_uint(p, &fields[F_CKSUM_STATUS], sum_at, 0, status);
}

static tp_next udp_dissect(tp_pkt *p, tp_cursor *c)
{
	if (p->in_error)
		return udp_quoted(p, c);
	size_t start = c->off;
	size_t iplen = tp_reported(c); /* what the IP layer says is here */
	uint16_t sport = tp_get_be16(p, c, &fields[F_SRCPORT]);
	uint16_t dport = tp_get_be16(p, c, &fields[F_DSTPORT]);
	if (!tp_ok(c))
		return TP_STOP;
	tp_add_uint(p, &fields[F_PORT], start, 2, sport);
	tp_add_uint(p, &fields[F_PORT], start + 2, 2, dport);
	size_t len_at = c->off;
	uint32_t ulen = tp_get_be16(p, c, &fields[F_LENGTH]);
	size_t sum_at = c->off;
	uint16_t sum = tp_get_be16(p, c, &fields[F_CKSUM]);
	if (!tp_ok(c))
		return TP_STOP;
	if (ulen == 0 && iplen > 65535)
		ulen = (uint32_t)iplen; /* RFC 2675 jumbogram */
	if (ulen < 8) {
		tp_add_uint(p, &fields[F_CKSUM_STATUS], sum_at, 0,
			    TP_CKSUM_UNVERIFIED);
		tp_add_event(p, &events[E_LEN_SHORT], len_at);
		return TP_STOP;
	}
	if (ulen > iplen) {
		/* A first fragment carries the whole datagram's length. */
		if (!tp_fragmented(p, p->nlayers - 1))
			tp_add_event(p, &events[E_LEN_LONG], len_at);
		tp_add_uint(p, &fields[F_CKSUM_STATUS], sum_at, 0,
			    TP_CKSUM_UNVERIFIED);
	} else {
		tp_clamp(c, ulen - 8u);
		check_sum(p, c, start, ulen, sum, sum_at);
	}
	tp_flow *f = p->sess ? track(p, c, start, sport, dport) : NULL;
	add_payload(p, c);
	/* the datagram dissector the flow is pinned to (stream.h) */
	tp_cursor pl = *c;
	size_t n = tp_avail(&pl);
	const uint8_t *b = n ? tp_bytes(&pl, n) : NULL;
	const tp_dissector *d = tp_app_datagram(p, f, f ? p->flow_dir : 0, b,
						b ? n : 0, sport, dport);
	if (d)
		return tp_next_key(TP_TAB_NAME,
				   f ? f->app.idx : tp_registry_index(d));
	return (tp_next){TP_TAB_UDP_PORT, sport, dport};
}

/* ---- the one-line summary, as tcpdump's udp_print ------------------- */

/* "a.b.c.d.sport > e.f.g.h.dport: ", or only the ports when the network
 * header does not say UDP itself (IPv6 extension headers: the IPv6 layer
 * printed the addresses then, as tcpdump does). */
static void put_endpoints(tp_sbuf *s, const tp_pkt *p, unsigned li,
			  const tp_field *sp, const tp_field *dp)
{
	const tp_netaddr *a = tp_nearest_addr(p, li);
	bool addrs = a && a->src && a->dst && a->proto == TP_IPPROTO_UDP;
	if (!sp || !dp) {
		if (addrs) {
			tp_sb_addr(s, a, true);
			tp_sb_puts(s, " > ");
			tp_sb_addr(s, a, false);
			tp_sb_puts(s, ": ");
		}
		return;
	}
	tp_sb_endpoints(s, addrs ? a : NULL, sp->v.u, dp->v.u);
}

/* tcpdump's own verdict over IPv6 (print-udp.c, udp6_cksum): its
 * pseudo-header destination is not Wireshark's behind a routing header
 * without segments left, and a zero checksum is bad there (RFC 8200
 * 8.1 forbids it).  The sum over the datagram as captured, when it all
 * is: 0 when it verifies, else what the field should have held. */
static bool tcpdump_sum(const tp_pkt *p, unsigned li, const tp_netaddr *a,
			uint64_t ulen, uint16_t ck, uint64_t *want)
{
	const tp_layer *l = &p->layers[li];
	uint64_t n = (uint64_t)l->len + l->payload_len;
	if (ulen < n)
		n = ulen;
	tp_cursor c = tp_layer_cursor(p, li);
	const uint8_t *v = tp_bytes(&c, (size_t)n);
	const uint8_t *dst = tp_tcpdump_pseudo_dst(p, li);
	if (!v || !a->src || !dst)
		return false;
	uint32_t sum = tp_cksum_pseudo(6, a->src, dst, TP_IPPROTO_UDP,
				       (uint32_t)n);
	uint32_t r = tp_cksum_fold(tp_cksum_add(sum, v, (size_t)n));
	if (r == 0) {
		*want = ck;
		return true;
	}
	r += ck; /* in_cksum_shouldbe */
	r = (r & 0xffff) + (r >> 16);
	*want = (r & 0xffff) + (r >> 16);
	return true;
}

/* Is the IPv4 datagram below layer li all captured, its payload n bytes
 * as its header says? */
static bool ip_whole(const tp_pkt *p, unsigned li, size_t n)
{
	uint64_t tl = 0, hl = 0;
	if (li == 0 || p->layers[li - 1].d != &tp_diss_ip ||
	    !tp_layer_u64(p, li - 1, tp_fd_ip_len, &tl) ||
	    !tp_layer_u64(p, li - 1, tp_fd_ip_hdr_len, &hl) || tl < hl ||
	    tl - hl != n)
		return false;
	tp_cursor c = tp_layer_cursor(p, li);
	return tp_avail(&c) >= n;
}

/* tcpdump's checksum notice: over IPv6 from -v on, over IPv4 from -vv
 * on ("[no cksum] " for a zero one there), when the checksum was
 * verified (the whole datagram captured, not after a fragment header;
 * a zero one over IPv6 is bad). */
static void put_cksum(const tp_pkt *p, unsigned li, tp_sbuf *s, int vflag,
		      const tp_field *cf, const tp_field *lf, uint32_t length)
{
	const tp_netaddr *a = tp_nearest_addr(p, li);
	if (!a || tp_tcpdump_fragmented(p, li) ||
	    (a->family == 4 && vflag < 2))
		return;
	if (a->family == 4 && cf->v.u == 0) {
		tp_sb_puts(s, "[no cksum] ");
		return;
	}
	const tp_field *cfield = tp_layer_find(p, li, &fields[F_CKSUM_CALC]);
	uint64_t want;
	if (a->family == 6 && lf &&
	    (cf->v.u == 0 || tp_tcpdump_pseudo_dst(p, li) != a->dst)) {
		if (!tcpdump_sum(p, li, a, lf->v.u, (uint16_t)cf->v.u, &want))
			return;
	} else if (cfield) {
		want = cfield->v.u;
	} else {
		/* computed here when all of it is there: a quoted datagram,
		 * or one whose UDP length runs past the IP datagram (not
		 * verified when dissected; tcpdump sums what the IP datagram
		 * holds, its pseudo-header saying that length) */
		uint16_t c;
		if (!lf || lf->v.u < 8)
			return;
		size_t n = (size_t)lf->v.u;
		if (lf->v.u > 8u + length && !p->layers[li].embedded &&
		    ip_whole(p, li, 8u + length))
			n = 8u + length;
		else if (!p->layers[li].embedded || lf->v.u > 8u + length)
			return;
		if (!tp_l4_cksum(p, li, TP_IPPROTO_UDP, n, 6, &c))
			return;
		want = c ? c : 0xffff;
	}
	if (want == cf->v.u) {
		tp_sb_puts(s, "[udp sum ok] ");
		return;
	}
	tp_sb_puts(s, "[bad udp cksum 0x");
	tp_sb_hex(s, cf->v.u, 4);
	tp_sb_puts(s, " -> 0x");
	tp_sb_hex(s, want, 4);
	tp_sb_puts(s, "!] ");
}

static tp_sum udp_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			    const tp_outopts *o)
{
	const tp_field *sp = tp_layer_find(p, li, &fields[F_SRCPORT]);
	const tp_field *dp = tp_layer_find(p, li, &fields[F_DSTPORT]);
	const tp_field *lf = tp_layer_find(p, li, &fields[F_LENGTH]);
	const tp_field *cf = tp_layer_find(p, li, &fields[F_CKSUM]);
	/* The IP payload length: what the layer below handed over (in an
	 * ICMP error's quote: what the quoted header says; over IPv6 what
	 * its header claims, as tcpdump). */
	uint32_t length = (uint32_t)tp_tcpdump_ip6_length(
		p, li, tp_ip_payload_length(p, li));
	bool quoted = p->layers[li].embedded;
	put_endpoints(s, p, li, sp, dp);
	/* a header cut where no TRUNCATED event will say it (nothing to
	 * read, or the IP header claims more than the frame) */
	bool mark = !tp_pkt_has_event(p, TP_EV_TRUNCATED);
	if (!sp || !dp) {
		if (mark && !quoted)
			tp_sb_puts(s, " [|udp]");
		return TP_SUM_STOP;
	}
	if (quoted && (!lf || !cf)) {
		tp_sb_puts(s, " [|udp]"); /* a quote has no event */
		return TP_SUM_STOP;
	}
	if (o->vflag && length >= 8 && lf && lf->v.u >= 8 && cf)
		put_cksum(p, li, s, o->vflag, cf, lf, length - 8);
	/* An application layer above speaks for the payload (tcpdump: the
	 * port's printer), except with -q. */
	const tp_layer *up = li + 1 < p->nlayers ? &p->layers[li + 1] : NULL;
	if (!o->qflag && up && up->d != &tp_diss_data && up->d->summarize)
		return TP_SUM_NEXT;
	if (length < 8) {
		tp_sb_puts(s, "truncated-udp ");
		tp_sb_dec(s, length);
		return TP_SUM_STOP;
	}
	if (!lf) { /* cut short: " [|udp]" (the event's, or here) */
		if (mark)
			tp_sb_puts(s, " [|udp]");
		return TP_SUM_STOP;
	}
	uint32_t ulen = (uint32_t)lf->v.u;
	if (ulen == 0 && length > 65535)
		ulen = length;
	if (ulen < 8) {
		tp_sb_puts(s, "truncated-udplength ");
		tp_sb_dec(s, ulen);
		return TP_SUM_STOP;
	}
	if (!cf) {
		if (mark)
			tp_sb_puts(s, " [|udp]");
		return TP_SUM_STOP;
	}
	ulen -= 8;
	length -= 8;
	if (ulen > length && !tp_fragmented(p, li)) {
		tp_sb_puts(s, "UDP, bad length ");
		tp_sb_dec(s, ulen);
		tp_sb_puts(s, " > ");
		tp_sb_dec(s, length);
	} else {
		tp_sb_puts(s, "UDP, length ");
		tp_sb_dec(s, ulen);
	}
	return TP_SUM_STOP;
}

static const tp_key udp_keys[] = {{TP_TAB_IPPROTO, TP_IPPROTO_UDP}, {0, 0}};

const tp_dissector tp_diss_udp = {
	.name = "udp",
	.colname = "UDP",
	.longname = "User Datagram Protocol",
	.fields = fields,
	.nfields = F_COUNT,
	.events = events,
	.nevents = E_COUNT,
	.keys = udp_keys,
	.dissect = udp_dissect,
	.summarize = udp_summarize,
};
