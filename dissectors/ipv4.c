/* ipv4.c - STUB: to be written. */
#include "tapir/dissector.h"

static tp_next stub_dissect(tp_pkt *p, tp_cursor *c)
{
	(void)p;
	(void)c;
	return TP_STOP;
}

const tp_dissector tp_diss_ip = {
	.name = "ip",
	.longname = "Internet Protocol Version 4",
	.dissect = stub_dissect,
};
