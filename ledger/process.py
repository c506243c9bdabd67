"""Who this process is, and whether another process is still alive.

An in-flight HTTP idempotency record carries its owner's identity:
``host|boot id|pid|start time``.  A retry that finds such a record can tell
at once whether its owner died (SIGKILL, OOM, a crash): on the same host and
boot, the process with that pid and that start time no longer exists.  On
another host nothing can be checked from here; the caller falls back to the
record's lease.
"""

from __future__ import annotations

import contextvars
import os
import socket
from functools import cache
from pathlib import Path


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()[:36]
    except OSError:  # not Linux: the host name alone
        return "-"


def _start_ticks(pid: int) -> str | None:
    """The start time of ``pid`` (clock ticks after boot), or None when no
    such process exists (or /proc is not there)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may hold spaces and parentheses: split after its last ')'
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None


@cache
def _host() -> str:
    return socket.gethostname()[:100]


_identity: tuple[int, str] | None = None


def identity() -> str:
    """This process: ``host|boot|pid|start`` (read from /proc once per
    process: every idempotent request asks)."""
    global _identity
    pid = os.getpid()
    if _identity is None or _identity[0] != pid:  # first call, or a forked child
        _identity = (pid, f"{_host()}|{_boot_id()}|{pid}|{_start_ticks(pid) or '-'}")
    return _identity[1]


def is_dead(owner: str | None) -> bool:
    """True when ``owner`` (an :func:`identity`) is known to have ended: it
    ran on this host and boot, and its pid is gone or now names another
    process.  False when it is alive or cannot be checked from here."""
    if not owner:
        return False
    parts = owner.split("|")
    if len(parts) != 4 or parts[0] != _host() or parts[1] != _boot_id() or parts[1] == "-" or parts[3] == "-":
        return False
    try:
        pid = int(parts[2])
    except ValueError:
        return False
    return _start_ticks(pid) != parts[3]


#: set while a request runs when any layer answered from an earlier,
#: committed outcome (a ledger or service replay): the HTTP layer then marks
#: the response ``Idempotent-Replayed: true``
_replayed: contextvars.ContextVar[bool] = contextvars.ContextVar("xborder_replayed", default=False)


def mark_replayed() -> None:
    """Record that the current request was answered from a committed outcome."""
    _replayed.set(True)


def replay_scope() -> contextvars.Token[bool]:
    """Start watching for replays in the current request."""
    return _replayed.set(False)


def replay_seen(token: contextvars.Token[bool]) -> bool:
    """Whether a replay was marked since :func:`replay_scope`; ends the scope."""
    seen = _replayed.get()
    _replayed.reset(token)
    return seen
