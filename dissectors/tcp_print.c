/* tcp_print.c - the TCP line of tcpdump's text (tcp_print: flags, seq,
 * ack, win, options, -v checksum), from the record tcp.c filled. */
#include <string.h>

#include "tapir/dissector.h"
#include "tapir/inet.h"
#include "tapir/layerfields.h"
#include "tapir/pipeline.h"
#include "tapir/proto.h"
#include "tapir/registry.h"
#include "tcp_int.h"

/* ---- the one-line summary, as tcpdump's tcp_print -------------------- */

static void put_flags(tp_sbuf *s, unsigned flags)
{
	static const struct {
		unsigned bit;
		char ch;
	} names[] = {{TH_FIN, 'F'}, {TH_SYN, 'S'}, {TH_RST, 'R'},
		     {TH_PUSH, 'P'}, {TH_ACK, '.'}, {TH_URG, 'U'},
		     {TH_ECE, 'E'},	{TH_CWR, 'W'}};
	tp_sb_puts(s, "Flags [");
	if (!(flags & 0xff))
		tp_sb_puts(s, "none");
	for (size_t i = 0; i < TP_COUNT(names); i++)
		if (flags & names[i].bit)
			tp_sb_putc(s, names[i].ch);
	tp_sb_putc(s, ']');
}

/* A captured view of the option bytes with its own bounds: tcpdump's
 * option printer steps by what it decoded, not by the option length, so
 * it is mirrored here over the view the cursor handed out. */
typedef struct optview {
	const uint8_t *b;
	size_t cap; /* captured bytes of the view */
} optview;

static bool ov_has(const optview *v, size_t at, size_t n)
{
	return at <= v->cap && n <= v->cap - at;
}

static uint32_t ov_be(const optview *v, size_t at, unsigned n)
{
	uint32_t x = 0;
	for (unsigned i = 0; i < n; i++)
		x = x << 8 | v->b[at + i];
	return x;
}

static uint64_t ov_be64(const optview *v, size_t at)
{
	return (uint64_t)ov_be(v, at, 4) << 32 | ov_be(v, at + 4, 4);
}

static void put_hex64(tp_sbuf *s, uint64_t v)
{
	tp_sb_puts(s, "0x");
	tp_sb_hex(s, v, 1);
}

static void put_hexbytes(tp_sbuf *s, const optview *v, size_t at, size_t n)
{
	tp_sb_hexbytes(s, v->b + at, n, 0);
}

/* print-mptcp.c of tcpdump 4.99: returns false for "[bad opt]".  The
 * whole option is captured (the caller checked). */
