"""Tamper evidence: recompute a ledger's hash chain, check its signed
checkpoints and stored balances; sign checkpoints of the chain head."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, case, select
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import chain as chainmod
from .. import errors as E
from ..clock import utc_now
from ..ids import uuid7
from ..model import VerifyReport
from ..schema import accounts, chain_checkpoints, ledgers, postings, transactions
from .core import AnyRow, LedgerCore, exact_sum, joined_sum, utc

#: a posting as the canonical form names it: line, account, currency, amount, phase
_Line = tuple[int, UUID, str, int, str]


class VerificationMixin(LedgerCore):
    """Chain verification and signed checkpoints."""

    @property
    def signer(self) -> chainmod.CheckpointSigner:
        if self._signer is None:
            self._signer = chainmod.CheckpointSigner.from_settings(self.settings)
        return self._signer

    async def verify(self, institution_id: UUID, ledger_id: UUID, *, check_balances: bool = True, chunk: int = 2000) -> VerifyReport:
        """Recompute the hash chain of a ledger and name the first altered or
        missing transaction; check the signed checkpoints; optionally check
        that every account's stored balances equal the sum of its postings."""
        async with self.engine.connect() as conn:
            head = (await conn.execute(select(ledgers).where(ledgers.c.id == ledger_id, ledgers.c.institution_id == institution_id))).first()
            if head is None:
                raise E.LedgerNotFound(ledger_id)
            report = VerifyReport(ledger_id, True, 0, head.chain_seq)
            cps = (await conn.execute(select(chain_checkpoints).where(chain_checkpoints.c.ledger_id == ledger_id))).all()
            walk = _ChainWalk(report, {c.seq for c in cps})
            if not await walk.run(conn, ledger_id, chunk):
                return report
            if walk.expected_seq - 1 != head.chain_seq or walk.prev_hash != head.chain_head:
                return _bad(
                    report, walk.expected_seq, None,
                    f"chain head says #{head.chain_seq}; transactions after #{walk.expected_seq - 1} are missing or the head was altered",
                )
            if not _check_checkpoints(report, ledger_id, cps, walk.hashes):
                return report
            if check_balances:
                report.balance_problems = await _check_balances(conn, ledger_id)
                if report.balance_problems:
                    report.ok = False
                    report.problem = report.balance_problems[0]
            return report

    async def checkpoint(self, institution_id: UUID, ledger_id: UUID) -> dict[str, Any]:
        """Sign the current chain head with the configured Ed25519 key."""
        signer = self.signer
        now = utc_now()

        async def work(conn: AsyncConnection) -> dict[str, Any]:
            head = (await conn.execute(select(ledgers).where(ledgers.c.id == ledger_id, ledgers.c.institution_id == institution_id))).first()
            if head is None:
                raise E.LedgerNotFound(ledger_id)
            existing = (await conn.execute(select(chain_checkpoints).where(chain_checkpoints.c.ledger_id == ledger_id, chain_checkpoints.c.seq == head.chain_seq))).first()
            if existing is not None:
                return dict(existing._mapping)
            sig = signer.sign(ledger_id, head.chain_seq, head.chain_head, now)
            row: dict[str, Any] = dict(
                id=uuid7(), institution_id=institution_id, ledger_id=ledger_id, seq=head.chain_seq, head_hash=head.chain_head,
                created_at=now, key_id=signer.key_id, public_key=signer.public_key_hex, signature=sig,
            )
            await conn.execute(chain_checkpoints.insert().values(**row))
            return row

        return await self._tx(work)


@dataclass
class _ChainWalk:
    """Walks a ledger's transactions in ``seq`` order, recomputing each hash
    from its content and the previous hash; stops at the first problem,
    which it records on ``report``."""

    report: VerifyReport
    checkpoint_seqs: set[int]
    prev_hash: str = chainmod.GENESIS
    expected_seq: int = 1
    #: recomputed hashes at the checkpointed sequence numbers
    hashes: dict[int, str] = field(default_factory=dict)

    async def run(self, conn: AsyncConnection, ledger_id: UUID, chunk: int) -> bool:
        """Check every transaction of the ledger; False at the first problem."""
        after = 0
        while True:
            rows, lines = await _load_chunk(conn, ledger_id, after, chunk)
            if not rows:
                return True
            for r in rows:
                if not self.check(r, lines[r.id]):
                    return False
            after = rows[-1].seq

    def check(self, r: AnyRow, lines: list[_Line]) -> bool:
        """Check one transaction against the chain so far, then extend it."""
        if r.seq != self.expected_seq:
            _bad(self.report, self.expected_seq, None, f"transaction #{self.expected_seq} is missing (next found is #{r.seq})")
            return False
        canonical = chainmod.canonical_transaction(
            id=r.id,
            ledger_id=r.ledger_id,
            seq=r.seq,
            kind=r.kind,
            effective_date=r.effective_date,
            recorded_at=r.recorded_at,
            description=r.description,
            metadata=r.metadata or {},
            pending_id=r.pending_id,
            reverses_id=r.reverses_id,
            expires_at=r.expires_at,
            idempotency_key=r.idempotency_key,
            postings=lines,
        )
        if r.prev_hash != self.prev_hash:
            _bad(self.report, r.seq, r.id, "previous-hash link broken (a transaction before it was altered or removed)")
            return False
        computed = chainmod.chain_hash(self.prev_hash, canonical)
        if computed != r.hash:
            _bad(self.report, r.seq, r.id, "content does not match its hash (the transaction or one of its postings was altered)")
            return False
        if r.seq in self.checkpoint_seqs:
            self.hashes[r.seq] = computed
        self.prev_hash = computed
        self.expected_seq += 1
        self.report.transactions_checked += 1
        return True


