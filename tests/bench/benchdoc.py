"""benchdoc.py — shared by the bench scripts: the machine line, the commit measured and
replacing one section of docs/benchmarks.md (a "## Title" up to the next "## ").

Every section written through replace_section() ends with a "Measured:" line naming
the commit (git rev-parse --short HEAD, "-dirty" when files other than
docs/benchmarks.md differ from it) and the `make bench` run (BENCH_RUN, set once by
the Makefile for all scripts of one run), so a reader can tell which sections come
from the same run of which code.  No figure is written here: the scripts pass only what
they measured."""
import datetime
import os
import platform
import re
import subprocess

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def commit():
    """The commit measured: short hash, "-dirty" if the tree (but the doc) differs."""
    try:
        head = subprocess.run(["git", "-C", TOP, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        st = subprocess.run(["git", "-C", TOP, "status", "--porcelain", "--untracked-files=no", "--",
                             ".", ":!docs/benchmarks.md"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return head + ("-dirty" if st.strip() else "")


def run_id():
    """The `make bench` run this section belongs to (BENCH_RUN), or "single script"."""
    return os.environ.get("BENCH_RUN") or "single script, " + now()


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
    """Put @section (starting with "## @title") in place of the old one, or append it,
    with the "Measured:" line (commit and run) added at its end."""
    section = section.rstrip("\n") + f"\n\nMeasured: commit {commit()}, `make bench` run {run_id()}.\n"
    text = open(doc).read() if os.path.exists(doc) else "# wireboot benchmarks\n\n"
    m = re.search(r"^## " + re.escape(title) + r".*?(?=^## |\Z)", text, re.S | re.M)
    if m:
        rest = text[m.end():]
        text = text[:m.start()] + section + ("\n" + rest if rest else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    open(doc, "w").write(text)
