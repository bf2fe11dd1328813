/* options.c - tcpdump's flags where tcpdump has one, tshark's where only
 * tshark has one, long options for the rest.
 *
 * One clash: tcpdump's -e (print the link header) and tshark's -e FIELD.
 * tapir reads -e as tshark does when -T fields is on the command line,
 * and as tcpdump does otherwise, so command lines of both carry over.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tapir/options.h"
#include "tapir/stats.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

void tp_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: tapir [-AenNqStvVxX#] [-c count] [-r file | -i interface]\n"
		"             [-s snaplen] [-T text|json|ek|fields [-e field]... [-E opt]...]\n"
		"             [-d rule]\n"
		"             [-F file] [-G fields|protocols] [-w file [--pcapng] [-U]\n"
		"             [--print] [-C MB] [-G seconds] [-W count]] [-Z user]\n"
		"             [--no-sandbox] [expression]\n"
		"\n"
		"  -r FILE       read packets from FILE (pcap, pcapng, gzip; - is stdin)\n"
		"  --file-list FILE   read the capture files FILE names, one a\n"
		"                line, in turn (tcpdump's -V FILE; - is stdin)\n"
		"  -i IFACE      capture live on IFACE\n"
		"  -D            list the interfaces that can be captured on\n"
		"  -c N          stop after N packets\n"
		"  -s SNAPLEN    bytes to capture per packet (live)\n"
		"  -p            do not put the interface in promiscuous mode\n"
		"  -B KIB        capture buffer size (live)\n"
		"  -n            do not resolve addresses (the default; accepted)\n"
		"  -N            resolve addresses to host names\n"
		"  -e            print the link-level header on each line\n"
		"  -q            quieter one-line output\n"
		"  -S            absolute TCP sequence numbers\n"
		"  -t -tt -ttt -tttt -ttttt   timestamp formats, as tcpdump\n"
		"  --time-stamp-precision=micro|nano, --nano (= nano)\n"
		"  -v -vv -vvv   tcpdump's verbose text\n"
		"  -V            print the detail tree: every layer and field\n"
		"  -O PROTO,...  the detail tree of these protocols only\n"
		"  -x -xx        hex dump (without / with the link header)\n"
		"  -X -XX        hex and ASCII dump\n"
		"  -A            ASCII dump\n"
		"  -l            line-buffered output\n"
		"  -#            print the packet number first\n"
		"  -T fields -e FIELD ...   selected fields, as tshark\n"
		"  -E header=y|n, separator=/t|/s|C, occurrence=f|l|a|N,\n"
		"     aggregator=,|/s|C, quote=d|s|n, bom=y|n   (with -T fields)\n"
		"  -Y FILTER     display filter, Wireshark's syntax (e.g.\n"
		"                'ip.addr == 10.0.0.0/8 and tcp.port in {80 443}')\n"
		"  -T json       every packet as one JSON object per line\n"
		"  -T ek         Elasticsearch/OpenSearch bulk format (an index\n"
		"                action line, then the packet's document)\n"
		"  --ek-index NAME   the index -T ek names (default\n"
		"                packets-YYYY-MM-DD, the packet's date)\n"
		"  -d TABLE==VALUE,PROTO    decode as (e.g. udp.port==5555,data)\n"
		"  -F FILE       read the capture filter expression from FILE\n"
		"  -w FILE       write packets to FILE (- is standard output)\n"
		"  --pcapng      write pcapng instead of pcap\n"
		"  -U            flush the -w file after every packet\n"
		"  --print       print packets while writing them with -w\n"
		"  -C MB         start a new -w file past MB million bytes\n"
		"  -G SECONDS    start a new -w file every SECONDS (strftime name)\n"
		"  -W N          with -C: a ring of N files; with -G: stop after N\n"
		"  -Z USER       drop root to USER (default tapir, else nobody)\n"
		"  --no-sandbox  do not enter the seccomp sandbox\n"
		"  -G fields     list every field; -G protocols lists protocols\n"
		"\n"
		"Streams and statistics (these print instead of the packets):\n"
		"  --follow tcp.stream==N | udp.stream==N | tcp,A:P,B:P\n"
		"                print one conversation, reassembled\n"
		"  --follow tcp|udp -Y FILTER  every stream with a packet\n"
		"                FILTER keeps (--export-streams takes -Y too)\n"
		"  --follow-format ascii|hex|raw|hexraw   (default ascii)\n"
		"  --direction client|server|both         (default both)\n"
		"  --follow-out FILE   write the followed bytes to FILE\n"
		"  --export-streams DIR  every stream direction as a file\n"
		"  --export-objects http,DIR  every HTTP body seen whole,\n"
		"                decoded, as a file, and DIR/index.tsv\n"
		"  --tls         one summary per TLS connection: SNI, ALPN,\n"
		"                versions, cipher, group, resumption, certificates,\n"
		"                JA4/JA3/JA3S, duration and outcome (-T json: one\n"
		"                JSON object per line)\n"
		"  --stats conv[,TYPE] | endpoints[,TYPE] | phs | dns | http\n"
		"                TYPE: eth, ip, ipv6, tcp, udp\n"
		"  -z conv,tcp | endpoints,ip | io,phs | follow,tcp,ascii,N\n"
		"                tshark's statistics forms\n"
		"  --no-defrag   do not reassemble IP fragments\n"
		"  --threads 1|2|3  reading a file: 2 reads it ahead on a second\n"
		"                thread (the default when two CPUs are free),\n"
		"                3 also prints on a third\n"
		"  --no-reassembly  track flows, reassemble no TCP streams\n"
		"  --max-flows N, --flow-timeout SECS, --reasm-dir-cap SIZE,\n"
		"  --reasm-mem-cap SIZE   the caps on flow state (see tapir(1))\n"
		"  -h, --help    this text;  --version  the version\n"
		"\n"
		"Exit status: 0 ok, 1 runtime error, 2 usage error, 3 damaged input.\n");
}

/* After a usage error: one line pointing at the help, not the 60 lines
 * of it (as git and tshark 4 do). */
