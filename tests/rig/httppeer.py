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
Prints "listening" when ready.
"""
import argparse
import socket
import threading
import time


print_lock = threading.Lock()


def chunked_body():
    return b"".join(b"chunk-%03d\n" % i for i in range(200))


def handle(conn):
    try:
        data = b""
        while b"\r\n\r\n" not in data:
            more = conn.recv(4096)
            if not more:
                return
            data += more
        path = data.split(b" ")[1].decode()
        if path == "/chunked":
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
    a = ap.parse_args()
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
