/* writer.c - STUB: to be written (see writer.h). */
#include <stdio.h>

#include "tapir/writer.h"

tp_writer *tp_writer_open(const tp_writer_opts *o, char *err, size_t errlen)
{
	(void)o;
	snprintf(err, errlen, "-w is not implemented yet");
	return NULL;
}
int tp_writer_write(tp_writer *w, const tp_pkthdr *h, const uint8_t *data)
{
	(void)w, (void)h, (void)data;
	return -1;
}
int tp_writer_dirfd(const tp_writer *w) { (void)w; return -1; }
int tp_writer_flush(tp_writer *w) { (void)w; return -1; }
int tp_writer_close(tp_writer *w) { (void)w; return 0; }
const char *tp_writer_error(const tp_writer *w) { (void)w; return "not implemented"; }
uint64_t tp_writer_packets(const tp_writer *w) { (void)w; return 0; }
uint64_t tp_writer_bytes(const tp_writer *w) { (void)w; return 0; }
unsigned tp_writer_files(const tp_writer *w) { (void)w; return 0; }
