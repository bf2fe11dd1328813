/* sll.c - STUB: to be written. */
#include "tapir/dissector.h"

static tp_next stub_dissect(tp_pkt *p, tp_cursor *c)
{
	(void)p;
	(void)c;
	return TP_STOP;
}

const tp_dissector tp_diss_sll = {
	.name = "sll",
	.longname = "Linux cooked capture v1",
	.dissect = stub_dissect,
};

const tp_dissector tp_diss_sll2 = {
	.name = "sll2",
	.longname = "Linux cooked capture v2",
	.dissect = stub_dissect,
};