static bool put_mptcp(tp_sbuf *s, const optview *v, size_t op, unsigned len,
		      unsigned flags)
{
	static const char *const names[] = {
		"capable",  "join", "dss",	  "add-addr", "rem-addr",
		"prio",	    "fail", "fast-close", "unknown"};
	if (len < 3)
		return false;
	unsigned sub = v->b[op + 2] >> 4;
	if (sub > 8)
		sub = 8;
	tp_sb_putc(s, ' ');
	tp_sb_dec(s, len);
	tp_sb_putc(s, ' ');
	tp_sb_puts(s, names[sub]);
	unsigned b2 = v->b[op + 2];
	unsigned b3 = len > 3 ? v->b[op + 3] : 0;
	switch (sub) {
	case 0: { /* capable */
		if (!((len == 12 || len == 4) && (flags & TH_SYN)) &&
		    !((len == 20 || len == 22) &&
		      (flags & (TH_SYN | TH_ACK)) == TH_ACK))
			return false;
		unsigned ver = b2 & 0x0f;
		if (ver > 1) {
			tp_sb_puts(s, " Unknown Version (");
			tp_sb_dec(s, ver);
			tp_sb_putc(s, ')');
			return true;
		}
		tp_sb_puts(s, " v");
		tp_sb_dec(s, ver);
		if (b3 & 0x80)
			tp_sb_puts(s, " csum");
		if (len == 12 || len >= 20) {
			tp_sb_puts(s, " {");
			put_hex64(s, ov_be64(v, op + 4));
			if (len >= 20) {
				tp_sb_putc(s, ',');
				put_hex64(s, ov_be64(v, op + 12));
			}
			tp_sb_putc(s, '}');
		}
		return true;
	}
	case 1: /* join */
		if (!(len == 12 && (flags & TH_SYN)) &&
		    !(len == 16 && (flags & (TH_SYN | TH_ACK)) ==
					   (TH_SYN | TH_ACK)) &&
		    !(len == 24 && (flags & TH_ACK)))
			return false;
		if (len != 24) {
			if (b2 & 0x01)
				tp_sb_puts(s, " backup");
			tp_sb_puts(s, " id ");
			tp_sb_dec(s, b3);
		}
		if (len == 12) {
			tp_sb_puts(s, " token 0x");
			tp_sb_hex(s, ov_be(v, op + 4, 4), 1);
			tp_sb_puts(s, " nonce 0x");
			tp_sb_hex(s, ov_be(v, op + 8, 4), 1);
		} else if (len == 16) {
			tp_sb_puts(s, " hmac ");
			put_hex64(s, ov_be64(v, op + 4));
			tp_sb_puts(s, " nonce 0x");
			tp_sb_hex(s, ov_be(v, op + 12, 4), 1);
		} else {
			tp_sb_puts(s, " hmac 0x");
			put_hexbytes(s, v, op + 4, 20);
		}
		return true;
	case 2: { /* dss */
		if (len < 4 || (flags & TH_SYN))
			return false;
		if (b3 & 0x10)
			tp_sb_puts(s, " fin");
		size_t at = op + 4;
		unsigned left = len - 4;
		if (b3 & 0x01) {
			tp_sb_puts(s, " ack ");
			unsigned w = b3 & 0x02 ? 8 : 4;
			if (left < w)
				return false;
			tp_sb_dec(s, w == 8 ? ov_be64(v, at) : ov_be(v, at, 4));
			at += w;
			left -= w;
		}
		if (b3 & 0x04) {
			tp_sb_puts(s, " seq ");
			unsigned w = b3 & 0x08 ? 8 : 4;
			if (left < w)
				return false;
			tp_sb_dec(s, w == 8 ? ov_be64(v, at) : ov_be(v, at, 4));
			at += w;
			left -= w;
			if (left < 4)
				return false;
			tp_sb_puts(s, " subseq ");
			tp_sb_dec(s, ov_be(v, at, 4));
			at += 4;
			left -= 4;
			if (left < 2)
				return false;
			tp_sb_puts(s, " len ");
			tp_sb_dec(s, ov_be(v, at, 2));
			at += 2;
			left -= 2;
			if (left >= 2) {
				tp_sb_puts(s, " csum 0x");
				tp_sb_hex(s, ov_be(v, at, 2), 1);
				left -= 2;
			}
		}
		return left == 0;
	}
	case 3: { /* add-addr */
		if (!(len == 8 || len == 10 || len == 16 || len == 18 ||
		      len == 20 || len == 22 || len == 28 || len == 30))
			return false;
		static const char *const echo[16] = {
			[0] = "v1", [1] = "v1-echo", [4] = "v0-ip4",
			[6] = "v0-ip6"};
		const char *e = echo[b2 & 0x0f];
		tp_sb_putc(s, ' ');
		tp_sb_puts(s, e ? e : "[bad version/echo]");
		tp_sb_puts(s, " id ");
		tp_sb_dec(s, b3);
		if (len <= 18) {
			tp_sb_putc(s, ' ');
			tp_sb_ipv4(s, v->b + op + 4);
			if (len == 10 || len == 18) {
				tp_sb_putc(s, ':');
				tp_sb_dec(s, ov_be(v, op + 8, 2));
			}
			if (len == 16 || len == 18) {
				tp_sb_puts(s, " hmac ");
				put_hex64(s, ov_be64(v, op + len - 8));
			}
		} else {
			tp_sb_putc(s, ' ');
			tp_sb_ipv6(s, v->b + op + 4);
			if (len == 22 || len == 30) {
				tp_sb_putc(s, ':');
				tp_sb_dec(s, ov_be(v, op + 20, 2));
			}
			if (len == 28 || len == 30) {
				tp_sb_puts(s, " hmac ");
				put_hex64(s, ov_be64(v, op + len - 8));
			}
		}
		return true;
	}
	case 4: /* rem-addr */
		if (len < 4)
			return false;
		tp_sb_puts(s, " id");
		for (unsigned i = 3; i < len; i++) {
			tp_sb_putc(s, ' ');
			tp_sb_dec(s, v->b[op + i]);
		}
		return true;
	case 5: /* prio */
		if (len != 3 && len != 4)
			return false;
		tp_sb_puts(s, b2 & 0x01 ? " backup" : " non-backup");
		if (len == 4) {
			tp_sb_puts(s, " id ");
			tp_sb_dec(s, b3);
		}
		return true;
	case 6: /* fail */
		if (len != 12)
			return false;
		tp_sb_puts(s, " seq ");
		tp_sb_dec(s, ov_be64(v, op + 4));
		return true;
	case 7: /* fast-close */
		if (len != 12)
			return false;
		tp_sb_puts(s, " key ");
		put_hex64(s, ov_be64(v, op + 4));
		return true;
	default:
		return true;
	}
}

