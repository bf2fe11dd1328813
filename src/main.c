/* main.c - open the source, pick the output, run the loop, exit codes.
 *
 * Order of set-up: open the source and the -w file, read the time zone,
 * drop root, enter the sandbox; only then read the first packet.
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
#include "tapir/flow.h"
#include "tapir/follow.h"
#include "tapir/options.h"
#include "tapir/output.h"
#include "tapir/pipeline.h"
#include "tapir/printer.h"
#include "tapir/readahead.h"
#include "tapir/registry.h"
#include "tapir/sandbox.h"
#include "tapir/stats.h"
#include "tapir/writer.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2, EXIT_DAMAGED = 3 };

static tp_source *volatile g_src;

static void on_signal(int sig)
{
	(void)sig;
	if (g_src)
		tp_source_breakloop(g_src);
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

static void plural(const char *what, int64_t n)
{
	fprintf(stderr, "%lld packet%s %s\n", (long long)n, n == 1 ? "" : "s",
		what);
}

/* tcpdump's totals, on standard error, when a live capture ends.  Under
 * the sandbox libpcap cannot read the interface's sysfs drop counters
 * and computes garbage from the failure, so that line is left out. */
static void print_totals(tp_source *src, uint64_t captured, bool sandboxed)
{
	tp_capstats st;
	tp_source_stats(src, &st);
	plural("captured", (int64_t)captured);
	if (st.received >= 0)
		plural("received by filter", st.received);
	if (st.dropped >= 0)
		plural("dropped by kernel", st.dropped);
	if (st.ifdropped > 0 && !sandboxed)
		plural("dropped by interface", st.ifdropped);
}

/* The write-only fast path of live capture: the writer is called from
 * inside pcap_dispatch, as tcpdump's pcap_loop + pcap_dump. */
struct write_ctx {
	tp_writer *wr;
	uint64_t *n;
	long long count;
	bool done, failed;
};

static int write_one(void *user, const tp_pkthdr *h, const uint8_t *data)
{
	struct write_ctx *c = user;
	int rc = tp_writer_write(c->wr, h, data);
	if (rc == 1) { /* -G with -W: all files made */
		c->done = true;
		return 1;
	}
	if (rc < 0) {
		c->failed = true;
		return 1;
	}
	(*c->n)++;
	return c->count && *c->n >= (uint64_t)c->count;
}

