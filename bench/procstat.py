"""CPU time and memory of processes, read from /proc (Linux): what the benchmarks measure with.

Wall time on a shared 2-core machine says as much about the neighbours as about losi; CPU
seconds do not, so every benchmark reports both.
"""

from __future__ import annotations

import os
import resource
from collections.abc import Iterable

TICK = os.sysconf("SC_CLK_TCK")


def stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (field 3 onwards), None when gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far; -1.0 when it is gone."""
    fields = stat_fields(pid)
    return -1.0 if fields is None else (int(fields[11]) + int(fields[12])) / TICK


def descendants(pid: int) -> list[int]:
    """A process and every descendant still running (Chromium's and Java's included)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = stat_fields(int(entry))
            if fields is not None:
                children.setdefault(int(fields[1]), []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        p = stack.pop()
        found.append(p)
        stack.extend(children.get(p, []))
    return found


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its descendants that still run."""
    return sum(max(cpu_seconds(p), 0.0) for p in descendants(pid))


def pss(pid: int) -> int:
    """Proportional set size in bytes: memory shared between processes (Chromium's) counts once,
    not per process as RSS would."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def own_cpu(others: Iterable[int] = ()) -> float:
    """CPU seconds of this process, of its children once joined, and of other processes still
    running (a shared service this process started)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    extra = sum(max(cpu_seconds(p), 0.0) for p in others)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + extra