static void put_tfo(tp_sbuf *s, const optview *v, size_t at, unsigned n)
{
	if (n == 0) {
		tp_sb_puts(s, " cookiereq");
	} else if (n % 2 || n < 4 || n > 16) {
		tp_sb_puts(s, " (invalid)");
	} else {
		tp_sb_puts(s, " cookie ");
		put_hexbytes(s, v, at, n);
	}
}

/* OPTS_TRUNC: cut where tcpdump's LENCHECK jumps to its own "trunc:"
 * label (" [|tcp]", then ">" after the first option); OPTS_CUT: where
 * its GET macros give up (the kind or length byte): " [|tcp]" only. */
enum { OPTS_OK, OPTS_BAD, OPTS_TRUNC, OPTS_CUT };

typedef struct optctx {
	unsigned flags;     /* the low 8 flag bits */
	uint32_t sack_base; /* what SACK edges are relative to */
	bool payload_captured;
} optctx;

static const char *option_name(unsigned opt)
{
	switch (opt) {
	case OPT_EOL: return "eol";
	case OPT_NOP: return "nop";
	case OPT_MSS: return "mss";
	case OPT_WSCALE: return "wscale";
	case OPT_SACK_PERM: return "sackOK";
	case OPT_SACK: return "sack";
	case OPT_ECHO: return "echo";
	case OPT_ECHOREPLY: return "echoreply";
	case OPT_TS: return "TS";
	case OPT_CC: return "cc";
	case OPT_CCNEW: return "ccnew";
	case OPT_CCECHO: return "";
	case OPT_MD5: return "md5";
	case OPT_SCPS: return "scps";
	case OPT_UTO: return "uto";
	case OPT_AO: return "tcp-ao";
	case OPT_MPTCP: return "mptcp";
	case OPT_TFO: return "tfo";
	case OPT_EXP2: return "exp";
	default: return NULL;
	}
}

/* One option's value text; `cp` is where its data starts, `hl` the
 * option bytes left after kind and length.  Sets *datalen to what was
 * decoded.  LENCHECK of tcpdump: past the header is bad, past the
 * capture is truncated. */
#define LENCHECK(l)                                                            \
	do {                                                                   \
		if ((l) > hl)                                                  \
			return OPTS_BAD;                                       \
		if (!ov_has(v, cp, (l)))                                       \
			return OPTS_TRUNC;                                     \
	} while (0)

/* inline: outlined, it cost the one-line 2% (GCC's choice moved with
 * tp_sb_put's size) */
