/* dns_print.c - tcpdump's one-line DNS text (its print-domain.c, 4.99),
 * byte for byte, read again from the message through a cursor: header
 * marks, "[1au]"-style counts, the question, "N/N/N" and the answers,
 * -v's record names, -vv's q:/ns:/ar: sections, -vvv's TTLs, EDNS
 * options, and tcpdump's own ways of stopping ("<BAD PTR>", " [|domain]"
 * where its bounds checks would have jumped out).  The record's fields
 * are not used: tcpdump walks the bytes by its own rules, and so must
 * this, to print what it prints on damaged messages too. */
#include <setjmp.h>
#include <string.h>

#include "dns_int.h"

typedef struct pr {
	tp_cursor c;    /* the message: c.off its first byte, cap_end the
			 * end of what was captured (tcpdump's snapend) */
	size_t bp;      /* the message's first byte */
	tp_sbuf *s;
	int v;
	bool mdns;
	jmp_buf out;    /* a read past snapend: " [|domain]" */
} pr;

static bool ttest(const pr *x, size_t at, size_t n)
{
	return at >= x->bp && at <= x->c.cap_end && n <= x->c.cap_end - at;
}

static unsigned get8(pr *x, size_t at)
{
	tp_cursor r = x->c;
	if (!ttest(x, at, 1))
		longjmp(x->out, 1);
	r.off = at;
	return tp_u8(&r);
}

static unsigned get16(pr *x, size_t at)
{
	return get8(x, at) << 8 | get8(x, at + 1);
}

static uint32_t get32(pr *x, size_t at)
{
	return (uint32_t)get16(x, at) << 16 | get16(x, at + 2);
}

static void out(pr *x, const char *t) { tp_sb_puts(x->s, t); }
static void outn(pr *x, uint64_t v) { tp_sb_dec(x->s, v); }

/* nd_printn: true when the capture ended first. */
static bool printn(pr *x, size_t at, size_t n)
{
	while (n > 0 && at < x->c.cap_end) {
		n--;
		tp_sb_tcpdump_char(x->s, get8(x, at++));
	}
	return n != 0;
}

enum { TY_LABEL = 0, TY_EDNS0 = 0x40, TY_RESERVED = 0x80, TY_INDIR = 0xc0 };

/* ns_nskip: past a name; 0 when it cannot. */
static size_t nskip(pr *x, size_t cp)
{
	if (!ttest(x, cp, 1))
		return 0;
	unsigned i = get8(x, cp++);
	while (i) {
		switch (i & 0xc0) {
		case TY_INDIR:
			return cp + 1;
		case TY_EDNS0: {
			if ((i & 0x3f) != 1 || !ttest(x, cp, 1))
				return 0;
			unsigned bl = get8(x, cp);
			if (!bl)
				bl = 256;
			cp += 1 + (bl + 7) / 8;
			break;
		}
		case TY_RESERVED:
			return 0;
		default:
			cp += i;
		}
		if (!ttest(x, cp, 1))
			return 0;
		i = get8(x, cp++);
	}
	return cp;
}

static long labellen(pr *x, size_t cp)
{
	if (!ttest(x, cp, 1))
		return -1;
	unsigned i = get8(x, cp);
	switch (i & 0xc0) {
	case TY_EDNS0: {
		if ((i & 0x3f) != 1) {
			out(x, "<ELT ");
			outn(x, i & 0x3f);
			out(x, ">");
			return -1;
		}
		if (!ttest(x, cp + 1, 1))
			return -1;
		unsigned bl = get8(x, cp + 1);
		if (!bl)
			bl = 256;
		return (long)((bl + 7) / 8 + 1);
	}
	case TY_INDIR:
	case TY_LABEL:
		return (long)i;
	default:
		out(x, "<BAD LABEL TYPE>");
		return -1;
	}
}

