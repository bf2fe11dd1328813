# src/capture: packet sources (capture files, live interfaces), the
# read-ahead thread, the -w writer and the seccomp sandbox.
src_libtapir_a_SOURCES += \
	include/tapir/capture.h src/capture/capture_int.h \
	src/capture/capture.c src/capture/capfile.c \
	include/tapir/readahead.h src/capture/readahead.c \
	include/tapir/writer.h src/capture/writer.c \
	include/tapir/sandbox.h src/capture/sandbox.c
