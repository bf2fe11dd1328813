/* main.c - the command line: open the source and the outputs, hand them
 * to the engine (engine.h), exit codes.
 *
 * Order of set-up: open the source, the -w file and every output, start
 * the threads, read the time zone, drop root, enter the sandbox; only
 * then read the first packet.
 *
 * Exit status: 0 success; 1 runtime error (cannot open, permission);
 * 2 usage error (bad option or filter); 3 damaged input (everything
 * readable before the damage was printed first).
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tapir/capture.h"
#include "tapir/engine.h"
#include "tapir/filter.h"
#include "tapir/follow.h"
#include "tapir/options.h"
#include "tapir/output.h"
#include "tapir/readahead.h"
#include "tapir/report.h"
#include "tapir/registry.h"
#include "tapir/sandbox.h"
#include "tapir/stats.h"
#include "tapir/writer.h"
#include "../../dissectors/x509.h"

enum { EXIT_RUNTIME = TP_EXIT_RUNTIME, EXIT_USAGE = TP_EXIT_USAGE };

static tp_engine *volatile g_engine;

static void on_signal(int sig)
{
	(void)sig;
	if (g_engine)
		tp_engine_stop(g_engine);
}

static void print_G(const char *what)
{
	tp_registry_init();
	bool protos = strcmp(what, "protocols") == 0;
	for (size_t i = 0; i < tp_registry_count(); i++) {
		const tp_dissector *d = tp_registry_get(i);
		if (protos) {
			printf("%s\t%s\t%s\n", d->longname, d->name, d->name);
			continue;
		}
		printf("P\t%s\t%s\n", d->longname, d->name);
		for (size_t j = 0; j < d->nfields; j++) {
			const tp_field_def *f = &d->fields[j];
			printf("F\t%s\t%s\t%s\t%s\t", f->name, f->abbrev,
			       tp_ftype_name(f->type), d->name);
			if (f->type == TP_FT_BOOLEAN)
				printf("%u", f->base);
			else
				printf("%s", tp_base_name(f->base, f->type));
			printf("\t0x%llx\t\n", (unsigned long long)f->mask);
		}
		for (size_t j = 0; j < d->nevents; j++)
			printf("E\t%s\t%s\n", d->events[j].abbrev,
			       d->events[j].msg);
	}
}

static int list_interfaces(void)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all;
	if (pcap_findalldevs(&all, ebuf) < 0) {
		fprintf(stderr, "tapir: %s\n", ebuf);
		return EXIT_RUNTIME;
	}
	int n = 0;
	for (pcap_if_t *d = all; d; d = d->next) {
		printf("%d.%s", ++n, d->name);
		if (d->description)
			printf(" (%s)", d->description);
		printf(" [%s%s%s]\n", d->flags & PCAP_IF_UP ? "Up" : "Down",
		       d->flags & PCAP_IF_RUNNING ? ", Running" : "",
		       d->flags & PCAP_IF_LOOPBACK ? ", Loopback" : "");
	}
	pcap_freealldevs(all);
	return 0;
}

/* tcpdump's default: the first interface that is up and not a loopback
 * or the "any" pseudo-device; else the first one. */
static char *default_interface(void)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all = NULL;
	if (pcap_findalldevs(&all, ebuf) < 0 || !all)
		return NULL;
	const char *pick = all->name;
	for (pcap_if_t *d = all; d; d = d->next)
		if ((d->flags & PCAP_IF_UP) && !(d->flags & PCAP_IF_LOOPBACK) &&
		    strcmp(d->name, "any") != 0) {
			pick = d->name;
			break;
		}
	char *r = strdup(pick);
	pcap_freealldevs(all);
	return r;
}

/* "tapir -r x -e ip.src": tcpdump's -e took the field name for a BPF
 * expression.  Say what was probably meant. */