static size_t blabel(pr *x, size_t cp)
{
	if (!ttest(x, cp, 1))
		return 0;
	unsigned bitlen = get8(x, cp);
	if (!bitlen)
		bitlen = 256;
	size_t lim = cp + 1 + (bitlen + 3) / 4;
	out(x, "\\[x");
	size_t bitp = cp + 1;
	unsigned b = bitlen;
	for (; bitp < lim && b > 7; b -= 8, bitp++)
		tp_sb_hex(x->s, get8(x, bitp), 2);
	if (b > 4)
		tp_sb_hex(x->s, get8(x, bitp) & (0xffu << (8 - b)) & 0xff, 2);
	else if (b > 0)
		tp_sb_hex(x->s,
			  ((get8(x, bitp) >> 4) & 0x0f) & (0x0fu << (4 - b)), 1);
	out(x, "/");
	outn(x, bitlen);
	out(x, "]");
	return lim;
}

/* The label byte at *cp and its length (labellen); past it. */
static bool next_label(pr *x, size_t *cp, unsigned *i, long *l)
{
	if (!ttest(x, *cp, 1))
		return false;
	*i = get8(x, *cp);
	if ((*l = labellen(x, *cp)) < 0)
		return false;
	(*cp)++;
	return true;
}

/* fqdn_print: the name at cp (pointers count from bp); the byte after
 * it, or 0. */
static size_t fqdn(pr *x, size_t cp, size_t bp)
{
	long l = labellen(x, cp);
	if (l < 0 || !ttest(x, cp, 1))
		return 0;
	size_t max_off = cp - bp, rp = 0;
	bool compress = false;
	unsigned name_chars = 0;
	unsigned i = get8(x, cp++);
	if ((i & 0xc0) != TY_INDIR)
		rp = cp + (size_t)l;
	if (i == 0) {
		out(x, ".");
		return rp;
	}
	while (i && cp < x->c.cap_end) {
		switch (i & 0xc0) {
		case TY_INDIR: {
			if (!compress) {
				rp = cp + 1;
				compress = true;
			}
			if (!ttest(x, cp, 1))
				return 0;
			size_t off = ((i << 8) | get8(x, cp)) & 0x3fff;
			if (off >= max_off) {
				out(x, "<BAD PTR>");
				return 0;
			}
			max_off = off;
			cp = bp + off;
			if (!next_label(x, &cp, &i, &l))
				return 0;
			continue;
		}
		case TY_EDNS0:
			if ((i & 0x3f) != 1) {
				out(x, "<ELT ");
				outn(x, i & 0x3f);
				out(x, ">");
				return 0;
			}
			if (!blabel(x, cp))
				return 0;
			break;
		case TY_RESERVED:
			out(x, "<BAD LABEL TYPE>");
			return 0;
		default:
			if (name_chars + (unsigned)l <= DNS_NAME_MAX) {
				if (printn(x, cp, (size_t)l))
					return 0;
			} else if (name_chars < DNS_NAME_MAX) {
				if (printn(x, cp, DNS_NAME_MAX - name_chars))
					return 0;
			}
			name_chars += (unsigned)l;
		}
		cp += (size_t)l;
		if (name_chars <= DNS_NAME_MAX)
			out(x, ".");
		name_chars++;
		if (!next_label(x, &cp, &i, &l))
			return 0;
		if (!compress)
			rp += (size_t)l + 1;
	}
	if (name_chars > DNS_NAME_MAX)
		out(x, "<DOMAIN NAME TOO LONG>");
	return rp;
}

static size_t cprint(pr *x, size_t cp)
{
	if (!ttest(x, cp, 1))
		return 0;
	unsigned i = get8(x, cp++);
	if (printn(x, cp, i))
		return 0;
	return cp + i;
}

static const tp_valstr tcpdump_types[] = {
	{1, "A"},	  {2, "NS"},	   {3, "MD"},	     {4, "MF"},
	{5, "CNAME"},	  {6, "SOA"},	   {7, "MB"},	     {8, "MG"},
	{9, "MR"},	  {10, "NULL"},	   {11, "WKS"},	     {12, "PTR"},
	{13, "HINFO"},	  {14, "MINFO"},   {15, "MX"},	     {16, "TXT"},
	{17, "RP"},	  {18, "AFSDB"},   {19, "X25"},	     {20, "ISDN"},
	{21, "RT"},	  {22, "NSAP"},	   {23, "NSAP_PTR"}, {24, "SIG"},
	{25, "KEY"},	  {26, "PX"},	   {27, "GPOS"},     {28, "AAAA"},
	{29, "LOC"},	  {30, "NXT"},	   {31, "EID"},	     {32, "NIMLOC"},
	{33, "SRV"},	  {34, "ATMA"},	   {35, "NAPTR"},    {36, "KX"},
	{37, "CERT"},	  {38, "A6"},	   {39, "DNAME"},    {40, "SINK"},
	{41, "OPT"},	  {42, "APL"},	   {43, "DS"},	     {44, "SSHFP"},
	{45, "IPSECKEY"}, {46, "RRSIG"},   {47, "NSEC"},     {48, "DNSKEY"},
	{99, "SPF"},	  {100, "UINFO"},  {101, "UID"},     {102, "GID"},
	{103, "UNSPEC"},  {104, "UNSPECA"}, {249, "TKEY"},   {250, "TSIG"},
	{251, "IXFR"},	  {252, "AXFR"},   {253, "MAILB"},   {254, "MAILA"},
	{255, "ANY"},	  {256, "URI"},	   {0, NULL}};
