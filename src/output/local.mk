# src/output: the record printers (one-line/-v/tree/hex text, fields and
# JSON), the printer thread and tcpdump's relative sequence table.
src_libtapir_a_SOURCES += \
	include/tapir/output.h src/output/out_text.c src/output/out_fields.c \
	include/tapir/printer.h src/output/printer.c \
	src/output/seqtab.c src/output/report_out.c \
	src/output/out_json.c src/output/defmap.c
