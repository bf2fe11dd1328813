/* filter.c - display filters (filter.h): a lexer, a recursive-descent
 * parser into a tree of typed nodes (the compiled program: every field
 * name resolved to its definitions, every literal converted to the
 * field's type, every regular expression compiled), and its evaluation
 * over a record's fields (no value is formatted to be compared, except
 * the frame's computed text fields: frame.protocols, _ws.col.*).
 *
 * Bounds: an expression is at most TP_FILTER_MAX bytes and nests at most
 * FILTER_DEPTH deep; a set holds at most SET_MAX members; a field name
 * stands for at most FREF_DEFS definitions.  Evaluation reads only the
 * record and never allocates.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tapir/dissector.h"
#include "tapir/filter.h"
#include "tapir/output.h"
#include "tapir/pipeline.h"
#include "tapir/registry.h"

#define TP_FILTER_MAX 8192
#define FILTER_DEPTH 64
#define SET_MAX 256
#define FREF_DEFS 8
#define LIT_MAX 1024 /* bytes of a literal value */

/* ---- tokens ------------------------------------------------------------ */

enum tk {
	T_EOF,
	T_LP,
	T_RP,
	T_LBRACE,
	T_RBRACE,
	T_LBRK,
	T_RBRK,
	T_COMMA,
	T_AND,
	T_OR,
	T_XOR,
	T_NOT,
	T_OP,       /* a comparison: op in tok.op */
	T_CONTAINS,
	T_MATCHES,
	T_IN,
	T_WORD,     /* an unquoted run: a name or a literal */
	T_STR,      /* a "quoted string" (escapes resolved into tok.s) */
	T_BITAND,   /* & (bitwise_and): a field's value masked */
	T_BAD,
};

enum op { OP_EQ, OP_ALL_NE, OP_ANY_NE, OP_ALL_EQ, OP_LT, OP_GT, OP_LE,
	  OP_GE };

typedef struct tok {
	enum tk t;
	enum op op;
	size_t at, len;  /* in the expression */
	char s[LIT_MAX]; /* the word or the string's bytes */
	size_t n;
} tok;

typedef struct lexer {
	const char *e;
	size_t n, pos;
	tok cur;
	tp_filter_err *err;
	bool failed;
	unsigned depth;
} lexer;

static void fail(lexer *lx, size_t at, size_t span, const char *fmt, ...)
{
	if (lx->failed)
		return;
	lx->failed = true;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(lx->err->msg, sizeof lx->err->msg, fmt, ap);
	va_end(ap);
	lx->err->col = at + 1;
	lx->err->span = span ? span : 1;
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == ':' ||
	       c == '-' || c == '/' || c == '+' || c == '$';
}

static const struct {
	const char *w;
	enum tk t;
	enum op op;
} keywords[] = {
	{"and", T_AND, 0},	 {"or", T_OR, 0},	  {"xor", T_XOR, 0},
	{"not", T_NOT, 0},	 {"eq", T_OP, OP_EQ},	  {"any_eq", T_OP, OP_EQ},
	{"ne", T_OP, OP_ALL_NE}, {"all_ne", T_OP, OP_ALL_NE},
	{"any_ne", T_OP, OP_ANY_NE}, {"all_eq", T_OP, OP_ALL_EQ},
	{"lt", T_OP, OP_LT},	 {"gt", T_OP, OP_GT},	  {"le", T_OP, OP_LE},
	{"ge", T_OP, OP_GE},	 {"contains", T_CONTAINS, 0},
	{"matches", T_MATCHES, 0}, {"in", T_IN, 0},
	{"bitwise_and", T_BITAND, 0},
};

/* A quoted string's bytes, C escapes resolved. */
static void lex_string(lexer *lx, tok *t)
{
	size_t i = lx->pos + 1;
	t->n = 0;
	while (i < lx->n && lx->e[i] != '"') {
		unsigned char c = (unsigned char)lx->e[i++];
		if (c == '\\' && i < lx->n) {
			char x = lx->e[i++];
			switch (x) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case '0': case '1': case '2': case '3':
			case '4': case '5': case '6': case '7': {
				unsigned v = (unsigned)(x - '0');
				for (int k = 0; k < 2 && i < lx->n &&
						lx->e[i] >= '0' && lx->e[i] <= '7';
				     k++)
					v = v * 8 + (unsigned)(lx->e[i++] - '0');
				c = (unsigned char)v;
				break;
			}
			case 'x': {
				unsigned v = 0, k = 0;
				while (k < 2 && i < lx->n &&
				       isxdigit((unsigned char)lx->e[i])) {
					char h = lx->e[i++];
					v = v * 16 + (unsigned)(isdigit((unsigned char)h)
						 ? h - '0'
						 : (tolower((unsigned char)h) - 'a' + 10));
					k++;
				}
				c = (unsigned char)v;
				break;
			}
			default: c = (unsigned char)x; break;
			}
		}
		if (t->n < sizeof t->s)
			t->s[t->n++] = (char)c;
		else
			fail(lx, lx->pos, i - lx->pos, "string longer than %d bytes",
			     LIT_MAX);
	}
	if (i >= lx->n) {
		fail(lx, lx->pos, i - lx->pos, "missing '\"' at the end of the "
			 "string");
		t->t = T_BAD;
		t->len = i - lx->pos;
		lx->pos = i;
		return;
	}
	t->t = T_STR;
	t->len = i + 1 - lx->pos;
	lx->pos = i + 1;
}