static const tp_valstr tcpdump_classes[] = {
	{1, "IN"}, {3, "CHAOS"}, {4, "HS"}, {255, "ANY"}, {0, NULL}};
static const tp_valstr edns_opts[] = {
	{1, "LLQ"},	  {2, "UL"},	     {3, "NSID"},      {5, "DAU"},
	{6, "DHU"},	  {7, "N3U"},	     {8, "ECS"},       {9, "EXPIRE"},
	{10, "COOKIE"},	  {11, "KEEPALIVE"}, {12, "PADDING"},  {13, "CHAIN"},
	{14, "KEY-TAG"},  {16, "CLIENT-TAG"}, {17, "SERVER-TAG"}, {0, NULL}};
static const tp_valstr dau_algs[] = {
	{0, "DELETE"},	       {1, "RSAMD5"},
	{2, "DH"},	       {3, "DS"},
	{5, "RSASHA1"},	       {6, "DSA-NSEC3-SHA1"},
	{7, "RSASHA1-NSEC3-SHA1"}, {8, "RSASHA256"},
	{10, "RSASHA512"},     {12, "ECC-GOST"},
	{13, "ECDSAP256SHA256"}, {14, "ECDSAP384SHA384"},
	{15, "ED25519"},       {16, "ED448"},
	{252, "INDIRECT"},     {253, "PRIVATEDNS"},
	{254, "PRIVATEOID"},   {0, NULL}};
static const tp_valstr dhu_algs[] = {
	{1, "SHA-1"}, {2, "SHA-256"}, {3, "GOST_R_34.11-94"}, {4, "SHA-384"},
	{0, NULL}};
static const tp_valstr n3u_algs[] = {{1, "SHA-1"}, {0, NULL}};

/* tok2str: the name, or the fallback with the number. */
static void tok(pr *x, const tp_valstr *vs, const char *pre, unsigned v,
		const char *post)
{
	const char *n = tp_valstr_find(vs, v);
	if (n) {
		out(x, n);
		return;
	}
	out(x, pre);
	outn(x, v);
	out(x, post);
}

static void invalid(pr *x) { out(x, " (invalid)"); }

static void ecs(pr *x, size_t cp, unsigned len)
{
	if (len < 4) {
		invalid(x);
		return;
	}
	unsigned fam = get16(x, cp), src = get8(x, cp + 2),
		 scope = get8(x, cp + 3);
	unsigned bits = fam == 1 ? 32 : fam == 2 ? 128 : 0;
	if (!bits || len - 4 > bits / 8 || src > bits || scope > bits ||
	    (src + 7) / 8 != len - 4) {
		invalid(x);
		return;
	}
	uint8_t a[16] = {0};
	for (unsigned i = 0; i < len - 4; i++)
		a[i] = (uint8_t)get8(x, cp + 4 + i);
	if (fam == 1)
		tp_sb_ipv4(x->s, a);
	else
		tp_sb_ipv6(x->s, a);
	out(x, "/");
	outn(x, src);
	out(x, "/");
	outn(x, scope);
}

static void alg_list(pr *x, size_t cp, unsigned len, const tp_valstr *vs)
{
	for (unsigned i = 0; i < len; i++) {
		if (i)
			out(x, " ");
		tok(x, vs, "Alg_", get8(x, cp + i), "");
	}
}

