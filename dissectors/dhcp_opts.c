/* dhcp_opts.c - each DHCP option's value as fields (Wireshark's names).
 *
 * RFC 2132 (the base options), RFC 3046 (82, relay agent), RFC 4702
 * (81, client FQDN), RFC 4578 (93, 94, 97: PXE), PXE 2.1 (43's
 * sub-options when option 60 says PXEClient), RFC 3397 (119, domain
 * search: compressed names, read with backward pointers only and a hop
 * cap), RFC 3442 (121 classless routes; 249 is Microsoft's copy), RFC
 * 2563 (116), RFC 3004 (77).  An option this file does not know keeps
 * its raw value (dhcp.option.value, added by the walk).  Every byte is
 * read through the value's sub-cursor.
 */
#include <string.h>

#include "dhcp_int.h"

/* Wireshark's option names (dhcp.option.type, request list items). */
const tp_valstr dhcp_option_names[] = {
	{0, "Padding"},
	{1, "Subnet Mask"},
	{2, "Time Offset"},
	{3, "Router"},
	{4, "Time Server"},
	{5, "Name Server"},
	{6, "Domain Name Server"},
	{7, "Log Server"},
	{8, "Quotes Server"},
	{9, "LPR Server"},
	{10, "Impress Server"},
	{11, "Resource Location Server"},
	{12, "Host Name"},
	{13, "Boot File Size"},
	{14, "Merit Dump File"},
	{15, "Domain Name"},
	{16, "Swap Server"},
	{17, "Root Path"},
	{18, "Extensions Path"},
	{19, "IP Forwarding"},
	{20, "Non-Local Source Routing"},
	{21, "Policy Filter"},
	{22, "Maximum Datagram Reassembly Size"},
	{23, "Default IP Time-to-Live"},
	{24, "Path MTU Aging Timeout"},
	{25, "Path MTU Plateau Table"},
	{26, "Interface MTU"},
	{27, "All Subnets are Local"},
	{28, "Broadcast Address"},
	{29, "Perform Mask Discovery"},
	{30, "Mask Supplier"},
	{31, "Perform Router Discover"},
	{32, "Router Solicitation Address"},
	{33, "Static Route"},
	{34, "Trailer Encapsulation"},
	{35, "ARP Cache Timeout"},
	{36, "Ethernet Encapsulation"},
	{37, "TCP Default TTL"},
	{38, "TCP Keepalive Interval"},
	{39, "TCP Keepalive Garbage"},
	{40, "Network Information Service Domain"},
	{41, "Network Information Service Servers"},
	{42, "Network Time Protocol Servers"},
	{43, "Vendor-Specific Information"},
	{44, "NetBIOS over TCP/IP Name Server"},
	{45, "NetBIOS over TCP/IP Datagram Distribution Name Server"},
	{46, "NetBIOS over TCP/IP Node Type"},
	{47, "NetBIOS over TCP/IP Scope"},
	{48, "X Window System Font Server"},
	{49, "X Window System Display Manager"},
	{50, "Requested IP Address"},
	{51, "IP Address Lease Time"},
	{52, "Option Overload"},
	{53, "DHCP Message Type"},
	{54, "DHCP Server Identifier"},
	{55, "Parameter Request List"},
	{56, "Message"},
	{57, "Maximum DHCP Message Size"},
	{58, "Renewal Time Value"},
	{59, "Rebinding Time Value"},
	{60, "Vendor class identifier"},
	{61, "Client identifier"},
	{64, "Network Information Service+ Domain"},
	{65, "Network Information Service+ Servers"},
	{66, "TFTP Server Name"},
	{67, "Bootfile name"},
	{68, "Mobile IP Home Agent"},
	{69, "SMTP Server"},
	{70, "POP3 Server"},
	{71, "NNTP Server"},
	{72, "Default WWW Server"},
	{73, "Default Finger Server"},
	{74, "Default IRC Server"},
	{75, "StreetTalk Server"},
	{76, "StreetTalk Directory Assistance Server"},
	{77, "User Class Information"},
	{78, "Directory Agent Information"},
	{79, "Service Location Agent Scope"},
	{80, "Rapid commit"},
	{81, "Client Fully Qualified Domain Name"},
	{82, "Agent Information Option"},
	{85, "Novell Directory Services Servers"},
	{86, "Novell Directory Services Tree Name"},
	{87, "Novell Directory Services Context"},
	{90, "Authentication"},
	{91, "Client last transaction time"},
	{92, "Associated IP option"},
	{93, "Client System Architecture"},
	{94, "Client Network Device Interface"},
	{95, "LDAP"},
	{97, "UUID/GUID-based Client Identifier"},
	{98, "Open Group's User Authentication"},
	{100, "PCode"},
	{101, "TCode"},
	{108, "IPv6-Only Preferred"},
	{112, "NetInfo Parent Server Address"},
	{113, "NetInfo Parent Server Tag"},
	{114, "DHCP Captive-Portal"},
	{116, "DHCP Auto-Configuration"},
	{117, "Name Service Search"},
	{118, "Subnet Selection Option"},
	{119, "Domain Search"},
	{120, "SIP Servers"},
	{121, "Classless Static Route"},
	{124, "V-I Vendor Class"},
	{125, "V-I Vendor-specific Information"},
	{150, "TFTP Server Address"},
	{161, "Manufacturer Usage Description"},
	{209, "PXELINUX Configuration file"},
	{210, "PXELINUX Path Prefix"},
	{249, "Private/Classless Static Route (Microsoft)"},
	{252, "Private/Proxy autodiscovery"},
	{255, "End"},
	{0, NULL}};

