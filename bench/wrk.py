"""Drive an HTTP route with Debian's ``wrk`` (a C load generator) and measure
who used the CPU meanwhile.

``wrk`` is installed with ``apt-get install -y wrk`` when it is missing and
we run as root (as ``tests/support/pgserver.py`` expects PostgreSQL from
apt); otherwise the error says how to install it.

A run (:func:`drive`) generates a Lua script that gives every request its
own ``Idempotency-Key`` (``<run prefix>-<thread>-<counter>``; ``@@KEY@@`` in
a body is replaced by it, for per-item references), the ``Authorization``
header, and cycles through pre-built JSON bodies; its ``response`` hook
counts statuses, batches whose ``"failed"`` count is not 0, and keeps a few
error samples; ``done`` prints them with the exact latency percentiles on
``XB`` lines, parsed together with wrk's own summary (``--latency``).

CPU accounting: the load generator's user+system time comes from
``wait4`` (its rusage), the server's and PostgreSQL's from ``/proc/<pid>/stat``
of their process trees before and after, the machine's from ``/proc/stat``;
shares are of the machine (``cores x wall``).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def ensure_wrk() -> str:
    """The path of ``wrk``; installed from apt when missing (root only)."""
    found = shutil.which("wrk")
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True, env=env, timeout=600).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], capture_output=True, env=env, timeout=600)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True, env=env, timeout=600)
        found = shutil.which("wrk")
        if found:
            return found
    raise RuntimeError("wrk not found; install it with: apt-get install wrk (Debian's wrk 4.1.0)")


# --------------------------------------------------------------------------
# the Lua script

LUA = r"""
local path = %(path)s
local auth = %(auth)s
local prefix = %(prefix)s
local templated = %(templated)s
local bodies = {
%(bodies)s
}
local threads = {}
local counter = 0
statuses = {}
failed = 0
samples = {}
nsamples = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function request()
  counter = counter + 1
  local key = prefix .. "-" .. tid .. "-" .. counter
  local body = bodies[(counter %% #bodies) + 1]
  if templated then body = string.gsub(body, "@@KEY@@", key) end
  local headers = {["Idempotency-Key"] = key, ["Content-Type"] = "application/json"}
  if auth ~= "" then headers["Authorization"] = auth end
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  local s = tostring(status)
  statuses[s] = (statuses[s] or 0) + 1
  local bad = status >= 300
  if not bad and string.find(body, '"failed":', 1, true) and not string.find(body, '"failed":0[,}]') then
    failed = failed + 1
    bad = true
  end
  if bad and nsamples < 2 then
    nsamples = nsamples + 1
    samples[nsamples] = s .. ": " .. string.gsub(string.sub(body, 1, 300), "[\r\n]", " ")
  end
end

function done(summary, latency, requests)
  local total, nfailed, out = {}, 0, {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses") or {}) do total[k] = (total[k] or 0) + v end
    nfailed = nfailed + (t:get("failed") or 0)
    for _, s in ipairs(t:get("samples") or {}) do table.insert(out, s) end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, k .. ":" .. v) end
  io.write("XB statuses " .. table.concat(parts, " ") .. "\n")
  io.write("XB failed " .. nfailed .. "\n")
  for _, s in ipairs(out) do io.write("XB sample " .. s .. "\n") end
  local e = summary.errors
  io.write(string.format("XB summary %%d %%d %%d %%d %%d %%d %%d\n", summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout))
  io.write(string.format("XB latency %%d %%d %%d %%d %%d %%d\n", latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean))
end
"""


def _lua_string(s: str) -> str:
    level = 0
    while f"]{'=' * level}]" in s:
        level += 1
    return f"[{'=' * level}[{s}]{'=' * level}]"


def lua_script(path: str, bodies: list[bytes], auth: str, prefix: str) -> str:
    """The wrk script (see the module docstring)."""
    texts = [b.decode() for b in bodies]
    return LUA % {
        "path": _lua_string(path), "auth": _lua_string(auth), "prefix": _lua_string(prefix),
        "templated": "true" if any("@@KEY@@" in t for t in texts) else "false",
        "bodies": ",\n".join(_lua_string(t) for t in texts),
    }


# --------------------------------------------------------------------------
# process trees: CPU and memory


def _stat(pid: int) -> tuple[int, int] | None:
    """(ppid, CPU ticks) of a process, None if gone; the ticks are its own
    (utime + stime) and those of its children it has reaped (cutime + cstime),
    so exited PostgreSQL backends and uvicorn workers stay counted."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    rest = text[text.rindex(")") + 2:].split()
    return int(rest[1]), sum(int(x) for x in rest[11:15])


def tree(root: int) -> list[int]:
    """``root`` and all its descendants (from /proc)."""
    parents: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = _stat(int(d))
            if st:
                parents.setdefault(st[0], []).append(int(d))
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += parents.get(p, [])
    return out


def cpu_seconds(root: int | None) -> float:
    """CPU seconds (user+system) used so far by the live processes of a tree."""
    if root is None:
        return 0.0
    total = 0
    for p in tree(root):
        st = _stat(p)
        if st:
            total += st[1]
    return total / CLK_TCK


def rss_bytes(root: int) -> int:
    """Resident set size of a process tree (sum of VmRSS)."""
    total = 0
    for p in tree(root):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot (/proc/stat)."""
    f = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = f[3] + (f[4] if len(f) > 4 else 0)
    return (sum(f) - idle) / CLK_TCK, sum(f) / CLK_TCK


class RssSampler:
    """Samples a process tree's RSS every ``interval`` seconds in a thread."""

    def __init__(self, root: int, interval: float = 1.0) -> None:
        self.root, self.interval = root, interval
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._t0 = time.perf_counter()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.perf_counter() - self._t0, rss_bytes(self.root)))
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._t0 = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# --------------------------------------------------------------------------
# one run


