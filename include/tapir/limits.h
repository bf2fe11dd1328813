/* limits.h - every hard limit in one place, each with a name.
 *
 * Hostile input must never make tapir grow without bound or loop for
 * ever: each of these caps a structure an attacker controls.  Where a user
 * could need more, a CLI option overrides the default (see options.h).
 */
#ifndef TAPIR_LIMITS_H
#define TAPIR_LIMITS_H

#define TP_MAX_LAYERS 24        /* dissection depth: layers one chain of keys
				 * (a frame, or one stream PDU) may add */
/* One packet record.  A 64 KiB TCP segment may complete hundreds of small
 * PDUs (HTTP/2 frames, TLS records), each one layer or more: the arrays
 * are allocated once at these sizes (pages never touched cost no memory)
 * and reaching one is an event on the packet (_ws.record_full), never a
 * silent cut. */
#define TP_MAX_PKT_LAYERS 8192  /* layers in one packet record */
#define TP_MAX_FIELDS 65536     /* fields in one packet record */
#define TP_MAX_EVENTS 4096      /* events in one packet record */
#define TP_ARENA_SIZE (1024 * 1024) /* derived bytes per packet */
#define TP_MAX_SOURCES 256      /* data sources of one record (the frame, a
				 * defragmented datagram, reassembled PDUs) */
#define TP_SRC_STORE (4u << 20) /* bytes of reassembled PDUs one record
				 * keeps copies of (at least 4 of TP_PDU_MAX) */
#define TP_MAX_VLAN 8           /* stacked 802.1Q/802.1ad tags */
#define TP_MAX_IPV6_EXT 16      /* IPv6 extension headers walked */
#define TP_MAX_EMBED 8          /* ICMP errors quoting ICMP errors, each
				 * quote dissected (tshark and tcpdump -v
				 * follow them all) */

/* Largest packet record a capture file may hold.  libpcap allows 256 KiB
 * for most link types (MAXIMUM_SNAPLEN); anything above that is damage. */
#define TP_MAX_SNAPLEN (256 * 1024)
/* Largest pcapng block tapir reads into memory; larger ones are damage. */
#define TP_MAX_BLOCK (16 * 1024 * 1024)

#endif