/* eopt_print: one EDNS option; its end, or 0. */
static size_t eopt(pr *x, size_t cp)
{
	if (!ttest(x, cp, 2))
		return 0;
	unsigned opt = get16(x, cp);
	cp += 2;
	tok(x, edns_opts, "Opt", opt, "");
	if (!ttest(x, cp, 2))
		return 0;
	unsigned len = get16(x, cp);
	cp += 2;
	if (!ttest(x, cp, len))
		return 0;
	if (!len)
		return cp;
	out(x, " ");
	switch (opt) {
	case 8:
		ecs(x, cp, len);
		break;
	case 10:
		if (len < 8 || (len > 8 && len < 16) || len > 40) {
			invalid(x);
			break;
		}
		for (unsigned i = 0; i < len; i++) {
			if (i == 8)
				out(x, " ");
			tp_sb_hex(x->s, get8(x, cp + i), 2);
		}
		break;
	case 11:
		if (len != 2) {
			invalid(x);
		} else {
			unsigned v = get16(x, cp);
			outn(x, v / 10);
			out(x, ".");
			outn(x, v % 10);
			out(x, " sec");
		}
		break;
	case 9:
		if (len != 4) {
			invalid(x);
		} else {
			outn(x, get32(x, cp));
			out(x, " sec");
		}
		break;
	case 12:
		out(x, "(");
		outn(x, len);
		out(x, ")");
		break;
	case 14:
		if (len % 2) {
			invalid(x);
			break;
		}
		for (unsigned i = 0; i < len; i += 2) {
			if (i)
				out(x, " ");
			outn(x, get16(x, cp + i));
		}
		break;
	case 5:
		alg_list(x, cp, len, dau_algs);
		break;
	case 6:
		alg_list(x, cp, len, dhu_algs);
		break;
	case 7:
		alg_list(x, cp, len, n3u_algs);
		break;
	case 13:
		fqdn(x, cp, cp + len);
		break;
	default:
		for (unsigned i = 0; i < len; i++)
			tp_sb_hex(x->s, get8(x, cp + i), 2);
		break;
	}
	return cp + len;
}

static size_t qprint(pr *x, size_t cp)
{
	size_t np = cp;
	cp = nskip(x, cp);
	if (!cp || !ttest(x, cp, 4))
		return 0;
	unsigned t = get16(x, cp), i = get16(x, cp + 2);
	cp += 4;
	out(x, " ");
	tok(x, tcpdump_types, "Type", t, "");
	unsigned cls = x->mdns ? i & 0x7fff : i;
	if (cls != 1) {
		out(x, " ");
		tok(x, tcpdump_classes, "(Class ", cls, ")");
	}
	if (x->mdns)
		out(x, i & 0x8000 ? " (QU)" : " (QM)");
	out(x, "? ");
	size_t r = fqdn(x, np, x->bp);
	return r ? r + 4 : 0;
}

/* unsigned_relts_print */
static void relts(pr *x, uint32_t secs)
{
	static const char *const unit[] = {"y", "w", "d", "h", "m", "s"};
	static const uint32_t sec[] = {31536000, 604800, 86400, 3600, 60, 1};
	if (!secs) {
		out(x, "0s");
		return;
	}
	for (unsigned k = 0; secs && k < 6; k++)
		if (secs >= sec[k]) {
			outn(x, secs / sec[k]);
			out(x, unit[k]);
			secs %= sec[k];
		}
}

/* " " and an IPv4 (n 4) or IPv6 (16) address; false when cut. */
static bool put_addr(pr *x, size_t cp, unsigned n)
{
	if (!ttest(x, cp, n))
		return false;
	uint8_t a[16];
	for (unsigned k = 0; k < n; k++)
		a[k] = (uint8_t)get8(x, cp + k);
	out(x, " ");
	if (n == 4)
		tp_sb_ipv4(x->s, a);
	else
		tp_sb_ipv6(x->s, a);
	return true;
}

/* " " and the name after `skip` fixed bytes (MX, SRV); false when cut. */
static bool name_after(pr *x, size_t cp, unsigned skip)
{
	out(x, " ");
	return ttest(x, cp, skip) && fqdn(x, cp + skip, x->bp);
}

/* ns_rprint: one record; its end, the capture's end (stop the section
 * quietly), or 0. */
