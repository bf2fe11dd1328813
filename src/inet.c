/* inet.c - Internet checksum, RFC 1071. */
#include <stddef.h>

#include "tapir/field.h"
#include "tapir/inet.h"

const tp_valstr tp_cksum_status_vals[] = {
	{TP_CKSUM_BAD, "Bad"},
	{TP_CKSUM_GOOD, "Good"},
	{TP_CKSUM_UNVERIFIED, "Unverified"},
	{0, NULL},
};

uint32_t tp_cksum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	uint64_t s = sum;
	size_t i = 0;
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