const tp_valstr dhcp_msgtype_names[] = {
	{1, "Discover"},	 {2, "Offer"},
	{3, "Request"},		 {4, "Decline"},
	{5, "ACK"},		 {6, "NAK"},
	{7, "Release"},		 {8, "Inform"},
	{9, "Force Renew"},	 {10, "Lease query"},
	{11, "Lease Unassigned"}, {12, "Lease Unknown"},
	{13, "Lease Active"},	 {14, "Bulk Lease Query"},
	{15, "Lease Query Done"}, {16, "Active LeaseQuery"},
	{17, "Lease Query Status"}, {18, "TLS"},
	{0, NULL}};

/* How the simple options read. */
enum {
	K_NONE,
	K_IP,   /* one IPv4 address */
	K_IPS,  /* a list of them */
	K_STR,  /* a string (up to a NUL, as Wireshark's STRINGZ) */
	K_U8,
	K_U16,
	K_U32,
	K_I32,
	K_BOOL,
	K_SPECIAL,
};

typedef struct optdef {
	uint8_t kind;
	uint8_t field; /* index in dhcp_fields */
} optdef;

static const optdef opts[256] = {
	[1] = {K_IP, F_SUBNET_MASK},	   [2] = {K_I32, F_TIME_OFFSET},
	[3] = {K_IPS, F_ROUTER},	   [4] = {K_IPS, F_TIME_SERVER},
	[5] = {K_IPS, F_NAME_SERVER},	   [6] = {K_IPS, F_DNS},
	[7] = {K_IPS, F_LOG_SERVER},	   [12] = {K_STR, F_HOSTNAME},
	[13] = {K_U16, F_BOOT_FILE_SIZE},  [15] = {K_STR, F_DOMAIN_NAME},
	[17] = {K_STR, F_ROOT_PATH},	   [19] = {K_BOOL, F_IP_FORWARDING},
	[23] = {K_U8, F_DEFAULT_TTL},	   [26] = {K_U16, F_MTU},
	[28] = {K_IP, F_BROADCAST},	   [33] = {K_SPECIAL, 0},
	[40] = {K_STR, F_NIS_DOMAIN},	   [41] = {K_IPS, F_NIS_SERVER},
	[42] = {K_IPS, F_NTP},		   [43] = {K_SPECIAL, 0},
	[44] = {K_IPS, F_NBNS},		   [46] = {K_U8, F_NB_NODE},
	[50] = {K_IP, F_REQ_IP},	   [51] = {K_U32, F_LEASE},
	[52] = {K_U8, F_OVERLOAD},	   [53] = {K_U8, F_MSGTYPE},
	[54] = {K_IP, F_SERVER_ID},	   [55] = {K_SPECIAL, 0},
	[56] = {K_STR, F_MESSAGE},	   [57] = {K_U16, F_MAX_SIZE},
	[58] = {K_U32, F_RENEWAL},	   [59] = {K_U32, F_REBIND},
	[60] = {K_STR, F_VENDOR_CLASS},	   [61] = {K_SPECIAL, 0},
	[66] = {K_STR, F_TFTP},		   [67] = {K_STR, F_BOOTFILE},
	[77] = {K_SPECIAL, 0},		   [81] = {K_SPECIAL, 0},
	[82] = {K_SPECIAL, 0},		   [93] = {K_SPECIAL, 0},
	[94] = {K_SPECIAL, 0},		   [97] = {K_SPECIAL, 0},
	[116] = {K_U8, F_AUTOCONF},	   [119] = {K_SPECIAL, 0},
	[121] = {K_SPECIAL, 0},		   [150] = {K_IPS, F_TFTP_ADDR},
	[161] = {K_STR, F_MUDURL},	   [249] = {K_SPECIAL, 0},
	[252] = {K_STR, F_PROXY},
};

