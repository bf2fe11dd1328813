/* tcp.c - STUB: to be written. */
#include "tapir/dissector.h"

static tp_next stub_dissect(tp_pkt *p, tp_cursor *c)
{
	(void)p;
	(void)c;
	return TP_STOP;
}

const tp_dissector tp_diss_tcp = {
	.name = "tcp",
	.longname = "Transmission Control Protocol",
	.dissect = stub_dissect,
};
