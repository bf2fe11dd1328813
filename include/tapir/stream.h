/* stream.h - the application layer of flows: pinning a TCP or UDP flow to
 * a stream or datagram dissector, and feeding a stream dissector its PDUs.
 *
 * The contract a protocol fills in is in dissector.h (probe, state_new,
 * state_free, pdu_len, gap, pdu_max, plus the usual dissect); this is the
 * glue flow.c, tcp.c and udp.c call (src/flow/stream.c).
 *
 * Pinning (once per flow, then it stays): a decode-as rule on either port
 * (the lower first), then a dissector keyed on either port (the lower
 * first), then the probes in registry order on the first payload of the
 * flow (TCP: a segment's captured payload; UDP: a datagram); a probe that
 * cannot tell yet is asked again with the next one, up to
 * TP_APP_PROBE_TRIES times, then the flow has no dissector.  A stream
 * dissector is pinned to TCP flows only when reassembly is on.
 *
 * Stream delivery: the reassembler's in-order bytes of each direction go
 * through a tp_pdubuf (the consumed/needed contract, reasm.h); every
 * whole PDU is dissected into the record of the packet being dissected
 * (the one whose segment completed it), or, when bytes come without such
 * a packet (a flush at expiry, eviction or the end of the capture), into
 * a scratch record that is thrown away, so the dissector's state stays
 * right.  A PDU that lies in the packet's own bytes reads them in place;
 * one that does not (it spanned segments, or came from held out-of-order
 * bytes) is copied into the record as a "Reassembled TCP" data source and
 * TCP lists the frames that delivered its bytes (tcp.segment: for bytes
 * held out of order, the frame that filled the hole before them).
 */
#ifndef TAPIR_STREAM_H
#define TAPIR_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tapir/flow.h"

struct tp_pkt;
struct tp_dissector;

#define TP_APP_PROBE_TRIES 8   /* segments or datagrams probed per flow */
#define TP_PDU_SEGS_MAX 4096   /* frames listed per PDU (tcp.segment) */

/* A new flow (or a new connection on an old one's ports): pin by ports. */
void tp_app_pin_ports(tp_session *s, tp_flow *f);
/* Is the flow pinned to a stream dissector (its payload is consumed)? */
bool tp_app_is_stream(const tp_flow *f);
/* TCP, a segment with payload b[0..n) of a flow not pinned yet: ask the
 * probes.  True when this pinned it to a stream dissector (tcp.c then
 * turns reassembly on). */
bool tp_app_tcp_probe(tp_session *s, tp_flow *f, const uint8_t *b, size_t n);
/* In-order bytes and gaps of a direction of a pinned TCP flow, from the
 * reassembler (flow.c's sink); p: the packet being dissected, or NULL. */
void tp_app_data(tp_session *s, tp_flow *f, int dir, uint64_t off,
		 const uint8_t *b, size_t n, struct tp_pkt *p);
void tp_app_gap(tp_session *s, tp_flow *f, int dir, uint64_t off,
		uint64_t n);
/* UDP: the dissector for a datagram whose payload is b[0..n) (f may be
 * NULL: no session), with p->app_state/app_dir/app_proto set for it; NULL
 * when no dissector is pinned (the port key then applies, as before). */
const struct tp_dissector *tp_app_datagram(struct tp_pkt *p, tp_flow *f,
					   int dir, const uint8_t *b, size_t n,
					   uint16_t sport, uint16_t dport);
/* The flow ends (or is evicted, or starts again): free its dissector's
 * state and PDU buffers.  Idempotent. */
void tp_app_end(tp_session *s, tp_flow *f);
/* The connection is over (both FINs, or an RST) and every byte of it was
 * delivered: free its dissector's state and buffers now, not when the
 * flow leaves the table (a table of finished HTTP connections would keep
 * a state each); the flow stays pinned (a late segment makes new state,
 * which resynchronises).  A no-op when there is no state. */
void tp_app_close(tp_session *s, tp_flow *f);
/* Does a direction hold the start of a PDU still waiting for its end?
 * After an RST the peer's segments in flight may still bring it: the
 * state is then kept (tcp_analysis.c) rather than closed and made again
 * inside the PDU. */
bool tp_app_pending(const tp_flow *f);
/* The session ends: free the dissectors' states for the run. */
void tp_app_session_free(tp_session *s);
/* A dissector's state for the run if it made one (never makes it):
 * what --stats NAME prints from. */
void *tp_app_session_find(const tp_session *s, const struct tp_dissector *d);

#endif
