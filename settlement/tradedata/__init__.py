"""Trade data intake and the three-document match (S2), and the national
evidence registry.

Platforms push orders, logistics waybills, payment records and returns /
refunds, one at a time, in bulk, or as NDJSON / CSV files.  Records are
idempotent by (institution, platform, external id): pushing one again is
counted as a duplicate and changes nothing.  A record that cannot be accepted
is rejected with a reason and *held* in ``trade_rejects`` with its raw
content, encrypted with the personal-data key (:mod:`.secrecy`); the others
still go in.  Files are read and written in chunks (one
database transaction per chunk), so memory stays bounded whatever the size.

The three-document match marks each order ``matched`` (order, waybill and
payment all exist and agree: merchant, currency, amount within the
configured tolerance, dates in order), ``partial`` (nothing disagrees but a
document is missing) or ``mismatched`` (something disagrees), with the
reason.  It runs at ingest for every order the new records touch.

Evidence: a receipt or an exempt conversion cites orders; its coverage is
the value of the matched, unreturned orders it cites.  The registry shared
by every institution (``evidence_registry``) makes sure an order's value
backs one receipt anywhere: consumption is a conditional update
(``consumed + x <= value``) on a row keyed by a hash of "platform|order".

The package's parts:

* :mod:`.model`       record types, constants, errors
* :mod:`.validation`  raw record -> typed record, or a reject with the reason
* :mod:`.uploads`     NDJSON / CSV files, streamed
* :mod:`.intake`      chunked, idempotent ingest; held rejects; refunds
* :mod:`.matching`    the three-document match
* :mod:`.registry`    the shared evidence registry (keyed by an HMAC under the registry key): claims and releases
* :mod:`.secrecy`     held records encrypted at rest
* :mod:`.queries`     orders, their documents, held records

The names below are the package's public interface.
"""

from __future__ import annotations

from .intake import INGESTERS, ingest_orders, ingest_payments, ingest_refunds, ingest_waybills, record_refund
from .matching import evaluate_match, match_orders, match_tolerance
from .model import (
    KINDS,
    MATCH_STATUSES,
    MATCHED,
    MAX_BULK_RECORDS,
    MAX_REPORTED_REJECTS,
    MISMATCHED,
    PARTIAL,
    REFUND_KINDS,
    ClaimRequest,
    EvidenceClaim,
    IngestReport,
    OrderIn,
    OrderNotFound,
    OrderRef,
    PaymentIn,
    RecordRejected,
    RefundIn,
    RefundResult,
    WaybillIn,
)
from .queries import get_order, list_orders, list_rejects
from .registry import claim_evidence, claim_evidence_many, evidence_key, release_evidence
from .uploads import ingest_file
from .validation import parse_record

__all__ = [
    "INGESTERS", "KINDS", "MATCHED", "MATCH_STATUSES", "MAX_BULK_RECORDS", "MAX_REPORTED_REJECTS", "MISMATCHED", "PARTIAL", "REFUND_KINDS",
    "ClaimRequest", "EvidenceClaim", "IngestReport", "OrderIn", "OrderNotFound", "OrderRef", "PaymentIn", "RecordRejected", "RefundIn",
    "RefundResult", "WaybillIn", "claim_evidence", "claim_evidence_many", "evaluate_match", "evidence_key", "get_order", "ingest_file",
    "ingest_orders", "ingest_payments", "ingest_refunds", "ingest_waybills", "list_orders", "list_rejects", "match_orders", "match_tolerance",
    "parse_record", "record_refund", "release_evidence",
]
