#!/usr/bin/env python3
"""newc.py OUT ENTRY... — write a cpio archive in the "newc" (SVR4, magic 070701)
format that the Linux kernel unpacks as an initramfs.

Written from the format as the kernel documents it (Documentation/driver-api/
early-userspace/buffer-format.rst): a 110-byte ASCII header of 13 eight-digit hex
fields, the NUL-terminated name, padding to 4 bytes, the data, padding to 4 bytes;
the archive ends with an entry named "TRAILER!!!".

Entries (all owned by root, mtime 0, so the output depends on the content only):
  dir:PATH:MODE              a directory
  file:PATH:MODE:SRC         a regular file with the bytes of the host file SRC
  sym:PATH:TARGET            a symbolic link
  chr:PATH:MODE:MAJOR:MINOR  a character device node (no root needed: it is only
                             a header in the archive)

Nothing is taken from the host's file metadata, so no mknod, no chown, no root.
"""
import sys

S_IFDIR, S_IFREG, S_IFLNK, S_IFCHR = 0o040000, 0o100000, 0o120000, 0o020000


def header(ino, mode, nlink, size, rmaj, rmin, name):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, rmaj, rmin, len(name) + 1, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def pad4(n):
    return b"\0" * (-n % 4)


def entry(out, ino, mode, name, data=b"", rmaj=0, rmin=0, nlink=1):
    nm = name.encode()
    h = header(ino, mode, nlink, len(data), rmaj, rmin, nm) + nm + b"\0"
    out.write(h + pad4(len(h)))
    out.write(data + pad4(len(data)))


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 64
    with open(argv[0], "wb") as out:
        ino = 1
        for spec in argv[1:]:
            kind, _, rest = spec.partition(":")
            ino += 1
            if kind == "dir":
                path, mode = rest.split(":")
                entry(out, ino, S_IFDIR | int(mode, 8), path, nlink=2)
            elif kind == "file":
                path, mode, src = rest.split(":", 2)
                with open(src, "rb") as f:
                    data = f.read()
                entry(out, ino, S_IFREG | int(mode, 8), path, data)
            elif kind == "sym":
                path, target = rest.split(":", 1)
                entry(out, ino, S_IFLNK | 0o777, path, target.encode())
            elif kind == "chr":
                path, mode, ma, mi = rest.split(":")
                entry(out, ino, S_IFCHR | int(mode, 8), path, rmaj=int(ma), rmin=int(mi))
            else:
                print("newc.py: unknown entry kind in %r" % spec, file=sys.stderr)
                return 64
        entry(out, 0, 0, "TRAILER!!!")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
