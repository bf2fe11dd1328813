#!/usr/bin/env python3
"""compare-x509.py - the X.509 fields tapir shares with Wireshark, packet
by packet against tshark's -T fields on the same captures (default: the
TLS captures in pcaps/ and the corpus), and ours (x509.*: fingerprint,
key size, signature algorithm) against `openssl x509 -text` on each
certificate tshark extracts.  Prints the agreement per field;
exit 1 on any difference.

    tests/compare-x509.py [-v] [PCAP...]
"""
import glob
import os
import shutil
import subprocess
import sys

FIELDS = """x509af.version x509af.serialNumber x509af.algorithm.id x509af.issuer
x509af.subject x509if.rdnSequence x509af.rdnSequence x509if.RDNSequence_item
x509if.oid x509sat.DirectoryString x509sat.uTF8String x509sat.printableString
x509sat.CountryName x509sat.IA5String x509af.notBefore x509af.notAfter
x509af.utcTime x509af.generalizedTime x509af.subjectPublicKey x509af.extensions x509af.extension.id
x509af.critical x509ce.GeneralNames x509ce.GeneralName x509ce.dNSName
x509ce.IPAddress.ipv4 x509ce.IPAddress.ipv6 x509ce.rfc822Name
x509ce.uniformResourceIdentifier x509af.encrypted
x509ce.CRLDistPointsSyntax x509ce.distributionPoint x509ce.fullName
pkix1implicit.AuthorityInfoAccessSyntax pkix1implicit.accessMethod
pkix1implicit.accessLocation""".split()


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True,
                         errors="replace").stdout
    return [line.split("\t") for line in out.splitlines()]


OURS = ["x509.fingerprint.sha256", "x509.public_key.bits",
        "x509.signature_algorithm"]


def openssl_says(der_hex):
    """The fingerprint, key size and signature algorithm openssl's
    x509 -text prints for one certificate."""
    out = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout",
                          "-text", "-fingerprint", "-sha256"],
                         input=bytes.fromhex(der_hex), capture_output=True
                         ).stdout.decode(errors="replace")
    fp = bits = sig = ""
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("sha256 Fingerprint="):
            fp = line.split("=", 1)[1].replace(":", "").lower()
        elif "Public-Key: (" in line:
            bits = line.split("(")[1].split()[0]
        elif line.startswith("Signature Algorithm:") and not sig:
            sig = line.split(":", 1)[1].strip()
    return [fp, bits, sig]


def main():
    top = os.environ.get("top_srcdir", ".")
    tapir = os.path.join(os.environ.get("top_builddir", "."), "src/tapir")
    args = sys.argv[1:]
    verbose = "-v" in args
    pcaps = [a for a in args if a != "-v"]
    if not shutil.which("tshark"):
        print("SKIP: no tshark")
        return 77
    if not pcaps:
        pcaps = sorted(glob.glob(f"{top}/pcaps/tls-*.pcap"))
        for pat in ("retina/tls*.pcap", "fq/tls_*.pcap", "fq/*tls*.pcapng"):
            pcaps += sorted(glob.glob(f"{top}/../shared/corpus/{pat}"))
    same = dict.fromkeys(FIELDS + OURS, 0)
    diff = dict.fromkeys(FIELDS + OURS, 0)
    ef = [a for f in FIELDS for a in ("-e", f)]

    def tally(where, f, who, want, got):
        if want == got:
            same[f] += 1
            return
        diff[f] += 1
        if verbose:
            print(f"{where} {f}: {who} <{want[:120]}> tapir <{got[:120]}>")

    for pcap in pcaps:
        t = run(["tshark", "-r", pcap, "-T", "fields", "-E", "occurrence=a",
                 "-E", "separator=/t", "-E", "aggregator=,"] + ef)
        a = run([tapir, "-r", pcap, "-T", "fields"] + ef)
        if len(t) != len(a):
            print(f"{pcap}: {len(t)} packets in tshark, {len(a)} in tapir")
            diff[FIELDS[0]] += 1
            continue
        for n, (tl, al) in enumerate(zip(t, a)):
            for i, f in enumerate(FIELDS):
                tv = tl[i] if i < len(tl) else ""
                av = al[i] if i < len(al) else ""
                if tv or av:
                    tally(f"{pcap} #{n + 1}", f, "tshark", tv, av)
        # ours against openssl's text, certificate by certificate
        if not shutil.which("openssl"):
            continue
        t = run(["tshark", "-r", pcap, "-T", "fields", "-E", "occurrence=a",
                 "-E", "aggregator=,", "-e", "tls.handshake.certificate"])
        a = run([tapir, "-r", pcap, "-T", "fields"] +
                [x for f in OURS for x in ("-e", f)])
        for n, (tl, al) in enumerate(zip(t, a)):
            if not tl[0]:
                continue
            want = [openssl_says(c) for c in tl[0].split(",")]
            for i, f in enumerate(OURS):
                tv = [w[i] for w in want]
                av = (al[i] if i < len(al) else "").split(",")
                # openssl's text gives no size for Ed25519/Ed448 keys:
                # those are not compared
                if len(av) == len(tv):
                    av = [a for a, t in zip(av, tv) if t]
                tv, av = ",".join(t for t in tv if t), ",".join(av)
                tally(f"{pcap} #{n + 1}", f, "openssl", tv, av)
    for f in FIELDS + OURS:
        if same[f] + diff[f]:
            print(f"{f:34} {same[f]:5} agree {diff[f]:5} differ")
    s, d = sum(same.values()), sum(diff.values())
    print(f"x509 fields: {s} packet values agree, {d} differ "
          f"({len(pcaps)} captures)")
    return 1 if d else 0


if __name__ == "__main__":
    sys.exit(main())