static size_t rprint(pr *x, size_t cp)
{
	size_t snapend = x->c.cap_end;
	if (x->v) {
		out(x, " ");
		if (!(cp = fqdn(x, cp, x->bp)))
			return 0;
	} else {
		cp = nskip(x, cp);
	}
	if (!cp || !ttest(x, cp, 10))
		return snapend;
	unsigned typ = get16(x, cp), i = get16(x, cp + 2);
	cp += 4;
	unsigned cls = x->mdns ? i & 0x7fff : i;
	if (cls != 1 && typ != T_OPT) {
		out(x, " ");
		tok(x, tcpdump_classes, "(Class ", cls, ")");
	}
	if (x->mdns && (i & 0x8000))
		out(x, " (Cache flush)");
	unsigned opt_flags = 0;
	if (typ == T_OPT) {
		opt_flags = get16(x, cp + 2);
	} else if (x->v > 2) {
		out(x, " [");
		relts(x, get32(x, cp));
		out(x, "]");
	}
	cp += 4;
	unsigned len = get16(x, cp);
	cp += 2;
	size_t rp = cp + len;
	out(x, " ");
	tok(x, tcpdump_types, "Type", typ, "");
	if (rp > snapend)
		return 0;
	switch (typ) {
	case T_A:
	case T_AAAA:
		if (!put_addr(x, cp, typ == T_A ? 4 : 16))
			return 0;
		break;
	case T_NS:
	case T_CNAME:
	case T_PTR:
	case 39: /* DNAME */
		out(x, " ");
		if (!fqdn(x, cp, x->bp))
			return 0;
		break;
	case T_SOA:
		if (!x->v)
			break;
		out(x, " ");
		if (!(cp = fqdn(x, cp, x->bp)))
			return 0;
		out(x, " ");
		if (!(cp = fqdn(x, cp, x->bp)))
			return 0;
		if (!ttest(x, cp, 20))
			return 0;
		for (int k = 0; k < 5; k++) {
			out(x, " ");
			outn(x, get32(x, cp + 4u * (unsigned)k));
		}
		break;
	case T_MX:
		if (!name_after(x, cp, 2))
			return 0;
		out(x, " ");
		outn(x, get16(x, cp));
		break;
	case T_TXT:
		while (cp < rp) {
			out(x, " \"");
			if (!(cp = cprint(x, cp)))
				return 0;
			out(x, "\"");
		}
		break;
	case T_SRV:
		if (!name_after(x, cp, 6))
			return 0;
		out(x, ":");
		outn(x, get16(x, cp + 4));
		out(x, " ");
		outn(x, get16(x, cp));
		out(x, " ");
		outn(x, get16(x, cp + 2));
		break;
	case 38: { /* A6 */
		if (!ttest(x, cp, 1))
			return 0;
		unsigned pbit = get8(x, cp), pbyte = (pbit & ~7u) / 8;
		if (pbit > 128) {
			out(x, " ");
			outn(x, pbit);
			out(x, "(bad plen)");
			break;
		}
		if (pbit < 128) {
			uint8_t a[16] = {0};
			for (unsigned k = pbyte; k < 16; k++)
				a[k] = (uint8_t)get8(x, cp + 1 + k - pbyte);
			out(x, " ");
			outn(x, pbit);
			out(x, " ");
			tp_sb_ipv6(x->s, a);
		}
		if (pbit > 0) {
			out(x, " ");
			if (!fqdn(x, cp + 1 + 16 - pbyte, x->bp))
				return 0;
		}
		break;
	}
	case 256: /* URI */
		if (!ttest(x, cp, len))
			return 0;
		out(x, " ");
		outn(x, get16(x, cp));
		out(x, " ");
		outn(x, get16(x, cp + 2));
		out(x, " ");
		if (printn(x, cp + 4, len - 4))
			return 0;
		break;
	case T_OPT:
		out(x, " UDPsize=");
		outn(x, cls);
		if (opt_flags & 0x8000)
			out(x, " DO");
		if (cp < rp) {
			out(x, " [");
			while (cp < rp) {
				if (!(cp = eopt(x, cp)))
					return 0;
				if (cp < rp)
					out(x, ",");
			}
			out(x, "]");
		}
		break;
	case 104: /* UNSPECA */
		if (!ttest(x, cp, len))
			return 0;
		if (printn(x, cp, len))
			return 0;
		break;
	case 250: /* TSIG */
		if (cp + len > snapend)
			return 0;
		if (!x->v)
			break;
		out(x, " ");
		if (!(cp = fqdn(x, cp, x->bp)))
			return 0;
		cp += 6;
		out(x, " fudge=");
		outn(x, get16(x, cp));
		cp += 2;
		out(x, " maclen=");
		outn(x, get16(x, cp));
		cp += 2 + get16(x, cp);
		out(x, " origid=");
		outn(x, get16(x, cp));
		cp += 2;
		out(x, " error=");
		outn(x, get16(x, cp));
		cp += 2;
		out(x, " otherlen=");
		outn(x, get16(x, cp));
		break;
	default:
		break;
	}
	return rp;
}

