# src/cli: the command line (option parsing and main()); all of tapir
# but main() is in src/libtapir.a, which the tests link.
src_libtapir_a_SOURCES += include/tapir/options.h src/cli/options.c

bin_PROGRAMS += src/tapir
src_tapir_SOURCES = src/cli/main.c
src_tapir_LDADD = $(TAPIR_LIBS)
