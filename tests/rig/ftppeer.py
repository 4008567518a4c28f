#!/usr/bin/env python3
"""ftppeer.py — a scripted, deliberately odd or hostile FTP server for tests/hosted/ftp.sh.

One control connection at a time; every connection plays the same --mode:

  pasv       EPSV refused (500), PASV answered properly, file served: the PASV fallback
  multiline  every reply multi-line (RFC 959 section 4.2, with lines that look like
             other replies inside), EPSV used, file served
  bounce     EPSV refused, PASV names --bounce-ip (not this server): the client must refuse
  earlyclose 150, half the file, data closed, then the control connection closed (no 226)
  abort      150, half the file, data closed, then "426 Connection closed; transfer aborted."
  stall      150, a little data, then nothing (connections held open)
  badsize    SIZE announces one byte more than is sent, 226 at the end

Usage: ftppeer.py --bind IP --port N --mode MODE --file PATH [--bounce-ip IP]
Prints "listening" when ready, and one line per command received (passwords shown as ***).
"""
import argparse
import socket
import sys
import threading
import time


def log(*a):
    print(*a, flush=True)


def serve(conn, args, data_bytes):
    f = conn.makefile('rb')
    mode = args.mode
    dls = None

    def send(code, text, multi=False):
        if multi or mode == 'multiline':
            conn.sendall(('%d-%s\r\n%d-not the end\r\n 226 not the end either\r\n'
                          '%d the end\r\n' % (code, text, code, code)).encode())
        else:
            conn.sendall(('%d %s\r\n' % (code, text)).encode())

    send(220, 'ftppeer ready (%s)' % mode)
    while True:
        line = f.readline()
        if not line:
            break
        cmd = line.decode('latin-1').rstrip('\r\n')
        verb, _, arg = cmd.partition(' ')
        verb = verb.upper()
        log('cmd', '%s ***' % verb if verb == 'PASS' else cmd)
        if verb == 'USER':
            send(331, 'Please specify the password.')
        elif verb == 'PASS':
            send(230, 'Login successful.')
        elif verb == 'TYPE':
            send(200, 'Switching to Binary mode.')
        elif verb == 'SIZE':
            send(213, str(len(data_bytes) + (1 if mode == 'badsize' else 0)))
        elif verb == 'EPSV':
            if mode in ('pasv', 'bounce'):
                send(500, 'Unknown command.')
                continue
            dls = socket.socket()
            dls.bind((args.bind, 0))
            dls.listen(1)
            send(229, 'Entering Extended Passive Mode (|||%d|)' % dls.getsockname()[1])
        elif verb == 'PASV':
            dls = socket.socket()
            dls.bind((args.bind, 0))
            dls.listen(1)
            port = dls.getsockname()[1]
            ip = args.bounce_ip if mode == 'bounce' else args.bind
            send(227, 'Entering Passive Mode (%s,%d,%d).' % (ip.replace('.', ','), port >> 8, port & 255))
        elif verb == 'RETR':
            if dls is None:
                send(425, 'Use PASV first.')
                continue
            dls.settimeout(10)
            try:
                d, _ = dls.accept()
            except OSError:
                send(425, 'no data connection')
                continue
            send(150, 'Opening BINARY mode data connection for %s (%d bytes).' % (arg, len(data_bytes)))
            if mode in ('earlyclose', 'abort'):
                d.sendall(data_bytes[:len(data_bytes) // 2])
                d.close()
                time.sleep(0.3)
                if mode == 'abort':
                    send(426, 'Connection closed; transfer aborted.')
                    continue
                log('closing control without 226')
                conn.close()
                return
            if mode == 'stall':
                d.sendall(data_bytes[:1000])
                log('stalling')
                time.sleep(120)
                d.close()
                conn.close()
                return
            d.sendall(data_bytes)
            d.close()
            send(226, 'Transfer complete.')
        elif verb == 'QUIT':
            send(221, 'Goodbye.')
            break
        else:
            send(502, 'Command not implemented.')
    conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bind', required=True)
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--mode', required=True)
    ap.add_argument('--file', required=True)
    ap.add_argument('--bounce-ip', default='192.0.2.99')
    args = ap.parse_args()
    with open(args.file, 'rb') as fh:
        data_bytes = fh.read()
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((args.bind, args.port))
    ls.listen(5)
    log('listening')
    while True:
        conn, peer = ls.accept()
        log('connection from %s:%d' % peer)
        threading.Thread(target=serve, args=(conn, args, data_bytes), daemon=True).start()


if __name__ == '__main__':
    sys.exit(main())