/* The next token into lx->cur. */
static void next(lexer *lx)
{
	tok *t = &lx->cur;
	while (lx->pos < lx->n && isspace((unsigned char)lx->e[lx->pos]))
		lx->pos++;
	t->at = lx->pos;
	t->n = 0;
	t->len = 1;
	if (lx->pos >= lx->n) {
		t->t = T_EOF;
		t->len = 0;
		return;
	}
	const char *p = lx->e + lx->pos;
	size_t left = lx->n - lx->pos;
	static const struct {
		const char *s;
		enum tk t;
		enum op op;
	} ops[] = {
		{"===", T_OP, OP_ALL_EQ}, {"!==", T_OP, OP_ANY_NE},
		{"~=", T_OP, OP_ANY_NE},  {"==", T_OP, OP_EQ},
		{"!=", T_OP, OP_ALL_NE},  {"<=", T_OP, OP_LE},
		{">=", T_OP, OP_GE},	  {"&&", T_AND, 0},
		{"||", T_OR, 0},	  {"^^", T_XOR, 0},
		{"&", T_BITAND, 0},
		{"<", T_OP, OP_LT},	  {">", T_OP, OP_GT},
		{"!", T_NOT, 0},	  {"(", T_LP, 0},
		{")", T_RP, 0},		  {"{", T_LBRACE, 0},
		{"}", T_RBRACE, 0},	  {"[", T_LBRK, 0},
		{"]", T_RBRK, 0},	  {",", T_COMMA, 0},
		{"=", T_OP, OP_EQ},
	};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		size_t k = strlen(ops[i].s);
		if (k <= left && memcmp(p, ops[i].s, k) == 0) {
			t->t = ops[i].t;
			t->op = ops[i].op;
			t->len = k;
			lx->pos += k;
			return;
		}
	}
	if (*p == '"') {
		lex_string(lx, t);
		return;
	}
	if (!word_char(*p)) {
		t->t = T_BAD;
		lx->pos++;
		return;
	}
	size_t k = 0;
	while (k < left && word_char(p[k]))
		k++;
	t->len = k;
	lx->pos += k;
	if (k >= sizeof t->s) {
		fail(lx, t->at, k, "word longer than %d bytes", LIT_MAX - 1);
		t->t = T_BAD;
		return;
	}
	memcpy(t->s, p, k);
	t->s[k] = '\0';
	t->n = k;
	t->t = T_WORD;
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (strcmp(t->s, keywords[i].w) == 0) {
			t->t = keywords[i].t;
			t->op = keywords[i].op;
			return;
		}
}

/* ---- the program ---------------------------------------------------- */

enum nk { N_AND, N_OR, N_XOR, N_NOT, N_EXISTS, N_PROTO, N_CMP,
	  N_CONTAINS, N_MATCHES, N_IN, N_BITS };

/* How a field's values compare. */
enum vk { VK_UINT, VK_INT, VK_DBL, VK_BYTES, VK_IPV4, VK_IPV6, VK_TEXT,
	  VK_NONE };

typedef struct fref {
	const tp_field_def *defs[FREF_DEFS];
	unsigned ndefs;
	enum vk vk;
	const tp_field_def *d0; /* the first (type, value names) */
	bool computed;          /* frame.protocols, _ws.col.*: text */
	bool slice;
	bool masked;            /* field & mask: the values ANDed first */
	uint64_t mask;
	uint64_t bit;           /* lean: a flag read from its parent (value
				 * & bit) != 0 (tcp.flags.syn of tcp.flags) */
	long s_from, s_len;     /* s_len < 0: to the end */
} fref;

typedef struct val {
	enum vk vk;
	uint64_t u, u_hi; /* a set's range: u..u_hi */
	int64_t i, i_hi;
	double d, d_hi;
	bool range;
	uint8_t b[LIT_MAX];
	size_t n;
	unsigned prefix;  /* IPv4/IPv6: bits compared */
	bool field;       /* the value is another field's (rf) */
	fref rf;
} val;

typedef struct node {
	enum nk k;
	struct node *a, *b;
	fref f;
	enum op op;
	val *v;      /* one (compare, contains) or a set */
	size_t nv;
	regex_t re;
	bool re_ok;
	const tp_dissector *proto;
} node;

struct tp_filter {
	node *root;
};

static void node_free(node *n)
{
	if (!n)
		return;
	node_free(n->a);
	node_free(n->b);
	if (n->re_ok)
		regfree(&n->re);
	free(n->v);
	free(n);
}

void tp_filter_free(tp_filter *f)
{
	if (f) {
		node_free(f->root);
		free(f);
	}
}

static enum vk vk_of(tp_ftype t)
{
	switch (t) {
	case TP_FT_BOOLEAN:
	case TP_FT_UINT8:
	case TP_FT_UINT16:
	case TP_FT_UINT24:
	case TP_FT_UINT32:
	case TP_FT_UINT64:
	case TP_FT_FRAMENUM:
	case TP_FT_ABSOLUTE_TIME:
		return VK_UINT;
	case TP_FT_INT32:
	case TP_FT_RELATIVE_TIME:
		return VK_INT;
	case TP_FT_DOUBLE:
		return VK_DBL;
	case TP_FT_ETHER:
	case TP_FT_BYTES:
		return VK_BYTES;
	case TP_FT_IPv4:
		return VK_IPV4;
	case TP_FT_IPv6:
		return VK_IPV6;
	case TP_FT_STRING:
		return VK_TEXT;
	default:
		return VK_NONE;
	}
}

/* Every definition named `name` (Wireshark registers some names in
 * several protocols). */
static bool resolve(const char *name, fref *f)
{
	memset(f, 0, sizeof *f);
	size_t nd = tp_registry_count();
	for (size_t i = 0; i < nd; i++) {
		const tp_dissector *d = tp_registry_get(i);
		for (size_t k = 0; k < d->nfields; k++)
			if (strcmp(d->fields[k].abbrev, name) == 0 &&
			    f->ndefs < FREF_DEFS)
				f->defs[f->ndefs++] = &d->fields[k];
	}
	if (!f->ndefs) {
		const tp_field_def *d = tp_registry_field(name);
		if (d)
			f->defs[f->ndefs++] = d;
	}
	if (!f->ndefs)
		return false;
	f->d0 = f->defs[0];
	f->computed = tp_frame_computed(f->d0);
	f->vk = f->computed ? VK_TEXT : vk_of(f->d0->type);
	return true;
}

