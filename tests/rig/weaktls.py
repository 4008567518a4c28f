#!/usr/bin/env python3
"""weaktls.py — TLS servers (Python's ssl module) that offer only the protocol versions
and cipher suites named, for tests/hosted/claims-tls.sh.

  weaktls.py --cert CHAIN.pem --key KEY.pem --bind IP PORT:VERSIONS:CIPHERS...

VERSIONS is 1.1, 1.2, 1.3 or a range like 1.2-1.3; CIPHERS an OpenSSL cipher list for
TLS 1.2 and below (":" inside it written as "+"), e.g. AES128-SHA or
ECDHE-RSA-AES128-GCM-SHA256.  Each PORT answers any request with "hello from weaktls".
Prints "listening" once every port is open, then per connection
"PORT: handshake ok CIPHER VERSION" or "PORT: handshake failed: REASON".
"""
import argparse
import socket
import ssl
import threading
import warnings

warnings.simplefilter("ignore", DeprecationWarning)   # TLS 1.1 is the point of port 8474

VERS = {"1.1": ssl.TLSVersion.TLSv1_1, "1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}


def serve(bind, port, versions, ciphers, cert, key, lock):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    lo, _, hi = versions.partition("-")
    ctx.minimum_version = VERS[lo]
    ctx.maximum_version = VERS[hi or lo]
    ctx.set_ciphers(ciphers.replace("+", ":") + ":@SECLEVEL=0")
    ctx.load_cert_chain(cert, key)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((bind, port))
    ls.listen(8)
    return ctx, ls


def loop(port, ctx, ls):
    while True:
        conn, _ = ls.accept()
        conn.settimeout(10)
        try:
            t = ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError) as e:
            print(f"{port}: handshake failed: {getattr(e, 'reason', None) or e}", flush=True)
            conn.close()
            continue
        print(f"{port}: handshake ok {t.cipher()[0]} {t.version()}", flush=True)
        try:
            t.recv(4096)
            body = b"hello from weaktls\n"
            t.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
            t.unwrap()
        except (ssl.SSLError, OSError):
            pass
        t.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--bind", required=True)
    ap.add_argument("specs", nargs="+")
    a = ap.parse_args()
    lock = threading.Lock()
    servers = []
    for spec in a.specs:
        port, versions, ciphers = spec.split(":", 2)
        servers.append((int(port),) + serve(a.bind, int(port), versions, ciphers, a.cert, a.key, lock))
    for port, ctx, ls in servers:
        threading.Thread(target=loop, args=(port, ctx, ls), daemon=True).start()
    print("listening", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
