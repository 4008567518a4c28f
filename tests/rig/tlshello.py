#!/usr/bin/env python3
"""tlshello.py — a TLS "server" that reads the ClientHello, prints what it offers, and
answers with a ServerHello choosing a suite the client did not offer (tests/hosted/
claims-tls.sh): a client that checks the server's choice against its own list aborts.

  tlshello.py IP PORT SUITE_HEX [VERSION_HEX]

Prints "listening", then per connection "hello: version VVVV suites AAAA,BBBB,..." (the
ClientHello's client_version and cipher_suites, hex) and "sent ServerHello SUITE", then
"client closed: N bytes after" with what the client sent after the ServerHello (its
alert).
"""
import os
import socket
import struct
import sys


def read_exact(c, n):
    b = b""
    while len(b) < n:
        d = c.recv(n - len(b))
        if not d:
            raise EOFError
        b += d
    return b


def main():
    ip, port, suite = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 16)
    version = int(sys.argv[4], 16) if len(sys.argv) > 4 else 0x0303
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((ip, port))
    ls.listen(4)
    print("listening", flush=True)
    while True:
        c, _ = ls.accept()
        c.settimeout(10)
        try:
            hdr = read_exact(c, 5)
            body = read_exact(c, struct.unpack("!H", hdr[3:5])[0])
            if hdr[0] != 22 or body[0] != 1:
                print("hello: not a ClientHello", flush=True)
                c.close()
                continue
            p = 4
            cv = struct.unpack("!H", body[p:p + 2])[0]
            p += 2 + 32
            p += 1 + body[p]                      # session id
            n = struct.unpack("!H", body[p:p + 2])[0]
            suites = [struct.unpack("!H", body[p + 2 + i:p + 4 + i])[0] for i in range(0, n, 2)]
            print("hello: version %04x suites %s" % (cv, ",".join("%04x" % s for s in suites)), flush=True)
            sh = struct.pack("!H", version) + os.urandom(32) + b"\x00" + struct.pack("!HB", suite, 0)
            msg = b"\x02" + struct.pack("!I", len(sh))[1:] + sh
            c.sendall(b"\x16" + struct.pack("!H", 0x0303) + struct.pack("!H", len(msg)) + msg)
            print("sent ServerHello %04x" % suite, flush=True)
            rest = b""
            try:
                while True:
                    d = c.recv(4096)
                    if not d:
                        break
                    rest += d
            except OSError:
                pass
            print("client closed: %d bytes after%s" % (len(rest), (" (alert %s)" % rest[:7].hex()) if rest[:1] == b"\x15" else ""), flush=True)
        except (EOFError, OSError) as e:
            print(f"hello: {e}", flush=True)
        c.close()


if __name__ == "__main__":
    main()