void tp_usage_hint(FILE *fp)
{
	fputs("tapir: see 'tapir --help' for the options, "
	      "'man tapir' for the details\n", fp);
}

static bool fields_mode(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-Tfields") == 0)
			return true;
		if (strcmp(argv[i], "-T") == 0 && i + 1 < argc &&
		    strcmp(argv[i + 1], "fields") == 0)
			return true;
	}
	return false;
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "tapir: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	tp_usage_hint(stderr);
	return 2;
}

static bool parse_num(const char *s, long long lo, long long hi,
		      long long *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static char *read_filter_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *b = malloc(cap);
	int ch;
	while (b && (ch = fgetc(f)) != EOF) {
		if (n + 1 >= cap) {
			if (cap >= (1u << 20))
				break;
			char *nb = realloc(b, cap *= 2);
			if (!nb) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
		}
		/* '#' comments to end of line, as tcpdump -F */
		if (ch == '#') {
			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
			ch = ' ';
		}
		b[n++] = (char)(ch == '\n' ? ' ' : ch);
	}
	fclose(f);
	if (b)
		b[n] = '\0';
	return b;
}

enum {
	OPT_VERSION = 256,
	OPT_TSPREC,
	OPT_IMMEDIATE,
	OPT_PCAPNG,
	OPT_PRINT,
	OPT_NO_SANDBOX,
	OPT_SELFTEST,
	OPT_STATS,
	OPT_FOLLOW,
	OPT_FOLLOW_FMT,
	OPT_DIRECTION,
	OPT_FOLLOW_OUT,
	OPT_EXPORT,
	OPT_EXPORT_OBJ,
	OPT_NO_DEFRAG,
	OPT_NO_REASM,
	OPT_THREADS,
	OPT_MAX_FLOWS,
	OPT_FLOW_TIMEOUT,
	OPT_DIR_CAP,
	OPT_MEM_CAP,
	OPT_NANO,
	OPT_FILE_LIST,
	OPT_TLS,
	OPT_EK_INDEX,
};

