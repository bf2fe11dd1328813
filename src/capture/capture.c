/* capture.c - the capture source: files (capfile.c) or live interfaces
 * (libpcap), and the BPF capture filter for both.
 *
 * The filter is libpcap's: compiled with pcap_compile against a dead
 * handle of each link type a file shows (pcapng files may mix them), and
 * run with pcap_offline_filter.  Live handles filter in the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "capture_int.h"
#include "tapir/limits.h"

/* Live packets are read in batches of at most BATCH_PACKETS, copied into
 * a buffer of BATCH_BYTES (or one snaplen, if larger). */
#define BATCH_PACKETS 1024
#define BATCH_BYTES (4u << 20)

/* LINKTYPE_ (files) and DLT_ (libpcap) differ for a few values. */
int tp_linktype_to_dlt(int lt)
{
	switch (lt) {
	case TP_LT_RAW:
		return DLT_RAW;
	default:
		return lt;
	}
}

static int dlt_to_linktype(int dlt)
{
	if (dlt == DLT_RAW)
		return TP_LT_RAW;
	return dlt;
}

tp_source *tp_source_open_live(const char *iface, const tp_live_opts *o,
			       char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create(iface, ebuf);
	if (!p) {
		snprintf(err, errlen, "%s: %s", iface, ebuf);
		return NULL;
	}
	pcap_set_snaplen(p, o->snaplen > 0 ? o->snaplen : 262144);
	pcap_set_promisc(p, o->promisc);
	/* With TPACKET_V3 the kernel hands a ring block over when it is full
	 * or when the timeout expires; packets wait in it until then.  100
	 * ms keeps the screen live and the wait at stop short; a loss
	 * benchmark showed no cost against tcpdump's 1000 ms. */
	pcap_set_timeout(p, o->timeout_ms > 0 ? o->timeout_ms : 100);
	if (o->immediate)
		pcap_set_immediate_mode(p, 1);
	if (o->buffer_kib > 0)
		pcap_set_buffer_size(p, o->buffer_kib * 1024);
	int rc = pcap_activate(p);
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", iface,
			 rc == PCAP_ERROR ? pcap_geterr(p)
					  : pcap_statustostr(rc));
		pcap_close(p);
		return NULL;
	}
	tp_source *s = calloc(1, sizeof *s);
	if (!s) {
		pcap_close(p);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->name = iface;
	s->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 100;
	s->immediate = o->immediate;
	s->ops = &tp_live_ops;
	s->fmt = TP_FMT_LIVE;
	s->fd = -1;
	s->pcap = p;
	s->linktype = dlt_to_linktype(pcap_datalink(p));
	s->snaplen = (uint32_t)pcap_snapshot(p);
	s->batch_cap = BATCH_BYTES;
	if (s->snaplen > s->batch_cap)
		s->batch_cap = s->snaplen;
	s->batch = malloc(s->batch_cap);
	s->batched = calloc(BATCH_PACKETS, sizeof *s->batched);
	if (!s->batch || !s->batched) {
		snprintf(err, errlen, "out of memory");
		tp_source_close(s);
		return NULL;
	}
	return s;
}

static const struct bpf_program *filter_for(tp_source *s, int linktype,
					    char *err, size_t errlen)
{
	/* One entry per link type seen (at most 65536), failures included,
	 * so a filter is compiled once per link type, never per packet. */
	for (size_t i = 0; i < s->nfilters; i++)
		if (s->filters[i].linktype == linktype) {
			if (!s->filters[i].ok)
				snprintf(err, errlen,
					 "the filter does not apply to link "
					 "type %d",
					 linktype);
			return s->filters[i].ok ? &s->filters[i].prog : NULL;
		}
	struct tp_filter *nf =
		realloc(s->filters, (s->nfilters + 1) * sizeof *nf);
	if (!nf) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->filters = nf;
	struct tp_filter *f = &s->filters[s->nfilters++];
	f->linktype = linktype;
	f->ok = false;
	pcap_t *dead = pcap_open_dead(tp_linktype_to_dlt(linktype), 262144);
	if (!dead) {
		snprintf(err, errlen, "cannot compile a filter for link type %d",
			 linktype);
		return NULL;
	}
	if (pcap_compile(dead, &f->prog, s->filter, 1,
			 PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, errlen, "%s", pcap_geterr(dead));
		pcap_close(dead);
		return NULL;
	}
	pcap_close(dead);
	f->ok = true;
	return &f->prog;
}

