#!/usr/bin/env python3
"""compare-tcpdump.py - tapir's one-line output against tcpdump's, line by line.

For every capture given and every BPF filter given (default: none, plus a
few that drop the handshakes), runs
    tcpdump -nn -r FILE [-S] FILTER
    tapir   -n  -r FILE [-S] FILTER
and compares the lines pairwise.  For a TCP line the comparison ends at
tcpdump's `length N` (what tcpdump prints after it is the application
printer's: the protocol issues' business); `--all` compares whole lines
of every packet.  Prints the counts, the first differing lines, and exits
1 when any compared line differs (0 when tcpdump is not installed).

    tests/compare-tcpdump.py [--tapir src/tapir] [--filter F]... [--all]
                             [--examples N] FILE...
"""
import argparse
import re
import shutil
import subprocess
import sys

TCP = re.compile(r'^(.*?: Flags \[[^\]]*\].*?, length \d+)')
DEFAULT_FILTERS = ['', 'tcp', 'tcp[tcpflags] & tcp-syn == 0',
                   'tcp and not tcp[tcpflags] & tcp-ack != 0 and src portrange 1024-65535',
                   'ip6 and tcp']


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return r.stdout.decode('utf-8', 'replace').split('\n'), r.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tapir', default='src/tapir')
    ap.add_argument('--filter', action='append')
    ap.add_argument('--all', action='store_true')
    ap.add_argument('-S', action='store_true')
    ap.add_argument('--examples', type=int, default=5)
    ap.add_argument('files', nargs='+')
    a = ap.parse_args()
    if not shutil.which('tcpdump'):
        print('compare-tcpdump: tcpdump not installed, nothing compared')
        return 0
    filters = a.filter if a.filter else DEFAULT_FILTERS
    total = bad = tcp_lines = 0
    for f in a.files:
        for flt in filters:
            extra = ['-S'] if a.S else []
            fa = [flt] if flt else []
            t, trc = run(['tcpdump', '-nn', '-r', f] + extra + fa)
            p, _ = run([a.tapir, '-n', '-r', f] + extra + fa)
            # tcpdump stops at damage, and refuses pcapng files whose
            # interfaces have different link types: compare what it
            # printed
            if trc == 0 and len(t) != len(p):
                print(f'{f} [{flt}]: {len(t)} tcpdump lines, {len(p)} tapir lines')
                bad += 1
            shown = 0
            nbad = 0
            for i, (x, y) in enumerate(zip(t, p)):
                m = TCP.match(x)
                if m:
                    tcp_lines += 1
                    x = m.group(1)
                    # tapir's line holds tcpdump's up to `length N`,
                    # then ends or goes on with ": " or " " (never "0")
                    if y.startswith(x) and (len(y) == len(x) or
                                            y[len(x)] in ': '):
                        y = x
                elif not a.all:
                    continue
                total += 1
                if x != y:
                    nbad += 1
                    if shown < a.examples:
                        print(f'{f} [{flt}] line {i + 1}:\n  tcpdump: {x}\n  tapir:   {y}')
                        shown += 1
            bad += nbad
            print(f'{f} [{flt or "no filter"}]: {len(t) - 1} lines, {nbad} differ')
    print(f'compare-tcpdump: {total} lines compared ({tcp_lines} TCP), {bad} differ')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