/* -C: millions of bytes as tcpdump, with an optional k / m / g suffix
 * (kilo-, mega-, gigabytes of 1024). */
static bool parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (end == s || v == 0 || v > (1ull << 40))
		return false;
	switch (*end) {
	case '\0':
		*out = v * 1000000ull;
		return true;
	case 'k':
	case 'K':
		*out = v * 1024ull;
		break;
	case 'm':
	case 'M':
		*out = v * 1024ull * 1024;
		break;
	case 'g':
	case 'G':
		*out = v * 1024ull * 1024 * 1024;
		break;
	default:
		return false;
	}
	return end[1] == '\0';
}

/* What the options say beyond tp_options, while they are read. */
struct parse {
	bool fm;          /* -T fields: -e names a field */
	int tcount;       /* -t given this often */
	tp_fieldfmt fieldfmt;
	bool has_E;
};

enum { NOT_MINE = -1 };

static int unknown_option(const char *optstr, char **argv)
{
	if (optopt && strchr(optstr, optopt))
		return usage_error("option -%s needs an argument",
				   (char[]){(char)optopt, 0});
	if (optopt)
		return usage_error("unknown option -%s",
				   (char[]){(char)optopt, 0});
	return usage_error("unknown option %s", argv[optind - 1]);
}

/* Where packets come from and go (-r -i -w ...).  0, a usage error's status (2), 1 after --help or
 * --version, or NOT_MINE. */
static int opt_capture(tp_options *o, struct parse *ps, int ch, const char *arg)
{
	(void)ps;
	long long v;
	switch (ch) {
	case 'B':
		if (!parse_num(arg, 1, 1 << 22, &v))
			return usage_error("invalid buffer size %s",
					   arg);
		o->buffer_kib = (int)v;
		break;
	case 'c':
		if (!parse_num(arg, 1, (long long)1 << 62, &v))
			return usage_error("invalid packet count %s",
					   arg);
		o->count = v;
		break;
	case 'Y':
		if (o->dfilter)
			return usage_error("-Y: one display filter (join "
					   "expressions with and/or)%s",
					   "");
		o->dfilter = arg;
		break;
	case 'd':
		if (o->ndecode_as == TP_MAX_D)
			return usage_error("too many -d rules%s", "");
		o->decode_as[o->ndecode_as++] = arg;
		break;
	case 'D':
		o->list_ifaces = true;
		break;
	case 'F':
		o->filter_file = arg;
		break;
	case 'G':
		if (arg[0] >= '0' && arg[0] <= '9') {
			if (!parse_num(arg, 1, 1 << 30, &v))
				return usage_error("invalid -G "
						   "seconds %s",
						   arg);
			o->rotate_secs = (unsigned)v;
		} else {
			o->G = arg;
		}
		break;
	case 'C':
		if (!parse_size(arg, &o->rotate_bytes))
			return usage_error("invalid -C file size %s",
					   arg);
		break;
	case 'W':
		if (!parse_num(arg, 1, 1 << 20, &v))
			return usage_error("invalid -W file count %s",
					   arg);
		o->ring = (unsigned)v;
		break;
	case 'w':
		o->write_file = arg;
		break;
	case 'U':
		o->flush_each = true;
		break;
	case 'Z':
		o->user = arg;
		break;
	case 'i':
		o->iface = arg;
		break;
	case 'N':
		o->resolve = true;
		break;
	case 'p':
		o->no_promisc = true;
		break;
	case 'r':
		o->read_file = arg;
		break;
	case 's':
		if (!parse_num(arg, 0, 262144, &v))
			return usage_error("invalid snaplen %s",
					   arg);
		o->snaplen = (int)v;
		break;
	case OPT_FILE_LIST:
		o->file_list = arg;
		break;
	case OPT_IMMEDIATE:
		o->immediate = true;
		break;
	case OPT_PCAPNG:
		o->pcapng = true;
		break;
	case OPT_PRINT:
		o->print = true;
		break;
	case OPT_NO_SANDBOX:
		o->no_sandbox = true;
		break;
	case OPT_SELFTEST:
		o->selftest = arg;
		break;
	default:
		return NOT_MINE;
	}
	return 0;
}

