"""Throwaway real PostgreSQL server for tests and benchmarks.

Usage::

    with PostgresServer() as pg:
        pg.create_database("app")
        url = pg.url("app")            # postgresql+asyncpg://postgres@127.0.0.1:PORT/app

The server lives in a fresh temporary directory, listens only on 127.0.0.1
on a free port, trusts every local connection and is destroyed by ``stop()``
(or at interpreter exit).  When the current process is root, PostgreSQL's
own programs are run as the ``postgres`` OS user because the server refuses
to run as root.

Only the standard library is used; ``psql`` from the server's bindir runs
the administrative SQL, so every method is synchronous and safe to call from
inside a running asyncio event loop.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "PG_OS_USER",
    "PostgresServer",
    "find_pg_bindir",
    "pg_user_prefix",
    "run_as_pg_user",
]

PG_OS_USER = "postgres"
"""OS account that owns the server processes when we run as root."""

_SUPERUSER = "postgres"
_HOST = "127.0.0.1"
_START_TIMEOUT_S = 60
_LOG_TAIL_LINES = 40
_PORT_RETRIES = 3

# Applied to every server.
_BASE_SETTINGS: dict[str, str] = {
    "listen_addresses": _HOST,
    "max_connections": "300",
    "shared_buffers": "256MB",
}

# Applied only when durable=False: trade crash safety for speed.
_FAST_SETTINGS: dict[str, str] = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


# --------------------------------------------------------------------------
# Locating binaries and running as the postgres user
# --------------------------------------------------------------------------


def _version_key(path: str) -> tuple[int, ...]:
    """Sort key for ``/usr/lib/postgresql/<version>/bin``."""
    version = Path(path).parent.name
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return (-1,)


def find_pg_bindir() -> Path | None:
    """Return the directory holding ``initdb``/``pg_ctl``/``psql``, or None.

    Order: ``$XBORDER_PG_BINDIR``; the highest version under
    ``/usr/lib/postgresql/*/bin``; ``pg_config --bindir``; ``initdb`` on PATH.
    """
    override = os.environ.get("XBORDER_PG_BINDIR")
    if override:
        return Path(override)

    candidates = [
        d for d in glob.glob("/usr/lib/postgresql/*/bin") if os.path.isfile(os.path.join(d, "initdb"))
    ]
    if candidates:
        return Path(max(candidates, key=_version_key))

    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=30
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out and (Path(out) / "initdb").is_file():
            return Path(out)

    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _is_root() -> bool:
    return os.geteuid() == 0


def pg_user_prefix() -> list[str]:
    """Argv prefix that runs a command as the postgres OS user ([] if not root)."""
    if not _is_root():
        return []
    try:
        pwd.getpwnam(PG_OS_USER)
    except KeyError:
        raise RuntimeError(
            f"running as root but no {PG_OS_USER!r} OS user exists; "
            "install PostgreSQL (apt-get install postgresql) or run as a normal user"
        ) from None
    if shutil.which("runuser"):
        return ["runuser", "-u", PG_OS_USER, "--"]
    if shutil.which("setpriv"):
        return ["setpriv", f"--reuid={PG_OS_USER}", f"--regid={PG_OS_USER}", "--init-groups", "--"]
    raise RuntimeError("running as root but neither runuser nor setpriv is available")