static const tp_field_def *fd(unsigned i) { return &dhcp_fields[i]; }

static void bad_length(tp_pkt *p, const tp_cursor *v)
{
	tp_add_event(p, &dhcp_events[E_SUB_LEN], v->off);
}

/* A string field over the next n bytes, its value up to the first NUL. */
static void get_zstr(tp_pkt *p, tp_cursor *v, const tp_field_def *f,
		     size_t n)
{
	size_t at = v->off;
	const uint8_t *b = tp_bytes(v, n);
	if (!b)
		return;
	const uint8_t *z = memchr(b, 0, n);
	tp_add_bytes(p, f, at, n, b, z ? (size_t)(z - b) : n);
}

static void simple(tp_pkt *p, const optdef *d, tp_cursor *v)
{
	size_t n = tp_reported(v);
	const tp_field_def *f = fd(d->field);
	switch (d->kind) {
	case K_IP:
		if (n != 4)
			bad_length(p, v);
		else
			tp_get_bytes(p, v, f, 4);
		return;
	case K_IPS:
		if (n % 4 || !n)
			bad_length(p, v);
		while (tp_reported(v) >= 4 && tp_ok(v))
			tp_get_bytes(p, v, f, 4);
		return;
	case K_STR:
		get_zstr(p, v, f, n);
		return;
	case K_U8:
	case K_BOOL: /* the first byte, as tshark, when there are more */
		if (n != 1)
			bad_length(p, v);
		if (n)
			tp_get_u8(p, v, f);
		return;
	case K_U16:
		if (n != 2) {
			bad_length(p, v);
			return;
		}
		tp_get_be16(p, v, f);
		return;
	case K_U32:
	case K_I32:
		if (n != 4) {
			bad_length(p, v);
			return;
		}
		tp_get_be32(p, v, f);
		return;
	default:
		return;
	}
}

/* ---- names (RFC 1035 4.1.4 compression inside one option) ------------ */

bool dhcp_name(const uint8_t *b, size_t n, size_t off, char *out,
	       size_t cap, size_t *outlen, size_t *next, int *why)
{
	size_t o = 0, pos = off, hops = 0, wire = 0;
	bool jumped = false;
	*next = n;
	for (;;) {
		if (pos >= n) {
			*why = E_SUB_LEN;
			return false;
		}
		uint8_t l = b[pos];
		if ((l & 0xc0) == 0xc0) {
			if (pos + 1 >= n) {
				*why = E_SUB_LEN;
				return false;
			}
			size_t to = (size_t)(l & 0x3f) << 8 | b[pos + 1];
			if (!jumped)
				*next = pos + 2;
			jumped = true;
			if (to >= pos) { /* backwards only: no loop, no skip */
				*why = E_NAME_FORWARD;
				return false;
			}
			if (++hops > DHCP_NAME_HOPS) {
				*why = E_NAME_LOOP;
				return false;
			}
			pos = to;
			continue;
		}
		if (l & 0xc0) { /* 01/10: reserved label types */
			*why = E_SUB_LEN;
			return false;
		}
		if (!l) {
			if (!jumped)
				*next = pos + 1;
			*outlen = o;
			return true;
		}
		if (pos + 1 + l > n) {
			*why = E_SUB_LEN;
			return false;
		}
		wire += 1u + l;
		if (wire > 255 || o + l + 1 > cap) {
			*why = E_NAME_LONG;
			return false;
		}
		if (o)
			out[o++] = '.';
		memcpy(out + o, b + pos + 1, l);
		o += l;
		pos += 1u + l;
	}
}