static void hint_field_filter(const tp_options *o)
{
	char word[128];
	size_t n = strcspn(o->filter, " \t\n");
	if (!o->out.eflag || o->mode == TP_MODE_FIELDS || n >= sizeof word)
		return;
	memcpy(word, o->filter, n);
	word[n] = '\0';
	if (tp_registry_field(word))
		fprintf(stderr,
			"tapir: %s is a field: -e FIELD needs -T fields (as "
			"in tshark: tapir -T fields -e %s); without it -e "
			"is tcpdump's link-level header\n",
			word, word);
}

/* Other runnable tasks now: the fewest over a few samples of
 * /proc/loadavg 0.2 ms apart (a kernel worker that runs for an instant
 * does not count, a busy program does); -1 when it cannot be read. */
static long other_runnable(void)
{
	long others = -1;
	for (int i = 0; i < 5 && others != 0; i++) {
		if (i)
			nanosleep(&(struct timespec){0, 200000}, NULL);
		FILE *f = fopen("/proc/loadavg", "r");
		if (!f)
			return -1;
		double l1, l5, l15;
		long running = 1, total;
		int got = fscanf(f, "%lf %lf %lf %ld/%ld", &l1, &l5, &l15,
				 &running, &total);
		fclose(f);
		if (got != 5)
			return -1;
		if (others < 0 || running - 1 < others)
			others = running - 1; /* this one is running */
	}
	return others;
}

/* -O: a list of protocols, each one tapir knows. */
static int check_O(const char *list)
{
	if (!list)
		return 0;
	const char *n = list;
	do {
		size_t k = strcspn(n, ",");
		char name[64] = "";
		if (k < sizeof name)
			memcpy(name, n, k);
		if (k == 0 || k >= sizeof name || !tp_registry_by_name(name)) {
			fprintf(stderr,
				"tapir: -O %s: \"%.*s\" is not a protocol "
				"(tapir -G protocols lists them)\n",
				list, (int)k, n);
			return -1;
		}
		n += k;
	} while (*n++ == ',');
	return 0;
}

/* -G and -D: print and leave. */
static int info_mode(const tp_options *o)
{
	if (!o->G)
		return list_interfaces();
	if (strcmp(o->G, "fields") && strcmp(o->G, "protocols")) {
		fprintf(stderr, "tapir: -G %s: use fields or protocols\n", o->G);
		return EXIT_USAGE;
	}
	print_G(o->G);
	return 0;
}

/* What a run opens, closed by finish_run whatever happened. */
struct run {
	char *iface;
	tp_source *src;
	tp_writer *wr;
	tp_output *out;
	tp_follow *fol;
	tp_follow_many *fols; /* --follow tcp|udp -Y */
	tp_streamset ysel;    /* -Y with --follow/--export-streams */
	FILE *fol_out;
	tp_export *exp;
	tp_stats *stats;
	tp_reporter *rep; /* --tls */
	tp_filter *dfilter; /* -Y */
	tp_engine *eng;
	char err[1024];
};

static int say(struct run *r, int status)
{
	fprintf(stderr, "tapir: %s\n", r->err);
	return status;
}

/* The protocols -d and -O name, and -T fields' output. */
static int open_registry(struct run *r, const tp_options *o)
{
	tp_registry_init();
	for (size_t i = 0; i < o->ndecode_as; i++)
		if (tp_registry_decode_as(o->decode_as[i], r->err,
					  sizeof r->err))
			return say(r, EXIT_USAGE);
	if (check_O(o->out.Oprotos) < 0)
		return EXIT_USAGE;
	if (o->dfilter) {
		tp_filter_err fe;
		if (!(r->dfilter = tp_filter_compile(o->dfilter, &fe))) {
			/* as tshark -Y: the message, the expression, a caret
			 * under the place */
			fprintf(stderr, "tapir: -Y: %s (column %zu)\n    %s\n    ",
				fe.msg, fe.col, o->dfilter);
			for (size_t i = 1; i < fe.col; i++)
				fputc(' ', stderr);
			fputc('^', stderr);
			for (size_t i = 1; i < fe.span; i++)
				fputc('~', stderr);
			fputc('\n', stderr);
			return EXIT_USAGE;
		}
	}
	if (o->mode == TP_MODE_FIELDS &&
	    !(r->out = tp_out_fields_new(stdout, o->efields, o->nefields,
					 r->err, sizeof r->err)))
		return say(r, EXIT_USAGE);
	return 0;
}

