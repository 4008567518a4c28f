#!/usr/bin/env python3
"""expect.py [--log FILE] [--timeout S] STEP... -- COMMAND...

A small expect-style driver for QEMU consoles (pexpect).  Starts COMMAND on a
pseudo-terminal and runs the STEPs in order; everything the guest prints is
copied to --log (and to stdout with --echo).

STEPs:
  expect:REGEX          wait (default timeout) until REGEX (Python re) appears
  expect@SECS:REGEX     same with its own timeout
  line:TEXT             type TEXT and Enter ("\\r"); \\n-style escapes allowed
  send:TEXT             type TEXT without Enter
  sleep:SECS            pause (the console is still read and logged)
  interact              hand the console to the user (Ctrl-] quits)
  wait@SECS             wait until COMMAND exits (EOF)

Exit status: 0 all steps done; 2 a timeout (the step and the last output are
printed to stderr); 3 COMMAND ended early.  COMMAND is always killed by PID
at the end (SIGTERM, then SIGKILL).
"""
import argparse
import codecs
import os
import sys
import time

import pexpect


def unescape(s):
    return codecs.decode(s, "unicode_escape")


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        print(__doc__, file=sys.stderr)
        return 64
    cut = argv.index("--")
    ap = argparse.ArgumentParser()
    ap.add_argument("--log")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--echo", action="store_true")
    ap.add_argument("steps", nargs="*")
    args = ap.parse_args(argv[:cut])
    cmd = argv[cut + 1:]

    log = open(args.log, "ab", buffering=0) if args.log else None

    class Tee:
        def write(self, b):
            if log:
                log.write(b)
            if args.echo:
                sys.stdout.buffer.write(b)
                sys.stdout.buffer.flush()

        def flush(self):
            pass

    child = pexpect.spawn(cmd[0], cmd[1:], timeout=args.timeout, maxread=65536,
                          searchwindowsize=None, dimensions=(50, 200))
    child.logfile_read = Tee()
    rc = 0
    try:
        for step in args.steps:
            kind, _, arg = step.partition(":")
            tmo = args.timeout
            if "@" in kind:
                kind, t = kind.split("@", 1)
                tmo = float(t)
            t0 = time.time()
            if kind == "expect":
                try:
                    child.expect(arg, timeout=tmo)
                except pexpect.TIMEOUT:
                    tail = (child.before or b"")[-600:].decode("utf-8", "replace")
                    print("expect.py: timeout (%gs) waiting for /%s/; last output:\n%s" % (tmo, arg, tail),
                          file=sys.stderr)
                    rc = 2
                    break
                except pexpect.EOF:
                    print("expect.py: command ended while waiting for /%s/" % arg, file=sys.stderr)
                    rc = 3
                    break
                print("expect.py: /%s/ after %.1fs" % (arg, time.time() - t0), file=sys.stderr)
            elif kind == "line":
                # Type slowly enough that no UART FIFO overflows while the guest polls.
                for ch in unescape(arg) + "\r":
                    child.send(ch)
                    time.sleep(0.01)
            elif kind == "send":
                child.send(unescape(arg))
            elif kind == "sleep":
                # keep reading (and logging) the console meanwhile
                try:
                    child.expect(pexpect.EOF, timeout=float(arg))
                except pexpect.TIMEOUT:
                    pass
            elif kind == "interact":
                child.logfile_read = log and Tee() or None
                args.echo = False
                if sys.stdin.isatty():
                    print("\r\n[console handed over: Ctrl-] leaves]\r", flush=True)
                    child.interact(escape_character=chr(29))
            elif kind == "wait":
                try:
                    child.expect(pexpect.EOF, timeout=tmo)
                except pexpect.TIMEOUT:
                    print("expect.py: command still running after %gs" % tmo, file=sys.stderr)
                    rc = 2
                    break
            else:
                print("expect.py: unknown step %r" % step, file=sys.stderr)
                rc = 64
                break
    finally:
        if child.isalive():
            try:
                os.kill(child.pid, 15)
            except ProcessLookupError:
                pass
            for _ in range(30):
                if not child.isalive():
                    break
                time.sleep(0.1)
            if child.isalive():
                try:
                    os.kill(child.pid, 9)
                except ProcessLookupError:
                    pass
        child.close(force=True)
        if log:
            log.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