def _clean_env() -> dict[str, str]:
    """The current environment minus libpq/server ``PG*`` variables."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PG")}


def run_as_pg_user(
    argv: Sequence[str | os.PathLike[str]],
    *,
    check: bool = True,
    cwd: str | os.PathLike[str] | None = None,
    timeout: float | None = 120,
    **kwargs: Any,
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` as the postgres OS user when root, else directly.

    Output is captured as text unless the caller passes ``stdout``/``stderr``.
    ``PG*`` environment variables are stripped so they cannot redirect tools.
    """
    if "stdout" not in kwargs and "stderr" not in kwargs:
        kwargs["capture_output"] = True
    kwargs.setdefault("text", True)
    kwargs.setdefault("env", _clean_env())
    full = pg_user_prefix() + [os.fspath(a) for a in argv]
    # A root cwd such as /root is not accessible to postgres; "/" always is.
    return subprocess.run(full, check=check, cwd=cwd if cwd is not None else "/", timeout=timeout, **kwargs)


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def _free_port() -> int:
    """Ask the kernel for a currently free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((_HOST, 0))
        return sock.getsockname()[1]


def _quote_ident(name: str) -> str:
    if not name or "\x00" in name:
        raise ValueError(f"invalid identifier: {name!r}")
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(value: str) -> str:
    if "\x00" in value:
        raise ValueError(f"invalid literal: {value!r}")
    return "'" + value.replace("'", "''") + "'"


def _conf_value(value: str) -> str:
    return "'" + str(value).replace("\\", "\\\\").replace("'", "''") + "'"


def _traversable_by_others(path: Path) -> bool:
    """True if every ancestor of ``path`` has the search (x) bit for others."""
    for parent in [path, *path.parents]:
        try:
            if not os.stat(parent).st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
    return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------


class PostgresServer:
    """A private PostgreSQL cluster in a temp dir; see the module docstring.

    ``durable=False`` (tests) turns off fsync, synchronous_commit and
    full_page_writes; ``durable=True`` (benchmarks) keeps PostgreSQL's
    crash-safe defaults.  ``extra_settings`` override anything else.
    """

    def __init__(
        self,
        *,
        durable: bool = False,
        port: int | None = None,
        extra_settings: dict[str, str] | None = None,
    ) -> None:
        self.durable = durable
        self.host = _HOST
        self.port: int | None = port
        self.extra_settings = dict(extra_settings or {})
        self.bindir: Path | None = find_pg_bindir()
        self.basedir: Path | None = None
        self.datadir: Path | None = None
        self.logfile: Path | None = None
        self._fixed_port = port is not None
        self._running = False
        self._halted = False
        self._owner_pid = os.getpid()

    # -- lifecycle ---------------------------------------------------------

    def __enter__(self) -> PostgresServer:
        if not self._running:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self._running else "stopped"
        return f"<PostgresServer {state} {self.host}:{self.port} durable={self.durable}>"

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> PostgresServer:
        """Create the cluster and start the server; returns self."""
        if self._running:
            raise RuntimeError("server already started")
        if self.bindir is None or not (self.bindir / "initdb").is_file():
            raise RuntimeError(
                "PostgreSQL server binaries not found (looked at $XBORDER_PG_BINDIR, "
                "/usr/lib/postgresql/*/bin, pg_config --bindir, PATH); "
                "install them with: apt-get install postgresql postgresql-contrib"
            )
        self._owner_pid = os.getpid()
        self._make_basedir()
        atexit.register(self._atexit_stop)
        try:
            self._initdb()
            self._start_with_retries()
        except BaseException:
            self.stop()
            raise
        self._running = True
        return self

    def stop(self) -> None:
        """Stop the server immediately (errors ignored) and delete its files."""
        atexit.unregister(self._atexit_stop)
        self._running = False
        self._halted = False
        if self.datadir is not None and (self.datadir / "PG_VERSION").exists():
            self._pg_ctl_stop()
        if self.basedir is not None:
            shutil.rmtree(self.basedir, ignore_errors=True)
        self.basedir = self.datadir = self.logfile = None
        if not self._fixed_port:
            self.port = None

    def halt(self, mode: str = "immediate") -> None:
        """Stop the server process but keep its cluster (data directory and
        port) so that :meth:`resume` can start it again: a database outage.

        ``mode`` is ``pg_ctl stop -m``: ``immediate`` (like a crash: no
        checkpoint, crash recovery at the next start), ``fast`` or ``smart``.
        """
        if not self._running:
            raise RuntimeError("server not started")
        if mode not in ("immediate", "fast", "smart"):
            raise ValueError(f"unknown stop mode {mode!r}")
        assert self.bindir and self.datadir
        argv = [self.bindir / "pg_ctl", "-D", self.datadir, "-m", mode, "-w", "-t", "60", "stop"]
        with contextlib.suppress(OSError, subprocess.SubprocessError, RuntimeError):
            self.run_as_pg_user(argv, check=False, timeout=90)
        self._kill_leftover_postmaster()
        self._halted = True

    def resume(self) -> PostgresServer:
        """Start a server stopped by :meth:`halt` again on the same port and
        data directory (crash recovery runs first after ``immediate``)."""
        if not self._running:
            raise RuntimeError("server not started")
        if not self._halted:
            return self
        error = self._pg_ctl_start()
        if error is not None:
            raise RuntimeError(error)
        self._halted = False
        return self

    @property
    def halted(self) -> bool:
        """True between :meth:`halt` and :meth:`resume`."""
        return bool(self._halted)

    def _atexit_stop(self) -> None:
        # A forked child inherits the atexit hook; only the creator may stop.
        if os.getpid() == self._owner_pid:
            self.stop()

    def _make_basedir(self) -> None:
        parent = Path(os.environ.get("XBORDER_PG_TMPDIR") or tempfile.gettempdir())
        if _is_root() and not _traversable_by_others(parent):
            parent = Path("/tmp")
        self.basedir = Path(tempfile.mkdtemp(prefix="xborder-pg-", dir=parent))
        if _is_root():
            pw = pwd.getpwnam(PG_OS_USER)
            os.chown(self.basedir, pw.pw_uid, pw.pw_gid)
        self.datadir = self.basedir / "data"
        self.logfile = self.basedir / "postgres.log"

    def _initdb(self) -> None:
        assert self.bindir and self.datadir
        argv = [
            self.bindir / "initdb",
            "-D", self.datadir,
            "-U", _SUPERUSER,
            "--auth=trust",
            "-E", "UTF8",
            "--locale=C",
        ]
        if not self.durable:
            argv.append("--no-sync")
        proc = self.run_as_pg_user(argv, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"initdb failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")

    def settings(self) -> dict[str, str]:
        """The server settings this instance writes (port excluded)."""
        settings = dict(_BASE_SETTINGS)
        settings["unix_socket_directories"] = str(self.basedir)
        if not self.durable:
            settings.update(_FAST_SETTINGS)
        settings.update(self.extra_settings)
        return settings

    def _write_conf(self) -> None:
        assert self.datadir
        settings = self.settings()
        settings["port"] = str(self.port)
        conf = self.datadir / "postgresql.conf"
        lines = ["", "# --- xborder test server settings ---"]
        lines += [f"{key} = {_conf_value(value)}" for key, value in settings.items()]
        # Later entries win, so re-appending on a port retry is fine.
        with open(conf, "a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")

    def _start_with_retries(self) -> None:
        attempts = 1 if self._fixed_port else _PORT_RETRIES
        for attempt in range(1, attempts + 1):
            if not self._fixed_port:
                self.port = _free_port()
            self._write_conf()
            error = self._pg_ctl_start()
            if error is None:
                return
            port_clash = "could not bind" in error or "already in use" in error
            if not port_clash or attempt == attempts:
                raise RuntimeError(error)
            self._pg_ctl_stop()
            self.logfile.unlink(missing_ok=True)  # type: ignore[union-attr]

    def _pg_ctl_start(self) -> str | None:
        """Run ``pg_ctl start``; return None on success or an error message."""
        assert self.bindir and self.datadir and self.logfile
        argv = [
            self.bindir / "pg_ctl",
            "-D", self.datadir,
            "-l", self.logfile,
            "-w", "-t", str(_START_TIMEOUT_S),
            "start",
        ]
        try:
            proc = self.run_as_pg_user(argv, check=False, timeout=_START_TIMEOUT_S + 30)
        except subprocess.TimeoutExpired:
            return f"pg_ctl start timed out\n{self.log_tail()}"
        if proc.returncode == 0:
            return None
        return (
            f"PostgreSQL failed to start on {self.host}:{self.port} "
            f"(pg_ctl exit {proc.returncode}).\n{proc.stdout}{proc.stderr}\n"
            f"--- tail of {self.logfile} ---\n{self.log_tail()}"
        )

    def _pg_ctl_stop(self) -> None:
        assert self.bindir and self.datadir
        argv = [self.bindir / "pg_ctl", "-D", self.datadir, "-m", "immediate", "-w", "-t", "30", "stop"]
        with contextlib.suppress(OSError, subprocess.SubprocessError, RuntimeError):
            self.run_as_pg_user(argv, check=False, timeout=60)
        self._kill_leftover_postmaster()

    def _kill_leftover_postmaster(self) -> None:
        """Last resort if pg_ctl could not stop the postmaster."""
        assert self.datadir
        try:
            pid = int((self.datadir / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return
        if pid <= 0 or not _pid_alive(pid):
            return
        try:
            os.kill(pid, signal.SIGQUIT)  # immediate shutdown
            for _ in range(50):
                if not _pid_alive(pid):
                    return
                time.sleep(0.1)
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass

    def log_tail(self, lines: int = _LOG_TAIL_LINES) -> str:
        """Last ``lines`` lines of the server log ('' if none)."""
        if self.logfile is None:
            return ""
        try:
            text = self.logfile.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    # -- connecting --------------------------------------------------------

    def url(self, dbname: str = "postgres", driver: str = "asyncpg") -> str:
        """SQLAlchemy-style URL; ``driver=""`` gives a plain libpq URL."""
        if self.port is None:
            raise RuntimeError("server not started")
        scheme = f"postgresql+{driver}" if driver else "postgresql"
        return f"{scheme}://{_SUPERUSER}@{self.host}:{self.port}/{dbname}"

    def run_as_pg_user(
        self, argv: Sequence[str | os.PathLike[str]], **kwargs: Any
    ) -> subprocess.CompletedProcess[str]:
        """:func:`run_as_pg_user` with cwd defaulting to the server's temp dir."""
        kwargs.setdefault("cwd", self.basedir or "/")
        return run_as_pg_user(argv, **kwargs)

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        """Run an SQL script with ``psql`` (autocommit, stop on first error).

        Statements are sent one at a time, so commands that cannot run in a
        transaction block (CREATE/DROP DATABASE) work.  Returns stdout.
        """
        if not self._running:
            raise RuntimeError("server not started")
        assert self.bindir
        argv = [
            os.fspath(self.bindir / "psql"),
            "-X", "-q", "-A", "-t",
            "-v", "ON_ERROR_STOP=1",
            "-h", self.host,
            "-p", str(self.port),
            "-U", _SUPERUSER,
            "-d", dbname,
        ]
        env = _clean_env()
        env["PGCONNECT_TIMEOUT"] = "10"
        proc = subprocess.run(argv, input=sql, capture_output=True, text=True, env=env, timeout=300)
        if proc.returncode != 0:
            raise RuntimeError(f"psql failed (exit {proc.returncode}) on {dbname!r}:\n{proc.stderr.strip()}")
        return proc.stdout

    def create_database(self, name: str, template: str | None = None) -> None:
        """``CREATE DATABASE name [TEMPLATE template]``.

        Cloning needs the template to have no other sessions; PostgreSQL
        waits up to 5 s for lingering ones before failing.
        """
        sql = f"CREATE DATABASE {_quote_ident(name)}"
        if template is not None:
            sql += f" TEMPLATE {_quote_ident(template)}"
        self.psql(sql + ";\n")

    def drop_database(self, name: str) -> None:
        """Terminate sessions on ``name`` and drop it (no error if missing)."""
        sql = (
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            f"WHERE datname = {_quote_literal(name)} AND pid <> pg_backend_pid();\n"
            f"DROP DATABASE IF EXISTS {_quote_ident(name)} WITH (FORCE);\n"
        )
        self.psql(sql)