/* The source: a file list, a file or an interface, and its filter. */
static int open_source(struct run *r, const tp_options *o)
{
	if (o->file_list || o->read_file) {
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		long others = o->threads || ncpu < 2 ? -1 : other_runnable();
		/* --export-streams' writer thread is busy all the run: it
		 * counts as another program (with a read-ahead thread as
		 * well, three busy threads on two CPUs were slower than
		 * two: 0.130 s against 0.110 s on the bench's slice) */
		if (others >= 0 && o->export_dir)
			others++;
		tp_source_read_thread(tp_ra_default(o->threads, ncpu, others));
	}
	if (o->file_list) {
		r->src = tp_source_open_list(o->file_list, r->err, sizeof r->err);
	} else if (o->read_file) {
		r->src = tp_source_open_file(o->read_file, r->err, sizeof r->err);
	} else {
		r->iface = o->iface ? strdup(o->iface) : default_interface();
		if (!r->iface) {
			fprintf(stderr, "tapir: no interface to capture on "
					"(use -i or -r)\n");
			return EXIT_RUNTIME;
		}
		tp_live_opts lo = {o->snaplen, !o->no_promisc, o->buffer_kib,
				   o->immediate, 0};
		r->src = tp_source_open_live(r->iface, &lo, r->err, sizeof r->err);
	}
	if (!r->src)
		return say(r, EXIT_RUNTIME);
	if (o->filter &&
	    tp_source_set_filter(r->src, o->filter, r->err, sizeof r->err) < 0) {
		fprintf(stderr, "tapir: bad filter expression \"%s\": %s\n",
			o->filter, r->err);
		hint_field_filter(o);
		return EXIT_USAGE;
	}
	return 0;
}

/* -Y with --follow tcp|udp or --export-streams ("grep, then follow"):
 * a first pass over the file finds the streams with a packet the filter
 * keeps; the run proper then follows or exports those, whole.  (One
 * pass could not: the bytes before the matching packet are gone.) */
struct yscan {
	tp_filter *f;
	tp_streamset *set;
};

static int yscan_packet(void *self, const tp_pkt *p)
{
	struct yscan *y = self;
	if (p->flow && tp_filter_match(y->f, p))
		tp_streamset_add(y->set, p->flow->key.proto, p->flow->stream);
	return 0;
}

static int select_streams(struct run *r, tp_options *o)
{
	if (!r->dfilter || !(o->follow || (o->export_dir && !o->export_objects)))
		return 0;
	tp_source *src = o->file_list
				 ? tp_source_open_list(o->file_list, r->err,
						       sizeof r->err)
				 : tp_source_open_file(o->read_file, r->err,
						       sizeof r->err);
	if (!src)
		return say(r, EXIT_RUNTIME);
	if (o->filter &&
	    tp_source_set_filter(src, o->filter, r->err, sizeof r->err) < 0) {
		tp_source_close(src);
		return say(r, EXIT_USAGE);
	}
	/* every field the filter may name, unless it can run lean */
	tp_flowcfg cfg = o->flowcfg;
	bool lean = tp_filter_lean(r->dfilter);
	cfg.bodies = cfg.certs = cfg.unacked = !lean;
	tp_engine_opts eo = {.flowcfg = &cfg, .no_verify = true, .lean = lean,
			     .out_fp = stdout,
			     .input_name = o->read_file ? o->read_file
							: "input"};
	struct yscan ys = {r->dfilter, &r->ysel};
	tp_consumer c = {.packet = yscan_packet, .self = &ys};
	tp_engine *eng = tp_engine_new(src, &eo, r->err, sizeof r->err);
	int status = eng ? 0 : say(r, EXIT_RUNTIME);
	if (eng && tp_engine_add(eng, &c) < 0)
		status = say(r, EXIT_RUNTIME);
	/* (the run proper says what went wrong with the file) */
	while (!status && tp_engine_run(eng, 0) == TP_ENG_MORE)
		;
	tp_engine_free(eng);
	tp_source_close(src);
	if (r->ysel.over)
		fprintf(stderr, "tapir: -Y: streams numbered past %u are not "
				"selected\n",
			TP_STREAMSET_MAX);
	return status;
}

