/* toy.c - the toy protocol of toy.h.  Reads every byte through the
 * cursor, as a shipped dissector must. */
#include <stdlib.h>

#include "tapir/registry.h"
#include "toy.h"

#include "tapir/output.h"

unsigned toy_news, toy_frees;
unsigned toy_session_news, toy_session_frees;
uint64_t toy_gap_bytes;

enum { F_MAGIC, F_LEN, F_DATA, F_SKIPPED, F_SEQ, F_DIR, F_TOTAL, F_COUNT };

static const tp_field_def fields[F_COUNT] = {
	[F_MAGIC] = {"toy.magic", "Magic", TP_FT_UINT8, TP_BASE_HEX, NULL, 0},
	[F_LEN] = {"toy.len", "Length", TP_FT_UINT24, TP_BASE_DEC, NULL, 0},
	[F_DATA] = {"toy.data", "Data", TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
	[F_SKIPPED] = {"toy.skipped", "Bytes skipped to resynchronise",
		       TP_FT_BYTES, TP_BASE_NONE, NULL, 0},
	[F_SEQ] = {"toy.seq", "PDU number in this direction", TP_FT_UINT32,
		   TP_BASE_DEC, NULL, 0},
	[F_DIR] = {"toy.dir", "Direction (0 client to server)", TP_FT_UINT8,
		   TP_BASE_DEC, NULL, 0},
	[F_TOTAL] = {"toy.total", "PDUs of all flows so far", TP_FT_UINT32,
		     TP_BASE_DEC, NULL, 0},
};

static tp_probe toy_probe(const uint8_t *b, size_t n, uint8_t proto)
{
	(void)proto;
	if (b[0] != TOY_MAGIC)
		return TP_PROBE_NO;
	return n < TOY_HDR ? TP_PROBE_MORE : TP_PROBE_YES;
}

static void *toy_new(uint8_t proto, int dir)
{
	toy_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->proto = proto;
	st->dir = dir;
	toy_news++;
	return st;
}

static void toy_free(void *v)
{
	toy_frees++;
	free(v);
}

static size_t toy_pdu_len(void *v, const uint8_t *b, size_t n)
{
	toy_state *st = v;
	if (b[0] != TOY_MAGIC) {
		if (!st || !st->resync)
			return TP_PDU_NOT_MINE;
		size_t i = 1;
		while (i < n && b[i] != TOY_MAGIC)
			i++;
		return i; /* the junk before the next magic byte */
	}
	if (st)
		st->resync = 0;
	if (n < TOY_HDR)
		return 0;
	return TOY_HDR + ((size_t)b[1] << 16 | (size_t)b[2] << 8 | b[3]);
}

static void toy_gap(void *v, uint64_t n)
{
	toy_state *st = v;
	toy_gap_bytes += n;
	if (st) {
		st->gaps++;
		st->resync = 1;
	}
}

static tp_next toy_dissect(tp_pkt *p, tp_cursor *c)
{
	toy_state *st = tp_app_state(p);
	size_t at = c->off;
	if (tp_peek(c, 0) != TOY_MAGIC) {
		tp_get_bytes(p, c, &fields[F_SKIPPED], tp_avail(c));
		return TP_STOP;
	}
	tp_get_u8(p, c, &fields[F_MAGIC]);
	uint32_t len = tp_get_be24(p, c, &fields[F_LEN]);
	if (!tp_ok(c))
		return TP_STOP;
	tp_get_bytes(p, c, &fields[F_DATA], len);
	if (st)
		tp_add_uint(p, &fields[F_SEQ], at, 0, ++st->pdus);
	tp_add_uint(p, &fields[F_DIR], at, 0, (uint64_t)p->app_dir);
	uint32_t *total = tp_app_session(p, &tp_diss_toy);
	if (total)
		tp_add_uint(p, &fields[F_TOTAL], at, 0, ++*total);
	return TP_STOP;
}

static void *toy_session_new(void)
{
	toy_session_news++;
	return calloc(1, sizeof(uint32_t));
}

static void toy_session_free(void *st)
{
	toy_session_frees++;
	free(st);
}

static void toy_info(const tp_pkt *p, unsigned layer, tp_sbuf *out)
{
	uint64_t len = 0;
	if (!tp_layer_u64(p, layer, &fields[F_LEN], &len)) {
		tp_sb_puts(out, "Toy, resynchronising");
		return;
	}
	tp_sb_puts(out, "Toy PDU, ");
	tp_sb_dec(out, len);
	tp_sb_puts(out, " bytes");
}

static const tp_key toy_keys[] = {
	{TP_TAB_TCP_PORT, TOY_PORT}, {TP_TAB_UDP_PORT, TOY_PORT}, {0, 0}};

const tp_dissector tp_diss_toy = {
	.name = "toy",
	.longname = "Toy length-prefixed protocol (tests only)",
	.fields = fields,
	.nfields = F_COUNT,
	.keys = toy_keys,
	.dissect = toy_dissect,
	.probe = toy_probe,
	.state_new = toy_new,
	.state_free = toy_free,
	.state_size = sizeof(toy_state),
	.pdu_len = toy_pdu_len,
	.gap = toy_gap,
	.colname = "TOY",
	.info = toy_info,
	.session_new = toy_session_new,
	.session_free = toy_session_free,
};

void toy_register(void) { tp_registry_add_test(&tp_diss_toy); }
