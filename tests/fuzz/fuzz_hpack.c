/* fuzz_hpack.c - the HPACK decoder (dissectors/hpack.c) alone: header
 * blocks in a row on one table, the way one direction of an HTTP/2
 * connection feeds them, with its invariants checked after each block
 * (an abort() is a finding).
 *
 * Input: 1 byte choosing the SETTINGS limit (0, 256, 4096, 64 KiB or
 * 1 MiB, so the memory cap is reached too) and the caps (default or
 * small), then blocks, each a 2-byte big-endian length and its bytes
 * (the last one cut to what is left).  The whole input is also decoded
 * as one Huffman string.  Built with libFuzzer by ./configure
 * --enable-fuzz, or as a plain program with onefile.c that replays
 * files.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../dissectors/hpack.h"

static uint64_t delivered;

static void on_header(void *ctx, const hpack_header *h)
{
	hpack_caps *caps = ctx;
	/* a name or value is missing only for an unknown index */
	if ((!h->name || !h->value) && !(h->flags & HPACK_F_UNKNOWN))
		abort();
	const uint8_t *p = (const uint8_t *)h->name;
	for (size_t i = 0; p && i < h->name_len; i++)
		delivered += p[i]; /* touch every byte delivered */
	p = (const uint8_t *)h->value;
	for (size_t i = 0; p && i < h->value_len; i++)
		delivered += p[i];
	if (h->name_len + h->value_len + 32 > caps->max_list)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t limits[] = {0, 256, 4096, 65536, 1u << 20};
	if (size < 1)
		return 0;
	hpack_caps caps = {HPACK_LIST_CAP, HPACK_HEADERS_CAP};
	if (data[0] & 0x80) {
		caps.max_list = 512;
		caps.max_headers = 8;
	}
	hpack_table t;
	hpack_table_init(&t, limits[(data[0] & 0x7f) % 5]);
	size_t off = 1;
	while (off < size) {
		size_t n = data[off];
		if (off + 1 < size)
			n = n << 8 | data[off + 1];
		off += off + 1 < size ? 2 : 1;
		if (n > size - off)
			n = size - off;
		hpack_info info;
		hpack_status st = hpack_decode(&t, data + off, n, on_header,
					       &caps, &caps, &info);
		if (info.consumed > n || (st == HPACK_OK && info.consumed != n))
			abort();
		/* nothing held back below both caps (a string too long
		 * to keep is over the list cap) */
		if (info.headers > caps.max_headers ||
		    (info.suppressed && info.list_size <= caps.max_list &&
		     info.headers < caps.max_headers))
			abort();
		if (t.held > HPACK_TABLE_CAP || t.size > t.max_size ||
		    t.max_size > t.limit)
			abort();
		off += n;
	}
	hpack_table_free(&t);
	uint8_t out[256];
	size_t len;
	if (hpack_huffman_decode(data, size, out, sizeof out, &len) &&
	    len > size * 8 / 5)
		abort();
	return 0;
}