/* -w, --follow, --export-streams, --stats: opened before the sandbox. */
static int open_outputs(struct run *r, const tp_options *o)
{
	if (o->write_file) {
		int lt = tp_source_linktype(r->src); /* the first file's */
		tp_writer_opts wo = {o->write_file, o->pcapng, o->flush_each,
				     o->out.nano, o->rotate_bytes,
				     o->rotate_secs, o->ring,
				     lt >= 0 ? lt : TP_LT_ETHERNET,
				     tp_source_snaplen(r->src)};
		if (!(r->wr = tp_writer_open(&wo, r->err, sizeof r->err)))
			return say(r, EXIT_RUNTIME);
	}
	if (o->follow_out && !(r->fol_out = fopen(o->follow_out, "wb"))) {
		fprintf(stderr, "tapir: %s: %s\n", o->follow_out,
			strerror(errno));
		return EXIT_RUNTIME;
	}
	snprintf(r->err, sizeof r->err, "out of memory");
	if (o->follow && o->follow_spec.any) {
		unsigned left;
		if (!(r->fols = tp_follow_many_new(
			      &o->follow_spec, &r->ysel,
			      r->fol_out ? r->fol_out : stdout,
			      TP_FOLLOW_MANY_MAX, &left)))
			return say(r, EXIT_RUNTIME);
		if (!tp_follow_many_count(r->fols))
			fprintf(stderr, "tapir: no %s stream has a packet -Y "
					"keeps\n",
				o->follow_spec.proto == 6 ? "tcp" : "udp");
		if (left)
			fprintf(stderr, "tapir: -Y keeps packets of %u more "
					"streams than the %u followed: narrow "
					"the filter, or --export-streams\n",
				left, TP_FOLLOW_MANY_MAX);
	} else if (o->follow &&
		   !(r->fol = tp_follow_new(&o->follow_spec,
					    r->fol_out ? r->fol_out : stdout))) {
		return say(r, EXIT_RUNTIME);
	}
	if (o->export_dir &&
	    !(r->exp = o->export_objects
			       ? tp_export_objects_new(o->export_dir, r->err,
						       sizeof r->err)
			       : tp_export_new(o->export_dir, r->err,
					       sizeof r->err)))
		return say(r, EXIT_RUNTIME);
	if (r->exp && r->dfilter && !o->export_objects)
		tp_export_select(r->exp, &r->ysel);
	snprintf(r->err, sizeof r->err, "out of memory");
	if (o->tls &&
	    !(r->rep = tp_reporter_new("tls", o->mode == TP_MODE_JSON,
				       tp_source_is_live(r->src) ||
					       o->out.lflag,
				       stdout)))
		return say(r, EXIT_RUNTIME);
	if (o->stats_kinds &&
	    !(r->stats = tp_stats_new(o->stats_kinds,
				      o->stats_tables ? o->stats_tables
						      : TP_STATS_ALL_TABLES,
				      TP_STATS_MAX_ENTRIES)))
		return say(r, EXIT_RUNTIME);
	return 0;
}

