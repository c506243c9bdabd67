"""Request ids, structured JSON logs and Prometheus metrics.

Logs leave the event loop: the ``xborder`` logger's only handler is a
:class:`DeferredQueueHandler` that puts the record on a queue (the message
interpolated, nothing else formatted); a :class:`logging.handlers.QueueListener`
thread formats the JSON line and writes it to stderr.  A request's log line
costs the loop a queue put, never a blocking write.
"""

from __future__ import annotations

import atexit
import copy
import hmac
import json
import logging
import logging.handlers
import queue
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,64}$")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg and any extras."""

    _skip = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for k, v in record.__dict__.items():
            if k not in self._skip and not k.startswith("_"):
                out[k] = v
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:  # formatted before the record left its thread
            out["exc"] = record.exc_text
        return json.dumps(out, default=str, ensure_ascii=False)


class DeferredQueueHandler(logging.handlers.QueueHandler):
    """Puts a copy of the record on the queue with its message interpolated
    and its traceback, if any, as text (the frames do not outlive the call);
    the JSON formatting is the listener thread's (unlike
    :class:`~logging.handlers.QueueHandler`, which formats in the caller)."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        record = copy.copy(record)
        record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        return record


_listener: logging.handlers.QueueListener | None = None


def configure_logging(fmt: str = "json", level: int = logging.INFO) -> None:
    """The ``xborder`` logger writes ``fmt`` lines to stderr from a listener
    thread (see the module's docstring); called again, it replaces them."""
    global _listener
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    if _listener is not None:
        _listener.stop()
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    _listener = logging.handlers.QueueListener(records, handler)
    _listener.start()
    root = logging.getLogger("xborder")
    root.handlers[:] = [DeferredQueueHandler(records)]
    root.setLevel(level)
    root.propagate = False


@atexit.register
def _flush_logs() -> None:
    """Write what the listener has not written yet before the process ends."""
    global _listener
    if _listener is not None:
        _listener.stop()
        _listener = None


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "xborder_http_request_duration_seconds", "HTTP request latency", ["method", "route", "status"], registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.postings = Counter("xborder_postings_total", "Ledger transactions posted through the API (rate() gives postings per second)", registry=self.registry)
        self.outbox_backlog = Gauge("xborder_outbox_backlog", "Outbox events not yet dispatched plus webhook deliveries pending", registry=self.registry)


def metrics_refusal(headers, token: str | None) -> tuple[int, str] | None:
    """Why ``GET /metrics`` is not answered (status and problem code), or
    None: it needs ``Authorization: Bearer <XBORDER_METRICS_TOKEN>``
    (compared in constant time); without the setting it does not exist (404)."""
    if not token:
        return 404, "not_found"
    header = headers.get("authorization")
    if not header:
        return 401, "credentials_missing"
    scheme, _, given = header.partition(" ")
    if not hmac.compare_digest(given.strip().encode(), token.encode()) or scheme.lower() != "bearer":
        return 401, "credentials_invalid"
    return None


def request_id_from(headers) -> str:
    rid = headers.get("x-request-id")
    if rid and _REQUEST_ID.match(rid):
        return rid
    return uuid.uuid4().hex


def now_ms() -> float:
    return time.perf_counter() * 1000