/* ---- literals ----------------------------------------------------------- */

static bool parse_u64(const char *s, uint64_t *v)
{
	if (!*s || *s == '-')
		return false;
	errno = 0;
	char *end;
	unsigned long long x = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*v = x;
	return true;
}

static bool parse_i64(const char *s, int64_t *v)
{
	if (!*s)
		return false;
	errno = 0;
	char *end;
	long long x = strtoll(s, &end, 0);
	if (errno || *end)
		return false;
	*v = x;
	return true;
}

static bool parse_dbl(const char *s, double *v)
{
	if (!*s)
		return false;
	char *end;
	errno = 0;
	double x = strtod(s, &end);
	if (errno || *end)
		return false;
	*v = x;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "aa:bb:cc", "aa-bb-cc", "aa.bb.cc", "aabbcc" (and 1-digit groups
 * between separators, as Wireshark takes 0:1:2). */
static bool parse_bytes(const char *s, uint8_t *b, size_t cap, size_t *n)
{
	*n = 0;
	size_t len = strlen(s);
	if (!len)
		return false;
	bool seps = strpbrk(s, ":-.") != NULL;
	if (!seps) {
		if (len % 2)
			return false;
		for (size_t i = 0; i < len; i += 2) {
			int h = hexval(s[i]), l = hexval(s[i + 1]);
			if (h < 0 || l < 0 || *n >= cap)
				return false;
			b[(*n)++] = (uint8_t)(h << 4 | l);
		}
		return true;
	}
	char sep = s[strcspn(s, ":-.")];
	const char *p = s;
	for (;;) {
		int h = hexval(p[0]);
		if (h < 0 || *n >= cap)
			return false;
		unsigned v = (unsigned)h;
		p++;
		if (*p && *p != sep) {
			int l = hexval(*p);
			if (l < 0)
				return false;
			v = v << 4 | (unsigned)l;
			p++;
		}
		b[(*n)++] = (uint8_t)v;
		if (!*p)
			return true;
		if (*p != sep || !p[1])
			return false;
		p++;
	}
}

/* A value's name in the field's value strings ("dns.qry.type == A"). */
static bool by_name(const tp_field_def *d, const char *s, uint64_t *v)
{
	for (const tp_valstr *x = d->vals; x && x->str; x++)
		if (strcmp(x->str, s) == 0) {
			*v = x->value;
			return true;
		}
	return false;
}

/* The literal of token t as a value of field f's kind. */
static bool literal(lexer *lx, const tok *t, const fref *f, val *v)
{
	memset(v, 0, sizeof *v);
	v->vk = f->vk;
	const char *s = t->s;
	if (t->t == T_STR && f->vk != VK_TEXT && f->vk != VK_BYTES) {
		/* a quoted number or address: read its text */
		static char tmp[LIT_MAX];
		memcpy(tmp, t->s, t->n < LIT_MAX ? t->n : LIT_MAX - 1);
		tmp[t->n < LIT_MAX ? t->n : LIT_MAX - 1] = '\0';
		s = tmp;
	}
	if (f->slice) { /* a slice compares bytes */
		v->vk = VK_BYTES;
		if (t->t == T_STR) {
			memcpy(v->b, t->s, t->n);
			v->n = t->n;
			return true;
		}
		if (parse_bytes(s, v->b, sizeof v->b, &v->n))
			return true;
		fail(lx, t->at, t->len, "\"%s\" is not a valid byte string", s);
		return false;
	}
	switch (f->vk) {
	case VK_UINT:
		if (f->d0->type == TP_FT_BOOLEAN) {
			if (!strcmp(s, "True") || !strcmp(s, "true") ||
			    !strcmp(s, "TRUE")) {
				v->u = 1;
				return true;
			}
			if (!strcmp(s, "False") || !strcmp(s, "false") ||
			    !strcmp(s, "FALSE")) {
				v->u = 0;
				return true;
			}
		}
		if (f->d0->type == TP_FT_ABSOLUTE_TIME) {
			double d;
			if (parse_dbl(s, &d) && d >= 0) { /* seconds since the epoch */
				v->u = (uint64_t)(d * 1e9 + 0.5);
				return true;
			}
			fail(lx, t->at, t->len, "\"%s\" is not a time (seconds "
				 "since the epoch)", s);
			return false;
		}
		if (parse_u64(s, &v->u) || by_name(f->d0, s, &v->u))
			return true;
		fail(lx, t->at, t->len, "\"%s\" is not a valid number for %s",
		     s, f->d0->abbrev);
		return false;
	case VK_INT:
		if (f->d0->type == TP_FT_RELATIVE_TIME) {
			double d;
			/* seconds, within int64's nanoseconds (a cast past
			 * them is undefined) */
			if (parse_dbl(s, &d) && d > -9.2e9 && d < 9.2e9) {
				v->i = (int64_t)(d * 1e9 + (d < 0 ? -0.5 : 0.5));
				return true;
			}
		} else if (parse_i64(s, &v->i)) {
			return true;
		}
		fail(lx, t->at, t->len, "\"%s\" is not a valid number for %s",
		     s, f->d0->abbrev);
		return false;
	case VK_DBL:
		if (parse_dbl(s, &v->d))
			return true;
		fail(lx, t->at, t->len, "\"%s\" is not a valid number", s);
		return false;
	case VK_IPV4:
	case VK_IPV6: {
		bool v4 = f->vk == VK_IPV4;
		char a[128];
		size_t k = strcspn(s, "/");
		if (k >= sizeof a)
			k = sizeof a - 1;
		memcpy(a, s, k);
		a[k] = '\0';
		v->prefix = v4 ? 32 : 128;
		if (s[k] == '/') {
			uint64_t px;
			if (!parse_u64(s + k + 1, &px) || px > v->prefix) {
				fail(lx, t->at, t->len, "\"%s\": bad prefix length", s);
				return false;
			}
			v->prefix = (unsigned)px;
		}
		if (inet_pton(v4 ? AF_INET : AF_INET6, a, v->b) != 1) {
			fail(lx, t->at, t->len, "\"%s\" is not a valid %s address",
			     s, v4 ? "IPv4" : "IPv6");
			return false;
		}
		v->n = v4 ? 4 : 16;
		return true;
	}
	case VK_BYTES:
		if (t->t == T_STR) {
			memcpy(v->b, t->s, t->n);
			v->n = t->n;
			return true;
		}
		if (parse_bytes(s, v->b, sizeof v->b, &v->n))
			return true;
		fail(lx, t->at, t->len, "\"%s\" is not a valid byte string", s);
		return false;
	case VK_TEXT:
		memcpy(v->b, t->s, t->n);
		v->n = t->n;
		return true;
	default:
		fail(lx, t->at, t->len, "%s has no value to compare",
		     f->d0->abbrev);
		return false;
	}
}

/* ---- parser -------------------------------------------------------------- */

static node *parse_or(lexer *lx);

static node *mk(enum nk k, node *a, node *b)
{
	node *n = calloc(1, sizeof *n);
	if (!n) {
		node_free(a);
		node_free(b);
		return NULL;
	}
	n->k = k;
	n->a = a;
	n->b = b;
	return n;
}

/* [i:n] [i-j] [i] [:n] [i:] after a field. */
static bool parse_slice(lexer *lx, fref *f)
{
	size_t at = lx->cur.at;
	next(lx); /* past '[' */
	if (lx->cur.t != T_WORD && lx->cur.t != T_RBRK) {
		fail(lx, lx->cur.at, lx->cur.len, "expected a range in [ ]");
		return false;
	}
	char r[64] = "";
	if (lx->cur.t == T_WORD) {
		size_t k = lx->cur.n < sizeof r - 1 ? lx->cur.n : sizeof r - 1;
		memcpy(r, lx->cur.s, k);
		r[k] = '\0';
		next(lx);
	}
	if (lx->cur.t != T_RBRK) {
		fail(lx, lx->cur.at, lx->cur.len, "expected ']'");
		return false;
	}
	next(lx);
	long a = 0, b = -1;
	char *end;
	const char *p = r;
	bool ok = true;
	if (*p == ':') {
		b = strtol(p + 1, &end, 10);
		ok = end != p + 1 && !*end && b >= 0 && b <= (1L << 20);
	} else {
		/* (offsets past +-2^20 are refused before any sum: a field
		 * is never that long) */
		const long lim = 1L << 20;
		a = strtol(p, &end, 10);
		ok = end != p && a >= -lim && a <= lim;
		if (ok && *end == ':') {
			b = end[1] ? strtol(end + 1, &end, 10) : -1;
			ok = !*end && b >= -1 && b <= lim;
		} else if (ok && *end == '-' && end[1]) {
			long z = strtol(end + 1, &end, 10);
			ok = !*end && z >= a && z <= lim;
			b = ok ? z - a + 1 : 0;
		} else if (ok && !*end) {
			b = 1;
		} else {
			ok = false;
		}
	}
	if (!ok || !*r) {
		fail(lx, at, lx->cur.at - at, "bad range \"[%s]\"", r);
		return false;
	}
	if (f->vk != VK_BYTES && f->vk != VK_TEXT && f->vk != VK_IPV4 &&
	    f->vk != VK_IPV6) {
		fail(lx, at, 1, "%s is not a byte string: it cannot be sliced",
		     f->d0->abbrev);
		return false;
	}
	f->slice = true;
	f->s_from = a;
	f->s_len = b;
	return true;
}

/* The right side of a comparison: a literal, or a field. */
static bool rhs(lexer *lx, const fref *lf, val *v)
{
	tok *t = &lx->cur;
	if (t->t != T_WORD && t->t != T_STR) {
		fail(lx, t->at, t->len ? t->len : 1, "expected a value here");
		return false;
	}
	if (t->t == T_WORD) {
		fref rf;
		/* a field name that is not also a valid literal */
		val tmp;
		lexer probe = *lx;
		tp_filter_err e2;
		probe.err = &e2;
		probe.failed = false;
		bool lit_ok = literal(&probe, t, lf, &tmp);
		if (!lit_ok && resolve(t->s, &rf)) {
			memset(v, 0, sizeof *v);
			v->field = true;
			v->rf = rf;
			v->vk = lf->vk;
			next(lx);
			return true;
		}
	}
	if (!literal(lx, t, lf, v))
		return false;
	next(lx);
	return true;
}

/* "& MASK" after an integer field (Wireshark's bitwise_and): the
 * values ANDed with MASK, then tested for a bit set or compared. */
static bool parse_mask(lexer *lx, fref *f, const char *name)
{
	size_t at = lx->cur.at, len = lx->cur.len;
	if (!f->ndefs || f->slice || f->computed ||
	    (f->vk != VK_UINT && f->vk != VK_INT)) {
		fail(lx, at, len, "%s is not an integer: & needs one", name);
		return false;
	}
	next(lx);
	val m;
	if (lx->cur.t != T_WORD) {
		fail(lx, lx->cur.at, lx->cur.len ? lx->cur.len : 1,
		     "expected a number after &");
		return false;
	}
	if (!literal(lx, &lx->cur, f, &m))
		return false;
	f->masked = true;
	f->mask = f->vk == VK_UINT ? m.u : (uint64_t)m.i;
	next(lx);
	return true;
}

static node *relation(lexer *lx)
{
	tok *t = &lx->cur;
	if (t->t != T_WORD) {
		if (t->t == T_EOF)
			fail(lx, t->at, 1, "expected a field or protocol name at "
				 "the end");
		else
			fail(lx, t->at, t->len, "expected a field or protocol "
				 "name here");
		return NULL;
	}
	size_t name_at = t->at, name_len = t->len;
	char name[LIT_MAX];
	snprintf(name, sizeof name, "%s", t->s);
	fref f;
	bool is_field = resolve(name, &f);
	const tp_dissector *proto = tp_registry_by_name(name);
	if (!is_field && !proto) {
		fail(lx, name_at, name_len,
		     "\"%s\" is neither a field nor a protocol name", name);
		return NULL;
	}
	next(lx);
	if (is_field && lx->cur.t == T_LBRK && !parse_slice(lx, &f))
		return NULL;
	if (lx->cur.t == T_BITAND && !parse_mask(lx, &f, name))
		return NULL;
	enum tk k = lx->cur.t;
	if (f.masked && k != T_OP) { /* field & mask: some bit set */
		node *n = mk(N_BITS, NULL, NULL);
		if (n)
			n->f = f;
		return n;
	}
	if (k != T_OP && k != T_CONTAINS && k != T_MATCHES && k != T_IN) {
		node *n = mk(proto && !f.slice ? N_PROTO : N_EXISTS, NULL, NULL);
		if (n) {
			n->proto = proto;
			n->f = f;
		}
		return n;
	}
	if (!is_field) {
		fail(lx, name_at, name_len, "%s is a protocol: it can only be "
			 "tested for presence", name);
		return NULL;
	}
	size_t op_at = lx->cur.at, op_len = lx->cur.len;
	enum op op = lx->cur.op;
	next(lx);
	node *n = mk(k == T_OP ? N_CMP : k == T_CONTAINS ? N_CONTAINS
			 : k == T_MATCHES ? N_MATCHES : N_IN, NULL, NULL);
	if (!n)
		return NULL;
	n->f = f;
	n->op = op;
	if (f.vk == VK_NONE) {
		fail(lx, name_at, name_len, "%s has no value to compare", name);
		node_free(n);
		return NULL;
	}
	if (k == T_MATCHES) {
		if (lx->cur.t != T_STR) {
			fail(lx, lx->cur.at, lx->cur.len, "expected a \"regular "
				 "expression\" after matches");
			node_free(n);
			return NULL;
		}
		if (f.vk != VK_TEXT && f.vk != VK_BYTES) {
			fail(lx, op_at, op_len, "%s is not a string: matches "
				 "needs one", name);
			node_free(n);
			return NULL;
		}
		char re[LIT_MAX + 1];
		memcpy(re, lx->cur.s, lx->cur.n);
		re[lx->cur.n] = '\0';
		int rc = regcomp(&n->re, re, REG_EXTENDED | REG_ICASE | REG_NOSUB);
		if (rc) {
			char eb[128];
			regerror(rc, &n->re, eb, sizeof eb);
			fail(lx, lx->cur.at, lx->cur.len, "bad regular expression: "
				 "%s", eb);
			node_free(n);
			return NULL;
		}
		n->re_ok = true;
		next(lx);
		return n;
	}
	if (k == T_CONTAINS && f.vk != VK_TEXT && f.vk != VK_BYTES &&
	    !f.slice) {
		fail(lx, op_at, op_len, "%s is not a byte string: contains "
			 "needs one", name);
		node_free(n);
		return NULL;
	}
	if (k == T_IN) {
		if (lx->cur.t != T_LBRACE) {
			fail(lx, lx->cur.at, lx->cur.len, "expected '{' after in");
			node_free(n);
			return NULL;
		}
		next(lx);
		n->v = calloc(SET_MAX, sizeof *n->v);
		if (!n->v) {
			node_free(n);
			return NULL;
		}
		while (lx->cur.t != T_RBRACE) {
			if (lx->cur.t == T_COMMA) {
				next(lx);
				continue;
			}
			if (n->nv >= SET_MAX) {
				fail(lx, lx->cur.at, lx->cur.len, "more than %d "
					 "values in a set", SET_MAX);
				node_free(n);
				return NULL;
			}
			val *v = &n->v[n->nv];
			/* a..b: two literals in one word */
			char *dd = lx->cur.t == T_WORD ? strstr(lx->cur.s, "..")
						       : NULL;
			if (dd && (f.vk == VK_UINT || f.vk == VK_INT ||
				   f.vk == VK_DBL)) {
				tok lo = lx->cur, hi = lx->cur;
				size_t cut = (size_t)(dd - lx->cur.s);
				lo.s[cut] = '\0';
				lo.n = cut;
				memmove(hi.s, dd + 2, strlen(dd + 2) + 1);
				hi.n = strlen(hi.s);
				val b;
				if (!literal(lx, &lo, &f, v) ||
				    !literal(lx, &hi, &f, &b)) {
					node_free(n);
					return NULL;
				}
				v->range = true;
				v->u_hi = b.u;
				v->i_hi = b.i;
				v->d_hi = b.d;
				next(lx);
			} else if (!rhs(lx, &f, v)) {
				node_free(n);
				return NULL;
			}
			n->nv++;
		}
		next(lx);
		return n;
	}
	n->v = calloc(1, sizeof *n->v);
	if (!n->v || !rhs(lx, &f, n->v)) {
		node_free(n);
		return NULL;
	}
	n->nv = 1;
	return n;
}

static node *primary(lexer *lx)
{
	if (++lx->depth > FILTER_DEPTH) {
		fail(lx, lx->cur.at, 1, "nested more than %d deep", FILTER_DEPTH);
		return NULL;
	}
	node *n;
	if (lx->cur.t == T_NOT) {
		next(lx);
		node *a = primary(lx);
		n = a ? mk(N_NOT, a, NULL) : NULL;
	} else if (lx->cur.t == T_LP) {
		size_t at = lx->cur.at;
		next(lx);
		n = parse_or(lx);
		if (n && lx->cur.t != T_RP) {
			fail(lx, lx->cur.t == T_EOF ? at : lx->cur.at,
			     lx->cur.len ? lx->cur.len : 1,
			     lx->cur.t == T_EOF ? "missing ')' for this '('"
						: "expected ')' here");
			node_free(n);
			n = NULL;
		} else if (n) {
			next(lx);
		}
	} else {
		n = relation(lx);
	}
	lx->depth--;
	return n;
}

/* The binary operators by precedence, loosest first: or, xor, and. */
static const struct {
	enum tk t;
	enum nk k;
} levels[] = {{T_OR, N_OR}, {T_XOR, N_XOR}, {T_AND, N_AND}};

static node *binary(lexer *lx, unsigned level)
{
	if (level == sizeof levels / sizeof levels[0])
		return primary(lx);
	node *a = binary(lx, level + 1);
	while (a && lx->cur.t == levels[level].t) {
		next(lx);
		node *b = binary(lx, level + 1);
		a = b ? mk(levels[level].k, a, b) : (node_free(a), NULL);
	}
	return a;
}

static node *parse_or(lexer *lx) { return binary(lx, 0); }

tp_filter *tp_filter_compile(const char *expr, tp_filter_err *err)
{
	tp_registry_init();
	memset(err, 0, sizeof *err);
	lexer lx = {.e = expr, .n = strlen(expr), .err = err};
	if (lx.n > TP_FILTER_MAX) {
		fail(&lx, TP_FILTER_MAX, 1, "longer than %d bytes", TP_FILTER_MAX);
		return NULL;
	}
	next(&lx);
	if (lx.cur.t == T_EOF) {
		fail(&lx, 0, 1, "empty filter");
		return NULL;
	}
	node *root = parse_or(&lx);
	if (root && !lx.failed && lx.cur.t != T_EOF)
		fail(&lx, lx.cur.at, lx.cur.len ? lx.cur.len : 1,
		     lx.cur.t == T_RP ? "unmatched ')'"
				      : "unexpected \"%.*s\": expected and, or "
					"or the end",
		     (int)lx.cur.len, expr + lx.cur.at);
	if (lx.failed || !root) {
		if (!lx.failed)
			fail(&lx, 0, 1, "out of memory");
		node_free(root);
		return NULL;
	}
	tp_filter *f = calloc(1, sizeof *f);
	if (!f) {
		node_free(root);
		return NULL;
	}
	f->root = root;
	return f;
}

/* ---- lean runs --------------------------------------------------------- */

/* The one-line text reads lean records (record.h, p->lean): the headers
 * a line shows, without the tree's extras (TCP's generated fields, flag
 * bits, the alias fields eth.addr/ip.addr/ipv6.addr, payload copies, the
 * application layers' details).  A filter that reads only what a lean
 * record holds the same as a full one runs on lean records: the -Y run
 * costs what the one-line run costs.  What a lean record holds the same
 * (checked over pcaps/ by tests/filter/compare-tshark.sh, which runs
 * every expression both ways against tshark): */
static const char *const lean_protos[] = {
	"frame", "eth", "vlan", "ieee8021ad", "sll", "sll2", "arp", "ip",
	"ipv6", "icmp", "icmpv6", "udp", "tcp", "dns", "mdns", "llmnr", "dhcp",
	"data"};
/* of frame and tcp, these fields only */
static const char *const lean_only[] = {
	"frame.number", "frame.len", "frame.cap_len", "frame.time",
	"frame.time_epoch", "frame.time_delta", "frame.time_relative",
	"tcp.srcport", "tcp.dstport", "tcp.port", "tcp.flags", "tcp.hdr_len",
	"tcp.len", "tcp.seq_raw", "tcp.ack_raw", "tcp.checksum",
	"tcp.checksum.status", "tcp.window_size_value", "tcp.urgent_pointer"};
/* of the others, all but these */
static const char *const lean_not[] = {
	"ip.dsfield.dscp", "ip.dsfield.ecn", "ip.flags.rb", "ip.flags.df",
	"ip.flags.mf", "udp.payload"};
/* an alias field is its two fields in a lean run */
static const char *const lean_alias[][3] = {
	{"eth.addr", "eth.src", "eth.dst"},
	{"ip.addr", "ip.src", "ip.dst"},
	{"ipv6.addr", "ipv6.src", "ipv6.dst"}};

#define NAMES(a) (sizeof a / sizeof a[0])

static bool listed(const char *name, const char *const *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, l[i]) == 0)
			return true;
	return false;
}