/* Option 119: a list of names, pointers within the option. */
static void search_list(tp_pkt *p, tp_cursor *v)
{
	size_t n = tp_avail(v), base = v->off;
	const uint8_t *b = tp_bytes(v, n);
	if (!b)
		return;
	size_t off = 0;
	while (off < n) {
		char name[256];
		size_t len, next;
		int why;
		if (!dhcp_name(b, n, off, name, sizeof name, &len, &next,
			       &why)) {
			tp_add_event(p, &dhcp_events[why], base + off);
			return;
		}
		uint8_t *s = tp_arena_alloc(p, len ? len : 1);
		if (!s)
			return;
		memcpy(s, name, len);
		tp_add_bytes(p, fd(F_SEARCH_FQDN), base + off, next - off, s,
			     len);
		off = next;
	}
}

/* Option 81 (RFC 4702): flags, two rcodes, the name (ASCII, or DNS
 * wire format when E is set). */
static void fqdn(tp_pkt *p, tp_cursor *v)
{
	size_t at = v->off;
	if (tp_reported(v) < 3) {
		bad_length(p, v);
		return;
	}
	uint8_t fl = tp_get_u8(p, v, fd(F_FQDN_FLAGS));
	if (!tp_ok(v))
		return;
	tp_push(p);
	tp_add_uint(p, fd(F_FQDN_MBZ), at, 1, fl & 0xf0);
	tp_add_uint(p, fd(F_FQDN_N), at, 1, (fl >> 3) & 1);
	tp_add_uint(p, fd(F_FQDN_E), at, 1, (fl >> 2) & 1);
	tp_add_uint(p, fd(F_FQDN_O), at, 1, (fl >> 1) & 1);
	tp_add_uint(p, fd(F_FQDN_S), at, 1, fl & 1);
	tp_pop(p);
	tp_get_u8(p, v, fd(F_FQDN_RCODE1));
	tp_get_u8(p, v, fd(F_FQDN_RCODE2));
	size_t n = tp_reported(v);
	if (!n || !tp_ok(v))
		return;
	if (!(fl & 0x04)) {
		get_zstr(p, v, fd(F_FQDN_NAME), n);
		return;
	}
	size_t nat = v->off, avail = tp_avail(v);
	const uint8_t *b = tp_bytes(v, avail);
	char name[256];
	size_t len, next;
	int why;
	if (!b)
		return;
	/* no compression here (RFC 4702 2.3.1): the name ends in place */
	if (!dhcp_name(b, avail, 0, name, sizeof name, &len, &next, &why) ||
	    next != avail) {
		bad_length(p, v);
		return;
	}
	uint8_t *s = tp_arena_alloc(p, len ? len : 1);
	if (s) {
		memcpy(s, name, len);
		tp_add_bytes(p, fd(F_FQDN_NAME), nat, avail, s, len);
	}
}

/* Option 61: a hardware type and address, or another identifier. */
static void client_id(tp_pkt *p, tp_cursor *v)
{
	size_t n = tp_reported(v);
	if (!n) {
		bad_length(p, v);
		return;
	}
	uint8_t t = (uint8_t)tp_peek(v, 0);
	if (n == 7 && t > 0 && t < 48) {
		tp_get_u8(p, v, fd(F_HW_TYPE));
		if (t == 1 || t == 6)
			tp_get_bytes(p, v, fd(F_HW_MAC), 6);
		else
			tp_get_bytes(p, v, fd(F_CID_HWADDR), 6);
		return;
	}
	tp_get_u8(p, v, fd(F_CID_TYPE));
	if (t == 0)
		get_zstr(p, v, fd(F_CID_UNDEF), n - 1);
	else if (n > 1)
		tp_get_bytes(p, v, fd(F_CID), n - 1);
}

/* Sub-options: code, length, value, each under its suboption item. */
typedef void (*subvalue_fn)(tp_pkt *p, uint8_t code, tp_cursor *sv);

static void suboptions(tp_pkt *p, tp_cursor *v, const tp_field_def *item,
		       subvalue_fn fn, bool pads)
{
	while (tp_has(v, 1)) {
		size_t at = v->off;
		uint8_t code = tp_u8(v);
		if (pads && (code == 0 || code == 255)) {
			/* PXE's pad and end: fields of their own */
			tp_add_uint(p, fd(code ? F_PXE_END : F_PXE_PAD), at, 1,
				    code);
			if (code == 255)
				return;
			continue;
		}
		if (!tp_has(v, 1)) {
			bad_length(p, v);
			return;
		}
		uint8_t len = tp_u8(v);
		if (len > tp_reported(v)) {
			tp_add_uint(p, item, at, 2u + tp_avail(v), code);
			bad_length(p, v);
			return;
		}
		tp_cursor sv = tp_sub(v, len);
		tp_add_uint(p, item, at, 2u + len, code);
		tp_push(p);
		tp_add_uint(p, fd(F_SUB_LEN), at + 1, 1, len);
		fn(p, code, &sv);
		tp_pop(p);
	}
}

