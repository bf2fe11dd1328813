/* printer.h - the output on a thread of its own (--threads 3).
 *
 * Reading a file, the main thread reads and dissects (flows, reassembly,
 * the taps, --stats) into the records of a ring of slots; the printer
 * thread formats them with the chosen output, in packet order.  A slot
 * owns a copy of its packet's bytes and of a reassembled datagram, so
 * nothing it points to changes under the printer; the printer touches
 * no session state.  Off by default: on two CPUs the records crossing
 * between them cost about what the thread saves (doc/ARCHITECTURE.md).
 */
#ifndef TAPIR_PRINTER_H
#define TAPIR_PRINTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tapir/output.h"
#include "tapir/record.h"

#define TP_PRINTER_SLOTS 256

typedef struct tp_printer tp_printer;

/* Starts the thread; NULL when it cannot (the caller prints in line).
 * Every slot's record gets `proto`'s sess and no_verify. */
tp_printer *tp_printer_new(tp_output *out, FILE *fp, const tp_pkt *proto);
/* The next free slot: its record, and a buffer of at least `caplen`
 * bytes for the packet (NULL: out of memory, or the output failed). */
tp_pkt *tp_printer_slot(tp_printer *pr, size_t caplen, uint8_t **buf);
/* The slot from tp_printer_slot is dissected: print it in turn. */
void tp_printer_push(tp_printer *pr);
/* The output failed (EPIPE): stop reading. */
bool tp_printer_failed(tp_printer *pr);
/* Wait until every pushed record is printed (before an error line on
 * stderr, or the end of the run). */
void tp_printer_drain(tp_printer *pr);
/* How many times either side went to sleep waiting for the other. */
unsigned long tp_printer_sleeps(tp_printer *pr);
/* Drain, stop the thread, free everything. */
void tp_printer_free(tp_printer *pr);

#endif
