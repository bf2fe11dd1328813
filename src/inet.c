/* inet.c - Internet checksum, RFC 1071. */
#include <stddef.h>

#include "tapir/field.h"
#include "tapir/inet.h"

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
	uint64_t s = sum;
	size_t i = 0;
	for (; i + 8 <= n; i += 8)
		s += (uint64_t)be32(p + i) + be32(p + i + 4);
	for (; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (i < n)
		s += (uint32_t)p[i] << 8;
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
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