static void agent_value(tp_pkt *p, uint8_t code, tp_cursor *sv)
{
	size_t n = tp_reported(sv);
	if (n) /* every sub-option's raw value too, as tshark */
		tp_add_bytes(p, fd(F_AGENT_VALUE), sv->off, tp_avail(sv),
			     sv->base + sv->off, tp_avail(sv));
	switch (code) {
	case 1:
		tp_get_bytes(p, sv, fd(F_AGENT_CIRCUIT), n);
		return;
	case 2:
		tp_get_bytes(p, sv, fd(F_AGENT_REMOTE), n);
		return;
	case 5:
	case 11:
		if (n == 4)
			tp_get_bytes(p, sv,
				     fd(code == 5 ? F_AGENT_LINK
						  : F_AGENT_SERVER_ID),
				     4);
		else
			bad_length(p, sv);
		return;
	case 6:
		get_zstr(p, sv, fd(F_AGENT_SUBSCRIBER), n);
		return;
	default:
		return;
	}
}

static void pxe_value(tp_pkt *p, uint8_t code, tp_cursor *sv)
{
	size_t n = tp_reported(sv), at = sv->off;
	if (n)
		tp_add_bytes(p, fd(F_VENDOR_VALUE), at, tp_avail(sv),
			     sv->base + at, tp_avail(sv));
	switch (code) {
	case 1:
	case 7:
		if (n == 4)
			tp_get_bytes(p, sv,
				     fd(code == 1 ? F_PXE_MTFTP_IP
						  : F_PXE_MCAST),
				     4);
		return;
	case 2:
	case 3:
		if (n == 2)
			tp_get_be16(p, sv,
				    fd(code == 2 ? F_PXE_MTFTP_CPORT
						 : F_PXE_MTFTP_SPORT));
		return;
	case 4:
	case 5:
	case 6:
		if (n == 1)
			tp_get_u8(p, sv,
				  fd(code == 4   ? F_PXE_MTFTP_TMOUT
				     : code == 5 ? F_PXE_MTFTP_DELAY
						 : F_PXE_DISC));
		return;
	case 8: /* boot servers: type, count, addresses; repeated */
		tp_add_bytes(p, fd(F_PXE_SERVERS), at, tp_avail(sv),
			     sv->base + at, tp_avail(sv));
		tp_push(p);
		while (tp_has(sv, 3)) {
			tp_get_be16(p, sv, fd(F_PXE_SERVERS_TYPE));
			uint8_t k = tp_get_u8(p, sv, fd(F_PXE_SERVERS_COUNT));
			for (unsigned i = 0; i < k && tp_has(sv, 4); i++)
				tp_get_bytes(p, sv, fd(F_PXE_SERVERS_IP), 4);
		}
		tp_pop(p);
		return;
	case 9: /* boot menu: type, length, description; repeated */
		tp_add_bytes(p, fd(F_PXE_MENU), at, tp_avail(sv),
			     sv->base + at, tp_avail(sv));
		tp_push(p);
		while (tp_has(sv, 3)) {
			tp_get_be16(p, sv, fd(F_PXE_MENU_TYPE));
			uint8_t k = tp_get_u8(p, sv, fd(F_PXE_MENU_LEN));
			if (!tp_has(sv, k))
				break;
			tp_get_bytes(p, sv, fd(F_PXE_MENU_DESC), k);
		}
		tp_pop(p);
		return;
	case 10: /* menu prompt: timeout, text */
		tp_add_bytes(p, fd(F_PXE_PROMPT), at, tp_avail(sv),
			     sv->base + at, tp_avail(sv));
		tp_push(p);
		if (tp_has(sv, 1)) {
			tp_get_u8(p, sv, fd(F_PXE_PROMPT_TMOUT));
			tp_get_bytes(p, sv, fd(F_PXE_PROMPT_TEXT),
				     tp_avail(sv));
		}
		tp_pop(p);
		return;
	case 71: /* boot item: type, layer */
		tp_add_bytes(p, fd(F_PXE_ITEM), at, tp_avail(sv),
			     sv->base + at, tp_avail(sv));
		tp_push(p);
		if (n == 4) {
			tp_get_be16(p, sv, fd(F_PXE_ITEM_TYPE));
			tp_get_bytes(p, sv, fd(F_PXE_ITEM_LAYER), 2);
		}
		tp_pop(p);
		return;
	default:
		return;
	}
}