/* How packets are printed (-v -x -t -T -e ...).  0, a usage error's status (2), 1 after --help or
 * --version, or NOT_MINE. */
static int opt_output(tp_options *o, struct parse *ps, int ch, const char *arg)
{
	switch (ch) {
	case 'A':
		o->out.Aflag++;
		break;
	case 'e':
		if (ps->fm) {
			if (o->nefields == TP_MAX_E)
				return usage_error("too many -e "
						   "fields%s",
						   "");
			o->efields[o->nefields++] = arg;
		} else {
			o->out.eflag = true;
		}
		break;
	case 'E':
		if (tp_fieldfmt_set(&ps->fieldfmt, arg))
			return usage_error(
				"-E %s: expected header=y|n, "
				"separator=/t|/s|CHAR, "
				"occurrence=f|l|a|N, "
				"aggregator=,|/s|CHAR, quote=d|s|n or "
				"bom=y|n",
				arg);
		ps->has_E = true;
		break;
	case 'h':
		tp_usage(stdout);
		return 1;
	case 'l':
		o->out.lflag = true;
		break;
	case 'n':
		break;
	case 'q':
		o->out.qflag = true;
		break;
	case 'S':
		o->out.Sflag = true;
		break;
	case 't':
		ps->tcount++;
		break;
	case 'T':
		if (strcmp(arg, "fields") == 0)
			o->mode = TP_MODE_FIELDS;
		else if (strcmp(arg, "text") == 0)
			o->mode = TP_MODE_TEXT;
		else if (strcmp(arg, "json") == 0)
			o->mode = TP_MODE_JSON;
		else if (strcmp(arg, "ek") == 0)
			o->mode = TP_MODE_EK;
		else
			return usage_error(
				"-T %s: supported: text, fields, json, ek",
				arg);
		break;
	case 'v':
		o->out.vflag++;
		break;
	case 'V':
		o->out.Vflag = true;
		break;
	case 'O':
		/* tshark: -O implies -V */
		o->out.Oprotos = arg;
		o->out.Vflag = true;
		break;
	case 'x':
		o->out.xflag++;
		break;
	case 'X':
		o->out.Xflag++;
		break;
	case '#':
		o->out.numbers = true;
		break;
	case OPT_VERSION:
		printf("tapir %s\n", PACKAGE_VERSION);
		return 1;
	case OPT_TSPREC:
		if (strcmp(arg, "nano") == 0 ||
		    strcmp(arg, "nanoseconds") == 0)
			o->out.nano = true;
		else if (strcmp(arg, "micro") != 0 &&
			 strcmp(arg, "microseconds") != 0)
			return usage_error(
				"--time-stamp-precision %s: use micro "
				"or nano",
				arg);
		break;
	case OPT_NANO:
		o->out.nano = true;
		break;
	default:
		return NOT_MINE;
	}
	return 0;
}

/* Flows, streams and statistics (--follow --stats ...).  0, a usage error's status (2), 1 after --help or
 * --version, or NOT_MINE. */