/* -Y: the output gets the records the display filter keeps. */
struct yconsumer {
	tp_filter *f;
	tp_consumer in;
};

static int y_packet(void *self, const tp_pkt *p)
{
	struct yconsumer *y = self;
	return tp_filter_match(y->f, p) ? y->in.packet(y->in.self, p) : 0;
}

static int y_finish(void *self)
{
	struct yconsumer *y = self;
	return y->in.finish ? y->in.finish(y->in.self) : 0;
}

static int y_flush(void *self)
{
	struct yconsumer *y = self;
	return y->in.flush ? y->in.flush(y->in.self) : 0;
}

/* The engine and its consumers: streams and statistics print instead
 * of packets; packets print unless only written (-w without --print). */
static int open_engine(struct run *r, tp_options *o)
{
	bool summaries = r->fol || r->fols || r->exp || r->stats || r->rep;
	bool printing = (!r->wr || o->print) && !summaries;
	snprintf(r->err, sizeof r->err, "out of memory");
	/* -T json / -T ek: the packets (with --tls, its reports) */
	bool json = (o->mode == TP_MODE_JSON || o->mode == TP_MODE_EK) &&
		    !o->tls;
	if (printing && !r->out && json) {
		if (!(r->out = tp_out_json_new(stdout, o->mode == TP_MODE_EK,
					       o->ek_index)))
			return say(r, EXIT_RUNTIME);
	} else if (printing && !r->out) {
		if (!(r->out = tp_out_text_new(stdout, &o->out)))
			return say(r, EXIT_RUNTIME);
	}
	bool live = tp_source_is_live(r->src);
	/* HTTP bodies gathered and decoded only for the outputs that show
	 * them: the one-line run never pays for them */
	o->flowcfg.certs = o->out.Vflag || o->mode == TP_MODE_FIELDS ||
			   o->tls || json;
	o->flowcfg.bodies = o->out.Vflag || o->out.xflag || o->out.Xflag ||
			    o->out.Aflag || o->export_objects || json;
	for (size_t i = 0; o->mode == TP_MODE_FIELDS && i < o->nefields; i++)
		if (strcmp(o->efields[i], "http") == 0 ||
		    strcmp(o->efields[i], "http2") == 0 ||
		    strcmp(o->efields[i], "http.file_data") == 0 ||
		    strncmp(o->efields[i], "http2.body.", 11) == 0)
			o->flowcfg.bodies = true; /* -e http.file_data, -e http,
						   * -e http2.body.* */
	/* tcp.analysis.acks_frame/ack_rtt/bytes_in_flight: per-flow lists
	 * of unacknowledged segments, kept only for an output that can show
	 * them (a filter or -e naming a tcp.analysis field, -V, json) */
	o->flowcfg.unacked = o->out.Vflag || json ||
			     tp_filter_reads(r->dfilter, "tcp.analysis");
	for (size_t i = 0; o->mode == TP_MODE_FIELDS && i < o->nefields; i++)
		if (strstr(o->efields[i], "analysis"))
			o->flowcfg.unacked = true;
	/* only -V, -T fields, json and --stats read TCP's generated
	 * fields; -Y reads the fields it names (a lean record has those of
	 * most filters: tp_filter_lean); with --follow/--export-streams the
	 * filter ran in the first pass (select_streams) */
	bool lean = (o->mode == TP_MODE_TEXT || (o->tls && !json)) &&
		    !o->out.Vflag && !r->stats &&
		    (!r->dfilter || !printing || tp_filter_lean(r->dfilter));
	tp_engine_opts eo = {
		.count = o->count > 0 ? (uint64_t)o->count : 0,
		.writer = r->wr,
		.write_name = o->write_file,
		.progress = r->wr && !o->print && !o->out.qflag && live &&
			    isatty(2),
		.flowcfg = &o->flowcfg,
		/* only -v, -V, -T fields and json show a checksum's status */
		.no_verify = !o->out.vflag && !o->out.Vflag &&
			     o->mode != TP_MODE_FIELDS && !json,
		.lean = lean,
		/* tcpdump's relative TCP numbers: the text's, unless -S */
		.relative_seq = printing && o->mode != TP_MODE_FIELDS && !json &&
				!o->out.Sflag,
		.seq_quoted = o->out.vflag > 0,
		.printer_thread = o->threads >= 3,
		.out_fp = stdout,
		.input_name = o->file_list ? NULL
			      : o->read_file ? o->read_file
					     : "input",
	};
	if (!(r->eng = tp_engine_new(r->src, &eo, r->err, sizeof r->err)))
		return say(r, EXIT_RUNTIME);
	r->wr = NULL; /* the engine closes it */
	tp_consumer c[5];
	unsigned n = 0;
	static struct yconsumer yc;
	if (printing && r->dfilter) { /* (no printer thread: .out unset) */
		yc = (struct yconsumer){r->dfilter, tp_output_consumer(r->out)};
		c[n++] = (tp_consumer){.packet = y_packet, .finish = y_finish,
				       .flush = y_flush, .self = &yc};
	} else if (printing) { /* (-T fields goes with none of -w, --follow ...) */
		c[n++] = tp_output_consumer(r->out);
	}
	if (r->fol)
		c[n++] = tp_follow_consumer(r->fol);
	if (r->fols)
		c[n++] = tp_follow_many_consumer(r->fols);
	if (r->exp)
		c[n++] = tp_export_consumer(r->exp);
	if (r->rep)
		c[n++] = tp_reporter_consumer(r->rep);
	if (r->stats)
		c[n++] = tp_stats_consumer(r->stats, stdout);
	for (unsigned i = 0; i < n; i++)
		if (tp_engine_add(r->eng, &c[i]) < 0)
			return say(r, EXIT_RUNTIME);
	static char obuf[1 << 18];
	setvbuf(stdout, obuf, o->out.lflag ? _IOLBF : _IOFBF, sizeof obuf);
	/* One thread at a time writes stdout (the printer, when there is
	 * one, is drained before this one writes): no lock per fwrite and
	 * ferror, which glibc takes as soon as a second thread exists. */
	__fsetlocking(stdout, FSETLOCKING_BYCALLER);
	return 0;
}

