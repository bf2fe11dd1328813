/* engine.c - the capture loop (engine.h).
 *
 * One packet: read from the source (its table of operations, capture.h),
 * written by -w, dissected once into the engine's record (or a printer
 * slot with --threads 3), handed to each consumer.  Live capture to a
 * file without dissection takes tcpdump's fast path instead: the writer
 * is called from inside pcap_dispatch, without a copy.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tapir/engine.h"
#include "tapir/pipeline.h"
#include "tapir/printer.h"

struct tp_engine {
	tp_source *src;
	tp_engine_opts o;
	tp_consumer c[TP_ENGINE_MAX_CONSUMERS];
	unsigned nc;
	tp_flowcfg flowcfg;
	bool dissect;          /* a consumer wants records or streams */
	tp_session *sess;
	tp_dctx *dctx;
	tp_pkt *p;
	tp_printer *pr;
	int pr_owner;          /* the consumer the printer runs, or -1 */
	int wr_linktype;       /* -w takes this link type only */
	uint64_t n, other_linktype;
	time_t last_progress;
	int status;
	bool done, finished, sandboxed;
};

tp_engine *tp_engine_new(tp_source *src, const tp_engine_opts *o, char *err,
			 size_t errlen)
{
	tp_engine *e = calloc(1, sizeof *e);
	if (!e || !(e->p = tp_pkt_new()) ||
	    !(e->dctx = tp_dctx_new(o->relative_seq, o->seq_quoted))) {
		tp_engine_free(e);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->p->dctx = e->dctx;
	e->src = src;
	e->o = *o;
	if (o->flowcfg)
		e->flowcfg = *o->flowcfg;
	if (!e->o.out_fp)
		e->o.out_fp = stdout;
	e->pr_owner = -1;
	e->wr_linktype = tp_source_linktype(src); /* the first file's */
	e->p->no_verify = o->no_verify;
	e->p->lean = o->lean;
	return e;
}

int tp_engine_add(tp_engine *e, const tp_consumer *c)
{
	if (e->nc == TP_ENGINE_MAX_CONSUMERS)
		return -1;
	if ((c->packet || c->tap || c->objtap || c->reptap) && !e->sess) {
		/* Flows, reassembly and defragmentation whenever packets
		 * are dissected (the write-only path never dissects). */
		if (!(e->sess = tp_session_new(&e->flowcfg)))
			return -1;
		e->p->sess = e->sess;
		e->dissect = true;
	}
	if (c->tap) {
		if (e->sess->ntaps ==
		    sizeof e->sess->taps / sizeof e->sess->taps[0])
			return -1;
		e->sess->taps[e->sess->ntaps++] = c->tap;
	}
	if (c->objtap)
		e->sess->objtap = c->objtap;
	if (c->reptap)
		e->sess->reptap = c->reptap;
	/* Reading a file with --threads 3: the output on a thread of its
	 * own (printer.h).  Not by default: on a 2-CPU machine it costs
	 * more CPU than it saves time (doc/ARCHITECTURE.md, Threads).  Live
	 * captures stay on one (the packets come at the network's pace). */
	if (c->out && e->o.printer_thread && !e->pr &&
	    !tp_source_is_live(e->src)) {
		if (!(e->pr = tp_printer_new(c->out, e->o.out_fp, e->p)))
			return -1;
		e->pr_owner = (int)e->nc;
	}
	e->c[e->nc++] = *c;
	return 0;
}

tp_session *tp_engine_session(tp_engine *e) { return e->sess; }
tp_writer *tp_engine_writer(tp_engine *e) { return e->o.writer; }
void tp_engine_sandboxed(tp_engine *e, bool on) { e->sandboxed = on; }
uint64_t tp_engine_packets(const tp_engine *e) { return e->n; }
void tp_engine_stop(tp_engine *e) { tp_source_breakloop(e->src); }

/* One line on a terminal while writing without printing. */
static void progress(tp_engine *e, bool final)
{
	if (!final) {
		time_t now = time(NULL);
		if (now == e->last_progress)
			return;
		e->last_progress = now;
	}
	tp_capstats st;
	tp_source_stats(e->src, &st);
	fprintf(stderr, "\r%llu packets written, %u files",
		(unsigned long long)tp_writer_packets(e->o.writer),
		tp_writer_files(e->o.writer));
	if (st.dropped >= 0)
		fprintf(stderr, ", %lld dropped by kernel", (long long)st.dropped);
	fprintf(stderr, final ? "\n" : "   ");
}

/* The end of the run on an error: everything printed so far goes out
 * before the message. */
static void fail(tp_engine *e, int status, const char *msg)
{
	if (e->pr)
		tp_printer_drain(e->pr);
	fflush(e->o.out_fp);
	fprintf(stderr, "tapir: %s\n", msg);
	e->status = status;
	e->done = true;
}

static void damaged(tp_engine *e)
{
	const char *name = e->o.input_name ? e->o.input_name
					   : tp_source_name(e->src);
	if (strcmp(name, "-") == 0)
		name = "standard input";
	char msg[1024];
	snprintf(msg, sizeof msg,
		 "%s: damaged at packet %llu, byte offset %llu: %s", name,
		 (unsigned long long)e->n + 1,
		 (unsigned long long)tp_source_offset(e->src),
		 tp_source_error(e->src));
	fail(e, TP_EXIT_DAMAGED, msg);
}

/* ---- the write-only fast path (live -w without printing) ------------ */

static int write_one(void *user, const tp_pkthdr *h, const uint8_t *data)
{
	tp_engine *e = user;
	int rc = tp_writer_write(e->o.writer, h, data);
	if (rc == 1) { /* -G with -W: all files made */
		e->done = true;
		return 1;
	}
	if (rc < 0) {
		e->status = TP_EXIT_RUNTIME;
		e->done = true;
		fprintf(stderr, "tapir: %s\n", tp_writer_error(e->o.writer));
		return 1;
	}
	e->n++;
	return e->o.count && e->n >= e->o.count;
}

static tp_eng_rc run_write_only(tp_engine *e, uint64_t max)
{
	uint64_t start = e->n;
	while (!e->done && !(e->o.count && e->n >= e->o.count)) {
		int r = tp_source_dispatch(e->src, -1, write_one, e);
		if (e->o.progress)
			progress(e, false);
		if (e->done)
			break;
		if (r == TP_RD_ERROR) {
			fail(e, TP_EXIT_RUNTIME, tp_source_error(e->src));
			break;
		}
		if (r == TP_RD_EOF)
			break;
		if (max && (e->n - start >= max || r == 0))
			return TP_ENG_MORE;
	}
	e->done = true;
	return TP_ENG_DONE;
}

/* ---- one packet ----------------------------------------------------- */

static bool write_packet(tp_engine *e, const tp_pkthdr *h,
			 const uint8_t *data)
{
	if (h->linktype != e->wr_linktype) {
		e->other_linktype++;
		return true;
	}
	int wrc = tp_writer_write(e->o.writer, h, data);
	if (wrc == 1) { /* -G with -W: the files are all made */
		e->done = true;
		return false;
	}
	if (wrc < 0) {
		fprintf(stderr, "tapir: %s\n", tp_writer_error(e->o.writer));
		e->status = TP_EXIT_RUNTIME;
		e->done = true;
		return false;
	}
	return true;
}

/* Every consumer but the printer's: false when one ends the run. */
static bool consume(tp_engine *e, const tp_pkt *p)
{
	for (unsigned i = 0; i < e->nc; i++) {
		if (!e->c[i].packet || (int)i == e->pr_owner)
			continue;
		if (e->c[i].packet(e->c[i].self, p)) {
			e->done = true;
			return false;
		}
	}
	return true;
}

static void dissect_threaded(tp_engine *e, const tp_pkthdr *h,
			     const uint8_t *data)
{
	uint8_t *copy;
	tp_pkt *sp = tp_printer_slot(e->pr, h->caplen, &copy);
	if (!sp) { /* the output failed, or no memory */
		if (!tp_printer_failed(e->pr))
			fail(e, TP_EXIT_RUNTIME, "out of memory");
		e->done = true;
		return;
	}
	memcpy(copy, data, h->caplen);
	tp_dissect(sp, e->n, h, copy);
	consume(e, sp);
	tp_printer_push(e->pr);
}

tp_eng_rc tp_engine_run(tp_engine *e, uint64_t max)
{
	if (e->done)
		return TP_ENG_DONE;
	if (e->o.writer && !e->dissect && tp_source_is_live(e->src))
		return run_write_only(e, max);
	for (uint64_t handled = 0; !max || handled < max;) {
		if (e->o.count && e->n >= e->o.count) {
			e->done = true;
			break;
		}
		tp_pkthdr h;
		const uint8_t *data;
		tp_rd r = tp_source_next(e->src, &h, &data);
		if (e->o.progress)
			progress(e, false);
		if (r == TP_RD_AGAIN) {
			if (max)
				return TP_ENG_MORE;
			continue;
		}
		if (r == TP_RD_EOF) {
			e->done = true;
			break;
		}
		if (r == TP_RD_DAMAGED) {
			damaged(e);
			break;
		}
		if (r == TP_RD_ERROR) {
			fail(e, TP_EXIT_RUNTIME, tp_source_error(e->src));
			break;
		}
		e->n++;
		handled++;
		if (e->o.writer && !write_packet(e, &h, data))
			break;
		if (!e->dissect)
			continue;
		if (e->pr) {
			dissect_threaded(e, &h, data);
		} else {
			tp_dissect(e->p, e->n, &h, data);
			consume(e, e->p);
		}
		if (e->done)
			break;
	}
	return e->done ? TP_ENG_DONE : TP_ENG_MORE;
}

/* ---- the end -------------------------------------------------------- */

static void plural(const char *what, int64_t n)
{
	fprintf(stderr, "%lld packet%s %s\n", (long long)n, n == 1 ? "" : "s",
		what);
}

/* tcpdump's totals, on standard error, when a live capture ends.  Under
 * the sandbox libpcap cannot read the interface's sysfs drop counters
 * and computes garbage from the failure, so that line is left out. */
static void print_totals(tp_engine *e)
{
	tp_capstats st;
	tp_source_stats(e->src, &st);
	plural("captured", (int64_t)e->n);
	if (st.received >= 0)
		plural("received by filter", st.received);
	if (st.dropped >= 0)
		plural("dropped by kernel", st.dropped);
	if (st.ifdropped > 0 && !e->sandboxed)
		plural("dropped by interface", st.ifdropped);
}

static void keep_first(int *status, int rc)
{
	if (rc && *status == 0)
		*status = rc;
}

int tp_engine_finish(tp_engine *e)
{
	if (e->finished)
		return e->status;
	e->finished = true;
	e->done = true;
	if (e->pr) { /* every packet printed before anything else is */
		tp_printer_free(e->pr);
		e->pr = NULL;
	}
	/* the end of the capture ends every stream: held bytes and gaps go
	 * to the taps, then the summaries print */
	if (e->sess)
		tp_session_finish(e->sess);
	for (unsigned i = 0; i < e->nc; i++)
		if (e->c[i].finish)
			keep_first(&e->status, e->c[i].finish(e->c[i].self));
	char wbuf[160];
	if (tp_source_warning(e->src, wbuf, sizeof wbuf))
		fprintf(stderr, "tapir: %s: %s\n", tp_source_name(e->src),
			wbuf);
	tp_session *s = e->sess;
	if (s && (s->evicted || s->mem.peak >= s->mem.cap || s->app_refused))
		fprintf(stderr,
			"tapir: flow caps reached: %llu flows evicted at "
			"--max-flows %u, reassembly memory peak %zu of %zu "
			"bytes%s\n",
			(unsigned long long)s->evicted, s->cfg.max_flows,
			s->mem.peak, s->mem.cap,
			s->app_refused ? " (application states refused at it: "
					 "those flows are dissected without state)"
				       : "");
	for (unsigned i = 0; i < e->nc; i++)
		if (e->c[i].flush)
			keep_first(&e->status, e->c[i].flush(e->c[i].self));
	if (e->o.writer) {
		if (e->o.progress)
			progress(e, true);
		/* close frees the writer: its error is asked for with NULL
		 * (the message names the file) */
		if (tp_writer_close(e->o.writer) < 0) {
			fprintf(stderr, "tapir: %s\n", tp_writer_error(NULL));
			keep_first(&e->status, TP_EXIT_RUNTIME);
		}
		e->o.writer = NULL;
		if (e->other_linktype)
			fprintf(stderr,
				"tapir: %llu packets of other link types were "
				"not written to %s\n",
				(unsigned long long)e->other_linktype,
				e->o.write_name ? e->o.write_name : "the file");
	}
	if (tp_source_is_live(e->src))
		print_totals(e);
	if (tp_seqtab_full(e->dctx->seqtab))
		fprintf(stderr,
			"tapir: more than %u TCP connections: the sequence "
			"numbers of later ones are printed absolute\n",
			TP_SEQTAB_MAX);
	return e->status;
}

void tp_engine_free(tp_engine *e)
{
	if (!e)
		return;
	tp_printer_free(e->pr);
	tp_pkt_free(e->p);
	tp_session_free(e->sess);
	tp_dctx_free(e->dctx);
	free(e);
}

/* ---- the output as a consumer ---------------------------------------- */

static int out_packet(void *self, const tp_pkt *p)
{
	tp_output *out = self;
	out->packet(out, p);
	return ferror(out->fp) && errno == EPIPE;
}

static int out_flush(void *self)
{
	tp_output *out = self;
	out->finish(out);
	return 0;
}

tp_consumer tp_output_consumer(tp_output *out)
{
	return (tp_consumer){.packet = out_packet,
			     .flush = out_flush,
			     .self = out,
			     .out = out};
}
