# src/taps: consumers beside the output: --follow / --export-streams and
# --stats.
src_libtapir_a_SOURCES += \
	include/tapir/follow.h src/taps/follow.c \
	include/tapir/stats.h src/taps/stats.c
