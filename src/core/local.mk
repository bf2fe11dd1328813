# src/core: the engine loop, the frame pipeline, the packet record, the
# dissector registry and the text/address formatters everything shares.
src_libtapir_a_SOURCES += \
	include/tapir/engine.h src/core/engine.c \
	include/tapir/pipeline.h src/core/pipeline.c \
	include/tapir/record.h include/tapir/field.h src/core/record.c \
	include/tapir/registry.h src/core/registry.c \
	include/tapir/report.h src/core/report.c \
	src/core/sbuf.c \
	include/tapir/inet.h src/core/inet.c
