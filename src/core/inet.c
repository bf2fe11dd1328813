/* inet.c - Internet checksum, RFC 1071. */
#include <stddef.h>
#include <string.h>

#include "tapir/field.h"
#include "tapir/inet.h"
#include "tapir/record.h"
#include "tapir/layerfields.h"

const tp_valstr tp_cksum_status_vals[] = {
	{TP_CKSUM_BAD, "Bad"},
	{TP_CKSUM_GOOD, "Good"},
	{TP_CKSUM_UNVERIFIED, "Unverified"},
	{TP_CKSUM_NOT_PRESENT, "Not present"},
	{TP_CKSUM_ILLEGAL, "Illegal"},
	{TP_CKSUM_OFFLOADED, "Offloaded (partial checksum: pseudo-header only)"},
	{0, NULL},
};

static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* RFC 1071 section 2 (B): the one's-complement sum may be taken over
 * wider words and folded, since 2^16 = 1 (mod 2^16 - 1).  Eight bytes a
 * step into a 64-bit accumulator (at most 2^33 a step: no overflow for
 * any packet), then the 16-bit words left over.  A chunk of odd length
 * must be the last one. */
uint32_t tp_cksum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	/* The words in the machine's own byte order, 16 bytes a step (the
	 * sum of byte-swapped words is the byte-swapped sum, RFC 1071
	 * section 2 (A)): two loads and four adds, no shifts. */
	uint64_t s = 0;
	size_t i = 0;
	for (; i + 16 <= n; i += 16) {
		uint64_t a, b;
		memcpy(&a, p + i, 8);
		memcpy(&b, p + i + 8, 8);
		s += (a & 0xffffffffu) + (a >> 32) + (b & 0xffffffffu) + (b >> 32);
	}
	for (; i + 2 <= n; i += 2) {
		uint16_t w;
		memcpy(&w, p + i, 2);
		s += w;
	}
	if (i < n) { /* the odd last byte: the high half of a network word */
		uint8_t last[2] = {p[i], 0};
		uint16_t w;
		memcpy(&w, last, 2);
		s += w;
	}
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	s = (s >> 8 | s << 8) & 0xffff;
#endif
	uint64_t t = (uint64_t)sum + s;
	return (uint32_t)((t & 0xffffffffu) + (t >> 32));
}

uint16_t tp_cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t tp_cksum_pseudo(unsigned family, const uint8_t *src,
			 const uint8_t *dst, uint8_t proto, uint32_t len)
{
	size_t alen = family == 6 ? 16 : 4;
	uint32_t s = tp_cksum_add(0, src, alen);
	s = tp_cksum_add(s, dst, alen);
	uint8_t tail[8] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16),
			   (uint8_t)(len >> 8), (uint8_t)len, 0, 0, 0, proto};
	return tp_cksum_add(s, tail, 8);
}

int tp_cksum_offloaded(unsigned family, const uint8_t *src,
		       const uint8_t *dst, uint8_t proto, uint32_t len,
		       uint16_t field)
{
	uint16_t with_len =
		(uint16_t)~tp_cksum_fold(tp_cksum_pseudo(family, src, dst, proto, len));
	uint16_t no_len =
		(uint16_t)~tp_cksum_fold(tp_cksum_pseudo(family, src, dst, proto, 0));
	return field == with_len || field == no_len;
}

/* RFC 8200 8.1: the pseudo-header of an upper layer uses the final
 * destination. */
/* The final destination: with a routing header whose segments are not
 * all visited, the last address of its list. */
const uint8_t *tp_final_dst(const tp_pkt *p, unsigned nl)
{
	const tp_netaddr *a = &p->layers[nl].addr;
	uint64_t segleft = 0;
	if (!tp_layer_u64(p, nl, tp_fd_ipv6_routing_segleft, &segleft) ||
	    segleft == 0)
		return a->dst;
	const tp_layer *l = &p->layers[nl];
	const uint8_t *last = NULL;
	bool srh_first = false;
	for (unsigned i = 0; i < l->nfields; i++) {
		const tp_field *f = &p->fields[l->first_field + i];
		const tp_field_def *d = f->def;
		if (f->vlen < 16)
			continue;
		if (d == tp_fd_ipv6_routing_src_addr ||
		    d == tp_fd_ipv6_routing_mipv6_home ||
		    d == tp_fd_ipv6_routing_rpl_full) {
			last = f->v.p;
		} else if (d == tp_fd_ipv6_routing_srh_addr && !srh_first) {
			/* RFC 8754 2: segment list [0] is the last one */
			last = f->v.p;
			srh_first = true;
		}
	}
	return last ? last : a->dst;
}

const uint8_t *tp_pseudo_dst(const tp_pkt *p, unsigned li)
{
	for (unsigned i = li; i-- > 0;)
		if (p->layers[i].addr.family)
			return p->layers[i].addr.family == 6
				       ? tp_final_dst(p, i)
				       : p->layers[i].addr.dst;
	return NULL;
}