static inline __attribute__((always_inline)) int
put_option_value(tp_sbuf *s, const optview *v, size_t cp, unsigned hl,
		 unsigned opt, unsigned len, const optctx *x, unsigned *datalen)
{
	unsigned dl = 0;
	switch (opt) {
	case OPT_MSS:
		dl = 2;
		LENCHECK(dl);
		tp_sb_putc(s, ' ');
		tp_sb_dec(s, ov_be(v, cp, 2));
		break;
	case OPT_WSCALE:
		dl = 1;
		LENCHECK(dl);
		tp_sb_putc(s, ' ');
		tp_sb_dec(s, v->b[cp]);
		break;
	case OPT_SACK:
		dl = len - 2;
		if (dl % 8) {
			tp_sb_puts(s, " invalid sack");
			break;
		}
		tp_sb_putc(s, ' ');
		tp_sb_dec(s, dl / 8);
		tp_sb_putc(s, ' ');
		for (unsigned i = 0; i < dl; i += 8) {
			LENCHECK(i + 4);
			uint32_t a = ov_be(v, cp + i, 4) - x->sack_base;
			LENCHECK(i + 8);
			uint32_t b = ov_be(v, cp + i + 4, 4) - x->sack_base;
			tp_sb_putc(s, '{');
			tp_sb_dec(s, a);
			tp_sb_putc(s, ':');
			tp_sb_dec(s, b);
			tp_sb_putc(s, '}');
		}
		break;
	case OPT_CC:
	case OPT_CCNEW:
	case OPT_CCECHO:
	case OPT_ECHO:
	case OPT_ECHOREPLY:
		dl = 4;
		LENCHECK(dl);
		tp_sb_putc(s, ' ');
		tp_sb_dec(s, ov_be(v, cp, 4));
		break;
	case OPT_TS:
		dl = 8;
		LENCHECK(dl);
		tp_sb_puts(s, " val ");
		tp_sb_dec(s, ov_be(v, cp, 4));
		tp_sb_puts(s, " ecr ");
		tp_sb_dec(s, ov_be(v, cp + 4, 4));
		break;
	case OPT_MD5:
		dl = 16;
		LENCHECK(dl);
		/* tcpdump built with libcrypto, no -M secret */
		tp_sb_puts(s, x->payload_captured
				      ? " shared secret not supplied with -M, "
				      : " snaplen too short, ");
		tp_sb_puts(s, "can't check - ");
		put_hexbytes(s, v, cp, 16);
		break;
	case OPT_SCPS:
		dl = 2;
		LENCHECK(dl);
		tp_sb_puts(s, " cap ");
		tp_sb_hex(s, v->b[cp], 2);
		tp_sb_puts(s, " id ");
		tp_sb_dec(s, v->b[cp + 1]);
		break;
	case OPT_AO:
		dl = len - 2;
		if (dl < 2) {
			tp_sb_puts(s, " (invalid)");
			break;
		}
		LENCHECK(1);
		tp_sb_puts(s, " keyid ");
		tp_sb_dec(s, v->b[cp]);
		LENCHECK(2);
		tp_sb_puts(s, " rnextkeyid ");
		tp_sb_dec(s, v->b[cp + 1]);
		if (dl > 2) {
			tp_sb_puts(s, " mac 0x");
			for (unsigned i = 2; i < dl; i++) {
				LENCHECK(i + 1);
				tp_sb_hex(s, v->b[cp + i], 2);
			}
		}
		break;
	case OPT_EOL:
	case OPT_NOP:
	case OPT_SACK_PERM:
		break;
	case OPT_UTO: {
		dl = 2;
		LENCHECK(dl);
		unsigned uto = ov_be(v, cp, 2);
		tp_sb_puts(s, " 0x");
		tp_sb_hex(s, uto, 1);
		uto = uto & 1 ? (uto >> 1) * 60 : uto >> 1;
		tp_sb_putc(s, ' ');
		tp_sb_dec(s, uto);
		break;
	}
	case OPT_MPTCP:
		dl = len - 2;
		LENCHECK(dl);
		if (!put_mptcp(s, v, cp - 2, len, x->flags))
			return OPTS_BAD;
		break;
	case OPT_TFO:
		dl = len - 2;
		LENCHECK(dl);
		tp_sb_putc(s, ' ');
		put_tfo(s, v, cp, dl);
		break;
	case OPT_EXP2: {
		dl = len - 2;
		LENCHECK(dl);
		if (dl < 2)
			return OPTS_BAD;
		unsigned magic = ov_be(v, cp, 2);
		tp_sb_putc(s, '-');
		if (magic == 0xf989) {
			tp_sb_puts(s, "tfo");
			put_tfo(s, v, cp + 2, dl - 2);
		} else {
			tp_sb_hex(s, magic, 4);
		}
		break;
	}
	default:
		dl = len - 2;
		if (dl)
			tp_sb_puts(s, " 0x");
		for (unsigned i = 0; i < dl; i++) {
			LENCHECK(i + 1);
			tp_sb_hex(s, v->b[cp + i], 2);
		}
		break;
	}
	*datalen = dl;
	return OPTS_OK;
}