/* Options 121 and 249: mask width, significant octets, router. */
static void classless(tp_pkt *p, tp_cursor *v)
{
	while (tp_has(v, 1)) {
		size_t at = v->off;
		uint8_t w = (uint8_t)tp_peek(v, 0);
		if (w > 32) {
			tp_add_event(p, &dhcp_events[E_ROUTE_MASK], at);
			return;
		}
		size_t k = 1u + (w + 7u) / 8u + 4u;
		if (tp_reported(v) < k) {
			bad_length(p, v);
			return;
		}
		tp_get_bytes(p, v, fd(F_CLASSLESS), k);
	}
}

/* Option 33: destination and router pairs. */
static void static_routes(tp_pkt *p, tp_cursor *v)
{
	if (tp_reported(v) % 8 || !tp_reported(v))
		bad_length(p, v);
	while (tp_reported(v) >= 8 && tp_ok(v)) {
		tp_get_bytes(p, v, fd(F_STATIC_ROUTE_IP), 4);
		tp_get_bytes(p, v, fd(F_STATIC_ROUTE_ROUTER), 4);
	}
}

/* Option 77 (RFC 3004): length-prefixed instances. */
static void user_class(tp_pkt *p, tp_cursor *v)
{
	unsigned i = 0;
	while (tp_has(v, 1)) {
		size_t at = v->off;
		uint8_t k = (uint8_t)tp_peek(v, 0);
		if (!k) { /* an empty instance: shown, then given up on */
			tp_add_uint(p, fd(F_UC), at, 1, i);
			tp_push(p);
			tp_get_u8(p, v, fd(F_UC_LEN));
			tp_pop(p);
		}
		if (!k || tp_reported(v) < 1u + k) {
			bad_length(p, v);
			return;
		}
		tp_add_uint(p, fd(F_UC), at, 1u + k, i++);
		tp_push(p);
		tp_get_u8(p, v, fd(F_UC_LEN));
		tp_get_bytes(p, v, fd(F_UC_DATA), k);
		tp_pop(p);
	}
}

void dhcp_option_value(tp_pkt *p, unsigned code, tp_cursor *v,
		       const dhcp_scan *sc)
{
	const optdef *d = &opts[code & 0xff];
	size_t n = tp_reported(v);
	if (tp_avail(v) < n)
		return; /* cut by the capture: the raw part only */
	if (d->kind != K_SPECIAL) {
		if (d->kind != K_NONE)
			simple(p, d, v);
		return;
	}
	switch (code) {
	case 33:
		static_routes(p, v);
		return;
	case 43:
		if (sc->pxe)
			suboptions(p, v, fd(F_PXE_SUB), pxe_value, true);
		return;
	case 55:
		while (tp_has(v, 1))
			tp_get_u8(p, v, fd(F_PRL_ITEM));
		return;
	case 61:
		client_id(p, v);
		return;
	case 77:
		user_class(p, v);
		return;
	case 81:
		fqdn(p, v);
		return;
	case 82:
		suboptions(p, v, fd(F_AGENT_SUB), agent_value, false);
		return;
	case 93: /* one architecture per two bytes */
		if (!n || n % 2)
			bad_length(p, v);
		while (tp_reported(v) >= 2 && tp_ok(v))
			tp_get_be16(p, v, fd(F_ARCH));
		return;
	case 94: /* type (1: UNDI), major, minor */
		if (n != 3) {
			bad_length(p, v);
			return;
		}
		tp_skip(v, 1);
		tp_get_u8(p, v, fd(F_NDI_MAJOR));
		tp_get_u8(p, v, fd(F_NDI_MINOR));
		return;
	case 97: /* type (0), then a 16-byte UUID */
		if (n != 17) {
			bad_length(p, v);
			return;
		}
		tp_get_u8(p, v, fd(F_CID_TYPE));
		tp_get_bytes(p, v, fd(F_UUID), 16);
		return;
	case 119:
		search_list(p, v);
		return;
	case 121:
	case 249:
		classless(p, v);
		return;
	default:
		return;
	}
}