static int opt_streams(tp_options *o, struct parse *ps, int ch, const char *arg)
{
	(void)ps;
	long long v;
	switch (ch) {
	case 'z':
		if (strncmp(arg, "follow,", 7) == 0) {
			if (tp_follow_parse_z(arg, &o->follow_spec))
				return usage_error(
					"-z %s: expected follow,tcp|udp,"
					"ascii|hex|raw,STREAM",
					arg);
			o->follow = true;
		} else if (tp_stats_parse(arg, &o->stats_kinds,
					  &o->stats_tables)) {
			return usage_error("-z %s: supported: conv,TYPE "
					   "endpoints,TYPE io,phs "
					   "follow,...",
					   arg);
		}
		break;
	case OPT_STATS:
		if (tp_stats_parse(arg, &o->stats_kinds,
				   &o->stats_tables))
			return usage_error("--stats %s: supported: conv, "
					   "endpoints, phs (conv,tcp ...), dns, http, "
					   "http2, tls",
					   arg);
		break;
	case OPT_FOLLOW: {
		tp_follow_fmt fmt_seen = o->follow_spec.fmt;
		tp_follow_dir dir_seen = o->follow_spec.dir;
		if (tp_follow_parse(arg, &o->follow_spec))
			return usage_error("--follow %s: expected "
					   "tcp.stream==N, udp.stream==N "
					   "or tcp,ADDR:PORT,ADDR:PORT",
					   arg);
		o->follow_spec.fmt = fmt_seen;
		o->follow_spec.dir = dir_seen;
		o->follow = true;
		break;
	}
	case OPT_FOLLOW_FMT:
		if (tp_follow_parse_fmt(arg, &o->follow_spec.fmt))
			return usage_error("--follow-format %s: ascii, "
					   "hex, raw or hexraw",
					   arg);
		break;
	case OPT_DIRECTION:
		if (strcmp(arg, "both") == 0)
			o->follow_spec.dir = TP_DIR_BOTH;
		else if (strcmp(arg, "client") == 0)
			o->follow_spec.dir = TP_DIR_CLIENT;
		else if (strcmp(arg, "server") == 0)
			o->follow_spec.dir = TP_DIR_SERVER;
		else
			return usage_error("--direction %s: client, "
					   "server or both",
					   arg);
		break;
	case OPT_FOLLOW_OUT:
		o->follow_out = arg;
		break;
	case OPT_EXPORT:
	case OPT_EXPORT_OBJ:
		if (o->export_dir)
			return usage_error("--export-streams and "
					   "--export-objects: one of them, "
					   "once%s",
					   "");
		if (ch == OPT_EXPORT_OBJ) {
			if (strncmp(arg, "http,", 5) != 0 || !arg[5])
				return usage_error("--export-objects %s: "
						   "http,DIR",
						   arg);
			arg += 5;
			o->export_objects = true;
		}
		o->export_dir = arg;
		break;
	case OPT_EK_INDEX:
		o->ek_index = arg;
		break;
	case OPT_TLS:
		o->tls = true;
		break;
	case OPT_NO_DEFRAG:
		o->flowcfg.no_defrag = true;
		break;
	case OPT_NO_REASM:
		o->flowcfg.no_reassembly = true;
		break;
	case OPT_THREADS:
		if (!parse_num(arg, 1, 3, &v))
			return usage_error("--threads takes 1, 2 or 3, not %s",
					   arg);
		o->threads = (unsigned)v;
		break;
	case OPT_MAX_FLOWS:
		if (!parse_num(arg, 16, 1 << 26, &v))
			return usage_error("--max-flows %s: 16 to 67108864",
					   arg);
		o->flowcfg.max_flows = (unsigned)v;
		break;
	case OPT_FLOW_TIMEOUT:
		if (!parse_num(arg, 1, 1 << 30, &v))
			return usage_error("--flow-timeout %s: seconds",
					   arg);
		o->flowcfg.idle_timeout = (unsigned)v;
		break;
	case OPT_DIR_CAP:
	case OPT_MEM_CAP: {
		uint64_t b;
		if (!parse_size(arg, &b) || b > ((uint64_t)1 << 34))
			return usage_error("%s: a size such as 4m or 512k",
					   arg);
		if (ch == OPT_DIR_CAP)
			o->flowcfg.reasm_dir_cap = (size_t)b;
		else
			o->flowcfg.reasm_mem_cap = (size_t)b;
		break;
	}
	default:
		return NOT_MINE;
	}
	return 0;
}

/* After the last option: -t's count, and the options that do not go
 * together. */
