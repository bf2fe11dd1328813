#!/usr/bin/env python3
"""compare-dns-tshark.py - tapir's DNS fields against tshark's, packet by
packet, on every DNS (and mDNS/LLMNR) packet of the captures given.

    tests/compare-dns-tshark.py [--tapir src/tapir] [--fields F,F...]
                                [--examples N] FILE_OR_DIR...

For each capture, both tools print -T fields for frame.number and the
fields (default: the issue's ten); the rows of the packets tshark calls
dns/mdns/llmnr are compared cell by cell.  Prints per file the packets
compared and those that differ (with examples), then the agreement rate:
packets whose every field agrees / packets compared.  Exit 0 always (a
report, not a test), 2 when tshark is missing.

At 3ec304e0 on pcaps/ and ../shared/corpus (tcpdump/, fq/, retina/: the 40
captures where tshark finds DNS): 203 of 224 packets agree on the ten
default fields (all 150 dns.* fields: 202).  The 21 others:
  14  link layers tapir does not dissect (PKTAP, ARCNET, NFLOG): no DNS
      layer at all (not a DNS difference)
   3  someip1.pcap: SOME/IP on UDP 30490/31490 that tshark's DNS heuristic
      takes for DNS (tshark itself calls it malformed): tshark is wrong
   2  dns_udp_8053.pcap: DNS on port 8053, found by tshark's heuristic;
      tapir (and tcpdump) go by port 53/5353/5355
   1  dns_fwdptr.pcap: a forward compression pointer; tshark follows it,
      tapir stops there (MALFORMED), as the issue asks
   1  rtp-seg-fault-1.pcapng: a 9-byte message whose UDP length claims
      more than the IP datagram; tshark reads header fields past the
      datagram's end, tapir (and tcpdump: "[length 9 < 12]") do not
"""
import argparse
import os
import shutil
import subprocess
import sys

FIELDS = ['dns.id', 'dns.flags.response', 'dns.flags.rcode', 'dns.qry.name',
          'dns.qry.type', 'dns.a', 'dns.aaaa', 'dns.cname', 'dns.resp.ttl',
          'dns.count.answers']
EXTS = ('.pcap', '.pcapng', '.cap', '.pcap.gz', '.pcapng.gz')


def rows(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       timeout=300)
    out = {}
    for line in r.stdout.decode('utf-8', 'replace').split('\n'):
        if not line:
            continue
        cells = line.split('\t')
        out[cells[0]] = cells[1:]
    return out


def files(args):
    for a in args:
        if os.path.isdir(a):
            for root, _, names in sorted(os.walk(a)):
                for n in sorted(names):
                    if n.endswith(EXTS):
                        yield os.path.join(root, n)
        else:
            yield a


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tapir', default='src/tapir')
    ap.add_argument('--fields', default=','.join(FIELDS))
    ap.add_argument('--examples', type=int, default=3)
    ap.add_argument('paths', nargs='+')
    a = ap.parse_args()
    if not shutil.which('tshark'):
        print('compare-dns-tshark: tshark not installed')
        return 2
    fields = a.fields.split(',')
    ef = sum((['-e', f] for f in ['frame.number'] + fields), [])
    total = agree = 0
    for f in files(a.paths):
        dns = rows(['tshark', '-r', f, '-Y', 'dns or mdns or llmnr', '-T',
                    'fields'] + ef)
        if not dns:
            continue
        tap = rows([a.tapir, '-r', f, '-T', 'fields'] + ef)
        bad = []
        for num, want in dns.items():
            got = tap.get(num, [''] * len(fields))
            diff = [(fields[i], got[i] if i < len(got) else '', w)
                    for i, w in enumerate(want)
                    if (got[i] if i < len(got) else '') != w]
            total += 1
            if diff:
                bad.append((num, diff))
            else:
                agree += 1
        print(f'{f}: {len(dns)} DNS packets, {len(bad)} differ')
        for num, diff in bad[:a.examples]:
            for name, g, w in diff:
                print(f'    frame {num} {name}: tapir "{g[:60]}" '
                      f'tshark "{w[:60]}"')
    rate = 100.0 * agree / total if total else 100.0
    print(f'agreement: {agree}/{total} packets ({rate:.1f}%)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