async def _load_chunk(conn: AsyncConnection, ledger_id: UUID, after: int, chunk: int) -> tuple[Sequence[AnyRow], dict[UUID, list[_Line]]]:
    """The next ``chunk`` transactions after ``after`` and their postings."""
    rows = (
        await conn.execute(
            select(transactions).where(transactions.c.ledger_id == ledger_id, transactions.c.seq > after).order_by(transactions.c.seq).limit(chunk)
        )
    ).all()
    ids = [r.id for r in rows]
    lines: dict[UUID, list[_Line]] = {i: [] for i in ids}
    if not ids:
        return rows, lines
    for p in await conn.execute(
        select(postings.c.transaction_id, postings.c.line_no, postings.c.account_id, postings.c.currency, postings.c.amount, postings.c.phase)
        .where(postings.c.transaction_id.in_(ids))
        .order_by(postings.c.transaction_id, postings.c.line_no)
    ):
        lines[p.transaction_id].append((p.line_no, p.account_id, p.currency, p.amount, p.phase))
    return rows, lines


def _check_checkpoints(report: VerifyReport, ledger_id: UUID, cps: Sequence[AnyRow], hashes: dict[int, str]) -> bool:
    """Each checkpoint's signature and its hash against the recomputed chain."""
    for c in cps:
        if not chainmod.CheckpointSigner.verify(c.public_key, c.signature, ledger_id, c.seq, c.head_hash, utc(c.created_at)):
            _bad(report, c.seq, None, f"checkpoint at #{c.seq} has an invalid signature")
            return False
        if hashes.get(c.seq) != c.head_hash:
            _bad(report, c.seq, None, f"transaction #{c.seq} does not match the signed checkpoint")
            return False
        report.checkpoints_checked += 1
    return True


def _bad(report: VerifyReport, seq: int, tx: UUID | None, problem: str) -> VerifyReport:
    report.ok = False
    report.first_bad_seq = seq
    report.first_bad_transaction = tx
    report.problem = problem
    return report


def _sum_where(cond: ColumnElement[bool], value: ColumnElement[Any]) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """The two parts (:func:`exact_sum`) of ``sum(case when cond then value else 0 end)``."""
    return exact_sum(case((cond, value), else_=0))


async def _check_balances(conn: AsyncConnection, ledger_id: UUID) -> list[str]:
    """Stored account balances against the sums of postings."""
    p = postings
    pos = p.c.amount > 0
    posted, hold, release = p.c.phase == "posted", p.c.phase == "hold", p.c.phase == "release"
    q = (
        select(
            accounts.c.id,
            accounts.c.code,
            accounts.c.debits_posted,
            accounts.c.credits_posted,
            accounts.c.debits_pending,
            accounts.c.credits_pending,
            *_sum_where(and_(posted, pos), p.c.amount),
            *_sum_where(and_(posted, ~pos), -p.c.amount),
            *_sum_where(and_(hold, pos), p.c.amount),
            *_sum_where(and_(release, ~pos), p.c.amount),
            *_sum_where(and_(hold, ~pos), -p.c.amount),
            *_sum_where(and_(release, pos), p.c.amount),
        )
        .select_from(accounts.outerjoin(p, p.c.account_id == accounts.c.id))
        .where(accounts.c.ledger_id == ledger_id)
        .group_by(accounts.c.id, accounts.c.code, accounts.c.debits_posted, accounts.c.credits_posted, accounts.c.debits_pending, accounts.c.credits_pending)
    )
    problems = []
    for r in await conn.execute(q):
        stored = (r[2], r[3], r[4], r[5])
        s = [joined_sum(r[n], r[n + 1]) for n in range(6, 18, 2)]
        summed = (s[0], s[1], s[2] + s[3], s[4] - s[5])
        if stored != summed:
            problems.append(f"account {r[1]} ({r[0]}): stored debits/credits posted/pending {stored} != sum of postings {summed}")
    return problems