static bool lean_proto(const char *name, size_t len)
{
	for (size_t i = 0; i < NAMES(lean_protos); i++)
		if (strlen(lean_protos[i]) == len &&
		    strncmp(name, lean_protos[i], len) == 0)
			return true;
	return false;
}

static int lean_alias_of(const char *name)
{
	for (size_t i = 0; i < NAMES(lean_alias); i++)
		if (strcmp(name, lean_alias[i][0]) == 0)
			return (int)i;
	return -1;
}

/* tcp.flags.syn and its siblings: one bit of tcp.flags, which a lean
 * record has (tp_add_bits: each is (flags & mask) != 0) */
static bool lean_flag(const tp_field_def *d)
{
	return strncmp(d->abbrev, "tcp.flags.", 10) == 0 &&
	       d->type == TP_FT_BOOLEAN && d->mask;
}

static bool lean_field(const fref *f)
{
	if (f->computed)
		return false; /* frame.protocols, _ws.col.*: the layers */
	for (unsigned k = 0; k < f->ndefs; k++) {
		const char *a = f->defs[k]->abbrev;
		size_t len = strcspn(a, ".");
		if (lean_alias_of(a) >= 0 || (f->ndefs == 1 && lean_flag(f->defs[k])))
			continue;
		if (!lean_proto(a, len) || listed(a, lean_not, NAMES(lean_not)))
			return false;
		if ((strncmp(a, "frame.", 6) == 0 || strncmp(a, "tcp.", 4) == 0) &&
		    !listed(a, lean_only, NAMES(lean_only)))
			return false;
	}
	return true;
}