static int live_set_filter(tp_source *s, const char *expr, char *err,
			   size_t errlen)
{
	struct bpf_program prog;
	if (pcap_compile(s->pcap, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0 ||
	    pcap_setfilter(s->pcap, &prog) < 0) {
		snprintf(err, errlen, "%s", pcap_geterr(s->pcap));
		return -1;
	}
	pcap_freecode(&prog);
	return 0;
}

static int file_set_filter(tp_source *s, const char *expr, char *err,
			   size_t errlen)
{
	free(s->filter);
	s->filter = strdup(expr);
	if (!s->filter) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Compile now for the first link type, so a bad expression is a
	 * usage error before any packet is read. */
	int lt = s->linktype >= 0 ? s->linktype : TP_LT_ETHERNET;
	return filter_for(s, lt, err, errlen) ? 0 : -1;
}

int tp_source_set_filter(tp_source *s, const char *expr, char *err,
			 size_t errlen)
{
	return s->ops->set_filter(s, expr, err, errlen);
}

/* Stop asked (SIGINT, SIGTERM): packets the kernel already captured may
 * still wait in a ring block it has not handed over yet (it does at the
 * block's timeout, or about at once in immediate mode).  So the capture
 * goes on without blocking for twice that long, and every packet
 * captured before the stop reaches the outputs. */
static void start_draining(tp_source *s)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	s->draining = true;
	pcap_setnonblock(s->pcap, 1, ebuf);
	long ms = s->immediate ? 20 : 2L * s->timeout_ms;
	clock_gettime(CLOCK_MONOTONIC, &s->drain_until);
	long ns = s->drain_until.tv_nsec + ms * 1000000L;
	s->drain_until.tv_sec += ns / 1000000000L;
	s->drain_until.tv_nsec = ns % 1000000000L;
}

static bool drain_over(const tp_source *s)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > s->drain_until.tv_sec ||
	       (now.tv_sec == s->drain_until.tv_sec &&
		now.tv_nsec >= s->drain_until.tv_nsec);
}

static void batch_add(u_char *user, const struct pcap_pkthdr *ph,
		      const u_char *d)
{
	tp_source *s = (tp_source *)user;
	/* pcap_dispatch was asked for no more than fits (see live_next) */
	uint32_t cl = ph->caplen;
	if (s->nbatched == BATCH_PACKETS || cl > s->batch_cap - s->batch_used)
		return;
	struct tp_batched *b = &s->batched[s->nbatched++];
	b->h.sec = ph->ts.tv_sec;
	b->h.nsec = (uint32_t)ph->ts.tv_usec * 1000u;
	b->h.caplen = cl;
	b->h.len = ph->len;
	b->h.linktype = s->linktype;
	b->h.ifindex = 0;
	b->h.bad_frac = 0;
	b->h.bad_frac_unit = 0;
	b->off = s->batch_used;
	memcpy(s->batch + s->batch_used, d, cl);
	s->batch_used += cl;
}

static tp_rd live_next(tp_source *s, tp_pkthdr *h, const uint8_t **data)
{
	if (s->next_batched < s->nbatched) {
		const struct tp_batched *b = &s->batched[s->next_batched++];
		*h = b->h;
		*data = s->batch + b->off;
		return TP_RD_PACKET;
	}
	int rc;
	for (;;) {
		if (s->stop && !s->draining)
			start_draining(s);
		s->nbatched = s->next_batched = 0;
		s->batch_used = 0;
		/* as many packets as surely fit: each may be a whole snaplen */
		size_t fit = s->batch_cap / (s->snaplen ? s->snaplen : 262144);
		int cnt = fit > BATCH_PACKETS ? BATCH_PACKETS : (int)fit;
		rc = pcap_dispatch(s->pcap, cnt > 0 ? cnt : 1, batch_add,
				   (u_char *)s);
		if (rc == PCAP_ERROR_BREAK) {
			/* pcap_breakloop() reset itself: drain what is left */
			s->stop = 1;
			if (s->nbatched)
				break;
			continue;
		}
		if (rc != 0 || s->nbatched)
			break;
		if (!s->draining)
			return TP_RD_AGAIN;
		if (drain_over(s))
			return TP_RD_EOF;
		struct timespec pause = {0, 2000000}; /* 2 ms */
		nanosleep(&pause, NULL);
	}
	if (rc < 0 && rc != PCAP_ERROR_BREAK) {
		snprintf(s->err, sizeof s->err, "%s", pcap_geterr(s->pcap));
		return TP_RD_ERROR;
	}
	if (!s->nbatched)
		return s->draining ? TP_RD_EOF : TP_RD_AGAIN;
	return live_next(s, h, data);
}

struct dispatch_ctx {
	tp_source *s;
	tp_packet_fn fn;
	void *user;
	bool stop;
};