static const char *const ops[] = {
	"",	    " inv_q",	 " stat",     " op3",	   " notify",
	" update",  " op6",	 " op7",      " op8",	   " updateA",
	" updateD", " updateDA", " updateM",  " updateMA", " zoneInit",
	" zoneRef"};
static const char *const resp[] = {
	"",	     " FormErr",  " ServFail", " NXDomain", " NotImp",
	" Refused",  " YXDomain", " YXRRSet",  " NXRRSet",  " NotAuth",
	" NotZone",  " Resp11",	  " Resp12",   " Resp13",   " Resp14",
	" NoChange", " BadVers",  "Resp17",    " Resp18",   " Resp19",
	" Resp20",   "Resp21",	  " Resp22",   " BadCookie"};

/* A section of `n` records after `label`: false when tcpdump would
 * stop with its truncation mark.  A query's answers (label NULL) start
 * even at the end of the capture, as tcpdump's do. */
static bool section(pr *x, size_t *cp, unsigned n, const char *label)
{
	if ((!label || *cp < x->c.cap_end) && n) {
		if (label)
			out(x, label);
		if (!(*cp = rprint(x, *cp)))
			return false;
		n--;
		while (*cp < x->c.cap_end && n) {
			out(x, ",");
			if (!(*cp = rprint(x, *cp)))
				return false;
			n--;
		}
	}
	return n == 0;
}

/* The extended rcode: the OPT record's high bits, found the way
 * tcpdump finds it. */
static unsigned find_rcode(pr *x, unsigned rcode, const unsigned cnt[4])
{
	size_t cp = x->bp + 12, end = x->c.cap_end;
	for (unsigned i = 0; i < cnt[0]; i++) {
		if (!(cp = nskip(x, cp)))
			return rcode;
		cp += 4;
		if (cp >= end)
			return rcode;
	}
	for (unsigned i = 0; i < cnt[1] + cnt[2]; i++) {
		if (!(cp = nskip(x, cp)))
			return rcode;
		cp += 8;
		if (cp + 2 > end)
			return rcode;
		cp += 2 + get16(x, cp);
		if (cp >= end)
			return rcode;
	}
	for (unsigned i = 0; i < cnt[3]; i++) {
		if (!(cp = nskip(x, cp)))
			return rcode;
		if (cp + 2 > end)
			return rcode;
		unsigned t = get16(x, cp);
		cp += 4;
		if (cp + 1 > end)
			return rcode;
		if (t == T_OPT)
			return rcode | get8(x, cp) << 4;
		cp += 4;
		if (cp + 2 > end)
			return rcode;
		cp += 2 + get16(x, cp);
		if (cp >= end)
			return rcode;
	}
	return rcode;
}

/* " [N" and the tag ("q]"), when `show`. */
static void count_tag(pr *x, unsigned n, bool show, const char *tag)
{
	if (!show)
		return;
	out(x, " [");
	outn(x, n);
	out(x, tag);
}

