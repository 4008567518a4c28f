"""benchdoc.py — shared by the bench scripts: the machine line and replacing one
section of docs/benchmarks.md (a "## Title" up to the next "## ")."""
import datetime
import os
import platform
import re


def machine():
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.machine()}, {os.cpu_count()} CPUs{', ' + cpu if cpu else ''}, Linux {platform.release()}"


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def replace_section(doc, title, section):
    """Put @section (starting with "## @title") in place of the old one, or append it."""
    text = open(doc).read() if os.path.exists(doc) else "# wireboot benchmarks\n\n"
    m = re.search(r"^## " + re.escape(title) + r".*?(?=^## |\Z)", text, re.S | re.M)
    if m:
        rest = text[m.end():]
        text = text[:m.start()] + section + ("\n" + rest if rest else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    open(doc, "w").write(text)