#undef LENCHECK

/* tcpdump's option loop.  *sep tells whether an option was printed (the
 * "]" tcpdump adds after "[bad opt]"). */
static int put_options(tp_sbuf *s, const optview *v, unsigned hl,
		       const optctx *x, char *sep)
{
	size_t cp = 0;
	char ch = 0;
	/* nearly every segment's: NOP, NOP, timestamps; what the loop below
	 * prints for them, at once */
	if (hl == 12 && ov_has(v, 0, 12) && v->b[0] == OPT_NOP &&
	    v->b[1] == OPT_NOP && v->b[2] == OPT_TS && v->b[3] == 10) {
		char t[64], *d = tp_fmt_lit(t, "nop,nop,TS val ");
		d = tp_fmt_dec(d, ov_be(v, 4, 4));
		d = tp_fmt_lit(d, " ecr ");
		d = tp_fmt_dec(d, ov_be(v, 8, 4));
		tp_sb_put(s, t, (size_t)(d - t));
		*sep = ',';
		return OPTS_OK;
	}
	for (unsigned n = 0; hl > 0 && n < 2 * MAX_OPTIONS; n++) {
		if (ch)
			tp_sb_putc(s, ch);
		*sep = ch;
		if (!ov_has(v, cp, 1))
			return OPTS_CUT;
		unsigned opt = v->b[cp++];
		unsigned len = 1;
		if (opt != OPT_EOL && opt != OPT_NOP) {
			if (!ov_has(v, cp, 1))
				return OPTS_CUT;
			len = v->b[cp++];
			if (len < 2 || len > hl)
				return OPTS_BAD;
			hl--;
		}
		hl--;
		const char *name = option_name(opt);
		if (name) {
			tp_sb_puts(s, name);
		} else {
			tp_sb_puts(s, "unknown-");
			tp_sb_dec(s, opt);
		}
		unsigned dl = 0;
		int r = put_option_value(s, v, cp, hl, opt, len, x, &dl);
		if (r != OPTS_OK)
			return r;
		cp += dl;
		hl -= dl;
		dl += opt == OPT_EOL || opt == OPT_NOP ? 1 : 2;
		if (dl != len) {
			tp_sb_puts(s, "[len ");
			tp_sb_dec(s, len);
			tp_sb_putc(s, ']');
		}
		ch = ',';
		*sep = ch;
		if (opt == OPT_EOL)
			break;
	}
	return OPTS_OK;
}

/* -v: ", cksum 0x1234 (correct)" or "(incorrect -> 0x5678)", when the
 * checksum was verified (the whole segment captured, not a fragment:
 * where tcpdump verifies it too). */
static void put_cksum(const tp_pkt *p, unsigned li, tp_sbuf *s,
		      uint32_t length)
{
	const tp_field *sum = tp_layer_find(p, li, &tp_tcp_fields[F_CKSUM]);
	const tp_field *calc = tp_layer_find(p, li, &tp_tcp_fields[F_CKSUM_CALC]);
	uint16_t c;
	if (calc)
		c = (uint16_t)calc->v.u;
	else if (!p->layers[li].embedded ||
		 !tp_l4_cksum(p, li, TP_IPPROTO_TCP, length, 16, &c))
		return; /* a quoted segment: computed here if all there */
	if (!sum)
		return;
	tp_sb_puts(s, ", cksum 0x");
	tp_sb_hex(s, sum->v.u, 4);
	/* one's complement: 0xffff is 0x0000 too */
	if (sum->v.u == c || (c == 0 && sum->v.u == 0xffff)) {
		tp_sb_puts(s, " (correct)");
	} else {
		tp_sb_puts(s, " (incorrect -> 0x");
		tp_sb_hex(s, c, 4);
		tp_sb_putc(s, ')');
	}
}

