"""Bank statement parsers: camt.053/camt.054 (ISO 20022), MT940, CSV.

Every parser yields a flat stream of :data:`recon.model.StatementEvent`:
a :class:`StatementHeader`, its :class:`StatementEntry` items, a
:class:`StatementFooter`, repeated for each statement of the file.  Amounts
are signed minor units (+ credit, - debit), converted exactly (never
rounded).  A file that cannot be read raises
:class:`recon.model.StatementRejected` naming the line (and for XML the
element path).  Parsers stream: memory is constant in the number of entries.

Because they stream, events may already have been yielded when a fault
further down the file is found; the importer must keep nothing of a file
whose iteration raised (one transaction per import).

Entries that are not booked (camt ``Sts`` ``PDNG``/``INFO``/``FUTR``) are
not yielded; :class:`StatementStream` counts them (``stats``) so the
importer can report them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from ..model import StatementEvent, StatementHeader, StatementRejected
from .camt import ParseStats, parse_camt
from .csvfmt import CsvMapping, parse_csv
from .mt940 import parse_mt940

__all__ = [
    "FORMATS",
    "CsvMapping",
    "ParseStats",
    "StatementStream",
    "detect_format",
    "parse_statement",
]

FORMATS = ("camt.053", "camt.054", "mt940", "csv")
HEAD_BYTES = 8192
_CAMT_NS_RE = re.compile(rb"urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.\d{2}")
_MT940_RE = re.compile(rb"(?m)^(\{1:|:940:|:[0-9]{2}[A-Z]?:)")


def detect_format(head: bytes) -> str:
    """The format of a file from its first bytes (a few KB).

    XML whose namespace is a camt.053/054 one is that; XML of anything else
    is refused; a line starting with ``:20:`` (or a SWIFT ``{1:`` block)
    means MT940; anything else is taken for CSV (which needs a mapping).
    """
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        m = _CAMT_NS_RE.search(head)
        if m:
            return m.group(1).decode()
        if b"BkToCstmrDbtCdtNtfctn" in head:
            return "camt.054"
        if b"BkToCstmrStmt" in head:
            return "camt.053"
        raise StatementRejected("XML that is not a camt.053/camt.054 statement", format="unknown", position="line 1")
    if _MT940_RE.search(head):
        return "mt940"
    return "csv"


class _Prefixed(io.RawIOBase):
    """A binary stream that first returns ``head`` and then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = memoryview(head)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = len(buffer)
        if self._head.nbytes:
            k = min(n, self._head.nbytes)
            buffer[:k] = self._head[:k]
            self._head = self._head[k:]
            return k
        data = self._stream.read(n)
        buffer[: len(data)] = data
        return len(data)


class StatementStream:
    """The events of one file; ``stats`` fills in as they are consumed."""

    def __init__(self, events: Iterator[StatementEvent], fmt: str, stats: ParseStats) -> None:
        self._events = events
        self.format = fmt
        self.stats = stats

    def __iter__(self) -> StatementStream:
        return self

    def __next__(self) -> StatementEvent:
        return next(self._events)

    def close(self) -> None:
        close = getattr(self._events, "close", None)
        if close:
            close()


def parse_statement(
    stream: BinaryIO,
    *,
    fmt: str | None = None,
    csv_mapping: CsvMapping | None = None,
    encoding: str | None = None,
) -> StatementStream:
    """Parse a statement file (binary stream) into events, lazily.

    ``fmt`` forces the format; without it the first bytes decide
    (:func:`detect_format`).  ``csv_mapping`` is required for CSV.
    ``encoding`` is a hint for MT940 (UTF-8, then Latin-1 otherwise).
    """
    if fmt is None:
        head = b""
        while len(head) < HEAD_BYTES:  # a pipe may return short reads
            chunk = stream.read(HEAD_BYTES - len(head))
            if not isinstance(chunk, (bytes, bytearray)):
                raise TypeError("parse_statement needs a binary stream")
            if not chunk:
                break
            head += chunk
        fmt = detect_format(head)
        stream = io.BufferedReader(_Prefixed(head, stream))
    if fmt not in FORMATS:
        raise StatementRejected(f"unknown format {fmt!r}", format=str(fmt), position="line 1")
    stats = ParseStats()
    if fmt in ("camt.053", "camt.054"):
        events = _checked_camt(stream, fmt, stats)
    elif fmt == "mt940":
        events = parse_mt940(stream, encoding=encoding)
    else:
        if csv_mapping is None:
            raise StatementRejected("a CSV statement needs a column mapping", format="csv", position="line 1")
        events = parse_csv(stream, csv_mapping)
    return StatementStream(events, fmt, stats)


def _checked_camt(stream: BinaryIO, fmt: str, stats: ParseStats) -> Iterator[StatementEvent]:
    for event in parse_camt(stream, stats=stats):
        if isinstance(event, StatementHeader) and event.format != fmt:
            raise StatementRejected(f"the file is {event.format}, not {fmt}", format=fmt, position=event.position or "line 1")
        yield event