/* Root's files handed to the capture user, root dropped, the sandbox
 * entered: after every file and thread the run needs is open. */
static int confine(struct run *r, const tp_options *o, bool *sandboxed)
{
	tzset(); /* localtime() reads /etc/localtime: before the sandbox */
	tp_x509_init(); /* libcrypto's providers and decoders: before it too */
	tp_resolve_names(o->resolve);
	tp_writer *wr = tp_engine_writer(r->eng);
	/* The first -w file was made as root: hand it to the capture user,
	 * or a -W ring could not open it again when it wraps. */
	uid_t cuid;
	gid_t cgid;
	if (wr && geteuid() == 0 &&
	    tp_capture_user_ids(o->user, &cuid, &cgid) == 0 &&
	    tp_writer_chown(wr, cuid, cgid) < 0) {
		fprintf(stderr, "tapir: %s\n", tp_writer_error(wr));
		return EXIT_RUNTIME;
	}
	/* The same for a directory --export-streams made: the files in it
	 * (index.tsv too) are created after the drop. */
	if (r->exp && geteuid() == 0 && tp_export_created(r->exp) &&
	    tp_capture_user_ids(o->user, &cuid, &cgid) == 0 &&
	    fchown(tp_export_dirfd(r->exp), cuid, cgid) < 0) {
		fprintf(stderr, "tapir: %s: %s\n", o->export_dir,
			strerror(errno));
		return EXIT_RUNTIME;
	}
	if (tp_drop_privileges(o->user, r->err, sizeof r->err) < 0)
		return say(r, EXIT_RUNTIME);
	/* index.tsv as the capture user, like the stream files */
	if (r->exp && tp_export_open_index(r->exp, r->err, sizeof r->err) < 0) {
		fprintf(stderr, "tapir: --export-%s: %s\n",
			o->export_objects ? "objects" : "streams", r->err);
		return EXIT_RUNTIME;
	}
	/* -N needs sockets and files for its lookups: no sandbox then. */
	*sandboxed = false;
	if (!o->no_sandbox && !o->resolve && tp_sandbox_available()) {
		tp_sandbox_opts so = {wr       ? tp_writer_dirfd(wr)
				      : r->exp ? tp_export_dirfd(r->exp)
					       : -1,
				      tp_source_is_live(r->src), true};
		if (tp_sandbox_enter(&so, r->err, sizeof r->err) < 0)
			fprintf(stderr, "tapir: warning: no sandbox: %s\n",
				r->err);
		else
			*sandboxed = true;
	}
	return 0;
}

