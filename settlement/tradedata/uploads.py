"""Uploaded trade data files: NDJSON (one JSON object per line) or CSV (the
record's field names as columns), read as a stream of raw records and
ingested in chunks, so memory stays bounded whatever the size."""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import os
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import IO, Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from ledger.errors import InvalidInput

from .intake import ingest_items
from .model import KINDS, MAX_REPORTED_REJECTS, IngestReport
from .validation import Unparsed


def detect_format(name: str | None, first_line: str) -> str:
    if name:
        ext = os.path.splitext(name.lower())[1]
        if ext in (".ndjson", ".jsonl", ".json"):
            return "ndjson"
        if ext == ".csv":
            return "csv"
    return "ndjson" if first_line.lstrip().startswith("{") else "csv"


def text_lines(stream: IO[Any]) -> Iterator[str]:
    """Lines of a text or binary stream, decoded as UTF-8 (a BOM is skipped)."""
    probe = stream.read(0)
    if isinstance(probe, bytes):
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
        try:
            # not ``yield from text``: closing this generator early would
            # close the wrapper, and with it the caller's stream
            yield from iter(text.readline, "")
        finally:
            # leave the caller's stream open (it may already be closed when an
            # abandoned generator is finalized: nothing to detach then)
            with contextlib.suppress(ValueError):
                text.detach()
    else:
        yield from stream


_JSON = json.JSONDecoder(parse_float=Decimal)  # decimals stay exact, never floats


def ndjson_records(lines: Iterator[str]) -> Iterator[Any]:
    for lineno, line in enumerate(lines, 1):
        s = line.strip()
        if not s:
            continue
        try:
            obj = _JSON.decode(s)
        except ValueError as exc:
            # a JSONDecodeError has .msg; int() beyond 4,300 digits raises a plain ValueError
            yield Unparsed(s, f"line {lineno}: malformed JSON ({getattr(exc, 'msg', None) or exc})")
            continue
        yield obj if isinstance(obj, dict) else Unparsed(s, f"line {lineno}: not a JSON object")


def csv_records(lines: Iterator[str]) -> Iterator[Any]:
    reader = csv.DictReader(lines)
    try:
        if reader.fieldnames is None:
            return
    except csv.Error as exc:
        raise InvalidInput(f"unreadable CSV header: {exc}") from None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a NUL byte or an oversized field: reject the line, read on
            yield Unparsed("", f"line {reader.line_num}: unreadable CSV ({exc})")
            continue
        extra = row.pop(None, None)
        rec = {k.strip(): v for k, v in row.items() if k is not None and v not in (None, "")}
        if extra:
            yield Unparsed(json.dumps(rec, ensure_ascii=False, sort_keys=True), f"line {reader.line_num}: more fields than the header names")
        else:
            yield rec


async def ingest_file(
    engine: AsyncEngine,
    institution_id: UUID,
    platform_code: str,
    kind: str,
    path_or_stream: str | os.PathLike[str] | IO[Any],
    chunk_size: int = 2000,
    progress: Callable[[int], Any] | None = None,
    *,
    format: str | None = None,
) -> IngestReport:
    """Ingest an NDJSON or CSV file of ``kind`` records, streaming: records
    are read and written ``chunk_size`` at a time (one database transaction
    each), so memory does not grow with the file.  The format comes from
    ``format``, else the file name's extension, else the first character
    (``{`` = NDJSON).  CSV columns are the record's field names; amounts as
    ``amount`` (decimal) or ``amount_minor``.  ``progress(n)`` is called
    with the number of records read after each chunk.  Re-ingesting a file
    is idempotent; rejected records are held with their line and reason."""
    if kind not in KINDS:
        raise InvalidInput(f"trade data kind must be one of {', '.join(KINDS)}", kind=str(kind))
    if format not in (None, "ndjson", "csv"):
        raise InvalidInput("format must be ndjson or csv", format=str(format))
    own = isinstance(path_or_stream, (str, os.PathLike))
    stream: IO[Any] = open(path_or_stream, "rb") if isinstance(path_or_stream, (str, os.PathLike)) else path_or_stream  # noqa: SIM115 - closed below
    name = str(path_or_stream) if own else getattr(stream, "name", None)
    try:
        lines = text_lines(stream)
        first = next(lines, None)
        if first is None:
            return IngestReport(kind)
        first = first.lstrip("\ufeff")  # a byte-order mark in a text stream
        fmt = format or detect_format(name if isinstance(name, str) else None, first)
        if fmt == "ndjson" and first.lstrip().startswith("["):
            raise InvalidInput("a JSON array is not streamed: send one JSON object per line (NDJSON)")
        all_lines = itertools.chain([first], lines)
        records = ndjson_records(all_lines) if fmt == "ndjson" else csv_records(all_lines)
        return await ingest_items(
            engine, institution_id, platform_code, kind, enumerate(records), chunk_size=chunk_size, progress=progress, max_reported=MAX_REPORTED_REJECTS
        )
    finally:
        if own:
            stream.close()
