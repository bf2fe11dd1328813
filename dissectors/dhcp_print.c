/* dhcp_print.c - the one-line text of BOOTP/DHCP: tcpdump 4.99.3's
 * bootp_print, byte for byte, -v/-vv/-vvv included (its option lines,
 * "Vendor-rfc1048 Extensions", CMU vendor data), then tapir's own note on
 * an answer after " | " (the request it answers and how long after).
 *
 * tcpdump prints from the bytes, as far as they were captured, not from
 * what a dissector decided: this walks the datagram again through a
 * cursor (tp_datagram_cursor: the captured bytes of the IP datagram, its
 * snapend), with tcpdump's rules (its option names and formats below
 * were read off tcpdump 4.99.3 itself, option by option), and prints
 * " [|bootp]" where tcpdump gives up.
 */
#include <string.h>

#include "dhcp_int.h"

/* tcpdump's tag2str: the first character says how a value prints
 * (i addresses, l/L unsigned/signed 32-bit, s 16-bit, b dotted bytes,
 * a a string, B booleans, p address pairs, $ its own code). */
typedef struct tag {
	uint8_t code;
	char fmt;
	const char *name;
} tag;

static const tag tags[] = {
	{0, ' ', "PAD"},
	{1, 'i', "Subnet-Mask"},
	{2, 'L', "Time-Zone"},
	{3, 'i', "Default-Gateway"},
	{4, 'i', "Time-Server"},
	{5, 'i', "IEN-Name-Server"},
	{6, 'i', "Domain-Name-Server"},
	{7, 'i', "LOG"},
	{8, 'i', "CS"},
	{9, 'i', "LPR-Server"},
	{10, 'i', "IM"},
	{11, 'i', "RL"},
	{12, 'a', "Hostname"},
	{13, 's', "BS"},
	{14, 'a', "DP"},
	{15, 'a', "Domain-Name"},
	{16, 'i', "SS"},
	{17, 'a', "RP"},
	{18, 'a', "EP"},
	{19, 'B', "IPF"},
	{20, 'B', "SRT"},
	{21, 'p', "PF"},
	{22, 's', "RSZ"},
	{23, 'b', "TTL"},
	{24, 'l', "MTU-Timeout"},
	{25, 's', "MTU-Table"},
	{26, 's', "MTU"},
	{27, 'B', "LSN"},
	{28, 'i', "BR"},
	{29, 'B', "MD"},
	{30, 'B', "MS"},
	{31, 'B', "Router-Discovery"},
	{32, 'i', "RSA"},
	{33, 'p', "Static-Route"},
	{34, 'B', "UT"},
	{35, 'l', "AT"},
	{36, 'B', "IE"},
	{37, 'b', "TT"},
	{38, 'l', "KI"},
	{39, 'B', "KG"},
	{40, 'a', "YD"},
	{41, 'i', "YS"},
	{42, 'i', "NTP"},
	{43, 'b', "Vendor-Option"},
	{44, 'i', "Netbios-Name-Server"},
	{45, 'i', "WDD"},
	{46, '$', "Netbios-Node"},
	{47, 'a', "Netbios-Scope"},
	{48, 'i', "XFS"},
	{49, 'i', "XDM"},
	{50, 'i', "Requested-IP"},
	{51, 'l', "Lease-Time"},
	{52, '$', "OO"},
	{53, ' ', "DHCP-Message"},
	{54, 'i', "Server-ID"},
	{55, '$', "Parameter-Request"},
	{56, 'a', "MSG"},
	{57, 's', "MSZ"},
	{58, 'l', "RN"},
	{59, 'l', "RB"},
	{60, 'a', "Vendor-Class"},
	{61, '$', "Client-ID"},
	{64, 's', "N+D"},
	{65, 'i', "N+S"},
	{66, 'a', "TFTP"},
	{67, 'a', "BF"},
	{68, 'i', "MH"},
	{69, 'i', "SMTP"},
	{70, 'i', "POP3"},
	{71, 'i', "NNTP"},
	{72, 'i', "WWW"},
	{73, 'i', "FG"},
	{74, 'i', "IRC"},
	{75, 'i', "STS"},
	{76, 'i', "STDA"},
	{77, '$', "User-Class"},
	{78, 'b', "SLP-DA"},
	{79, 'b', "SLP-SCOPE"},
	{80, 'a', "SLP-NA"},
	{81, '$', "FQDN"},
	{82, '$', "Agent-Information"},
	{83, 'b', "ARMT"},
	{88, 'a', "TZSTR"},
	{89, 'b', "FQDNS"},
	{90, 'b', "AUTH"},
	{91, 'L', "Last-Transaction-Time"},
	{92, 'i', "Associated-IP"},
	{93, 's', "ARCH"},
	{94, 'b', "NDI"},
	{95, 'a', "LDAP"},
	{97, 'b', "GUID"},
	{98, 'a', "UAP"},
	{100, 'a', "POSIX-TZ"},
	{101, 'a', "TZ-Name"},
	{112, 'i', "NI"},
	{113, 'a', "NITAG"},
	{114, 'a', "URL"},
	{116, 'B', "NOAUTO"},
	{117, 's', "NSSEARCH"},
	{118, 'i', "SUBNET"},
	{121, '$', "Classless-Static-Route"},
	{150, 'i', "TFTP-Server-Address"},
	{161, 'a', "MUD-URL"},
	{249, '$', "Classless-Static-Route-Microsoft"},
	{255, ' ', "END"},
};