/* The capture itself, to its end (a signal stops it). */
static int capture(struct run *r)
{
	if (r->iface)
		fprintf(stderr,
			"tapir: listening on %s, link-type %d, snapshot length "
			"%u bytes\n",
			r->iface, tp_source_linktype(r->src),
			tp_source_snaplen(r->src));
	g_engine = r->eng;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	while (tp_engine_run(r->eng, 0) == TP_ENG_MORE)
		;
	int status = tp_engine_finish(r->eng);
	g_engine = NULL;
	return status;
}

static int close_run(struct run *r, tp_options *o, int status)
{
	tp_engine_free(r->eng);
	if (r->wr)
		tp_writer_close(r->wr);
	tp_source_close(r->src);
	if (o->mode == TP_MODE_FIELDS) {
		tp_out_fields_free(r->out);
	} else if ((o->mode == TP_MODE_JSON || o->mode == TP_MODE_EK) &&
		   !o->tls) {
		tp_out_json_free(r->out);
	} else {
		tp_out_text_free(r->out);
	}
	tp_follow_free(r->fol);
	tp_follow_many_free(r->fols);
	tp_streamset_free(&r->ysel);
	tp_export_free(r->exp);
	tp_stats_free(r->stats);
	tp_reporter_free(r->rep);
	tp_filter_free(r->dfilter);
	if (r->fol_out && fclose(r->fol_out) != 0 && status == 0) {
		fprintf(stderr, "tapir: %s: %s\n", o->follow_out,
			strerror(errno));
		status = EXIT_RUNTIME;
	}
	free(r->iface);
	tp_options_free(o);
	if (fflush(stdout) != 0 && status == 0 && errno != EPIPE)
		status = EXIT_RUNTIME;
	return status;
}

int main(int argc, char **argv)
{
	tp_options opt;
	int rc = tp_options_parse(&opt, argc, argv);
	if (rc)
		return rc == 1 ? 0 : EXIT_USAGE;
	if (opt.G || opt.list_ifaces)
		return info_mode(&opt);
	struct run r = {0};
	bool sandboxed = false;
	int status = open_registry(&r, &opt);
	if (!status)
		status = open_source(&r, &opt);
	if (!status)
		status = select_streams(&r, &opt);
	if (!status)
		status = open_outputs(&r, &opt);
	if (!status)
		status = open_engine(&r, &opt);
	if (!status)
		status = confine(&r, &opt, &sandboxed);
	if (!status && opt.selftest) {
		int t = tp_sandbox_selftest(opt.selftest);
		printf("sandbox selftest %s: %s\n", opt.selftest,
		       t == 0 ? "refused" : "allowed");
		fflush(stdout);
		return t == 0 ? 0 : EXIT_RUNTIME;
	}
	if (!status) {
		tp_engine_sandboxed(r.eng, sandboxed);
		status = capture(&r);
	}
	return close_run(&r, &opt, status);
}
