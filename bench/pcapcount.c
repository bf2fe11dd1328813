/* pcapcount.c - the floor of the benchmarks: pcap_loop that only counts packets and bytes.
 *
 * Usage: pcapcount FILE [FILTER]
 * Reads FILE with libpcap (pcap or pcapng), optionally through a BPF
 * FILTER, and prints "PACKETS packets, BYTES bytes".  Nothing is
 * dissected: this is what reading the file costs through libpcap, the
 * floor every tool in bench/run.sh is also measured against.
 * Built by bench/run.sh: cc -O2 -o pcapcount pcapcount.c -lpcap
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct count {
	uint64_t packets;
	uint64_t bytes;
};

static void on_packet(u_char *user, const struct pcap_pkthdr *h,
		      const u_char *data)
{
	struct count *c = (struct count *)user;

	(void)data;
	c->packets++;
	c->bytes += h->caplen;
}

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct count c = { 0, 0 };
	struct bpf_program prog;
	pcap_t *p;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: pcapcount FILE [FILTER]\n");
		return 2;
	}
	p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "pcapcount: %s\n", err);
		return 1;
	}
	if (argc == 3) {
		if (pcap_compile(p, &prog, argv[2], 1, PCAP_NETMASK_UNKNOWN) ||
		    pcap_setfilter(p, &prog)) {
			fprintf(stderr, "pcapcount: %s\n", pcap_geterr(p));
			return 2;
		}
		pcap_freecode(&prog);
	}
	if (pcap_loop(p, -1, on_packet, (u_char *)&c) == -1) {
		fprintf(stderr, "pcapcount: %s\n", pcap_geterr(p));
		return 1;
	}
	printf("%llu packets, %llu bytes\n", (unsigned long long)c.packets,
	       (unsigned long long)c.bytes);
	pcap_close(p);
	return 0;
}
