#!/usr/bin/env python3
"""nfspeer.py — a scripted (and, on request, hostile) ONC RPC peer for the NFS client tests.

  nfspeer.py --bind 192.0.2.3 --port 111 --file DATA --mode MODE
  nfspeer.py --seeds DIR        (write fuzz seeds for tests/fuzz/fuzz_nfs and exit)
  nfspeer.py --client-seeds DIR (the same for tests/fuzz/fuzz_nfs_client)

One TCP port serves PORTMAP v2 (GETPORT answers this same port for MOUNT v3 and NFS v3),
MOUNT v3 (export "/export"; MNT of anything else is MNT3ERR_NOENT) and NFSv3 (the export
holds one regular file, "file", whose bytes are DATA; FSINFO rtmax = --rsize).  Modes say
how READ is answered:
  ok        correct data, but replies to pipelined READs go out in reverse order and every
            third reply is short (half the bytes, eof false): the client must reorder by XID
            and ask again for the rest
  garbage   a record of random bytes
  short     a record mark promising 200 bytes, 20 bytes, then close
  oversized a record mark promising 0x7fffffff bytes
  stall     no answer at all (connection kept open)
  badxid    a well-formed reply with an XID the client never used
  eofearly  eof=true at half the file
  bigcount  more bytes than asked
  auth      (MNT) denied, AUTH_ERROR AUTH_TOOWEAK
Prints "listening" when ready.  Written from RFC 5531, RFC 1833 and RFC 1813.
"""
import argparse
import os
import random
import socket
import struct
import threading

PMAP, MOUNT, NFS = 100000, 100005, 100003


def u32(*v):
    return b"".join(struct.pack(">I", x & 0xffffffff) for x in v)


def u64(v):
    return struct.pack(">Q", v)


def opaque(b):
    return u32(len(b)) + b + b"\0" * ((4 - len(b) % 4) % 4)


def fattr(ftype, size):
    return (u32(ftype, 0o644, 1, 0, 0) + u64(size) + u64(size) + u32(0, 0) + u64(7) + u64(99) +
            u32(0, 0, 0, 0, 0, 0))


def accepted(xid, body=b"", stat=0):
    return u32(xid, 1, 0, 0, 0, stat) + body


def record(msg):
    return u32(0x80000000 | len(msg)) + msg


class Dec:
    def __init__(self, b):
        self.b, self.o = b, 0

    def u32(self):
        v = struct.unpack(">I", self.b[self.o:self.o + 4])[0]
        self.o += 4
        return v

    def u64(self):
        return self.u32() << 32 | self.u32()

    def opaque(self):
        n = self.u32()
        v = self.b[self.o:self.o + n]
        self.o += n + (4 - n % 4) % 4
        return v


ROOT, FILE = b"ROOT-HANDLE", b"FILE-HANDLE"