static int settle(tp_options *o, struct parse *ps)
{
	static const tp_tsfmt ts[] = {TP_TS_DEFAULT, TP_TS_NONE, TP_TS_EPOCH,
				      TP_TS_DELTA, TP_TS_DATE,
				      TP_TS_SINCE_FIRST};
	if (ps->tcount > 5)
		ps->tcount = 5;
	o->out.ts = ts[ps->tcount];
	if (o->file_list && (o->read_file || o->iface))
		return usage_error("--file-list and -r or -i: pick one%s", "");
	if (o->mode == TP_MODE_FIELDS && o->nefields == 0)
		return usage_error("-T fields needs at least one -e FIELD%s",
				   "");
	if (o->mode != TP_MODE_FIELDS && o->nefields)
		return usage_error("-e FIELD needs -T fields%s", "");
	if (o->mode != TP_MODE_FIELDS && ps->has_E)
		return usage_error("-E goes with -T fields%s", "");
	tp_fields_set_default(&ps->fieldfmt);
	if (!o->write_file && (o->rotate_bytes || o->rotate_secs || o->ring ||
				o->pcapng || o->print || o->flush_each))
		return usage_error("-C, -G, -W, -U, --pcapng and --print go "
				   "with -w FILE%s",
				   "");
	if (o->ring && !o->rotate_bytes && !o->rotate_secs)
		return usage_error("-W needs -C or -G%s", "");
	if (o->write_file && strcmp(o->write_file, "-") == 0 && o->print)
		return usage_error("--print with -w -: both would go to "
				   "standard output%s",
				   "");
	if ((o->follow_out || o->follow_spec.fmt || o->follow_spec.dir) &&
	    !o->follow)
		return usage_error("--follow-format, --direction and "
				   "--follow-out go with --follow%s",
				   "");
	if (o->follow && o->follow_spec.any && !o->dfilter)
		return usage_error("--follow tcp|udp follows the streams -Y "
				   "selects: give -Y FILTER, or a stream "
				   "(tcp.stream==N)%s",
				   "");
	if (o->dfilter && o->follow && !o->follow_spec.any)
		return usage_error("-Y and --follow STREAM: pick one (--follow "
				   "tcp -Y FILTER follows every stream with a "
				   "packet FILTER keeps)%s",
				   "");
	if (o->dfilter && (o->follow || (o->export_dir && !o->export_objects)) &&
	    !o->read_file && !o->file_list)
		return usage_error("-Y with --follow/--export-streams reads "
				   "the capture twice: it needs -r FILE%s",
				   "");
	if (o->dfilter && o->export_objects)
		return usage_error("-Y and --export-objects: not together yet "
				   "(--export-streams takes -Y)%s",
				   "");
	if (o->write_file && (o->follow || o->export_dir || o->stats_kinds))
		return usage_error("-w and --follow/--stats/--export-*: "
				   "pick one%s",
				   "");
	if (o->write_file && o->mode == TP_MODE_FIELDS)
		return usage_error("-T fields and -w: pick one%s", "");
	if (o->ek_index && o->mode != TP_MODE_EK)
		return usage_error("--ek-index goes with -T ek%s", "");
	if (o->tls && o->mode == TP_MODE_EK)
		return usage_error("--tls reports as -T json, not -T ek%s", "");
	if ((o->mode == TP_MODE_JSON || o->mode == TP_MODE_EK) && !o->tls &&
	    (o->write_file || o->out.vflag || o->out.Vflag || o->out.xflag ||
	     o->out.Xflag || o->out.Aflag))
		return usage_error("-T json/ek and -w/-v/-V/-x/-X/-A: pick "
				   "one%s",
				   "");
	if (o->tls && (o->mode == TP_MODE_FIELDS || o->follow ||
		       o->export_dir || o->write_file))
		return usage_error("--tls and -T fields/--follow/--export-*/"
				   "-w: pick one%s",
				   "");
	return 0;
}

