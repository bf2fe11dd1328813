/* field.h - fields and events declared once, as static data.
 *
 * Each dissector declares a table of tp_field_def (Wireshark's
 * hf_register_info, without the registration ritual): the filter
 * abbreviation, display name, type, display base, value strings and bit
 * mask.  The same table feeds the text tree, -T fields, -G fields, the
 * display filter and the TUI.  Abbreviations follow Wireshark's wherever
 * Wireshark has the field, so users' filters carry over.
 */
#ifndef TAPIR_FIELD_H
#define TAPIR_FIELD_H

#include <stdint.h>

/* Named as Wireshark's FT_* so that `tapir -G fields` reads like
 * `tshark -G fields`. */
typedef enum tp_ftype {
	TP_FT_NONE,
	TP_FT_PROTOCOL,
	TP_FT_BOOLEAN, /* stored 0/1; `base` is the parent's bit width */
	TP_FT_UINT8,
	TP_FT_UINT16,
	TP_FT_UINT24,
	TP_FT_UINT32,
	TP_FT_UINT64,
	TP_FT_INT32,
	TP_FT_ETHER,  /* 6 bytes */
	TP_FT_IPv4,   /* 4 bytes */
	TP_FT_IPv6,   /* 16 bytes */
	TP_FT_BYTES,  /* view */
	TP_FT_STRING, /* view, not NUL-terminated */
	TP_FT_FRAMENUM,
	TP_FT_DOUBLE,
	TP_FT_ABSOLUTE_TIME, /* u = nanoseconds since the epoch */
	TP_FT_RELATIVE_TIME, /* i = nanoseconds */
	TP_FT_COUNT_
} tp_ftype;

typedef enum tp_base {
	TP_BASE_NONE = 0,
	TP_BASE_DEC,
	TP_BASE_HEX,
	TP_BASE_OCT,
	TP_BASE_DEC_HEX,
	TP_BASE_HEX_DEC,
} tp_base;

/* value -> string, ended by {0, NULL}. */
typedef struct tp_valstr {
	uint32_t value;
	const char *str;
} tp_valstr;

typedef struct tp_field_def {
	const char *abbrev;     /* "ip.ttl" */
	const char *name;       /* "Time to Live" */
	tp_ftype type;
	unsigned base;          /* tp_base; bit width for TP_FT_BOOLEAN */
	const tp_valstr *vals;  /* optional names of values */
	uint64_t mask;          /* bits of the parent this field shows, or 0 */
} tp_field_def;

/* Expert events: what went wrong or is worth a note, as data. */
typedef enum tp_ev_kind {
	TP_EV_NOTE,
	TP_EV_WARN,
	TP_EV_TRUNCATED, /* the capture cut the packet short */
	TP_EV_MALFORMED, /* the packet breaks its protocol */
} tp_ev_kind;

typedef struct tp_event_def {
	const char *abbrev; /* "ip.bogus_header_length" */
	tp_ev_kind kind;
	const char *msg;    /* "Bogus IPv4 header length" */
} tp_event_def;

const char *tp_valstr_find(const tp_valstr *vs, uint32_t v);
const char *tp_ftype_name(tp_ftype t);
const char *tp_base_name(unsigned base, tp_ftype t);

#endif