/* The network layer says TCP directly (not through IPv6 extension
 * headers, whose printer then shows the addresses itself). */
static bool direct(const tp_pkt *p, unsigned li)
{
	const tp_netaddr *a = tp_nearest_addr(p, li);
	return !a || a->proto == TP_IPPROTO_TCP;
}

/* tcpdump's print_tcp_rst_data: " [RST" (" [!RST" when not all of it
 * was captured), "+" past 30 bytes, then the captured bytes of the first
 * 30 as text. */
#define RST_DATA_MAX 30
static void put_rst_data(const tp_pkt *p, unsigned li, uint32_t hlen,
			 uint32_t length, tp_sbuf *s)
{
	tp_cursor c = tp_layer_cursor(p, li);
	if (!tp_skip(&c, hlen))
		return;
	tp_clamp(&c, length);
	size_t cap = tp_avail(&c);
	tp_sb_puts(s, cap >= length ? " [RST" : " [!RST");
	if (length > RST_DATA_MAX) {
		length = RST_DATA_MAX;
		tp_sb_putc(s, '+');
	}
	tp_sb_putc(s, ' ');
	size_t n = cap < length ? cap : length;
	const uint8_t *b = tp_bytes(&c, n);
	for (size_t i = 0; b && i < n; i++)
		tp_sb_tcpdump_char(s, b[i]);
	tp_sb_putc(s, ']');
}

static const tp_dissector *seg_printer(uint64_t sp, uint64_t dp)
{
	const tp_dissector *d =
		tp_registry_find(TP_TAB_TCP_TEXT, (uint32_t)sp, (uint32_t)dp);
	return d && d->seg_summarize ? d : NULL;
}

const tp_dissector *tp_tcp_seg_printer(const tp_pkt *p, unsigned li)
{
	uint64_t sp = 0, dp = 0;
	if (!tp_layer_u64(p, li, &tp_tcp_fields[F_SRCPORT], &sp) ||
	    !tp_layer_u64(p, li, &tp_tcp_fields[F_DSTPORT], &dp))
		return NULL;
	return seg_printer(sp, dp);
}

