#!/usr/bin/env python3
"""ab.py - alternating runs of a few commands: median wall and CPU time.

    bench/ab.py ROUNDS FILE 'LABEL=COMMAND ARGS' ...

FILE replaces the word FILE in each command.  Every round runs each
command once, the order reversed every other round (the machine is shared
and noisy: compare commands of one run).  For each command: the median
and smallest wall time, the median and smallest CPU time (user + system
of the process and its threads, from wait4), and the median voluntary
and involuntary context switches (a sleeping thread shows in the first).
Output goes to /dev/null.  Example (issue 14):

    bench/ab.py 7 /tmp/tapir-bench-data/realistic.pcap \\
        'default=./src/tapir -n -r FILE' \\
        't1=./src/tapir -n -r FILE --threads 1' \\
        't2=./src/tapir -n -r FILE --threads 2'
"""
import os
import shlex
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 4 or sys.argv[1] in ("-h", "--help"):
        sys.exit(__doc__)
    rounds, path = int(sys.argv[1]), sys.argv[2]
    cmds = []
    for arg in sys.argv[3:]:
        label, cmd = arg.split("=", 1)
        cmds.append((label, [path if w == "FILE" else w for w in shlex.split(cmd)]))
    res = {label: [] for label, _ in cmds}
    for r in range(rounds):
        for label, cmd in cmds if r % 2 == 0 else cmds[::-1]:
            t0 = time.perf_counter()
            p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            _, _, ru = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t0
            res[label].append((wall, ru.ru_utime + ru.ru_stime,
                               ru.ru_nvcsw, ru.ru_nivcsw))
    width = max(len(label) for label, _ in cmds)
    for label, _ in cmds:
        xs = res[label]
        med = [statistics.median(x[i] for x in xs) for i in range(4)]
        print(f"{label:{width}}  wall {med[0]:7.3f} (min {min(x[0] for x in xs):7.3f})"
              f"  cpu {med[1]:7.3f} (min {min(x[1] for x in xs):7.3f})"
              f"  vcsw {int(med[2])}  ivcsw {int(med[3])}")


if __name__ == "__main__":
    main()