/* One line on a terminal while writing without printing. */
static void progress(tp_source *src, tp_writer *w, bool final)
{
	tp_capstats st;
	tp_source_stats(src, &st);
	fprintf(stderr, "\r%llu packets written, %u files",
		(unsigned long long)tp_writer_packets(w), tp_writer_files(w));
	if (st.dropped >= 0)
		fprintf(stderr, ", %lld dropped by kernel", (long long)st.dropped);
	fprintf(stderr, final ? "\n" : "   ");
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

int main(int argc, char **argv)
{
	tp_options opt;
	int rc = tp_options_parse(&opt, argc, argv);
	if (rc == 1)
		return 0;
	if (rc)
		return EXIT_USAGE;
	char err[1024];
	if (opt.G) {
		if (strcmp(opt.G, "fields") && strcmp(opt.G, "protocols")) {
			fprintf(stderr, "tapir: -G %s: use fields or protocols\n",
				opt.G);
			return EXIT_USAGE;
		}
		print_G(opt.G);
		return 0;
	}
	if (opt.list_ifaces)
		return list_interfaces();
	tp_registry_init();
	for (size_t i = 0; i < opt.ndecode_as; i++)
		if (tp_registry_decode_as(opt.decode_as[i], err, sizeof err)) {
			fprintf(stderr, "tapir: %s\n", err);
			return EXIT_USAGE;
		}
	if (check_O(opt.out.Oprotos) < 0)
		return EXIT_USAGE;

	tp_output *out = NULL;
	if (opt.mode == TP_MODE_FIELDS) {
		out = tp_out_fields_new(stdout, opt.efields, opt.nefields, err,
					sizeof err);
		if (!out) {
			fprintf(stderr, "tapir: %s\n", err);
			tp_options_free(&opt);
			return EXIT_USAGE;
		}
	}

	/* ---- the source ---- */
	tp_source *src;
	char *iface = NULL;
	if (opt.file_list || opt.read_file) {
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		tp_source_read_thread(tp_ra_default(
			opt.threads, ncpu,
			opt.threads || ncpu < 2 ? -1 : other_runnable()));
	}
	if (opt.file_list) {
		src = tp_source_open_list(opt.file_list, err, sizeof err);
	} else if (opt.read_file) {
		src = tp_source_open_file(opt.read_file, err, sizeof err);
	} else {
		iface = opt.iface ? strdup(opt.iface) : default_interface();
		if (!iface) {
			fprintf(stderr, "tapir: no interface to capture on "
					"(use -i or -r)\n");
			return EXIT_RUNTIME;
		}
		tp_live_opts lo = {opt.snaplen, !opt.no_promisc,
				   opt.buffer_kib, opt.immediate, 0};
		src = tp_source_open_live(iface, &lo, err, sizeof err);
	}
	if (!src) {
		fprintf(stderr, "tapir: %s\n", err);
		if (out)
			tp_out_fields_free(out);
		free(iface);
		tp_options_free(&opt);
		return EXIT_RUNTIME;
	}
	if (opt.filter &&
	    tp_source_set_filter(src, opt.filter, err, sizeof err) < 0) {
		fprintf(stderr, "tapir: bad filter expression \"%s\": %s\n",
			opt.filter, err);
		hint_field_filter(&opt);
		tp_source_close(src);
		if (out)
			tp_out_fields_free(out);
		free(iface);
		tp_options_free(&opt);
		return EXIT_USAGE;
	}

	/* ---- the -w file ---- */
	tp_writer *wr = NULL;
	int wr_linktype = tp_source_linktype(src); /* the first file's */
	if (opt.write_file) {
		int lt = wr_linktype;
		tp_writer_opts wo = {opt.write_file, opt.pcapng, opt.flush_each,
				     opt.out.nano, opt.rotate_bytes,
				     opt.rotate_secs, opt.ring,
				     lt >= 0 ? lt : TP_LT_ETHERNET,
				     tp_source_snaplen(src)};
		wr = tp_writer_open(&wo, err, sizeof err);
		if (!wr) {
			fprintf(stderr, "tapir: %s\n", err);
			tp_source_close(src);
			free(iface);
			tp_options_free(&opt);
			return EXIT_RUNTIME;
		}
	}
	/* ---- streams and statistics: these print instead of packets ---- */
	bool summaries = opt.follow || opt.export_dir || opt.stats_kinds;
	tp_follow *fol = NULL;
	tp_export *exp = NULL;
	tp_stats *stats = NULL;
	FILE *fol_out = stdout;
	if (opt.follow_out) {
		fol_out = fopen(opt.follow_out, "wb");
		if (!fol_out) {
			fprintf(stderr, "tapir: %s: %s\n", opt.follow_out,
				strerror(errno));
			return EXIT_RUNTIME;
		}
	}
	if (opt.follow && !(fol = tp_follow_new(&opt.follow_spec, fol_out))) {
		fprintf(stderr, "tapir: out of memory\n");
		return EXIT_RUNTIME;
	}
	if (opt.export_dir &&
	    !(exp = tp_export_new(opt.export_dir, err, sizeof err))) {
		fprintf(stderr, "tapir: %s\n", err);
		return EXIT_RUNTIME;
	}
	if (opt.stats_kinds &&
	    !(stats = tp_stats_new(opt.stats_kinds,
				   opt.stats_tables ? opt.stats_tables
						    : TP_STATS_ALL_TABLES,
				   TP_STATS_MAX_ENTRIES))) {
		fprintf(stderr, "tapir: out of memory\n");
		return EXIT_RUNTIME;
	}
	bool printing = (!wr || opt.print) && !summaries;
	bool dissecting = printing || summaries;
	/* Flows, reassembly and defragmentation whenever packets are
	 * dissected (the write-only path never dissects). */
	tp_session *sess = NULL;
	if (dissecting) {
		sess = tp_session_new(&opt.flowcfg);
		if (!sess) {
			fprintf(stderr, "tapir: out of memory\n");
			return EXIT_RUNTIME;
		}
		if (fol)
			sess->taps[sess->ntaps++] = tp_follow_tap(fol);
		if (exp)
			sess->taps[sess->ntaps++] = tp_export_tap(exp);
	}
	if (printing && !out) {
		opt.out.seqtab = opt.out.Sflag ? NULL : tp_seqtab_new();
		out = tp_out_text_new(stdout, &opt.out);
	}
	tp_pkt *p = tp_pkt_new();
	if ((printing && !out) || !p) {
		fprintf(stderr, "tapir: out of memory\n");
		return EXIT_RUNTIME;
	}
	p->sess = sess;
	/* only -v, -V and -T fields show a checksum's status */
	p->no_verify = !opt.out.vflag && !opt.out.Vflag &&
		       opt.mode != TP_MODE_FIELDS;
	/* Reading a file with --threads 3: the output on a thread of its own
	 * (printer.h).  Not by default: on a 2-CPU machine it costs more
	 * CPU than it saves time (doc/ARCHITECTURE.md, Threads).  Live
	 * captures stay on one (the packets come at the network's pace). */
	tp_printer *pr = NULL;
	if (opt.threads >= 3 && printing && out && !tp_source_is_live(src))
		pr = tp_printer_new(out, stdout, p);
	static char obuf[1 << 18];
	setvbuf(stdout, obuf, opt.out.lflag ? _IOLBF : _IOFBF, sizeof obuf);
	/* One thread at a time writes stdout (the printer, when there is
	 * one, is drained before this one writes): no lock per fwrite and
	 * ferror, which glibc takes as soon as a second thread exists. */
	__fsetlocking(stdout, FSETLOCKING_BYCALLER);

	/* ---- privileges and the sandbox ---- */
	tzset(); /* localtime() reads /etc/localtime: before the sandbox */
	tp_resolve_names(opt.resolve);
	/* The first -w file was made as root: hand it to the capture user,
	 * or a -W ring could not open it again when it wraps. */
	uid_t cuid;
	gid_t cgid;
	if (wr && geteuid() == 0 &&
	    tp_capture_user_ids(opt.user, &cuid, &cgid) == 0 &&
	    tp_writer_chown(wr, cuid, cgid) < 0) {
		fprintf(stderr, "tapir: %s\n", tp_writer_error(wr));
		return EXIT_RUNTIME;
	}
	/* The same for a directory --export-streams made: the files in it
	 * (index.tsv too) are created after the drop. */
	if (exp && geteuid() == 0 && tp_export_created(exp) &&
	    tp_capture_user_ids(opt.user, &cuid, &cgid) == 0 &&
	    fchown(tp_export_dirfd(exp), cuid, cgid) < 0) {
		fprintf(stderr, "tapir: %s: %s\n", opt.export_dir,
			strerror(errno));
		return EXIT_RUNTIME;
	}
	if (tp_drop_privileges(opt.user, err, sizeof err) < 0) {
		fprintf(stderr, "tapir: %s\n", err);
		return EXIT_RUNTIME;
	}
	/* index.tsv as the capture user, like the stream files */
	if (exp && tp_export_open_index(exp, err, sizeof err) < 0) {
		fprintf(stderr, "tapir: --export-streams: %s\n", err);
		return EXIT_RUNTIME;
	}
	/* -N needs sockets and files for its lookups: no sandbox then. */
	bool sandboxed = false;
	if (!opt.no_sandbox && !opt.resolve && tp_sandbox_available()) {
		tp_sandbox_opts so = {wr    ? tp_writer_dirfd(wr)
				      : exp ? tp_export_dirfd(exp)
					    : -1,
				      tp_source_is_live(src), true};
		if (tp_sandbox_enter(&so, err, sizeof err) < 0)
			fprintf(stderr, "tapir: warning: no sandbox: %s\n", err);
		else
			sandboxed = true;
	}
	if (opt.selftest) {
		int r = tp_sandbox_selftest(opt.selftest);
		printf("sandbox selftest %s: %s\n", opt.selftest,
		       r == 0 ? "refused" : "allowed");
		fflush(stdout);
		return r == 0 ? 0 : EXIT_RUNTIME;
	}
	if (iface)
		fprintf(stderr,
			"tapir: listening on %s, link-type %d, snapshot length "
			"%u bytes\n",
			iface, tp_source_linktype(src), tp_source_snaplen(src));

	g_src = src;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* ---- the loop ---- */
	bool show_progress = wr && !opt.print && !opt.out.qflag &&
			     tp_source_is_live(src) && isatty(2);
	time_t last_progress = 0;
	uint64_t n = 0, other_linktype = 0;
	int status = 0;
	/* Live capture to a file without printing: tcpdump's fast path.
	 * Everything else reads one packet at a time below. */
	bool write_only = wr && !printing && tp_source_is_live(src);
	if (write_only) {
		struct write_ctx c = {wr, &n, opt.count, false, false};
		while (!c.done && !(opt.count && n >= (uint64_t)opt.count)) {
			int r = tp_source_dispatch(src, -1, write_one, &c);
			if (show_progress && time(NULL) != last_progress) {
				last_progress = time(NULL);
				progress(src, wr, false);
			}
			if (c.failed) {
				fprintf(stderr, "tapir: %s\n", tp_writer_error(wr));
				status = EXIT_RUNTIME;
				break;
			}
			if (r == TP_RD_ERROR) {
				fprintf(stderr, "tapir: %s\n",
					tp_source_error(src));
				status = EXIT_RUNTIME;
				break;
			}
			if (r == TP_RD_EOF)
				break;
		}
	}
	while (!write_only) {
		if (opt.count && n >= (uint64_t)opt.count)
			break;
		tp_pkthdr h;
		const uint8_t *data;
		tp_rd r = tp_source_next(src, &h, &data);
		if (show_progress) {
			time_t now = time(NULL);
			if (now != last_progress) {
				last_progress = now;
				progress(src, wr, false);
			}
		}
		if (r == TP_RD_AGAIN)
			continue;
		if (r == TP_RD_EOF)
			break;
		if (r == TP_RD_DAMAGED) {
			if (pr)
				tp_printer_drain(pr);
			fflush(stdout);
			fprintf(stderr,
				"tapir: %s: damaged at packet %llu, byte offset "
				"%llu: %s\n",
				opt.file_list ? tp_source_name(src)
				: !opt.read_file ? "input"
				: strcmp(opt.read_file, "-") == 0
					? "standard input"
					: opt.read_file,
				(unsigned long long)n + 1,
				(unsigned long long)tp_source_offset(src),
				tp_source_error(src));
			status = EXIT_DAMAGED;
			break;
		}
		if (r == TP_RD_ERROR) {
			if (pr)
				tp_printer_drain(pr);
			fflush(stdout);
			fprintf(stderr, "tapir: %s\n", tp_source_error(src));
			status = EXIT_RUNTIME;
			break;
		}
		n++;
		if (wr) {
			int wrc = 0;
			if (h.linktype == wr_linktype)
				wrc = tp_writer_write(wr, &h, data);
			else
				other_linktype++;
			if (wrc == 1)
				break; /* -G with -W: the files are all made */
			if (wrc < 0) {
				fprintf(stderr, "tapir: %s\n",
					tp_writer_error(wr));
				status = EXIT_RUNTIME;
				break;
			}
		}
		if (dissecting && pr) {
			uint8_t *copy;
			tp_pkt *sp = tp_printer_slot(pr, h.caplen, &copy);
			if (!sp) { /* the output failed, or no memory */
				if (!tp_printer_failed(pr)) {
					tp_printer_drain(pr);
					fflush(stdout);
					fprintf(stderr, "tapir: out of memory\n");
					status = EXIT_RUNTIME;
				}
				break;
			}
			memcpy(copy, data, h.caplen);
			tp_dissect(sp, n, &h, copy);
			if (stats)
				tp_stats_packet(stats, sp);
			tp_printer_push(pr);
		} else if (dissecting) {
			tp_dissect(p, n, &h, data);
			if (stats)
				tp_stats_packet(stats, p);
			if (printing)
				out->packet(out, p);
			if (ferror(stdout) && errno == EPIPE)
				break;
		}
	}
	if (pr) { /* every packet printed before anything else is */
		tp_printer_free(pr);
		pr = NULL;
	}
	/* the end of the capture ends every stream: held bytes and gaps go
	 * to the taps, then the summaries print */
	if (sess)
		tp_session_finish(sess);
	if (fol && tp_follow_finish(fol) < 0 && status == 0)
		status = EXIT_RUNTIME;
	if (exp && tp_export_finish(exp, err, sizeof err) < 0) {
		fprintf(stderr, "tapir: %s\n", err);
		if (status == 0)
			status = EXIT_RUNTIME;
	}
	if (stats)
		tp_stats_print(stats, stdout);
	char wbuf[160];
	if (src && tp_source_warning(src, wbuf, sizeof wbuf))
		fprintf(stderr, "tapir: %s: %s\n", tp_source_name(src), wbuf);
	if (sess && (sess->evicted || sess->mem.peak >= sess->mem.cap))
		fprintf(stderr,
			"tapir: flow caps reached: %llu flows evicted at "
			"--max-flows %u, reassembly memory peak %zu of %zu "
			"bytes\n",
			(unsigned long long)sess->evicted, sess->cfg.max_flows,
			sess->mem.peak, sess->mem.cap);

	/* ---- stop: flush and close everything, then the totals ---- */
	g_src = NULL;
	if (out)
		out->finish(out);
	if (wr) {
		if (show_progress)
			progress(src, wr, true);
		/* close frees the writer: its error is asked for with NULL
		 * (the message names the file) */
		if (tp_writer_close(wr) < 0 && status == 0) {
			fprintf(stderr, "tapir: %s\n", tp_writer_error(NULL));
			status = EXIT_RUNTIME;
		}
		if (other_linktype)
			fprintf(stderr,
				"tapir: %llu packets of other link types were "
				"not written to %s\n",
				(unsigned long long)other_linktype,
				opt.write_file);
	}
	if (tp_source_is_live(src))
		print_totals(src, n, sandboxed);
	tp_source_close(src);
	if (opt.mode == TP_MODE_FIELDS)
		tp_out_fields_free(out);
	else if (out) {
		if (tp_seqtab_full(opt.out.seqtab))
			fprintf(stderr,
				"tapir: more than %u TCP connections: the "
				"sequence numbers of later ones are printed "
				"absolute\n",
				TP_SEQTAB_MAX);
		tp_seqtab_free(opt.out.seqtab);
		tp_out_text_free(out);
	}
	tp_pkt_free(p);
	tp_session_free(sess);
	tp_follow_free(fol);
	tp_export_free(exp);
	tp_stats_free(stats);
	if (fol_out != stdout && fclose(fol_out) != 0 && status == 0) {
		fprintf(stderr, "tapir: %s: %s\n", opt.follow_out,
			strerror(errno));
		status = EXIT_RUNTIME;
	}
	free(iface);
	tp_options_free(&opt);
	if (fflush(stdout) != 0 && status == 0 && errno != EPIPE)
		status = EXIT_RUNTIME;
	return status;
}