class Peer:
    def __init__(self, data, mode, rsize, port):
        self.data, self.mode, self.rsize, self.port = data, mode, rsize, port
        self.reads = 0

    def answer(self, rec):
        """Reply bytes (records, or raw hostile bytes) for one call record; None: no answer."""
        d = Dec(rec)
        xid, mtype, rpcvers, prog, vers, proc = (d.u32() for _ in range(6))
        d.u32(), d.opaque(), d.u32(), d.opaque()   # credentials, verifier
        if prog == PMAP:
            return record(accepted(xid, u32(self.port)))
        if prog == MOUNT:
            if proc == 1:
                if self.mode == "auth":
                    return record(u32(xid, 1, 1, 1, 5))
                path = d.opaque()
                if path != b"/export":
                    return record(accepted(xid, u32(2)))
                return record(accepted(xid, u32(0) + opaque(ROOT) + u32(1, 1)))
            return record(accepted(xid))
        fh = d.opaque()
        if proc == 19:      # FSINFO
            return record(accepted(xid, u32(0, 0) + u32(self.rsize, self.rsize, 4096, self.rsize,
                                                       self.rsize, 4096, 4096) +
                                   u64(1 << 40) + u32(0, 1, 0x1b)))
        if proc == 3:       # LOOKUP
            name = d.opaque()
            if fh == ROOT and name == b"file":
                return record(accepted(xid, u32(0) + opaque(FILE) + u32(1) +
                                       fattr(1, len(self.data)) + u32(0)))
            return record(accepted(xid, u32(2, 0)))
        if proc == 1:       # GETATTR
            return record(accepted(xid, u32(0) + fattr(1 if fh == FILE else 2, len(self.data))))
        if proc == 6:       # READ
            off, count = d.u64(), d.u32()
            self.reads += 1
            m = self.mode
            if m == "garbage":
                g = bytes(random.getrandbits(8) for _ in range(64))
                return record(g)
            if m == "short":
                return u32(0x80000000 | 200) + b"x" * 20 + b"CLOSE"
            if m == "oversized":
                return u32(0xffffffff) + b"y" * 1000
            if m == "stall":
                return None
            if m == "badxid":
                xid += 1000
            chunk = self.data[off:off + count]
            if m == "ok" and self.reads % 3 == 0 and len(chunk) > 1:
                chunk = chunk[:len(chunk) // 2]
            eof = off + len(chunk) >= len(self.data)
            if m == "eofearly" and off + len(chunk) >= len(self.data) // 2:
                chunk = self.data[off:max(off, len(self.data) // 2)]
                eof = True
            if m == "bigcount":
                chunk = self.data[off:off + count + 8]
            return record(accepted(xid, u32(0, 0) + u32(len(chunk), 1 if eof else 0) +
                                   opaque(chunk)))
        return record(accepted(xid, stat=3))


def serve(conn, peer):
    buf = b""
    pending = []
    try:
        while True:
            conn.settimeout(0.05 if pending else None)
            try:
                more = conn.recv(65536)
            except socket.timeout:
                more = None
            if more == b"":
                return
            if more:
                buf += more
            while len(buf) >= 4:
                n = struct.unpack(">I", buf[:4])[0] & 0x7fffffff
                if len(buf) < 4 + n:
                    break
                rec, buf = buf[4:4 + n], buf[4 + n:]
                pending.append(peer.answer(rec))
            if pending and (more is None or len(pending) >= 2):
                if peer.mode == "ok":
                    pending.reverse()      # out of order: the client matches XIDs
                for r in pending:
                    if r is None:
                        continue
                    if r.endswith(b"CLOSE"):
                        conn.sendall(r[:-5])
                        return
                    conn.sendall(r)
                pending = []
    except OSError:
        pass
    finally:
        conn.close()


def seeds(d):
    os.makedirs(d, exist_ok=True)
    data = bytes(range(256)) * 4
    items = {
        "seed-getport": accepted(1, u32(2049)),
        "seed-mnt-ok": accepted(2, u32(0) + opaque(ROOT) + u32(2, 390003, 1)),
        "seed-mnt-acces": accepted(3, u32(13)),
        "seed-lookup-ok": accepted(4, u32(0) + opaque(FILE) + u32(1) + fattr(1, 1024) + u32(1) +
                                   fattr(2, 4096)),
        "seed-lookup-noent": accepted(5, u32(2, 1) + fattr(2, 4096)),
        "seed-getattr": accepted(6, u32(0) + fattr(5, 9)),
        "seed-readlink": accepted(7, u32(0, 0) + opaque(b"../sub/file")),
        "seed-fsinfo": accepted(8, u32(0, 0) + u32(65536, 65536, 4096, 65536, 65536, 4096, 4096) +
                                u64(1 << 40) + u32(0, 1, 0x1b)),
        "seed-read": accepted(9, u32(0, 1) + fattr(1, 1024) + u32(1024, 1) + opaque(data)),
        "seed-denied-auth": u32(10, 1, 1, 1, 5),
        "seed-prog-mismatch": u32(11, 1, 0, 0, 0, 2, 3, 3),
    }
    for name, msg in items.items():
        # first byte: the chunk size the fuzzer feeds the record reader with
        with open(os.path.join(d, name), "wb") as f:
            f.write(bytes([len(name) % 9]) + record(msg))
    # two fragments, then a second record
    with open(os.path.join(d, "seed-fragments"), "wb") as f:
        m = accepted(12, u32(2049))
        f.write(b"\x01" + u32(8) + m[:8] + u32(0x80000000 | (len(m) - 8)) + m[8:] +
                record(accepted(13, u32(111))))


def client_seeds(d):
    """Seeds for tests/fuzz/fuzz_nfs_client: one answer body per call of a whole fetch of
    nfs://192.0.2.1/srv/boot/dir/vmlinuz (a symlink to "real", 5000 bytes, rsize 4096)."""
    os.makedirs(d, exist_ok=True)
    data = bytes(i % 251 for i in range(5000))
    DIR = b"DIR-HANDLE"
    ok = [
        u32(20048), u32(2049),                                 # GETPORT MOUNT, NFS
        u32(2),                                                # MNT /srv/boot/dir: NOENT
        u32(0) + opaque(ROOT) + u32(1, 1),                     # MNT /srv/boot
        u32(0, 0) + u32(4096, 4096, 4096, 4096, 4096, 4096, 4096) + u64(1 << 40) +
        u32(0, 1, 0x1b),                                       # FSINFO
        u32(0) + opaque(DIR) + u32(1) + fattr(2, 4096) + u32(0),        # LOOKUP dir
        u32(0) + opaque(b"LINK") + u32(1) + fattr(5, 4) + u32(0),       # LOOKUP vmlinuz
        u32(0, 0) + opaque(b"real"),                           # READLINK
        u32(0) + opaque(FILE) + u32(0) + u32(0),               # LOOKUP real (no attrs)
        u32(0) + fattr(1, len(data)),                          # GETATTR
        u32(0, 0) + u32(4096, 0) + opaque(data[:4096]),        # READ 0
        u32(0, 0) + u32(904, 1) + opaque(data[4096:]),         # READ 4096
        b"",                                                   # UMNT
    ]

    def chunks(bodies, flags=None):
        out = b""
        for i, b in enumerate(bodies):
            f = flags[i] if flags and i < len(flags) else 0
            out += bytes([f]) + struct.pack(">H", len(b)) + b
        return out
    seeds_ = {
        "seed-whole-fetch": chunks(ok),
        "seed-noent": chunks(ok[:6] + [u32(2, 0)]),
        "seed-read-swapped-xid": chunks(ok, [0] * 11 + [2]),
        "seed-raw-garbage": chunks(ok[:4]) + b"\x01\x00\x08\x80\x00\x00\x04\x00\x00\x00\x01",
    }
    for name, b in seeds_.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(b"\x05" + b)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bind", default="192.0.2.3")
    ap.add_argument("--port", type=int, default=111)
    ap.add_argument("--file")
    ap.add_argument("--mode", default="ok")
    ap.add_argument("--rsize", type=int, default=65536)
    ap.add_argument("--seeds")
    ap.add_argument("--client-seeds")
    a = ap.parse_args()
    if a.seeds:
        seeds(a.seeds)
        return
    if a.client_seeds:
        client_seeds(a.client_seeds)
        return
    with open(a.file, "rb") as f:
        data = f.read()
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.bind, a.port))
    s.listen(16)
    print("listening", flush=True)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c, Peer(data, a.mode, a.rsize, a.port)),
                         daemon=True).start()


if __name__ == "__main__":
    main()
