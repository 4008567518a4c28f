#!/usr/bin/env python3
"""tcprecv.py HOST PORT — kernel-TCP client (the benchmark's baseline): connects, reads
to EOF, prints "bytes N ms T crc32 XXXXXXXX".  Default socket settings.  T runs from the
connection being open to EOF, as wireboot's `tcprecv` times it (tests/bench/tcp-bench.sh)."""
import socket
import sys
import time
import zlib


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    buf = bytearray(1 << 18)
    mv = memoryview(buf)
    crc = total = 0
    s = socket.create_connection((host, port), timeout=60)
    t0 = time.monotonic()
    while True:
        n = s.recv_into(buf)
        if n == 0:
            break
        crc = zlib.crc32(mv[:n], crc)
        total += n
    s.close()
    ms = (time.monotonic() - t0) * 1000
    print(f"bytes {total} ms {ms:.0f} crc32 {crc & 0xFFFFFFFF:08x}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