static void message(pr *x, uint32_t length)
{
	if (length < 12) {
		out(x, "domain [length ");
		outn(x, length);
		out(x, " < 12]");
		invalid(x);
		return;
	}
	size_t bp = x->bp;
	if (!ttest(x, bp, 12))
		longjmp(x->out, 1);
	unsigned fl = get16(x, bp + 2);
	unsigned cnt[4];
	for (int i = 0; i < 4; i++)
		cnt[i] = get16(x, bp + 4 + 2u * (unsigned)i);
	unsigned op = (fl >> 11) & 0xf;
	unsigned rcode = find_rcode(x, fl & 0xf, cnt);
	size_t cp = bp + 12;
	outn(x, get16(x, bp));
	out(x, ops[op]);
	if (fl & 0x8000) {
		if (rcode < TP_COUNT(resp)) {
			out(x, resp[rcode]);
		} else {
			out(x, " Resp");
			outn(x, rcode & 0xfff);
		}
		out(x, fl & 0x400 ? "*" : "");
		out(x, fl & 0x80 ? "" : "-");
		out(x, fl & 0x200 ? "|" : "");
		out(x, fl & 0x20 ? "$" : "");
		count_tag(x, cnt[0], cnt[0] != 1, "q]");
		for (unsigned i = 0; i < cnt[0]; i++) {
			if (i)
				out(x, ",");
			if (x->v > 1) {
				out(x, " q:");
				if (!(cp = qprint(x, cp)))
					longjmp(x->out, 1);
			} else {
				if (!(cp = nskip(x, cp)))
					longjmp(x->out, 1);
				cp += 4;
			}
		}
		out(x, " ");
		outn(x, cnt[1]);
		out(x, "/");
		outn(x, cnt[2]);
		out(x, "/");
		outn(x, cnt[3]);
		if (!section(x, &cp, cnt[1], ""))
			longjmp(x->out, 1);
		if (x->v > 1 && (!section(x, &cp, cnt[2], " ns:") ||
				 !section(x, &cp, cnt[3], " ar:")))
			longjmp(x->out, 1);
	} else {
		out(x, fl & 0x100 ? "+" : "");
		out(x, fl & 0x10 ? "%" : "");
		if (fl & 0x6cf) {
			out(x, " [b2&3=0x");
			char h[8];
			tp_sbuf t;
			tp_sb_init(&t, h, sizeof h);
			tp_sb_hex(&t, fl, 1);
			/* %x: no leading zeros */
			const char *z = tp_sb_cstr(&t);
			out(x, z);
			out(x, "]");
		}
		if (op == 1) { /* IQUERY */
			count_tag(x, cnt[0], cnt[0] != 0, "q]");
			count_tag(x, cnt[1], cnt[1] != 1, "a]");
		} else {
			count_tag(x, cnt[1], cnt[1] != 0, "a]");
			count_tag(x, cnt[0], cnt[0] != 1, "q]");
		}
		count_tag(x, cnt[2], cnt[2] != 0, "n]");
		count_tag(x, cnt[3], cnt[3] != 0, "au]");
		unsigned q = cnt[0];
		if (q) {
			if (!(cp = qprint(x, cp)))
				longjmp(x->out, 1);
			q--;
			while (cp < x->c.cap_end && q) {
				if (!(cp = qprint(x, cp)))
					longjmp(x->out, 1);
				q--;
			}
		}
		if (q)
			longjmp(x->out, 1);
		if (x->v > 1 && (!section(x, &cp, cnt[1], NULL) ||
				 !section(x, &cp, cnt[2], " ns:") ||
				 !section(x, &cp, cnt[3], " ar:")))
			longjmp(x->out, 1);
	}
	out(x, " (");
	outn(x, length);
	out(x, ")");
}

static void run(pr *x, uint32_t length, bool over_tcp)
{
	if (over_tcp) {
		if (length < 2) {
			out(x, " [DNS over TCP: length ");
			outn(x, length);
			out(x, " < 2]");
			invalid(x);
			return;
		}
		length -= 2;
		unsigned pl = get16(x, x->bp);
		if (pl != length) {
			out(x, " [prefix length(");
			outn(x, pl);
			out(x, ") != length(");
			outn(x, length);
			out(x, ")]");
			invalid(x);
			return;
		}
		x->bp += 2;
		out(x, " ");
	}
	message(x, length);
}

void dns_tcpdump(tp_sbuf *s, tp_cursor c, uint32_t length, bool over_tcp,
		 bool mdns, int vflag)
{
	pr x;
	x.c = c;
	x.bp = c.off;
	x.s = s;
	x.v = vflag;
	x.mdns = mdns;
	if (setjmp(x.out)) {
		out(&x, " [|domain]");
		return;
	}
	run(&x, length, over_tcp);
}
