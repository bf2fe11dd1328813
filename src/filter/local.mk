# src/filter: display filters (-Y): compile once, match per record.
src_libtapir_a_SOURCES += \
	include/tapir/filter.h src/filter/filter.c