/* An alias's definitions become its two fields' (resolve() finds them
 * all, so the lean record's occurrences are the full record's). */
static void lean_rewrite(fref *f)
{
	if (f->ndefs == 1 && lean_flag(f->defs[0])) {
		fref x;
		if (resolve("tcp.flags", &x) && x.ndefs == 1) {
			f->bit = f->defs[0]->mask;
			f->defs[0] = f->d0 = x.defs[0];
		}
		return;
	}
	int a = f->ndefs ? lean_alias_of(f->defs[0]->abbrev) : -1;
	if (a < 0)
		return;
	fref x, y;
	if (!resolve(lean_alias[a][1], &x) || !resolve(lean_alias[a][2], &y) ||
	    x.ndefs + y.ndefs > FREF_DEFS)
		return;
	memcpy(f->defs, x.defs, x.ndefs * sizeof *x.defs);
	memcpy(f->defs + x.ndefs, y.defs, y.ndefs * sizeof *y.defs);
	f->ndefs = x.ndefs + y.ndefs;
	f->d0 = f->defs[0];
}

/* Every field and protocol the filter reads (rewrite: and make the
 * aliases their fields). */
static bool lean_walk(node *n, bool rewrite)
{
	if (!n)
		return true;
	if (!lean_walk(n->a, rewrite) || !lean_walk(n->b, rewrite))
		return false;
	if (n->k == N_AND || n->k == N_OR || n->k == N_XOR || n->k == N_NOT)
		return true;
	if (n->k == N_PROTO) {
		const char *nm = n->proto ? n->proto->name : "";
		if (!lean_proto(nm, strlen(nm)))
			return false;
		if (!n->f.ndefs)
			return true;
	}
	if (rewrite)
		lean_rewrite(&n->f);
	else if (!lean_field(&n->f))
		return false;
	for (size_t k = 0; k < n->nv; k++) {
		if (!n->v[k].field)
			continue;
		if (rewrite)
			lean_rewrite(&n->v[k].rf);
		else if (!lean_field(&n->v[k].rf))
			return false;
	}
	return true;
}