static const tag *find_tag(unsigned code)
{
	size_t lo = 0, hi = TP_COUNT(tags);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (tags[mid].code == code)
			return &tags[mid];
		if (tags[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const tp_valstr msg_names[] = {
	{1, "Discover"}, {2, "Offer"},	       {3, "Request"},
	{4, "Decline"},	 {5, "ACK"},	       {6, "NACK"},
	{7, "Release"},	 {8, "Inform"},	       {10, "LeaseQuery"},
	{11, "LeaseUnassigned"}, {12, "LeaseUnknown"}, {13, "LeaseActive"},
	{0, NULL}};

static const tp_valstr nbo_names[] = {
	{1, "b-node"}, {2, "p-node"}, {4, "m-node"}, {8, "h-node"}, {0, NULL}};
static const tp_valstr oo_names[] = {
	{1, "file"}, {2, "sname"}, {3, "file+sname"}, {0, NULL}};
static const tp_valstr arp_names[] = {
	{1, "ether"},  {6, "ieee802"}, {7, "arcnet"},	{15, "frelay"},
	{23, "strip"}, {24, "ieee1394"}, {0, NULL}};
static const tp_valstr agent_names[] = {
	{1, "Circuit-ID"}, {2, "Remote-ID"}, {6, "Subscriber-ID"}, {0, NULL}};

static void put_chars(tp_sbuf *s, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tp_sb_tcpdump_char(s, b[i]);
}

static void put_quoted(tp_sbuf *s, const uint8_t *b, size_t n)
{
	tp_sb_putc(s, '"');
	put_chars(s, b, n);
	tp_sb_putc(s, '"');
}

static uint32_t be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

/* tok2str with tcpdump's fallback "#N" (a NULL format). */
static void put_tok(tp_sbuf *s, const tp_valstr *vs, unsigned v)
{
	const char *n = tp_valstr_find(vs, v);
	if (n) {
		tp_sb_puts(s, n);
	} else {
		tp_sb_putc(s, '#');
		tp_sb_dec(s, v);
	}
}

/* ---- the '$' options ------------------------------------------------- */

static size_t agent(tp_sbuf *s, const uint8_t *b, size_t len)
{
	while (len >= 2) {
		unsigned sub = b[0], sl = b[1];
		const char *n = tp_valstr_find(agent_names, sub);
		b += 2;
		len -= 2;
		tp_sb_puts(s, "\n\t      ");
		tp_sb_puts(s, n ? n : "Unknown");
		tp_sb_puts(s, " SubOption ");
		tp_sb_dec(s, sub);
		tp_sb_puts(s, ", length ");
		tp_sb_dec(s, sl);
		if (sl > len) {
			tp_sb_puts(s, ": length goes past end of option");
			return 0;
		}
		tp_sb_put(s, ": ", 2);
		if (sub == 1 || sub == 2 || sub == 6)
			put_chars(s, b, sl);
		else
			tp_sb_tcpdump_hex(s, "\n\t\t", b, sl);
		b += sl;
		len -= sl;
	}
	return len;
}

static size_t classless(tp_sbuf *s, const uint8_t *b, size_t len)
{
	if (len < 5) {
		tp_sb_puts(s, "[ERROR: length < 5 bytes]");
		return 0;
	}
	bool first = true;
	while (len > 0) {
		if (!first)
			tp_sb_putc(s, ',');
		unsigned w = *b++;
		len--;
		if (w > 32) {
			tp_sb_puts(s, "[ERROR: Mask width (");
			tp_sb_dec(s, w);
			tp_sb_puts(s, ") > 32]");
			return 0;
		}
		unsigned sig = (w + 7) / 8;
		if (len < sig + 4) {
			tp_sb_puts(s, "[ERROR: Remaining length (");
			tp_sb_dec(s, len);
			tp_sb_puts(s, ") < ");
			tp_sb_dec(s, sig + 4);
			tp_sb_puts(s, " bytes]");
			return 0;
		}
		tp_sb_putc(s, '(');
		if (!w) {
			tp_sb_puts(s, "default");
		} else {
			for (unsigned i = 0; i < sig; i++) {
				if (i)
					tp_sb_putc(s, '.');
				tp_sb_dec(s, b[i]);
			}
			for (unsigned i = sig; i < 4; i++)
				tp_sb_puts(s, ".0");
			tp_sb_putc(s, '/');
			tp_sb_dec(s, w);
		}
		b += sig;
		tp_sb_putc(s, ':');
		tp_sb_ipv4(s, b);
		tp_sb_putc(s, ')');
		b += 4;
		len -= sig + 4;
		first = false;
	}
	return 0;
}

static size_t user_class(tp_sbuf *s, const uint8_t *b, size_t len)
{
	if (len < 2) {
		tp_sb_puts(s, "[ERROR: length < 2 bytes]");
		return 0;
	}
	for (unsigned k = 1; len > 0; k++) {
		unsigned sl = *b++;
		len--;
		tp_sb_puts(s, "\n\t      instance#");
		tp_sb_dec(s, k);
		tp_sb_put(s, ": ", 2);
		if (!sl) {
			tp_sb_puts(s,
				   "[ERROR: suboption length must be non-zero]");
			return 0;
		}
		if (len < sl) {
			tp_sb_puts(s, "[ERROR: invalid option]");
			return 0;
		}
		put_quoted(s, b, sl);
		tp_sb_puts(s, ", length ");
		tp_sb_dec(s, sl);
		b += sl;
		len -= sl;
	}
	return 0;
}

static size_t fqdn(tp_sbuf *s, const uint8_t *b, size_t len)
{
	if (len < 3) {
		tp_sb_puts(s, "[ERROR: length < 3 bytes]");
		return 0;
	}
	if (b[0] & 0xf0) {
		tp_sb_puts(s, "[ERROR: MBZ nibble 0x");
		tp_sb_hex(s, b[0] >> 4, 1);
		tp_sb_puts(s, " != 0] ");
	}
	if (b[0] & 0x0f) {
		tp_sb_putc(s, '[');
		if (b[0] & 1)
			tp_sb_putc(s, 'S');
		if (b[0] & 2)
			tp_sb_putc(s, 'O');
		if (b[0] & 4)
			tp_sb_putc(s, 'E');
		if (b[0] & 8)
			tp_sb_putc(s, 'N');
		tp_sb_put(s, "] ", 2);
	}
	if (b[1] || b[2]) {
		tp_sb_dec(s, b[1]);
		tp_sb_putc(s, '/');
		tp_sb_dec(s, b[2]);
		tp_sb_putc(s, ' ');
	}
	put_quoted(s, b + 3, len - 3);
	return 0;
}

static size_t client_id(tp_sbuf *s, const uint8_t *b, size_t len)
{
	if (len < 1) {
		tp_sb_puts(s, "[ERROR: length < 1 bytes]");
		return 0;
	}
	unsigned t = *b++;
	len--;
	if (!t) {
		put_quoted(s, b, len);
		return 0;
	}
	const char *n = tp_valstr_find(arp_names, t);
	if (n) {
		tp_sb_puts(s, n);
	} else {
		tp_sb_puts(s, "hardware-type ");
		tp_sb_dec(s, t);
		tp_sb_putc(s, ',');
	}
	tp_sb_putc(s, ' ');
	tp_sb_hexbytes(s, b, len, ':');
	return 0;
}

static size_t special(tp_sbuf *s, unsigned code, const uint8_t *b,
		      size_t len)
{
	switch (code) {
	case 46:
	case 52:
		if (len < 1) {
			tp_sb_puts(s, "[ERROR: length < 1 bytes]");
			return 0;
		}
		put_tok(s, code == 46 ? nbo_names : oo_names, b[0]);
		return len - 1;
	case 61:
		return client_id(s, b, len);
	case 77:
		return user_class(s, b, len);
	case 81:
		return fqdn(s, b, len);
	case 82:
		return agent(s, b, len);
	case 121:
	case 249:
		return classless(s, b, len);
	default:
		tp_sb_puts(s, "[unknown special tag ");
		tp_sb_dec(s, code);
		tp_sb_puts(s, ", size ");
		tp_sb_dec(s, len);
		tp_sb_putc(s, ']');
		return 0;
	}
}

/* The plain formats; returns the bytes left over. */
static size_t plain(tp_sbuf *s, char fmt, const uint8_t *b, size_t len)
{
	bool first = true;
	switch (fmt) {
	case 'a':
		put_quoted(s, b, len);
		return 0;
	case 'i':
	case 'l':
	case 'L':
		for (; len >= 4; b += 4, len -= 4, first = false) {
			if (!first)
				tp_sb_putc(s, ',');
			if (fmt == 'i')
				tp_sb_ipv4(s, b);
			else if (fmt == 'L')
				tp_sb_sdec(s, (int32_t)be32(b));
			else
				tp_sb_dec(s, be32(b));
		}
		return len;
	case 'p':
		for (; len >= 8; b += 8, len -= 8, first = false) {
			if (!first)
				tp_sb_putc(s, ',');
			tp_sb_putc(s, '(');
			tp_sb_ipv4(s, b);
			tp_sb_putc(s, ':');
			tp_sb_ipv4(s, b + 4);
			tp_sb_putc(s, ')');
		}
		return len;
	case 's':
		for (; len >= 2; b += 2, len -= 2, first = false) {
			if (!first)
				tp_sb_putc(s, ',');
			tp_sb_dec(s, (unsigned)b[0] << 8 | b[1]);
		}
		return len;
	case 'B':
		for (; len > 0; b++, len--, first = false) {
			if (!first)
				tp_sb_putc(s, ',');
			if (*b == 0)
				tp_sb_putc(s, 'N');
			else if (*b == 1)
				tp_sb_putc(s, 'Y');
			else {
				tp_sb_dec(s, *b);
				tp_sb_putc(s, '?');
			}
		}
		return 0;
	default: /* b, and anything else: dotted decimal bytes */
		for (; len > 0; b++, len--, first = false) {
			if (!first)
				tp_sb_putc(s, '.');
			tp_sb_dec(s, *b);
		}
		return 0;
	}
}

/* rfc1048_print: the options after the cookie.  False when the capture
 * ends where tcpdump stops with " [|bootp]". */
static bool rfc1048(tp_sbuf *s, tp_cursor *c, int vflag)
{
	tp_sb_puts(s, "\n\t  Vendor-rfc1048 Extensions\n\t    Magic Cookie 0x");
	tp_sb_hex(s, tp_be32(c), 8);
	while (tp_has(c, 1)) {
		unsigned code = tp_u8(c);
		if (code == 0 && vflag < 3)
			continue;
		if (code == 255 && vflag < 3)
			return true;
		const tag *t = find_tag(code);
		char fmt = t ? t->fmt : '?';
		size_t len = 0;
		if (code != 0 && code != 255) {
			if (!tp_has(c, 1))
				return false;
			len = tp_u8(c);
		}
		tp_sb_puts(s, "\n\t    ");
		tp_sb_puts(s, t ? t->name : "Unknown");
		tp_sb_put(s, " (", 2);
		tp_sb_dec(s, code);
		tp_sb_puts(s, "), length ");
		tp_sb_dec(s, len);
		if (len)
			tp_sb_put(s, ": ", 2);
		if (code == 0) {
			unsigned k = 1;
			while (tp_peek(c, 0) == 0) {
				tp_skip(c, 1);
				k++;
			}
			if (k > 1) {
				tp_sb_puts(s, ", occurs ");
				tp_sb_dec(s, k);
			}
		}
		if (!tp_has(c, len))
			return false;
		const uint8_t *b = tp_bytes(c, len);
		if (code == 53 && len == 1) {
			const char *n = tp_valstr_find(msg_names, b[0]);
			if (n) {
				tp_sb_puts(s, n);
			} else {
				tp_sb_puts(s, "Unknown (");
				tp_sb_dec(s, b[0]);
				tp_sb_putc(s, ')');
			}
			continue;
		}
		if (code == 55) {
			for (size_t i = 0; i < len; i++) {
				const tag *u = find_tag(b[i]);
				tp_sb_puts(s, i % 4 ? ", " : "\n\t      ");
				tp_sb_puts(s, u ? u->name : "Unknown");
				tp_sb_put(s, " (", 2);
				tp_sb_dec(s, b[i]);
				tp_sb_putc(s, ')');
			}
			continue;
		}
		if (fmt == '?')
			fmt = len & 1 ? 'b' : len & 2 ? 's' : 'l';
		size_t left = fmt == '$' ? special(s, code, b, len)
					 : plain(s, fmt, b, len);
		if (left) {
			tp_sb_puts(s, "\n\t  trailing data length ");
			tp_sb_dec(s, left);
		}
	}
	return true;
}

/* cmu_print: CMU's vendor area ("CMU\0", flags, eight addresses). */
static bool cmu(tp_sbuf *s, tp_cursor *c)
{
	static const struct {
		uint8_t off;
		const char *name;
	} addrs[] = {{12, "DG"},   {8, NULL},	  {16, "NS1"}, {20, "NS2"},
		     {24, "IEN1"}, {28, "IEN2"}, {32, "TS1"}, {36, "TS2"}};
	tp_sb_puts(s, " vend-cmu");
	if (!tp_has(c, 8))
		return false;
	uint8_t fl = (uint8_t)tp_peek(c, 4);
	if (fl & ~1u) {
		tp_sb_puts(s, " F:0x");
		tp_sb_hex(s, fl, 1);
	}
	for (size_t i = 0; i < TP_COUNT(addrs); i++) {
		size_t o = addrs[i].off;
		if (!tp_has(c, o + 4))
			return false;
		const uint8_t *a = c->base + c->off + o;
		if (!be32(a))
			continue;
		tp_sb_putc(s, ' ');
		tp_sb_puts(s, addrs[i].name ? addrs[i].name
				: fl & 1 ? "SM"
					 : "SM*");
		tp_sb_putc(s, ':');
		tp_sb_ipv4(s, a);
	}
	return true;
}

/* sname/file: up to the NUL (nd_printztn); false when there is none
 * before the field's or the capture's end (tcpdump stops there). */
static bool ztext(tp_sbuf *s, const char *label, const tp_cursor *c,
		  size_t off, size_t n)
{
	tp_sb_puts(s, label);
	for (size_t i = 0; i < n; i++) {
		int ch = tp_peek(c, off + i);
		if (ch < 0)
			break;
		if (!ch) {
			tp_sb_putc(s, '"');
			return true;
		}
		tp_sb_tcpdump_char(s, (unsigned)ch);
	}
	tp_sb_putc(s, '"');
	return false;
}

/* The header after "length N" with -v (bootp_print's verbose part). */
static bool verbose(tp_sbuf *s, tp_cursor *c, const uint8_t *h, int vflag)
{
	static const char *const ipn[] = {"\n\t  Client-IP ", "\n\t  Your-IP ",
					  "\n\t  Server-IP ",
					  "\n\t  Gateway-IP "};
	if (!tp_has(c, 10))
		return false;
	unsigned htype = h[1], hlen = h[2];
	if (htype != 1) {
		tp_sb_puts(s, ", htype ");
		tp_sb_dec(s, htype);
	}
	if (htype != 1 || hlen != 6) {
		tp_sb_puts(s, ", hlen ");
		tp_sb_dec(s, hlen);
	}
	if (h[3]) {
		tp_sb_puts(s, ", hops ");
		tp_sb_dec(s, h[3]);
	}
	if (be32(h + 4)) {
		tp_sb_puts(s, ", xid 0x");
		tp_sb_hex(s, be32(h + 4), 1);
	}
	unsigned secs = (unsigned)h[8] << 8 | h[9];
	if (secs) {
		tp_sb_puts(s, ", secs ");
		tp_sb_dec(s, secs);
	}
	if (!tp_has(c, 12))
		return false;
	unsigned fl = (unsigned)h[10] << 8 | h[11];
	tp_sb_puts(s, fl & 0x8000 ? ", Flags [Broadcast]" : ", Flags [none]");
	if (vflag > 1) {
		tp_sb_puts(s, " (0x");
		tp_sb_hex(s, fl, 4);
		tp_sb_putc(s, ')');
	}
	for (unsigned i = 0; i < 4; i++) {
		if (!tp_has(c, 16 + 4 * i))
			return false;
		if (be32(h + 12 + 4 * i)) {
			tp_sb_puts(s, ipn[i]);
			tp_sb_ipv4(s, h + 12 + 4 * i);
		}
	}
	if (htype == 1 && hlen == 6) {
		if (!tp_has(c, 34))
			return false;
		tp_sb_puts(s, "\n\t  Client-Ethernet-Address ");
		tp_sb_mac(s, h + 28);
	}
	if (!tp_has(c, 45))
		return false;
	if (h[44] && !ztext(s, "\n\t  sname \"", c, 44, 64))
		return false;
	if (!tp_has(c, 109))
		return false;
	if (h[108] && !ztext(s, "\n\t  file \"", c, 108, 128))
		return false;
	if (!tp_has(c, 240))
		return false;
	tp_skip(c, 236);
	const uint8_t *v = c->base + c->off;
	if (be32(v) == DHCP_COOKIE)
		return rfc1048(s, c, vflag);
	if (!memcmp(v, "CMU", 4))
		return cmu(s, c);
	if (be32(v)) {
		tp_sb_puts(s, "\n\t  Vendor-#0x");
		tp_sb_hex(s, be32(v), 1);
	}
	return true;
}

/* tapir's note on an answer, after tcpdump's text. */
static void pairing(const tp_pkt *p, unsigned li, tp_sbuf *s)
{
	const tp_field *in = tp_layer_find(p, li, &dhcp_fields[F_T_REQUEST_IN]);
	const tp_field *t = tp_layer_find(p, li, &dhcp_fields[F_T_TIME]);
	const tp_field *rt =
		tp_layer_find(p, li, &dhcp_fields[F_T_REQUEST_TYPE]);
	const tp_field *un =
		tp_layer_find(p, li, &dhcp_fields[F_T_UNANSWERED]);
	if (in && t && rt) {
		const tp_field *mt = NULL;
		const tp_layer *l = &p->layers[li];
		for (uint32_t i = 0; i < l->nfields; i++)
			if (p->fields[l->first_field + i].def ==
			    &dhcp_fields[F_MSGTYPE])
				mt = &p->fields[l->first_field + i];
		const char *rn =
			tp_valstr_find(dhcp_msgtype_names, (uint32_t)rt->v.u);
		tp_sb_puts(s, " | ");
		if (mt && mt->v.u == DHCP_NAK)
			tp_sb_puts(s, "NAK: refuses ");
		else
			tp_sb_puts(s, "answers ");
		tp_sb_puts(s, rn ? rn : "request");
		tp_sb_puts(s, " #");
		tp_sb_dec(s, in->v.u);
		tp_sb_puts(s, " after ");
		int64_t us = t->v.i / 1000;
		if (us < 0)
			us = 0;
		tp_sb_dec(s, (uint64_t)us / 1000);
		tp_sb_frac(s, (uint32_t)((uint64_t)us % 1000), 3);
		tp_sb_puts(s, " ms");
	} else if (un) {
		tp_sb_puts(s, " | again: #");
		tp_sb_dec(s, un->v.u);
		tp_sb_puts(s, " got no answer");
	}
}

tp_sum dhcp_summarize(const tp_pkt *p, unsigned li, tp_sbuf *s,
		      const tp_outopts *o)
{
	const tp_layer *l = &p->layers[li];
	uint64_t length = (uint64_t)l->len + l->payload_len;
	tp_cursor c = tp_datagram_cursor(p, li);
	size_t avail = tp_avail(&c);
	const uint8_t *h = c.base + c.off;
	bool ok = true;
	if (avail < 1) { /* not even the op: tcpdump prints no name */
		ok = false;
	} else {
		tp_sb_puts(s, "BOOTP/DHCP, ");
		if (h[0] == 1)
			tp_sb_puts(s, "Request");
		else if (h[0] == 2)
			tp_sb_puts(s, "Reply");
		else {
			tp_sb_puts(s, "unknown (0x");
			tp_sb_hex(s, h[0], 2);
			tp_sb_putc(s, ')');
		}
		if (avail < 3)
			ok = false;
		else if (h[1] == 1 && h[2] == 6 && h[0] == 1) {
			if (avail < 34) {
				ok = false;
			} else {
				tp_sb_puts(s, " from ");
				tp_sb_mac(s, h + 28);
			}
		}
	}
	if (ok) {
		tp_sb_puts(s, ", length ");
		tp_sb_dec(s, length);
		if (o->vflag)
			ok = verbose(s, &c, h, o->vflag);
	}
	if (!ok)
		tp_sb_puts(s, " [|bootp]");
	pairing(p, li, s);
	return TP_SUM_STOP;
}
