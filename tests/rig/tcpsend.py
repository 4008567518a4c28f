#!/usr/bin/env python3
"""tcpsend.py --port P --bytes N [--count K] [--bind ADDR] [--seed S]

TCP server for the throughput / no-wedge tests.  Each accepted connection gets the same
N bytes of a deterministic pseudo-random stream (a fixed-seed 1 MiB block, repeated),
then a FIN.  Kernel socket defaults are kept on purpose: no SO_SNDBUF, no TCP_* tuning,
because wireboot must cope with servers at their defaults.

At startup prints "crc32 XXXXXXXX bytes N" (zlib.crc32 of the stream) and, once
listening, "listening PORT"; after each connection "sent N bytes to HOST".
Serves K connections (default: until killed), concurrently.
"""
import argparse
import random
import socket
import sys
import threading
import zlib

BLOCK = 1 << 20


def make_block(seed):
    return random.Random(seed).randbytes(BLOCK)


def stream_crc(block, n):
    crc, left = 0, n
    while left > 0:
        k = min(left, BLOCK)
        crc = zlib.crc32(block[:k] if k < BLOCK else block, crc)
        left -= k
    return crc & 0xFFFFFFFF


def serve(conn, peer, block, n):
    mv = memoryview(block)
    try:
        left = n
        while left > 0:
            k = min(left, BLOCK)
            conn.sendall(mv[:k])
            left -= k
        conn.shutdown(socket.SHUT_WR)
        # drain until the peer closes so our close never turns into a RST
        conn.settimeout(30)
        while conn.recv(65536):
            pass
        print(f"sent {n} bytes to {peer[0]}", flush=True)
    except OSError as e:
        print(f"error after partial send to {peer[0]}: {e}", flush=True)
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--bytes", type=int, required=True)
    ap.add_argument("--count", type=int, default=0, help="connections to serve (0 = forever)")
    ap.add_argument("--bind", default="0.0.0.0")
    ap.add_argument("--seed", type=int, default=20261126)
    a = ap.parse_args()
    block = make_block(a.seed)
    print(f"crc32 {stream_crc(block, a.bytes):08x} bytes {a.bytes}", flush=True)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.bind, a.port))
    ls.listen(16)
    print(f"listening {a.port}", flush=True)
    threads = []
    served = 0
    while a.count == 0 or served < a.count:
        conn, peer = ls.accept()
        t = threading.Thread(target=serve, args=(conn, peer, block, a.bytes))
        t.start()
        threads.append(t)
        served += 1
    for t in threads:
        t.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