tp_sum tp_tcp_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
			 const tp_outopts *o)
{
	const tp_layer *l = &p->layers[li];
	/* one pass over the layer's fields for the eight the line needs;
	 * they are recorded in header order, the urgent pointer last */
	const tp_field *sp = NULL, *dp = NULL, *sq = NULL, *ak = NULL,
		       *hf = NULL, *fl = NULL, *wn = NULL, *up = NULL;
	/* tcp_dissect records a whole header in one order: the ports, the
	 * two tcp.port, raw SEQ and ACK, data offset, flags and their tree,
	 * window, checksum and its status, urgent pointer.  Take them from
	 * their places when they are there (the look below went through
	 * some 25 fields a segment); else look (a quote, a cut header). */
	enum { AT_WIN = 8 + F_FL_FIN - F_FL_RES + 1 };
	const tp_field *f0 = &p->fields[l->first_field];
	/* a lean run's record has no flag bits (tcp.c add_flags) */
	unsigned at_win = l->nfields > 8 && f0[8].def == &tp_tcp_fields[F_WIN]
				  ? 8
				  : AT_WIN;
	if (l->nfields > at_win + 2 && f0[0].def == &tp_tcp_fields[F_SRCPORT] &&
	    f0[1].def == &tp_tcp_fields[F_DSTPORT] &&
	    f0[4].def == &tp_tcp_fields[F_SEQ_RAW] &&
	    f0[5].def == &tp_tcp_fields[F_ACK_RAW] &&
	    f0[6].def == &tp_tcp_fields[F_HDR_LEN] && f0[7].def == &tp_tcp_fields[F_FLAGS] &&
	    f0[at_win].def == &tp_tcp_fields[F_WIN]) {
		for (unsigned i = at_win + 1; i <= at_win + 4 && i < l->nfields;
		     i++)
			if (f0[i].def == &tp_tcp_fields[F_URP]) {
				up = &f0[i];
				break;
			}
		if (up) {
			sp = f0;
			dp = f0 + 1;
			sq = f0 + 4;
			ak = f0 + 5;
			hf = f0 + 6;
			fl = f0 + 7;
			wn = f0 + at_win;
		}
	}
	for (unsigned i = 0; i < l->nfields && !up; i++) {
		const tp_field *f = &p->fields[l->first_field + i];
		uintptr_t at = (uintptr_t)f->def, base = (uintptr_t)tp_tcp_fields;
		if (at < base || at >= base + sizeof tp_tcp_fields)
			continue; /* another table's field */
		switch ((at - base) / sizeof tp_tcp_fields[0]) {
		case F_SRCPORT: sp = sp ? sp : f; break;
		case F_DSTPORT: dp = dp ? dp : f; break;
		case F_SEQ_RAW: sq = sq ? sq : f; break;
		case F_ACK_RAW: ak = ak ? ak : f; break;
		case F_HDR_LEN: hf = hf ? hf : f; break;
		case F_FLAGS: fl = fl ? fl : f; break;
		case F_WIN: wn = wn ? wn : f; break;
		case F_URP: up = f; break;
		default: break;
		}
	}
	const tp_netaddr *a = tp_nearest_addr(p, li);
	bool have_addr = a && a->src && a->dst;
	/* The IP payload length: what the layer below handed over (in an
	 * ICMP error's quote: what the quoted header says). */
	uint32_t length = tp_ip_payload_length(p, li);

	if (!sp || !dp) {
		if (have_addr) {
			tp_sb_addr(s, a, true);
			tp_sb_puts(s, " > ");
			tp_sb_addr(s, a, false);
			tp_sb_putc(s, ':');
		}
		if (length == 0) /* nothing to read: no event says it */
			tp_sb_puts(s, " [|tcp]");
		return TP_SUM_STOP;
	}
	bool addrs = have_addr && direct(p, li);
	tp_sb_endpoints(s, addrs ? a : NULL, sp->v.u, dp->v.u);
	if (!sq || !ak || !hf || !fl || !wn || !up) {
		/* header cut: " [|tcp]" follows (a quote has no event) */
		if (l->embedded)
			tp_sb_puts(s, " [|tcp]");
		return TP_SUM_STOP;
	}

	uint32_t hlen = (uint32_t)hf->v.u;
	if (hlen < 20) {
		tp_sb_puts(s, " tcp ");
		tp_sb_dec(s, (uint32_t)(length - hlen));
		tp_sb_puts(s, " [bad hdr length ");
		tp_sb_dec(s, hlen);
		tp_sb_puts(s, " - too short, < 20]");
		return TP_SUM_STOP;
	}
	if (o->qflag) {
		tp_sb_puts(s, "tcp ");
		tp_sb_dec(s, (uint32_t)(length - hlen));
		if (hlen > length) {
			tp_sb_puts(s, " [bad hdr length ");
			tp_sb_dec(s, hlen);
			tp_sb_puts(s, " - too long, > ");
			tp_sb_dec(s, length);
			tp_sb_putc(s, ']');
		}
		return TP_SUM_STOP;
	}
	unsigned flags = (unsigned)fl->v.u & 0xff;
	put_flags(s, flags);

	uint32_t seq = (uint32_t)sq->v.u, ack = (uint32_t)ak->v.u;
	uint32_t sack_base = 0;
	/* tcpdump's relative numbers, looked up when dissected */
	const tp_field *rel = tp_tcp_find_note(p, li, (unsigned)(up - p->fields));
	if (rel && rel->def == &tp_tcp_notes[N_REL]) {
		seq -= (uint32_t)(rel->v.u >> 32);
		sack_base = (uint32_t)rel->v.u;
		ack -= sack_base;
	} else if (rel) {
		sack_base = ack - 1;
	}
	if (hlen > length) {
		tp_sb_puts(s, " [bad hdr length ");
		tp_sb_dec(s, hlen);
		tp_sb_puts(s, " - too long, > ");
		tp_sb_dec(s, length);
		tp_sb_putc(s, ']');
		return TP_SUM_STOP;
	}
	if (o->vflag)
		put_cksum(p, li, s, length);
	length -= hlen;
	/* the numbers in a local buffer, put at once (at most 6 + 10 + 1 +
	 * 10 + 6 + 10 + 6 + 20 + 6 + 20 bytes) */
	char t[128], *d = t;
	if (o->vflag > 1 || length > 0 || (flags & (TH_SYN | TH_FIN | TH_RST))) {
		d = tp_fmt_lit(d, ", seq ");
		d = tp_fmt_dec(d, seq);
		if (length > 0) {
			*d++ = ':';
			d = tp_fmt_dec(d, (uint32_t)(seq + length));
		}
	}
	if (flags & TH_ACK) {
		d = tp_fmt_lit(d, ", ack ");
		d = tp_fmt_dec(d, ack);
	}
	d = tp_fmt_lit(d, ", win ");
	d = tp_fmt_dec(d, wn->v.u);
	if (flags & TH_URG) {
		d = tp_fmt_lit(d, ", urg ");
		d = tp_fmt_dec(d, up->v.u);
	}
	tp_sb_put(s, t, (size_t)(d - t));
	if (hlen > 20) {
		/* the captured option bytes: the view tcp.options holds */
		/* a few after the urgent pointer (the relative numbers'
		 * note, tcp.len), as tcp_dissect records them */
		const tp_field *of = NULL;
		const tp_field *lend = p->fields + l->first_field + l->nfields;
		for (const tp_field *x = up + 1; x < lend && x <= up + 3; x++)
			if (x->def == &tp_tcp_fields[F_OPTIONS]) {
				of = x;
				break;
			}
		if (!of)
			of = tp_layer_find(p, li, &tp_tcp_fields[F_OPTIONS]);
		optview v = {of ? of->v.p : NULL, of ? of->vlen : 0};
		optctx x = {flags, sack_base,
			    (uint64_t)l->off + hlen + length <= p->caplen};
		char sep = 0;
		tp_sb_puts(s, ", options [");
		int r = put_options(s, &v, hlen - 20, &x, &sep);
		if (r == OPTS_BAD) {
			tp_sb_puts(s, "[bad opt]");
			if (sep)
				tp_sb_putc(s, ']');
			return TP_SUM_STOP;
		}
		if (r == OPTS_TRUNC) {
			/* tcpdump's "trunc:" in tcp_print: the marker, and
			 * ">" once an option was printed (the events do not
			 * repeat the marker) */
			tp_sb_puts(s, sep ? " [|tcp]>" : " [|tcp]");
			return TP_SUM_STOP;
		}
		if (r == OPTS_CUT)
			return TP_SUM_STOP; /* " [|tcp]" follows */
		tp_sb_putc(s, ']');
	}
	tp_sb_puts(s, ", length ");
	tp_sb_dec(s, length);
	/* tcpdump's printer for the port reads the segment's payload; at
	 * -v an RST's payload is RST data */
	const tp_dissector *txt = NULL;
	if (length && !l->embedded && o->vflag && (flags & TH_RST)) {
		put_rst_data(p, li, hlen, length, s);
	} else if (length && !l->embedded &&
		   (txt = seg_printer(sp->v.u, dp->v.u)) != NULL) {
		tp_cursor c = tp_layer_cursor(p, li);
		if (tp_skip(&c, hlen)) {
			tp_clamp(&c, length);
			txt->seg_summarize(p, li, c, length, s, o);
		}
	}
	/* An application layer above adds to it (its own text, or a note
	 * on the text above). */
	const tp_layer *nx = li + 1 < p->nlayers ? &p->layers[li + 1] : NULL;
	if (length && nx && nx->d != &tp_diss_data && nx->d->summarize)
		return TP_SUM_NEXT;
	return TP_SUM_STOP;
}