static void dispatch_one(u_char *u, const struct pcap_pkthdr *ph,
			 const u_char *d)
{
	struct dispatch_ctx *x = (struct dispatch_ctx *)u;
	if (x->stop)
		return;
	tp_pkthdr h = {ph->ts.tv_sec, (uint32_t)ph->ts.tv_usec * 1000u,
		       ph->caplen, ph->len, x->s->linktype, 0};
	if (x->fn(x->user, &h, d)) {
		x->stop = true;
		pcap_breakloop(x->s->pcap);
	}
}

static int live_dispatch(tp_source *s, int max, tp_packet_fn fn, void *user)
{
	struct dispatch_ctx x = {s, fn, user, false};
	for (;;) {
		if (s->stop && !s->draining)
			start_draining(s);
		int rc = pcap_dispatch(s->pcap, max, dispatch_one, (u_char *)&x);
		if (x.stop)
			return TP_RD_EOF;
		if (rc == PCAP_ERROR_BREAK) {
			s->stop = 1; /* a signal: drain what is left */
			continue;
		}
		if (rc < 0) {
			snprintf(s->err, sizeof s->err, "%s",
				 pcap_geterr(s->pcap));
			return TP_RD_ERROR;
		}
		if (rc > 0)
			return rc;
		if (!s->draining)
			return 0;
		if (drain_over(s))
			return TP_RD_EOF;
		struct timespec pause = {0, 2000000}; /* 2 ms */
		nanosleep(&pause, NULL);
	}
}

/* ---- --file-list ---------------------------------------------------- */

#define LIST_MAX_FILES 100000
#define LIST_MAX_NAME 4096

static void list_free(tp_source *s)
{
	for (size_t i = s->list_at; i < s->list_n; i++)
		if (s->list_fds[i] >= 0)
			close(s->list_fds[i]);
	for (size_t i = 0; i < s->list_n; i++)
		free(s->list_names[i]);
	free(s->list_fds);
	free(s->list_names);
	s->list_fds = NULL;
	s->list_names = NULL;
	s->list_n = s->list_at = 0;
}

/* Reads the names and opens every file; 0, or -1 with err. */
static int list_read(tp_source *s, const char *list, char *err,
		     size_t errlen)
{
	FILE *f = strcmp(list, "-") == 0 ? stdin : fopen(list, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", list, strerror(errno));
		return -1;
	}
	/* one descriptor a file: as many as the hard limit allows */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	ssize_t n;
	int rc = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0)
			continue;
		if (n > LIST_MAX_NAME || s->list_n == LIST_MAX_FILES) {
			snprintf(err, errlen, "%s: %s", list,
				 n > LIST_MAX_NAME ? "a name longer than 4096 "
						     "bytes"
						   : "more than 100000 files");
			rc = -1;
			break;
		}
		if (s->list_n == alloc) {
			size_t na = alloc ? alloc * 2 : 16;
			int *nf = realloc(s->list_fds, na * sizeof *nf);
			if (nf)
				s->list_fds = nf;
			char **nn = nf ? realloc(s->list_names, na * sizeof *nn)
				       : NULL;
			if (!nn) {
				snprintf(err, errlen, "%s: out of memory", list);
				rc = -1;
				break;
			}
			s->list_names = nn;
			alloc = na;
		}
		char *name = strdup(line);
		int fd = name ? open(name, O_RDONLY | O_CLOEXEC) : -1;
		if (fd < 0) {
			snprintf(err, errlen, "%s: %s", line,
				 name ? strerror(errno) : "out of memory");
			free(name);
			rc = -1;
			break;
		}
		s->list_fds[s->list_n] = fd;
		s->list_names[s->list_n++] = name;
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: %s", list, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && s->list_n == 0) {
		snprintf(err, errlen, "%s: names no capture file", list);
		rc = -1;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

tp_source *tp_source_open_list(const char *list, char *err, size_t errlen)
{
	tp_source l = {0};
	if (list_read(&l, list, err, errlen) < 0) {
		list_free(&l);
		return NULL;
	}
	l.list_at = 1; /* the first one is taken over below */
	tp_source *s =
		tp_source_open_fd(l.list_fds[0], l.list_names[0], err, errlen);
	if (!s) {
		list_free(&l);
		return NULL;
	}
	s->list_fds = l.list_fds;
	s->list_names = l.list_names;
	s->list_n = l.list_n;
	s->list_at = l.list_at;
	s->ops = &tp_list_ops;
	return s;
}

const char *tp_source_name(const tp_source *s) { return s->name; }

/* A capture file's next packet that passes the filter (libpcap's,
 * compiled for each link type the file shows). */
static tp_rd file_next(tp_source *s, tp_pkthdr *h, const uint8_t **data)
{
	for (;;) {
		if (s->stop)
			return TP_RD_EOF; /* Ctrl-C while reading a file */
		tp_rd rc = tp_capfile_next(s, h, data);
		if (rc != TP_RD_PACKET || !s->filter)
			return rc;
		char err[256];
		const struct bpf_program *prog =
			filter_for(s, h->linktype, err, sizeof err);
		if (!prog)
			continue; /* this link type cannot match the filter */
		struct pcap_pkthdr ph = {.caplen = h->caplen, .len = h->len};
		if (pcap_offline_filter(prog, &ph, *data))
			return rc;
	}
}

