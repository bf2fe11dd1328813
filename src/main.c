/* main.c - open the source, pick the output, run the loop, exit codes.
 *
 * Exit status: 0 success; 1 runtime error (cannot open, permission);
 * 2 usage error (bad option or filter); 3 damaged input (everything
 * readable before the damage was printed first).
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tapir/capture.h"
#include "tapir/options.h"
#include "tapir/output.h"
#include "tapir/pipeline.h"
#include "tapir/registry.h"

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

	tp_source *src;
	if (opt.read_file) {
		src = tp_source_open_file(opt.read_file, err, sizeof err);
	} else {
		const char *iface = opt.iface;
		char ebuf[PCAP_ERRBUF_SIZE];
		pcap_if_t *all = NULL;
		if (!iface) {
			if (pcap_findalldevs(&all, ebuf) == 0 && all)
				iface = all->name;
		}
		if (!iface) {
			fprintf(stderr, "tapir: no interface to capture on "
					"(use -i or -r)\n");
			return EXIT_RUNTIME;
		}
		tp_live_opts lo = {opt.snaplen, !opt.no_promisc,
				   opt.buffer_kib, opt.immediate, 100};
		src = tp_source_open_live(iface, &lo, err, sizeof err);
		if (src && !opt.read_file)
			fprintf(stderr, "tapir: listening on %s\n", iface);
		if (all)
			pcap_freealldevs(all);
	}
	if (!src) {
		fprintf(stderr, "tapir: %s\n", err);
		tp_options_free(&opt);
		return EXIT_RUNTIME;
	}
	if (opt.filter &&
	    tp_source_set_filter(src, opt.filter, err, sizeof err) < 0) {
		fprintf(stderr, "tapir: bad filter expression \"%s\": %s\n",
			opt.filter, err);
		tp_source_close(src);
		tp_options_free(&opt);
		return EXIT_USAGE;
	}
	tp_resolve_names(opt.resolve);
	if (!out) {
		opt.out.seqtab = opt.out.Sflag ? NULL : tp_seqtab_new();
		out = tp_out_text_new(stdout, &opt.out);
	}
	tp_pkt *p = tp_pkt_new();
	if (!out || !p) {
		fprintf(stderr, "tapir: out of memory\n");
		return EXIT_RUNTIME;
	}
	static char obuf[1 << 18];
	setvbuf(stdout, obuf, opt.out.lflag ? _IOLBF : _IOFBF, sizeof obuf);

	g_src = src;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	uint64_t n = 0;
	int status = 0;
	for (;;) {
		if (opt.count && n >= (uint64_t)opt.count)
			break;
		tp_pkthdr h;
		const uint8_t *data;
		tp_rd r = tp_source_next(src, &h, &data);
		if (r == TP_RD_AGAIN)
			continue;
		if (r == TP_RD_EOF)
			break;
		if (r == TP_RD_DAMAGED) {
			fflush(stdout);
			fprintf(stderr,
				"tapir: %s: damaged at packet %llu, byte offset "
				"%llu: %s\n",
				!opt.read_file ? "input"
				: strcmp(opt.read_file, "-") == 0 ? "standard input"
								  : opt.read_file,
				(unsigned long long)n + 1,
				(unsigned long long)tp_source_offset(src),
				tp_source_error(src));
			status = EXIT_DAMAGED;
			break;
		}
		if (r == TP_RD_ERROR) {
			fflush(stdout);
			fprintf(stderr, "tapir: %s\n", tp_source_error(src));
			status = EXIT_RUNTIME;
			break;
		}
		tp_dissect(p, ++n, &h, data);
		out->packet(out, p);
		if (ferror(stdout) && errno == EPIPE)
			break;
	}
	out->finish(out);
	g_src = NULL;
	tp_source_close(src);
	if (opt.mode == TP_MODE_FIELDS)
		tp_out_fields_free(out);
	else {
		tp_seqtab_free(opt.out.seqtab);
		tp_out_text_free(out);
	}
	tp_pkt_free(p);
	tp_options_free(&opt);
	if (fflush(stdout) != 0 && status == 0 && errno != EPIPE)
		status = EXIT_RUNTIME;
	return status;
}
