/* hpack.h - HPACK (RFC 7541) header block decoding for the HTTP/2
 * dissector: one hpack_table per direction of a connection, fed each
 * complete header block (HEADERS/PUSH_PROMISE + CONTINUATION joined).
 *
 * A dissector's decoder, not an endpoint's: a capture may start
 * mid-connection or lose a HEADERS frame, so the table may lack entries
 * the peer has.  A reference past the known table is not fatal: the
 * header is delivered with HPACK_F_UNKNOWN (name and/or value NULL) and
 * decoding carries on; a literal with incremental indexing whose name is
 * unknown still inserts an entry (name unknown) so that later indexes
 * stay aligned with the peer's table.
 *
 * Never unbounded: every byte is read through the bounds-checked cursor;
 * integers are at most 2^32-1; the table holds at most HPACK_TABLE_CAP
 * bytes of strings (entries the peer keeps beyond that are forgotten
 * oldest first, and a reference to them is "unknown"); the decoded header
 * list (name + value + 32 per header, RFC 7540 6.5.2) is capped at
 * caps->max_list and the header count at caps->max_headers: past either,
 * no more headers are delivered, but the block is still parsed to the end
 * so that the table stays right (the HPACK bomb costs parsing time linear
 * in the block, no memory).
 */
#ifndef TAPIR_HPACK_H
#define TAPIR_HPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HPACK_STATIC_COUNT 61u
#define HPACK_DEFAULT_SIZE 4096u      /* SETTINGS_HEADER_TABLE_SIZE default */
#define HPACK_TABLE_CAP 65536u        /* bytes a table holds at most */
#define HPACK_ENTRY_OVERHEAD 32u      /* RFC 7541 4.1 */
#define HPACK_LIST_CAP 65536u         /* default decoded header list cap */
#define HPACK_HEADERS_CAP 1024u       /* default header count cap */

typedef enum hpack_status {
	HPACK_OK = 0,
	HPACK_ERR_TRUNCATED,   /* the block ends inside a representation */
	HPACK_ERR_INTEGER,     /* an integer past 2^32-1 */
	HPACK_ERR_HUFFMAN,     /* EOS in a string, bad or long padding */
	HPACK_ERR_INDEX_ZERO,  /* index 0 (RFC 7541 6.1) */
	HPACK_ERR_SIZE_UPDATE, /* above the limit, or after a header */
	HPACK_ERR_LIST_CAP,    /* header list or count over the caps */
	HPACK_ERR_NOMEM,
} hpack_status;

/* Flags of a delivered header: the representation (one of the first
 * four), the index state, the string coding. */
enum {
	HPACK_F_INDEXED = 1u << 0,       /* 6.1 indexed header field */
	HPACK_F_INCREMENTAL = 1u << 1,   /* 6.2.1 literal, added to the table */
	HPACK_F_NOT_INDEXED = 1u << 2,   /* 6.2.2 literal without indexing */
	HPACK_F_NEVER_INDEXED = 1u << 3, /* 6.2.3 literal never indexed */
	HPACK_F_UNKNOWN = 1u << 4,       /* index past the known table */
	HPACK_F_NAME_HUFFMAN = 1u << 5,
	HPACK_F_VALUE_HUFFMAN = 1u << 6,
};

typedef struct hpack_header {
	const char *name; /* NULL when unknown (HPACK_F_UNKNOWN) */
	size_t name_len;
	const char *value; /* NULL when unknown (indexed, HPACK_F_UNKNOWN) */
	size_t value_len;
	unsigned flags;
	uint32_t index; /* the index referenced (field or name); 0: none */
} hpack_header;

/* Called for each header in order; name/value valid during the call. */
typedef void (*hpack_cb)(void *ctx, const hpack_header *h);

typedef struct hpack_entry {
	char *buf;          /* name then value; NULL for a placeholder */
	uint32_t name_len;  /* 0 with name_unknown */
	uint32_t value_len;
	uint32_t size;      /* RFC 7541 4.1 size as the peer counts it */
	uint32_t held;      /* bytes charged to the memory cap */
	bool name_unknown;  /* inserted with an unknown name index */
	bool placeholder;   /* too big to hold: strings not kept */
} hpack_entry;

typedef struct hpack_table {
	uint32_t limit;    /* SETTINGS_HEADER_TABLE_SIZE: the update maximum */
	uint32_t max_size; /* current maximum (size updates) */
	uint32_t size;     /* sum of the entries' sizes (the peer's view) */
	uint32_t held;     /* sum of their held bytes: <= HPACK_TABLE_CAP */
	hpack_entry *ring; /* entries, newest at head */
	uint32_t cap;      /* ring slots allocated */
	uint32_t head;     /* slot of the newest entry */
	uint32_t count;
	uint64_t inserted; /* entries ever inserted */
	uint64_t forgotten; /* entries dropped for the memory cap */
} hpack_table;

typedef struct hpack_caps {
	uint32_t max_list;    /* decoded header list size (0: HPACK_LIST_CAP) */
	uint32_t max_headers; /* header count (0: HPACK_HEADERS_CAP) */
} hpack_caps;

/* What one block did (optional out-parameter of hpack_decode). */
typedef struct hpack_info {
	size_t consumed;     /* bytes parsed before the error (n when OK) */
	uint32_t headers;    /* headers delivered */
	uint32_t suppressed; /* headers parsed but not delivered (caps) */
	uint32_t unknown;    /* references past the known table */
	uint32_t updates;    /* table size updates */
	uint64_t list_size;  /* decoded list size, delivered or not */
} hpack_info;

/* limit: the decoding side's SETTINGS_HEADER_TABLE_SIZE (4096 until its
 * SETTINGS say otherwise).  A capture that starts mid-connection has not
 * seen it: UINT32_MAX then accepts any size update (the table still
 * holds at most HPACK_TABLE_CAP; entries the peer has evicted may linger,
 * which a correct peer never references). */
void hpack_table_init(hpack_table *t, uint32_t limit);
void hpack_table_free(hpack_table *t);
/* A new SETTINGS_HEADER_TABLE_SIZE acknowledged by the decoding side. */
void hpack_table_set_limit(hpack_table *t, uint32_t limit);
/* Entry i (1-based, 1 = newest) of the dynamic table, or NULL. */
const hpack_entry *hpack_table_get(const hpack_table *t, uint32_t i);

/* Decode one complete header block.  caps may be NULL (defaults); info
 * may be NULL.  Headers before an error have been delivered. */
hpack_status hpack_decode(hpack_table *t, const uint8_t *b, size_t n,
			  hpack_cb cb, void *ctx, const hpack_caps *caps,
			  hpack_info *info);

/* Huffman-decode n bytes (RFC 7541 5.2, Appendix B): the decoded length
 * is returned through *out_len (also when above dst_cap: only dst_cap
 * bytes are written).  false on EOS, padding over 7 bits or not ones. */
bool hpack_huffman_decode(const uint8_t *src, size_t n, uint8_t *dst,
			  size_t dst_cap, size_t *out_len);

const char *hpack_status_str(hpack_status s);

#endif
