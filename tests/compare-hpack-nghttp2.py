#!/usr/bin/env python3
"""compare-hpack-nghttp2.py - dissectors/hpack.c against libnghttp2's
deflater (a manual check, not in make check: it needs libnghttp2.so.14,
the runtime library, and a C compiler).

Header lists are encoded by nghttp2_hd_deflate_hd (ctypes) on one
deflater, and decoded block after block by a small program built from
dissectors/hpack.c on one table: 400 random lists (indexed and not,
bytes 0-255 in values, long values, evictions), then every byte 0-255
inside a Huffman-coded value and name.  Every header must come back
byte for byte, every block with status 0.
    tests/compare-hpack-nghttp2.py [SRCDIR]
"""
import ctypes, os, random, struct, subprocess, sys, tempfile

src = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)) + '/..'
DEC = r'''
#include <stdio.h>
#include "hpack.h"
static void cb(void *ctx, const hpack_header *h)
{
	(void)ctx;
	printf("%zu:", h->name_len);
	fwrite(h->name, 1, h->name_len, stdout);
	printf(" %zu:", h->value_len);
	fwrite(h->value, 1, h->value_len, stdout);
	printf("\n");
}
int main(void)
{
	hpack_table t;
	hpack_table_init(&t, 4096);
	unsigned char len[4];
	static unsigned char buf[1 << 20];
	while (fread(len, 1, 4, stdin) == 4) {
		size_t n = (size_t)len[0] << 24 | len[1] << 16 | len[2] << 8 | len[3];
		if (n > sizeof buf || fread(buf, 1, n, stdin) != n)
			return 2;
		printf("END %d\n", hpack_decode(&t, buf, n, cb, NULL, NULL, NULL));
	}
	hpack_table_free(&t);
	return 0;
}
'''

class NV(ctypes.Structure):
    _fields_ = [('name', ctypes.c_char_p), ('value', ctypes.c_char_p),
                ('namelen', ctypes.c_size_t), ('valuelen', ctypes.c_size_t),
                ('flags', ctypes.c_uint8)]

def main():
    lib = ctypes.CDLL('libnghttp2.so.14')
    lib.nghttp2_hd_deflate_hd.restype = ctypes.c_ssize_t
    tmp = tempfile.mkdtemp()
    prog = os.path.join(tmp, 'dec')
    with open(prog + '.c', 'w') as f:
        f.write(DEC)
    subprocess.run([os.environ.get('CC', 'cc'), '-std=c11', '-pthread', '-D_GNU_SOURCE',
                    '-I' + src + '/dissectors', '-I' + src + '/include', prog + '.c',
                    src + '/dissectors/hpack.c', '-o', prog], check=True)
    d = ctypes.c_void_p()
    assert lib.nghttp2_hd_deflate_new(ctypes.byref(d), ctypes.c_size_t(4096)) == 0
    rnd = random.Random(7)
    names = [b':method', b':path', b'user-agent', b'cookie', b'x-custom', b'accept', b'date']
    lists = []
    for _ in range(400):
        hs = []
        for _ in range(rnd.randint(1, 12)):
            nm = rnd.choice(names) if rnd.random() < 0.5 else bytes(
                rnd.choice(b'abcdefghijklmnopqrstuvwxyz-0123456789') for _ in range(rnd.randint(1, 20)))
            v = bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 60))) if rnd.random() < 0.5 else \
                rnd.choice([b'GET', b'/index.html', b'text/html', b'x' * rnd.randint(0, 300)])
            hs.append((nm, v, rnd.choice([0, 1])))
        lists.append(hs)
    for sym in range(256):  # each byte in a value Huffman codes shorter
        lists.append([(b'x-sym', b'a' * 40 + bytes([sym]) + b'eee', 1), (b'k' + bytes([sym]), b'v', 1)])
    out, expect = b'', []
    for hs in lists:
        arr = (NV * len(hs))(*[NV(n, v, len(n), len(v), fl) for n, v, fl in hs])
        buf = ctypes.create_string_buffer(65536)
        r = lib.nghttp2_hd_deflate_hd(d, buf, 65536, arr, len(hs))
        assert r >= 0, r
        out += struct.pack('>I', r) + buf.raw[:r]
        expect += [b'%d:%s %d:%s' % (len(n), n, len(v), v) for n, v, _ in hs] + [b'END 0']
    got = subprocess.run([prog], input=out, capture_output=True, check=True).stdout
    want = b'\n'.join(expect) + b'\n'
    same = sum(a == b for a, b in zip(got.split(b'\n'), want.split(b'\n')))
    print('hpack vs nghttp2: %d blocks, %d bytes, %d of %d lines equal' %
          (len(lists), len(out), same, len(want.split(b'\n'))))
    return 0 if got == want else 1

sys.exit(main())
