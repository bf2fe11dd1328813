/* inet.h - Internet checksum (RFC 1071) over views the cursor handed out. */
#ifndef TAPIR_INET_H
#define TAPIR_INET_H

#include <stddef.h>
#include <stdint.h>

/* Add `n` bytes to a running one's-complement sum (start with 0). */
uint32_t tp_cksum_add(uint32_t sum, const uint8_t *p, size_t n);
/* Fold and complement: 0 means the data (including its checksum field)
 * verifies. */
uint16_t tp_cksum_fold(uint32_t sum);
/* Sum of the TCP/UDP pseudo-header (RFC 793 / RFC 8200 section 8.1). */
uint32_t tp_cksum_pseudo(unsigned family, const uint8_t *src,
			 const uint8_t *dst, uint8_t proto, uint32_t len);

/* The destination address of the pseudo-header: RFC 8200 8.1, with a
 * routing header whose segments are not all visited the final one (the
 * last address of type 0, the home address of type 2, segment 0 of
 * type 4, the last one of RPL).  tp_final_dst takes the IPv6 layer,
 * tp_pseudo_dst the upper layer (any network layer below it). */
struct tp_pkt;
const uint8_t *tp_final_dst(const struct tp_pkt *p, unsigned nl);
const uint8_t *tp_pseudo_dst(const struct tp_pkt *p, unsigned li);

/* A TCP/UDP checksum field holding only the folded, uncomplemented sum
 * of the pseudo-header (`pseudo`, from tp_cksum_pseudo with the segment
 * length, or 0 for the length as TSO leaves it): the sending host left
 * the checksum to the NIC (Linux CHECKSUM_PARTIAL), and the capture saw
 * the packet before the NIC did.  Every locally sent packet of a
 * loopback or veth capture looks like this. */
int tp_cksum_offloaded(unsigned family, const uint8_t *src,
		       const uint8_t *dst, uint8_t proto, uint32_t len,
		       uint16_t field);

/* Values of the Wireshark-style *.checksum.status fields; OFFLOADED is
 * tapir's (Wireshark calls it Bad with validation on). */
enum {
	TP_CKSUM_BAD = 0,
	TP_CKSUM_GOOD = 1,
	TP_CKSUM_UNVERIFIED = 2,
	TP_CKSUM_NOT_PRESENT = 3,
	TP_CKSUM_ILLEGAL = 4,
	TP_CKSUM_OFFLOADED = 5,
};
extern const struct tp_valstr tp_cksum_status_vals[];

#endif
