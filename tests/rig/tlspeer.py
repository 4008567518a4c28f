#!/usr/bin/env python3
"""tlspeer.py — an HTTPS/1.1 server (Python's ssl module, TLS 1.2) that ends its
connections in chosen ways, for the HTTPS client's end-of-body tests.

  tlspeer.py --bind 192.0.2.1 --port 8446 --cert CHAIN.pem --key KEY.pem

The body of every path is body(): BODY_LEN bytes, "tlspeer %06d\\n" for line
0, 1, ...  (tests compare what they fetched with --print-body's output).

Paths (one request per connection):
  /until-close/notify    HTTP/1.0 200, no Content-Length: the whole body, then
                         close_notify (unwrap), then the TCP close
  /until-close/fin       the same response, but only the first CUT bytes of the
                         body, then the TCP close *without* close_notify, at a
                         record boundary: what an attacker who forges a FIN sees
                         fit to leave of the body
  /length/fin            HTTP/1.1 200, Content-Length: the whole body, then the
                         TCP close without close_notify (what many servers do)
  /chunked/fin           HTTP/1.1 200, chunked: the whole body, then the TCP
                         close without close_notify
  /length-short/fin      HTTP/1.1 200, Content-Length of the whole body, CUT
                         bytes sent, then the TCP close without close_notify
Every response is written with separate sendall() calls for the head and for
each piece of the body, so records never straddle the cut.  Prints
"listening" when ready and one line per request ("GET /path: ...").
"""
import argparse
import socket
import ssl
import sys
import threading

BODY_LEN = 100000
CUT = 40000
PIECE = 8192


def body():
    lines = b"".join(b"tlspeer %06d\n" % i for i in range(BODY_LEN // 15 + 1))
    return lines[:BODY_LEN]


def fin(conn):
    """End the TCP connection without a TLS close_notify."""
    raw = socket.socket(fileno=conn.detach())   # the TCP socket, no TLS object
    try:
        raw.shutdown(socket.SHUT_WR)            # FIN after the last whole record
        raw.settimeout(5)
        while raw.recv(4096):                   # let the client close first
            pass
    except OSError:
        pass
    raw.close()


def notify(conn):
    """End with close_notify, then the TCP close."""
    try:
        conn.settimeout(5)
        raw = conn.unwrap()                     # sends close_notify (and reads the reply)
        raw.close()
    except (OSError, ssl.SSLError):
        conn.close()


def send_pieces(conn, data):
    for i in range(0, len(data), PIECE):
        conn.sendall(data[i:i + PIECE])


def handle(conn, log):
    try:
        req = b""
        while b"\r\n\r\n" not in req:
            more = conn.recv(4096)
            if not more:
                conn.close()
                return
            req += more
        path = req.split(b" ")[1].decode()
        b = body()
        if path in ("/until-close/notify", "/until-close/fin"):
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n")
            if path.endswith("/notify"):
                send_pieces(conn, b)
                log(path, "%d bytes, close_notify, TCP close" % len(b))
                notify(conn)
            else:
                send_pieces(conn, b[:CUT])
                log(path, "%d of %d bytes, TCP close without close_notify" % (CUT, len(b)))
                fin(conn)
        elif path == "/length/fin":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(b))
            send_pieces(conn, b)
            log(path, "%d bytes (Content-Length), TCP close without close_notify" % len(b))
            fin(conn)
        elif path == "/chunked/fin":
            conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            for i in range(0, len(b), PIECE):
                piece = b[i:i + PIECE]
                conn.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
            conn.sendall(b"0\r\n\r\n")
            log(path, "%d bytes (chunked), TCP close without close_notify" % len(b))
            fin(conn)
        elif path == "/length-short/fin":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(b))
            send_pieces(conn, b[:CUT])
            log(path, "%d of %d bytes (Content-Length), TCP close without close_notify" % (CUT, len(b)))
            fin(conn)
        else:
            conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            notify(conn)
    except OSError as e:
        log("?", "error: %s" % e)
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bind", default="192.0.2.1")
    ap.add_argument("--port", type=int, default=8446)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--print-body", action="store_true", help="write body() to stdout and exit")
    a = ap.parse_args()
    if a.print_body:
        sys.stdout.buffer.write(body())
        return
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(a.cert, a.key)
    lock = threading.Lock()

    def log(path, what):
        with lock:
            print("GET %s: %s" % (path, what), flush=True)

    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.bind, a.port))
    s.listen(16)
    print("listening", flush=True)
    while True:
        c, _ = s.accept()
        try:
            c.settimeout(10)
            tc = ctx.wrap_socket(c, server_side=True)
        except (OSError, ssl.SSLError) as e:
            log("-", "handshake failed: %s" % e)
            c.close()
            continue
        threading.Thread(target=handle, args=(tc, log), daemon=True).start()


if __name__ == "__main__":
    main()
