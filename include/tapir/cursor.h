/* cursor.h - the bounds-checked reader every packet byte goes through.
 *
 * A cursor is a window [off, rep_end) over one packet buffer `base`.
 * Two ends matter (Wireshark's tvbuff idea):
 *   cap_end  how many bytes were captured (snaplen may have cut the frame)
 *   rep_end  how many bytes the protocol says are there (frame length,
 *            or a length field that clamped a sub-cursor)
 * cap_end <= rep_end always holds.  A read that runs past cap_end but not
 * past rep_end sets TP_TRUNCATED (the capture is short); a read past
 * rep_end sets TP_MALFORMED (the packet itself is inconsistent).
 *
 * The status is sticky: once set, every further read fails and returns 0 /
 * NULL without moving.  Dissectors read freely and test the status at
 * their commit points (tcpdump's GET_ macros without the longjmp, so there
 * is nothing to unwind).  Offsets are always relative to `base`, the start
 * of the packet (or of a reassembled buffer), so a field can point at its
 * bytes for the hex view.
 */
#ifndef TAPIR_CURSOR_H
#define TAPIR_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum tp_status {
	TP_OK = 0,
	TP_TRUNCATED = 1, /* ran past the captured bytes */
	TP_MALFORMED = 2, /* ran past what the protocol allows */
} tp_status;

typedef struct tp_cursor {
	const uint8_t *base; /* start of the buffer; offsets count from here */
	size_t off;          /* next byte to read */
	size_t cap_end;      /* end of captured bytes in this window */
	size_t rep_end;      /* end of reported bytes in this window */
	tp_status status;    /* sticky: first failure wins */
} tp_cursor;

/* A cursor over a whole buffer: `caplen` bytes present, `len` on the wire. */
static inline tp_cursor tp_cursor_make(const uint8_t *base, size_t caplen,
				       size_t len)
{
	tp_cursor c = {base, 0, caplen, len < caplen ? caplen : len, TP_OK};
	return c;
}

static inline bool tp_ok(const tp_cursor *c) { return c->status == TP_OK; }

/* Bytes that can actually be read from here. */
static inline size_t tp_avail(const tp_cursor *c)
{
	return c->off < c->cap_end ? c->cap_end - c->off : 0;
}

/* Bytes the protocol says remain (captured or not). */
static inline size_t tp_reported(const tp_cursor *c)
{
	return c->off < c->rep_end ? c->rep_end - c->off : 0;
}

static inline void tp_fail(tp_cursor *c, tp_status s)
{
	if (c->status == TP_OK)
		c->status = s;
}

/* Can `n` bytes be read?  Sets the status when not. */
static inline bool tp_need(tp_cursor *c, size_t n)
{
	if (c->status != TP_OK)
		return false;
	if (n <= tp_avail(c))
		return true;
	tp_fail(c, n <= tp_reported(c) ? TP_TRUNCATED : TP_MALFORMED);
	return false;
}

/* Test without setting the status: for heuristics and optional parts. */
static inline bool tp_has(const tp_cursor *c, size_t n)
{
	return c->status == TP_OK && n <= tp_avail(c);
}

static inline uint8_t tp_u8(tp_cursor *c)
{
	if (!tp_need(c, 1))
		return 0;
	return c->base[c->off++];
}

static inline uint16_t tp_be16(tp_cursor *c)
{
	if (!tp_need(c, 2))
		return 0;
	const uint8_t *p = c->base + c->off;
	c->off += 2;
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t tp_be24(tp_cursor *c)
{
	if (!tp_need(c, 3))
		return 0;
	const uint8_t *p = c->base + c->off;
	c->off += 3;
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static inline uint32_t tp_be32(tp_cursor *c)
{
	if (!tp_need(c, 4))
		return 0;
	const uint8_t *p = c->base + c->off;
	c->off += 4;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t tp_be64(tp_cursor *c)
{
	if (!tp_need(c, 8))
		return 0;
	uint64_t hi = tp_be32(c);
	uint64_t lo = tp_be32(c);
	return hi << 32 | lo;
}

static inline uint16_t tp_le16(tp_cursor *c)
{
	if (!tp_need(c, 2))
		return 0;
	const uint8_t *p = c->base + c->off;
	c->off += 2;
	return (uint16_t)((unsigned)p[1] << 8 | p[0]);
}

static inline uint32_t tp_le32(tp_cursor *c)
{
	if (!tp_need(c, 4))
		return 0;
	const uint8_t *p = c->base + c->off;
	c->off += 4;
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static inline uint64_t tp_le64(tp_cursor *c)
{
	if (!tp_need(c, 8))
		return 0;
	uint64_t lo = tp_le32(c);
	uint64_t hi = tp_le32(c);
	return hi << 32 | lo;
}

/* A view of the next `n` bytes, or NULL (status set).  Advances. */
static inline const uint8_t *tp_bytes(tp_cursor *c, size_t n)
{
	if (!tp_need(c, n))
		return NULL;
	const uint8_t *p = c->base + c->off;
	c->off += n;
	return p;
}

/* Look at byte `i` ahead without moving; -1 when not captured. */
static inline int tp_peek(const tp_cursor *c, size_t i)
{
	if (c->status != TP_OK || i >= tp_avail(c))
		return -1;
	return c->base[c->off + i];
}

/* Skip `n` bytes.  Skipping past the captured end but within the reported
 * end is TRUNCATED, as for a read. */
static inline bool tp_skip(tp_cursor *c, size_t n)
{
	if (!tp_need(c, n))
		return false;
	c->off += n;
	return true;
}

/* A sub-cursor over the next `len` bytes (a length field).  The parent
 * moves past them.  When `len` claims more than the parent reports, the
 * parent is MALFORMED and the child is clamped to what is there, so the
 * caller may still dissect it.  The child starts with status OK. */
static inline tp_cursor tp_sub(tp_cursor *c, size_t len)
{
	tp_cursor s = *c;
	s.status = TP_OK;
	if (c->status != TP_OK) {
		s.cap_end = s.rep_end = s.off;
		return s;
	}
	size_t rep = tp_reported(c);
	if (len > rep) {
		tp_fail(c, TP_MALFORMED);
		len = rep;
	}
	s.rep_end = c->off + len;
	if (s.cap_end > s.rep_end)
		s.cap_end = s.rep_end;
	c->off += len;
	return s;
}

/* The rest of the window as a sub-cursor; the parent ends up at its end. */
static inline tp_cursor tp_rest(tp_cursor *c)
{
	return tp_sub(c, tp_reported(c));
}

/* Narrow this cursor's reported end to `len` bytes from here (an IP total
 * length clamps away Ethernet padding).  When `len` is more than is
 * reported, nothing changes and it returns false: the caller records why
 * and goes on with what is there. */
static inline bool tp_clamp(tp_cursor *c, size_t len)
{
	if (len > tp_reported(c))
		return false;
	c->rep_end = c->off + len;
	if (c->cap_end > c->rep_end)
		c->cap_end = c->rep_end;
	return true;
}

#endif