static bool reads(const node *n, const char *prefix, size_t len)
{
	if (!n)
		return false;
	if (reads(n->a, prefix, len) || reads(n->b, prefix, len))
		return true;
	for (unsigned k = 0; k < n->f.ndefs; k++)
		if (strncmp(n->f.defs[k]->abbrev, prefix, len) == 0)
			return true;
	for (size_t i = 0; i < n->nv; i++)
		for (unsigned k = 0; n->v[i].field && k < n->v[i].rf.ndefs; k++)
			if (strncmp(n->v[i].rf.defs[k]->abbrev, prefix, len) == 0)
				return true;
	return false;
}

bool tp_filter_reads(const tp_filter *f, const char *prefix)
{
	return f && reads(f->root, prefix, strlen(prefix));
}

bool tp_filter_lean(tp_filter *f)
{
	if (!f || !lean_walk(f->root, false))
		return false;
	lean_walk(f->root, true);
	return true;
}

/* ---- evaluation ------------------------------------------------------- */

typedef struct fv { /* one occurrence's value */
	uint64_t u;
	int64_t i;
	double d;
	const uint8_t *b;
	size_t n;
} fv;

static bool field_is(const fref *f, const tp_field_def *d)
{
	for (unsigned k = 0; k < f->ndefs; k++)
		if (f->defs[k] == d)
			return true;
	return false;
}

