/* toy.h - a length-prefixed toy protocol for the stream and datagram
 * contract (dissector.h, stream.h), compiled only into the test programs
 * and the fuzz harnesses (never into tapir).
 *
 * A PDU is the magic byte 0x7e, a 24-bit big-endian length L, then L
 * bytes: on TCP port 7 as a stream dissector (a PDU may need up to
 * 16 MiB, more than TP_PDU_MAX: such a PDU is passed over), on UDP port 7
 * as a datagram dissector, elsewhere found by its probe (the magic byte).
 * A byte other than the magic where a PDU should start gives up on the
 * direction; after a gap the toy resynchronises at the next magic byte,
 * the bytes before it becoming one "toy.skipped" PDU.  Per direction it
 * counts its PDUs (toy.seq) and gaps; toy_news/toy_frees count the states
 * made and freed.  For the whole run (session_new) it counts the PDUs of
 * all its flows (toy.total); its Protocol column is "TOY", its Info
 * "Toy PDU, N bytes".
 */
#ifndef TAPIR_TEST_TOY_H
#define TAPIR_TEST_TOY_H

#include <stdint.h>

#include "tapir/dissector.h"

#define TOY_MAGIC 0x7e
#define TOY_PORT 7
#define TOY_HDR 4

extern const tp_dissector tp_diss_toy;
extern unsigned toy_news, toy_frees;
extern uint64_t toy_gap_bytes;
/* The run's state (session_new): PDUs of every flow, toy.total. */
extern unsigned toy_session_news, toy_session_frees;

typedef struct toy_state {
	uint8_t proto;
	int dir;
	uint32_t pdus;
	uint32_t gaps;
	int resync; /* after a gap: look for the magic byte */
} toy_state;

/* Add the toy to the registry (tp_registry_add_test); idempotent. */
void toy_register(void);

#endif