@dataclass
class WrkResult:
    connections: int
    threads: int
    duration: float
    requests: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    socket_errors: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)
    latency_us: dict[str, int] = field(default_factory=dict)
    wrk_rps: float | None = None  # wrk's own "Requests/sec"
    wrk_latency: dict[str, str] = field(default_factory=dict)  # wrk's --latency distribution, as printed
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds by party, and "wall", "cores"
    raw: str = ""

    @property
    def ok(self) -> int:
        """2xx responses, batches with failed items excluded."""
        return sum(v for k, v in self.statuses.items() if k.startswith("2")) - self.failed

    @property
    def errors(self) -> int:
        return self.requests - self.ok + sum(self.socket_errors.values())

    def ms(self, p: str) -> float | None:
        v = self.latency_us.get(p)
        return None if v is None or not self.requests else v / 1000.0

    def share(self, who: str) -> float | None:
        wall, cores = self.cpu.get("wall"), self.cpu.get("cores")
        if not wall or not cores or who not in self.cpu:
            return None
        return self.cpu[who] / (wall * cores)


def parse(out: str, res: WrkResult) -> WrkResult:
    res.raw = out
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("XB statuses"):
            res.statuses = {k: int(v) for k, v in (p.split(":") for p in parts[2:])}
        elif line.startswith("XB failed"):
            res.failed = int(parts[2])
        elif line.startswith("XB sample "):
            res.samples.append(line[len("XB sample "):])
        elif line.startswith("XB summary"):
            req, dur, conn, read, write, status, timeout = (int(x) for x in parts[2:9])
            res.requests, res.duration = req, dur / 1e6
            res.socket_errors = {k: v for k, v in {"connect": conn, "read": read, "write": write, "timeout": timeout}.items() if v}
        elif line.startswith("XB latency"):
            res.latency_us = dict(zip(("p50", "p90", "p99", "p99.9", "max", "mean"), (int(x) for x in parts[2:8]), strict=True))
        elif line.startswith("Requests/sec:"):
            res.wrk_rps = float(parts[1])
        elif re.match(r"^\s+(50|75|90|99)%\s", line):
            res.wrk_latency[parts[0]] = parts[1]
    if not res.latency_us:
        raise RuntimeError(f"wrk printed no summary:\n{out[-2000:]}")
    return res


def drive(base: str, path: str, bodies: list[bytes], *, connections: int, duration: float, auth: str = "", threads: int | None = None,
          server_pid: int | None = None, db_pid: int | None = None, timeout_s: int = 30) -> WrkResult:
    """``wrk -t T -c C -d D --latency -s <script> URL``: POST the bodies, one
    fresh Idempotency-Key per request; CPU by party measured meanwhile."""
    wrk = ensure_wrk()
    threads = threads or max(1, min(connections, os.cpu_count() or 1))
    res = WrkResult(connections=connections, threads=threads, duration=duration)
    with tempfile.TemporaryDirectory(prefix="xb-wrk-") as tmp:
        script = Path(tmp) / "post.lua"
        script.write_text(lua_script(path, bodies, auth, uuid.uuid4().hex[:12]))
        out_file = Path(tmp) / "out.txt"
        argv = [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(duration))}s", "--timeout", f"{timeout_s}s", "--latency", "-s", str(script), base]
        srv0, db0, (busy0, _) = cpu_seconds(server_pid), cpu_seconds(db_pid), machine_busy()
        t0 = time.perf_counter()
        with open(out_file, "wb") as fh:
            proc = subprocess.Popen(argv, stdout=fh, stderr=subprocess.STDOUT)
            _, status, ru = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        srv1, db1, (busy1, _) = cpu_seconds(server_pid), cpu_seconds(db_pid), machine_busy()
        out = out_file.read_text(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"wrk exited with {proc.returncode}:\n{out[-2000:]}")
    parse(out, res)
    gen = ru.ru_utime + ru.ru_stime
    res.cpu = {"wall": wall, "cores": float(os.cpu_count() or 1), "loadgen": gen, "server": srv1 - srv0, "database": db1 - db0, "machine": busy1 - busy0}
    res.cpu["other"] = max(0.0, res.cpu["machine"] - gen - res.cpu["server"] - res.cpu["database"])
    return res


def postmaster_pid(datadir: Path | None) -> int | None:
    """The PostgreSQL postmaster's pid (first line of ``postmaster.pid``)."""
    if datadir is None:
        return None
    try:
        return int((Path(datadir) / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def describe_cpu(r: WrkResult) -> str:
    """``wrk 12%, server 60%, PostgreSQL 20%, other 3%`` (shares of the machine)."""
    names = (("loadgen", "wrk"), ("server", "server"), ("database", "PostgreSQL"), ("other", "other"))
    return ", ".join(f"{label} {r.share(k):.0%}" for k, label in names if r.share(k) is not None and (k != "database" or r.cpu.get(k)))


def as_dict(r: WrkResult) -> dict[str, Any]:
    return {"connections": r.connections, "threads": r.threads, "duration": r.duration, "requests": r.requests, "ok": r.ok, "errors": r.errors,
            "statuses": r.statuses, "failed": r.failed, "latency_us": r.latency_us, "wrk_rps": r.wrk_rps, "cpu": r.cpu}