/* The value of occurrence x (tb: room for a computed text). */
static bool value_of(const tp_pkt *p, const fref *f, const tp_field *x,
		     fv *v, char *tb, size_t tcap)
{
	memset(v, 0, sizeof *v);
	if (f->computed) {
		tp_sbuf s;
		tp_sb_init(&s, tb, tcap);
		tp_frame_text(&s, p, x->def);
		v->b = (const uint8_t *)tb;
		v->n = s.len;
	} else {
		switch (f->vk) {
		case VK_UINT: v->u = x->v.u; break;
		case VK_INT: v->i = x->v.i; break;
		case VK_DBL: v->d = x->v.d; break;
		case VK_BYTES:
		case VK_IPV4:
		case VK_IPV6:
		case VK_TEXT:
			v->b = x->v.p;
			v->n = x->v.p ? x->vlen : 0;
			break;
		default: break;
		}
	}
	if (f->bit)
		v->u = (v->u & f->bit) != 0;
	if (f->masked) {
		v->u &= f->mask;
		v->i = (int64_t)((uint64_t)v->i & f->mask);
	}
	if (f->slice) {
		long n = (long)v->n, a = f->s_from;
		if (a < 0)
			a += n;
		if (a < 0 || a > n)
			return false;
		long len = f->s_len < 0 ? n - a : f->s_len;
		if (a + len > n)
			return false; /* Wireshark: a slice past the end fails */
		v->b += a;
		v->n = (size_t)len;
	}
	return true;
}

static int cmp_bytes(const uint8_t *a, size_t na, const uint8_t *b,
		     size_t nb)
{
	size_t n = na < nb ? na : nb;
	int c = n ? memcmp(a, b, n) : 0;
	if (c)
		return c;
	return na < nb ? -1 : na > nb;
}

