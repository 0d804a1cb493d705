"""TCMalloc for recover's own processes: a faster ``malloc`` than glibc's, loaded when the command starts.

Python's small objects come from its own pool allocator, but everything else goes through the C library's
``malloc``: CP-SAT's models and searches, rapidfuzz's scores, Python's larger lists, dicts and strings. Under
glibc's allocator the C library was some 9 % of the text route's time (``perf``: ``malloc``, ``_int_free``,
``malloc_consolidate``).
TCMalloc (gperftools' minimal build, Debian's ``libtcmalloc-minimal4``, installed by ``scripts/install.sh``) gives the
same results, faster: the ten text reports of the corpus took 4-10 % less CPU time (README, Benchmarks).

An allocator has to be in place before the process allocates anything, so it cannot be loaded by an import: the
console command re-executes its interpreter once, with the library in ``LD_PRELOAD`` (``preload``), before it
imports anything heavy (some 20 ms). Processes it starts inherit it: batch workers (their fork server is a fresh
interpreter), Tesseract, LibreOffice. ``RECOVER_ALLOCATOR=system`` keeps glibc's allocator; without the library
(another system, a machine ``scripts/install.sh`` did not set up) nothing changes.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

LIBRARY = "libtcmalloc_minimal.so.4"
ENV = "RECOVER_ALLOCATOR"  # "system": keep the C library's malloc


def library() -> Path | None:
    """Where TCMalloc is installed (the system library folders), or None."""
    multiarch = sysconfig.get_config_var("MULTIARCH") or "x86_64-linux-gnu"
    for folder in (f"/usr/lib/{multiarch}", "/usr/lib64", "/usr/lib", "/usr/local/lib"):
        path = Path(folder) / LIBRARY
        if path.is_file():
            return path
    return None


def active() -> str:
    """The allocator this process runs with: "tcmalloc" when the library is mapped into it, else "system"."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return "system"
    return "tcmalloc" if "libtcmalloc" in maps else "system"


def preload() -> None:
    """Re-execute this process's command line with TCMalloc preloaded, unless it is already in ``LD_PRELOAD`` (so
    this runs at most once), ``RECOVER_ALLOCATOR=system`` asks for the C library's allocator, the library is not
    installed, or this is not Linux. Returns only when nothing was done (or the re-execution failed: the command
    then runs as it is)."""
    if sys.platform != "linux" or os.environ.get(ENV, "").lower() == "system":
        return
    lib = library()
    preloaded = os.environ.get("LD_PRELOAD", "")
    if lib is None or LIBRARY in preloaded:
        return
    env = dict(os.environ, LD_PRELOAD=f"{lib} {preloaded}".strip())
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execve(sys.executable, sys.orig_argv, env)
    except OSError:
        return