/* The files of a list in turn, as one source. */
static tp_rd list_next(tp_source *s, tp_pkthdr *h, const uint8_t **data)
{
	for (;;) {
		tp_rd rc = file_next(s, h, data);
		if (rc != TP_RD_EOF || s->stop || s->list_at >= s->list_n)
			return rc;
		size_t i = s->list_at++;
		if (tp_capfile_switch(s, s->list_fds[i], s->list_names[i]) < 0)
			return TP_RD_ERROR;
	}
}

tp_rd tp_source_next(tp_source *s, tp_pkthdr *h, const uint8_t **data)
{
	return s->ops->next(s, h, data);
}

int tp_source_dispatch(tp_source *s, int max, tp_packet_fn fn, void *user)
{
	if (!s->ops->dispatch) {
		snprintf(s->err, sizeof s->err,
			 "a %s source has no write-only path", s->ops->kind);
		return TP_RD_ERROR;
	}
	return s->ops->dispatch(s, max, fn, user);
}

static void live_stats(const tp_source *s, tp_capstats *st)
{
	struct pcap_stat ps;
	if (pcap_stats(s->pcap, &ps) == 0) {
		st->received = ps.ps_recv;
		st->dropped = ps.ps_drop;
		st->ifdropped = ps.ps_ifdrop;
	}
}

void tp_source_stats(const tp_source *s, tp_capstats *st)
{
	st->received = st->dropped = st->ifdropped = -1;
	if (s->ops->stats)
		s->ops->stats(s, st);
}

uint32_t tp_source_snaplen(const tp_source *s)
{
	return s->snaplen ? s->snaplen : 262144;
}

bool tp_source_is_live(const tp_source *s) { return s->ops->live; }

const char *tp_source_warning(const tp_source *s, char *buf, size_t n)
{
	return s->ops->warning ? s->ops->warning(s, buf, n) : NULL;
}

int tp_source_fd(const tp_source *s) { return s->ops->fd(s); }
const char *tp_source_kind(const tp_source *s) { return s->ops->kind; }

const char *tp_source_error(const tp_source *s) { return s->err; }
uint64_t tp_source_offset(const tp_source *s) { return s->err_off; }
int tp_source_linktype(const tp_source *s) { return s->linktype; }
tp_filefmt tp_source_format(const tp_source *s) { return s->fmt; }
bool tp_source_gzip(const tp_source *s) { return s->gzip; }

void tp_source_breakloop(tp_source *s)
{
	s->stop = 1;
	if (s->ops->breakloop)
		s->ops->breakloop(s);
}

void tp_source_close(tp_source *s)
{
	if (!s)
		return;
	if (s->ops)
		s->ops->close(s);
	for (size_t i = 0; i < s->nfilters; i++)
		if (s->filters[i].ok)
			pcap_freecode(&s->filters[i].prog);
	free(s->filters);
	free(s->filter);
	free(s);
}

/* ---- the kinds ------------------------------------------------------ */

static int live_fd(const tp_source *s)
{
	return pcap_get_selectable_fd(s->pcap);
}

static void live_breakloop(tp_source *s) { pcap_breakloop(s->pcap); }

static void live_close(tp_source *s)
{
	if (s->pcap)
		pcap_close(s->pcap);
	free(s->batch);
	free(s->batched);
}

/* A file's descriptor: poll() says it is readable at once and at its
 * end, so a UI may poll it like a live one (read ahead: the thread's
 * file, still the file's). */
static int file_fd(const tp_source *s) { return s->fd; }

static void file_close(tp_source *s) { tp_capfile_close(s); }

static void list_close(tp_source *s)
{
	tp_capfile_close(s);
	list_free(s);
}

const tp_source_ops tp_live_ops = {
	.kind = "live",
	.live = true,
	.next = live_next,
	.set_filter = live_set_filter,
	.dispatch = live_dispatch,
	.stats = live_stats,
	.fd = live_fd,
	.breakloop = live_breakloop,
	.close = live_close,
};

const tp_source_ops tp_file_ops = {
	.kind = "file",
	.next = file_next,
	.set_filter = file_set_filter,
	.warning = tp_capfile_warning,
	.fd = file_fd,
	.close = file_close,
};

const tp_source_ops tp_list_ops = {
	.kind = "file-list",
	.next = list_next,
	.set_filter = file_set_filter,
	.warning = tp_capfile_warning,
	.fd = file_fd,
	.close = list_close,
};
