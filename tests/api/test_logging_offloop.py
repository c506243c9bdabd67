"""Logs leave the event loop (api/observability.py, #14): the ``xborder``
logger's handler only queues the record; a listener thread formats the JSON
line and writes it.  The line is the same as before (fields, extras,
traceback)."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import threading

from api import observability as O


class _Stream:
    """A stderr that records which thread wrote each line."""

    def __init__(self) -> None:
        self.writes: list[tuple[str, str]] = []

    def write(self, text: str) -> int:
        self.writes.append((threading.current_thread().name, text))
        return len(text)

    def flush(self) -> None:
        pass


def test_request_logs_are_formatted_and_written_by_the_listener_thread_not_the_loop(monkeypatch):
    logger = logging.getLogger("xborder")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    stream = _Stream()
    monkeypatch.setattr(sys, "stderr", stream)
    formatted_in: list[str] = []
    original = O.JsonFormatter.format

    def spy(self, record):
        formatted_in.append(threading.current_thread().name)
        return original(self, record)

    monkeypatch.setattr(O.JsonFormatter, "format", spy)
    try:
        O.configure_logging("json")
        assert [type(h) for h in logger.handlers] == [O.DeferredQueueHandler]

        async def on_the_loop() -> str:
            log = logging.getLogger("xborder.api")
            log.info("request", extra={"request_id": "r-1", "route": "/v1/ledgers/{ledger_id}/transactions", "status": 201, "duration_ms": 1.5})
            try:
                raise ValueError("bad thing")
            except ValueError:
                log.exception("failed %s", "posting", extra={"request_id": "r-2"})
            return threading.current_thread().name

        loop_thread = asyncio.run(on_the_loop())
        O._flush_logs()  # stops the listener: every queued record is written
    finally:
        logger.handlers[:], logger.level, logger.propagate = saved
    lines = [json.loads(text) for _, text in stream.writes if text.strip()]
    assert [(x["msg"], x["request_id"]) for x in lines] == [("request", "r-1"), ("failed posting", "r-2")]
    assert lines[0]["status"] == 201 and lines[0]["route"] == "/v1/ledgers/{ledger_id}/transactions" and lines[0]["level"] == "info"
    assert "ValueError: bad thing" in lines[1]["exc"]
    assert formatted_in and loop_thread not in formatted_in
    assert {thread for thread, _ in stream.writes} and loop_thread not in {thread for thread, _ in stream.writes}
