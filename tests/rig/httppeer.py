#!/usr/bin/env python3
"""httppeer.py — a deliberately odd HTTP/1.1 server for the HTTP client tests.

  httppeer.py --bind 192.0.2.1 --port 8080

Paths (one request per connection, then close):
  /chunked    200, Transfer-Encoding: chunked, chunks with extensions, a trailer;
              body = "chunk-%03d\\n" for 0..199
  /slow       200, Content-Length 64, sent one byte every 40 ms
  /truncated  200, Content-Length 100000, 1000 bytes sent, then close
  /close      HTTP/1.0 200 without Content-Length, body until close ("until close\\n" x 100)
  /stall      200, Content-Length 10, 2 bytes, then nothing (connection kept open)
  /form...    reads the request body (Content-Length), prints the request as lines
              "REQ METHOD PATH", "HDR Name: value" (each header), "BODY <body as
              Python bytes repr>", "END"; answers 200 with the iPXE script
              "#!ipxe\necho FORM-OK METHOD\n" (the ##params POST tests)
With --image FILE, paths /img/MODE[-N][/anything] serve FILE with byte ranges
over keep-alive connections (pipelined requests answered in order), ETag and
Last-Modified; a request's number counts per path, from 1 (the HTTP SAN tests):
  /img/ok        exact 206 answers
  /img/whole-N   from the Nth request on: 200 with the whole file
  /img/shift-N   from the Nth request on: the range asked + 512 bytes
  /img/trunc-N   the Nth request: half the body, then the connection closes
  /img/truncall-N  the same from the Nth request on, every time
  /img/etag-N    from the Nth request on: another ETag
  /img/lm-N      from the Nth request on: another Last-Modified
  /img/drop-N    every connection closes, unanswered, at its N+1th request
Prints "listening" when ready.
"""
import argparse
import socket
import threading
import time


print_lock = threading.Lock()


def chunked_body():
    return b"".join(b"chunk-%03d\n" % i for i in range(200))


IMAGE = b""
img_lock = threading.Lock()
img_counts = {}


def img_serve(conn, data):
    """Range requests on a keep-alive connection until the client closes."""
    served = 0
    while True:
        while b"\r\n\r\n" not in data:
            more = conn.recv(65536)
            if not more:
                return
            data += more
        head, _, data = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        path = lines[0].split(" ")[1]
        mode = path.split("/")[2]
        name, _, num = mode.partition("-")
        n_at = int(num) if num else 0
        with img_lock:
            img_counts[path] = img_counts.get(path, 0) + 1
            k = img_counts[path]
        if name == "drop" and served >= n_at:
            return
        served += 1
        later = n_at and k >= n_at
        etag = b'"v2"' if name == "etag" and later else b'"v1"'
        lm = (b"Tue, 08 Dec 2026 05:00:01 GMT" if name == "lm" and later
              else b"Tue, 08 Dec 2026 05:00:00 GMT")
        rng = None
        for h in lines[1:]:
            if h.lower().startswith("range: bytes="):
                a, _, b = h.split("=", 1)[1].partition("-")
                rng = (int(a), int(b) if b else len(IMAGE) - 1)
        if rng is None or (name == "whole" and later):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nETag: %s\r\nLast-Modified: %s\r\n\r\n"
                         % (len(IMAGE), etag, lm) + IMAGE)
            continue
        a, b = rng
        if name == "shift" and later:
            a, b = a + 512, b + 512
        b = min(b, len(IMAGE) - 1)
        body = IMAGE[a:b + 1]
        hdr = (b"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes %d-%d/%d\r\nContent-Length: %d\r\n"
               b"ETag: %s\r\nLast-Modified: %s\r\n\r\n" % (a, b, len(IMAGE), len(body), etag, lm))
        if (name == "trunc" and k == n_at) or (name == "truncall" and later):
            conn.sendall(hdr + body[:len(body) // 2])
            return
        conn.sendall(hdr + body)


def handle(conn):
    try:
        data = b""
        while b"\r\n\r\n" not in data:
            more = conn.recv(4096)
            if not more:
                return
            data += more
        path = data.split(b" ")[1].decode()
        if path.startswith("/img/") and IMAGE:
            img_serve(conn, data)
        elif path == "/chunked":
            conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                         b"Content-Type: text/plain\r\nConnection: close\r\n\r\n")
            body = chunked_body()
            i, n = 0, 1
            while i < len(body):
                piece = body[i:i + n]
                conn.sendall(b"%x;ext=%d\r\n" % (len(piece), n) + piece + b"\r\n")
                i += n
                n = n * 3 + 1
                time.sleep(0.01)
            conn.sendall(b"0\r\nX-Checksum: none\r\n\r\n")
        elif path == "/slow":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 64\r\nConnection: close\r\n\r\n")
            for i in range(64):
                conn.sendall(bytes([ord("a") + i % 26]))
                time.sleep(0.04)
        elif path == "/truncated":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000)
        elif path == "/close":
            conn.sendall(b"HTTP/1.0 200 OK\r\n\r\n" + b"until close\n" * 100)
        elif path.startswith("/form"):
            head, _, body = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            clen = 0
            for h in lines[1:]:
                if h.lower().startswith("content-length:"):
                    clen = int(h.split(":", 1)[1])
            while len(body) < clen:
                more = conn.recv(4096)
                if not more:
                    break
                body += more
            method = lines[0].split(" ")[0]
            with print_lock:
                print("REQ %s %s" % (method, path))
                for h in lines[1:]:
                    print("HDR " + h)
                print("BODY " + repr(body))
                print("END", flush=True)
            script = b"#!ipxe\necho FORM-OK " + method.encode() + b"\n"
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                         % len(script) + script)
        elif path == "/stall":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab")
            time.sleep(60)
        else:
            conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    except OSError:
        pass
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bind", default="192.0.2.1")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--image", help="serve this file under /img/... (byte ranges)")
    a = ap.parse_args()
    if a.image:
        global IMAGE
        with open(a.image, "rb") as f:
            IMAGE = f.read()
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.bind, a.port))
    s.listen(16)
    print("listening", flush=True)
    while True:
        c, _ = s.accept()
        threading.Thread(target=handle, args=(c,), daemon=True).start()


if __name__ == "__main__":
    main()