/* The filter: from -F's file, or the words after the options. */
static int filter_words(tp_options *o, int argc, char **argv)
{
	if (o->filter_file) {
		o->filter = read_filter_file(o->filter_file);
		if (!o->filter) {
			fprintf(stderr, "tapir: cannot read filter file %s\n",
				o->filter_file);
			return 2;
		}
	} else if (optind < argc) {
		size_t len = 1;
		for (int i = optind; i < argc; i++)
			len += strlen(argv[i]) + 1;
		o->filter = calloc(1, len);
		if (!o->filter)
			return 2;
		size_t at = 0;
		for (int i = optind; i < argc; i++) {
			size_t n = strlen(argv[i]);
			if (i > optind)
				o->filter[at++] = ' ';
			memcpy(o->filter + at, argv[i], n);
			at += n;
		}
	}
	return 0;
}

int tp_options_parse(tp_options *o, int argc, char **argv)
{
	memset(o, 0, sizeof *o);
	bool fm = fields_mode(argc, argv);
	/* -G is tcpdump's rotation when a number follows, tshark's field
	 * listing otherwise (-G fields, -G protocols). */
	const char *optstr =
		fm ? "AB:c:C:d:DE:F:G:hi:lnNO:pqr:s:StT:UvVW:w:xX#Y:Z:e:z:"
		   : "AB:c:C:d:DeF:G:hi:lnNO:pqr:s:StT:UvVW:w:xX#Y:Z:z:";
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		{"time-stamp-precision", required_argument, NULL, OPT_TSPREC},
		{"nano", no_argument, NULL, OPT_NANO},
		{"file-list", required_argument, NULL, OPT_FILE_LIST},
		{"immediate-mode", no_argument, NULL, OPT_IMMEDIATE},
		{"interface", required_argument, NULL, 'i'},
		{"list-interfaces", no_argument, NULL, 'D'},
		{"pcapng", no_argument, NULL, OPT_PCAPNG},
		{"print", no_argument, NULL, OPT_PRINT},
		{"no-sandbox", no_argument, NULL, OPT_NO_SANDBOX},
		{"sandbox-selftest", required_argument, NULL, OPT_SELFTEST},
		{"stats", required_argument, NULL, OPT_STATS},
		{"follow", required_argument, NULL, OPT_FOLLOW},
		{"follow-format", required_argument, NULL, OPT_FOLLOW_FMT},
		{"direction", required_argument, NULL, OPT_DIRECTION},
		{"follow-out", required_argument, NULL, OPT_FOLLOW_OUT},
		{"export-streams", required_argument, NULL, OPT_EXPORT},
		{"export-objects", required_argument, NULL, OPT_EXPORT_OBJ},
		{"tls", no_argument, NULL, OPT_TLS},
		{"ek-index", required_argument, NULL, OPT_EK_INDEX},
		{"no-defrag", no_argument, NULL, OPT_NO_DEFRAG},
		{"no-reassembly", no_argument, NULL, OPT_NO_REASM},
		{"threads", required_argument, NULL, OPT_THREADS},
		{"max-flows", required_argument, NULL, OPT_MAX_FLOWS},
		{"flow-timeout", required_argument, NULL, OPT_FLOW_TIMEOUT},
		{"reasm-dir-cap", required_argument, NULL, OPT_DIR_CAP},
		{"reasm-mem-cap", required_argument, NULL, OPT_MEM_CAP},
		{"relinquish-privileges", required_argument, NULL, 'Z'},
		{NULL, 0, NULL, 0},
	};
	int ch;
	struct parse ps = {.fm = fm};
	tp_fieldfmt_init(&ps.fieldfmt);
	/* Options may follow the filter expression, as with tcpdump
	 * (glibc's getopt permutes). */
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, optstr, longopts, NULL)) != -1) {
		int r = opt_capture(o, &ps, ch, optarg);
		if (r == NOT_MINE)
			r = opt_output(o, &ps, ch, optarg);
		if (r == NOT_MINE)
			r = opt_streams(o, &ps, ch, optarg);
		if (r == NOT_MINE)
			return unknown_option(optstr, argv);
		if (r)
			return r;
	}
	int r = settle(o, &ps);
	return r ? r : filter_words(o, argc, argv);
}

void tp_options_free(tp_options *o) { free(o->filter); }
