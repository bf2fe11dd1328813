# src/flow: conversations, TCP reassembly, IP defragmentation and the
# stream/datagram layer that feeds application dissectors.
src_libtapir_a_SOURCES += \
	include/tapir/flow.h src/flow/flow.c \
	include/tapir/reasm.h src/flow/reasm.c \
	include/tapir/ipfrag.h src/flow/ipfrag.c \
	include/tapir/stream.h src/flow/stream.c \
	include/tapir/rangeset.h src/flow/rangeset.c