/* -1, 0, 1: the occurrence against the value (kind vk). */
static int compare(enum vk vk, const fv *x, const val *v)
{
	switch (vk) {
	case VK_UINT:
		return x->u < v->u ? -1 : x->u > v->u;
	case VK_INT:
		return x->i < v->i ? -1 : x->i > v->i;
	case VK_DBL:
		return x->d < v->d ? -1 : x->d > v->d;
	case VK_IPV4:
	case VK_IPV6: {
		if (x->n != v->n)
			return cmp_bytes(x->b, x->n, v->b, v->n);
		unsigned full = v->prefix / 8, rest = v->prefix % 8;
		int c = full ? memcmp(x->b, v->b, full) : 0;
		if (c || !rest)
			return c;
		uint8_t m = (uint8_t)(0xff << (8 - rest));
		uint8_t a = x->b[full] & m, b = v->b[full] & m;
		return a < b ? -1 : a > b;
	}
	default:
		return cmp_bytes(x->b, x->n, v->b, v->n);
	}
}

static bool op_true(enum op op, int c)
{
	switch (op) {
	case OP_EQ:
	case OP_ALL_EQ: return c == 0;
	case OP_ALL_NE:
	case OP_ANY_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_GT: return c > 0;
	case OP_LE: return c <= 0;
	case OP_GE: return c >= 0;
	}
	return false;
}

static bool in_range(enum vk vk, const fv *x, const val *v)
{
	if (!v->range)
		return compare(vk, x, v) == 0;
	switch (vk) {
	case VK_UINT: return x->u >= v->u && x->u <= v->u_hi;
	case VK_INT: return x->i >= v->i && x->i <= v->i_hi;
	case VK_DBL: return x->d >= v->d && x->d <= v->d_hi;
	default: return false;
	}
}

/* One occurrence against the node's value (a literal or every
 * occurrence of another field). */
static bool one(const tp_pkt *p, const node *n, const fv *x, const val *v,
		enum vk vk)
{
	if (!v->field) {
		if (n->k == N_IN)
			return in_range(vk, x, v);
		return op_true(n->op, compare(vk, x, v));
	}
	static _Thread_local char tb[512];
	for (unsigned i = 0; i < p->nfields; i++) {
		const tp_field *y = &p->fields[i];
		if (!field_is(&v->rf, y->def))
			continue;
		fv w;
		if (!value_of(p, &v->rf, y, &w, tb, sizeof tb))
			continue;
		val lit = {.vk = vk, .u = w.u, .i = w.i, .d = w.d};
		size_t k = w.n < sizeof lit.b ? w.n : sizeof lit.b;
		if (w.b)
			memcpy(lit.b, w.b, k);
		lit.n = k;
		lit.prefix = (unsigned)(k * 8);
		bool t = n->k == N_IN ? compare(vk, x, &lit) == 0
				      : op_true(n->op, compare(vk, x, &lit));
		if (t)
			return true;
	}
	return false;
}

static bool test(const tp_pkt *p, const node *n, const fv *x)
{
	enum vk vk = n->f.slice ? VK_BYTES : n->f.vk;
	switch (n->k) {
	case N_BITS:
		return vk == VK_UINT ? x->u != 0 : x->i != 0;
	case N_CONTAINS: {
		const val *v = &n->v[0];
		if (v->field)
			return false;
		if (!v->n)
			return true;
		return x->n >= v->n && memmem(x->b, x->n, v->b, v->n);
	}
	case N_MATCHES: {
		/* a NUL-terminated copy (regexec implementations, and
		 * sanitizers' interceptors of it, may read to a NUL whatever
		 * REG_STARTEND says); the first 64 KiB of a longer value */
		static _Thread_local char rb[1u << 16];
		size_t k = x->b ? (x->n < sizeof rb - 1 ? x->n : sizeof rb - 1)
				: 0;
		if (k)
			memcpy(rb, x->b, k);
		rb[k] = '\0';
		regmatch_t m = {0, (regoff_t)k};
		return regexec(&n->re, rb, 1, &m, REG_STARTEND) == 0;
	}
	case N_IN:
		for (size_t k = 0; k < n->nv; k++)
			if (one(p, n, x, &n->v[k], vk))
				return true;
		return false;
	default:
		return one(p, n, x, &n->v[0], vk);
	}
}

static bool eval(const tp_pkt *p, const node *n)
{
	switch (n->k) {
	case N_AND: return eval(p, n->a) && eval(p, n->b);
	case N_OR: return eval(p, n->a) || eval(p, n->b);
	case N_XOR: return eval(p, n->a) != eval(p, n->b);
	case N_NOT: return !eval(p, n->a);
	case N_PROTO:
		for (unsigned i = 0; i < p->nlayers; i++)
			if (p->layers[i].d == n->proto)
				return true;
		if (!n->f.ndefs)
			return false;
		/* fall through: a name that is both (frame) */
	default:
		break;
	}
	/* the relations: "all" operators need every occurrence to hold
	 * (and at least one), the others any */
	bool all = n->k == N_CMP && (n->op == OP_ALL_EQ || n->op == OP_ALL_NE);
	bool any = false;
	static _Thread_local char tb[4096]; /* a computed field's text */
	const tp_field_def *d0 = n->f.d0;
	bool one_def = n->f.ndefs == 1;
	for (unsigned i = 0; i < p->nfields; i++) {
		const tp_field *x = &p->fields[i];
		if (one_def ? x->def != d0 : !field_is(&n->f, x->def))
			continue;
		if (n->k == N_EXISTS || n->k == N_PROTO)
			return true;
		fv v;
		if (!value_of(p, &n->f, x, &v, tb, sizeof tb)) {
			if (all)
				return false;
			continue;
		}
		bool t = test(p, n, &v);
		if (all && !t)
			return false;
		if (!all && t)
			return true;
		any = true;
	}
	return all && any;
}

bool tp_filter_match(const tp_filter *f, const tp_pkt *p)
{
	return f && eval(p, f->root);
}
