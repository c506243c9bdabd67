"""Maker-checker proposals: manual matches, splits, adjustments and bank
charges (fees), approved or rejected by a second person."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Row, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger import errors as E
from ledger.clock import business_today, utc_now
from ledger.events import emit_event, record_audit
from ledger.ids import uuid7
from ledger.model import NewTransaction, Posting
from ledger.money import format_minor
from ledger.posting import post_batch
from ledger.schema import accounts as accounts_t
from ledger.schema import postings as postings_t

from .. import model as M
from ..secrecy import reveal, seal
from ..tables import (
    recon_accounts,
    recon_line_parts,
    recon_lines,
    recon_match_entries,
    recon_match_lines,
    recon_matches,
    recon_proposals,
)
from .common import (
    Actor,
    AlreadyMatched,
    ApproverRoleRequired,
    EntryKey,
    MatchDoesNotBalance,
    Proposal,
    ProposalInconsistent,
    ProposalNotPending,
    ReconAccount,
    SelfApprovalRefused,
    ServiceBase,
    _account,
    _audit_payload,
    _charge_tolerance,
    _parse_entry_id,
    _parse_line_id,
    entry_id,
    signed_amount,
)


class ProposalsMixin(ServiceBase):
    """Propose, approve and reject reconciliation actions."""

    # -- maker-checker --------------------------------------------------------------------------------

    async def propose(
        self, institution_id: UUID, *, kind: str, maker: Actor, line_ids: Sequence[str] = (), entry_ids: Sequence[str] = (),
        parts: Sequence[dict[str, Any]] = (), adjustment: dict[str, Any] | None = None, note: str = "",
    ) -> Proposal:
        """Record a manual match, split or adjustment for a second person to approve.

        Checked now and again at approval: the lines are open, the entries
        unmatched, and the amounts add up (manual match: lines = entries, or
        within the bank-charges tolerance; split: the parts add up to the
        line).  Nothing is matched or posted until approval."""
        if kind not in ("manual_match", "split", "adjustment"):
            raise E.InvalidInput("kind must be manual_match, split or adjustment", field="kind")
        if not (maker.roles & {"finance", "approver", "admin"}):
            raise E.LedgerError("only finance staff may propose reconciliation actions", role=sorted(maker.roles))
        line_uuids = [_parse_line_id(x) for x in line_ids]
        entry_keys = [_parse_entry_id(x) for x in entry_ids]
        if len(set(line_uuids)) != len(line_uuids) or len(set(entry_keys)) != len(entry_keys):
            raise ProposalInconsistent("the same line or entry is listed twice", field="line_ids")
        payload: dict[str, Any] = {"line_ids": [str(x) for x in line_uuids], "entry_ids": [entry_id(*k) for k in entry_keys]}
        async with self.engine.connect() as conn:
            acct = await self._account_of(conn, institution_id, line_uuids, entry_keys, adjustment)
            await self._check_available(conn, institution_id, acct, line_uuids, entry_keys)
            if kind == "manual_match":
                payload["difference_minor"] = await self._check_match_sums(conn, acct, line_uuids, entry_keys)
            elif kind == "split":
                payload["parts"] = await self._check_split(conn, acct, line_uuids, entry_keys, parts)
            else:
                payload["adjustment"] = await self._check_adjustment(conn, institution_id, acct, line_uuids, entry_keys, adjustment or {})
        pid = uuid7()
        now = utc_now()

        async def work(conn: AsyncConnection) -> None:
            await conn.execute(recon_proposals.insert().values(
                id=pid, institution_id=institution_id, recon_account_id=acct.id, kind=kind, status="pending", maker_id=maker.id[:128], maker_name=(maker.name or maker.id)[:128],
                approver_id=None, approver_name=None, decided_at=None, payload=payload, note=(note or "")[:500], reason=None, transaction_id=None, match_id=None, created_at=now,
            ))
            await record_audit(conn, institution_id=institution_id, actor_type="user", actor_id=maker.id, action="recon.proposal_created", object_type="recon_proposal",
                               object_id=str(pid), after={"kind": kind, **_audit_payload(payload, acct.currency)})
            await emit_event(conn, institution_id, "recon.proposal_created", {"proposal_id": str(pid), "kind": kind})

        await self._tx(work)
        return await self.get_proposal(institution_id, pid)

    async def _account_of(self, conn: AsyncConnection, institution_id: UUID, line_uuids: Sequence[UUID], entry_keys: Sequence[EntryKey], adjustment: dict[str, Any] | None) -> ReconAccount:
        acct_ids: set[UUID] = set()
        if line_uuids:
            rows = (await conn.execute(select(recon_lines.c.id, recon_lines.c.recon_account_id).where(recon_lines.c.id.in_(line_uuids), recon_lines.c.institution_id == institution_id))).all()
            found = {r.id for r in rows}
            for lid in line_uuids:
                if lid not in found:
                    raise E.NotFound("statement line", lid)
            acct_ids |= {r.recon_account_id for r in rows}
        if entry_keys:
            posting_rows = (await conn.execute(select(postings_t.c.transaction_id, postings_t.c.line_no, postings_t.c.account_id).where(
                postings_t.c.transaction_id.in_(sorted({k[0] for k in entry_keys})), postings_t.c.institution_id == institution_id))).all()
            by_key = {(r.transaction_id, r.line_no): r.account_id for r in posting_rows}
            ledger_accounts = set()
            for k in entry_keys:
                if k not in by_key:
                    raise E.NotFound("ledger entry", entry_id(*k))
                ledger_accounts.add(by_key[k])
            accts = (await conn.execute(select(recon_accounts.c.id, recon_accounts.c.ledger_account_id).where(
                recon_accounts.c.ledger_account_id.in_(sorted(ledger_accounts)), recon_accounts.c.institution_id == institution_id))).all()
            if len(accts) != len(ledger_accounts):
                raise ProposalInconsistent("a ledger entry is not on an account under reconciliation", field="entry_ids")
            acct_ids |= {r.id for r in accts}
        if not acct_ids and adjustment and adjustment.get("recon_account_id"):
            try:
                acct_ids.add(UUID(str(adjustment["recon_account_id"])))
            except ValueError:
                raise E.InvalidInput("recon_account_id is not a UUID", field="recon_account_id") from None
        if not acct_ids:
            raise ProposalInconsistent("name at least one statement line or ledger entry (or the account of an adjustment)", field="line_ids")
        if len(acct_ids) > 1:
            raise ProposalInconsistent("lines and entries must belong to one reconciled account", field="line_ids")
        row = (await conn.execute(select(recon_accounts).where(recon_accounts.c.id == acct_ids.pop(), recon_accounts.c.institution_id == institution_id))).first()
        if row is None:
            raise E.NotFound("reconciled account", adjustment.get("recon_account_id") if adjustment else "?")
        return _account(row)

    async def _check_available(self, conn: AsyncConnection, institution_id: UUID, acct: ReconAccount, line_uuids: Sequence[UUID], entry_keys: Sequence[EntryKey], *, ignore_proposal: UUID | None = None) -> None:
        if line_uuids:
            rows = (await conn.execute(select(recon_lines.c.id, recon_lines.c.status).where(recon_lines.c.id.in_(line_uuids)))).all()
            taken = [str(r.id) for r in rows if r.status != "open"]
            if taken:
                raise AlreadyMatched("statement line already matched or split", line_ids=taken)
        if entry_keys:
            rows = (await conn.execute(select(recon_match_entries.c.transaction_id, recon_match_entries.c.line_no).where(
                recon_match_entries.c.transaction_id.in_(sorted({k[0] for k in entry_keys}))))).all()
            wanted = set(entry_keys)
            taken = [entry_id(r.transaction_id, r.line_no) for r in rows if (r.transaction_id, r.line_no) in wanted]
            if taken:
                raise AlreadyMatched("ledger entry already matched", entry_ids=taken)
        # an item may sit in one pending proposal at a time
        pending = (await conn.execute(select(recon_proposals.c.id, recon_proposals.c.payload).where(
            recon_proposals.c.institution_id == institution_id, recon_proposals.c.status == "pending", recon_proposals.c.kind != "fee"))).all()
        mine = {str(x) for x in line_uuids} | {entry_id(*k) for k in entry_keys}
        for p in pending:
            if p.id == ignore_proposal:
                continue
            busy = mine & (set(p.payload.get("line_ids", [])) | set(p.payload.get("entry_ids", [])))
            if busy:
                raise AlreadyMatched("already in a pending proposal", proposal_id=str(p.id), ids=sorted(busy))

    async def _line_sum(self, conn: AsyncConnection, line_uuids: Sequence[UUID]) -> tuple[int, Sequence[Row[Any]]]:
        if not line_uuids:
            return 0, []
        rows = (await conn.execute(select(recon_lines).where(recon_lines.c.id.in_(line_uuids)))).all()
        return sum(int(r.amount_minor) for r in rows), rows

    async def _entry_sum(self, conn: AsyncConnection, acct: ReconAccount, entry_keys: Sequence[EntryKey]) -> int:
        entries = await self._unmatched_entries(conn, acct, only=entry_keys)
        if len(entries) != len(entry_keys):
            got = {e.id for e in entries}
            missing = [entry_id(*k) for k in entry_keys if entry_id(*k) not in got]
            raise AlreadyMatched("ledger entry not available for matching", entry_ids=missing)
        return sum(e.amount_minor for e in entries)

    async def _check_match_sums(self, conn: AsyncConnection, acct: ReconAccount, line_uuids: Sequence[UUID], entry_keys: Sequence[EntryKey]) -> int:
        if not line_uuids or not entry_keys:
            raise ProposalInconsistent("a manual match needs at least one statement line and one ledger entry", field="line_ids")
        lines_total, _ = await self._line_sum(conn, line_uuids)
        entries_total = await self._entry_sum(conn, acct, entry_keys)
        diff = lines_total - entries_total
        if diff != 0:
            tol = _charge_tolerance(acct.config, acct.currency, entries_total)
            if not (diff < 0 and -diff <= tol and acct.fee_account_id is not None):
                raise MatchDoesNotBalance(
                    f"statement lines total {format_minor(lines_total, acct.currency)} but ledger entries {format_minor(entries_total, acct.currency)} {acct.currency}",
                    lines_total=format_minor(lines_total, acct.currency), entries_total=format_minor(entries_total, acct.currency),
                    difference=format_minor(diff, acct.currency), tolerance=format_minor(tol, acct.currency), currency=acct.currency,
                )
        return diff

    async def _check_split(self, conn: AsyncConnection, acct: ReconAccount, line_uuids: Sequence[UUID], entry_keys: Sequence[EntryKey], parts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(line_uuids) != 1 or entry_keys:
            raise ProposalInconsistent("a split names exactly one statement line and no ledger entries", field="line_ids")
        total, rows = await self._line_sum(conn, line_uuids)
        amounts = []
        for i, part in enumerate(parts or []):
            a: Any = None
            if isinstance(part, dict):
                a = signed_amount(part["amount"], acct.currency, field=f"parts[{i}].amount") if "amount" in part else part.get("amount_minor")
            if not isinstance(a, int) or isinstance(a, bool) or a == 0 or (a > 0) != (total > 0):
                raise ProposalInconsistent(f"parts[{i}].amount must be a non-zero amount with the line's sign", field=f"parts[{i}].amount")
            amounts.append(a)
        if len(amounts) < 2:
            raise ProposalInconsistent("a split has at least two parts", field="parts")
        if sum(amounts) != total:
            raise MatchDoesNotBalance(
                f"parts total {format_minor(sum(amounts), acct.currency)} but the line is {format_minor(total, acct.currency)} {acct.currency}",
                parts_total=format_minor(sum(amounts), acct.currency), line_total=format_minor(total, acct.currency), currency=acct.currency,
            )
        return [{"amount_minor": a} for a in amounts]

    async def _check_adjustment(self, conn: AsyncConnection, institution_id: UUID, acct: ReconAccount, line_uuids: Sequence[UUID], entry_keys: Sequence[EntryKey], adj: dict[str, Any]) -> dict[str, Any]:
        if entry_keys:
            raise ProposalInconsistent("an adjustment names statement lines only (it creates the ledger entry)", field="entry_ids")
        amount = signed_amount(adj["amount"], acct.currency, field="adjustment.amount") if adj.get("amount") is not None else adj.get("amount_minor")
        lines_total, _ = await self._line_sum(conn, line_uuids)
        if amount is None and line_uuids:
            amount = lines_total
        if not isinstance(amount, int) or isinstance(amount, bool) or amount == 0:
            raise ProposalInconsistent("adjustment.amount must be a non-zero amount (+ money in at the bank, - money out)", field="adjustment.amount")
        if line_uuids and amount != lines_total:
            raise MatchDoesNotBalance(
                f"adjustment of {format_minor(amount, acct.currency)} does not equal the lines' {format_minor(lines_total, acct.currency)} {acct.currency}",
                currency=acct.currency,
            )
        counter = adj.get("counter_account_id") or acct.adjustment_account_id
        if counter is None:
            raise ProposalInconsistent("no counter account: give counter_account_id or set the reconciled account's adjustment account", field="counter_account_id")
        try:
            counter = UUID(str(counter))
        except ValueError:
            raise E.InvalidInput("counter_account_id is not a UUID", field="counter_account_id") from None
        counter_row = (await conn.execute(select(accounts_t.c.currency).where(accounts_t.c.id == counter, accounts_t.c.institution_id == institution_id))).first()
        if counter_row is None:
            raise E.NotFound("account", counter)
        if counter_row.currency != acct.currency:
            raise ProposalInconsistent(f"counter account is in {counter_row.currency}, not {acct.currency}", field="counter_account_id")
        if counter == acct.ledger_account_id:
            raise ProposalInconsistent("counter account must differ from the reconciled account", field="counter_account_id")
        value_date = adj.get("value_date") or business_today().isoformat()
        try:
            value_date = date.fromisoformat(str(value_date))
        except ValueError:
            raise E.InvalidInput("value_date must be YYYY-MM-DD", field="value_date") from None
        description = str(adj.get("description") or "reconciliation adjustment")[:300]
        return {"amount_minor": amount, "counter_account_id": str(counter), "value_date": value_date.isoformat(), "description": description,
                "recon_account_id": str(acct.id)}

    def _check_approver(self, proposal: Proposal, approver: Actor) -> None:
        if "approver" not in approver.roles:
            raise ApproverRoleRequired("approving needs the approver role", roles=sorted(approver.roles))
        if approver.id == proposal.maker_id:
            raise SelfApprovalRefused("the maker of a proposal cannot approve it; another approver must", proposal_id=str(proposal.id), maker=proposal.maker_name)

    async def approve(self, institution_id: UUID, proposal_id: UUID, *, approver: Actor) -> Proposal:
        """Approve a pending proposal: match, split, or post the adjustment or fee.

        Raises SelfApprovalRefused for its maker, ApproverRoleRequired without
        the approver role, ProposalNotPending when already decided, and
        AlreadyMatched when an item was matched meanwhile; in every refusal
        nothing changes."""
        prop = await self.get_proposal(institution_id, proposal_id)
        self._check_approver(prop, approver)
        if prop.status != "pending":
            raise ProposalNotPending(f"proposal is already {prop.status}", status=prop.status)
        acct = await self.get_account(institution_id, prop.recon_account_id)

        async def work(conn: AsyncConnection) -> None:
            now = utc_now()
            claimed = await conn.execute(update(recon_proposals).where(
                recon_proposals.c.id == proposal_id, recon_proposals.c.institution_id == institution_id, recon_proposals.c.status == "pending",
            ).values(status="approved", approver_id=approver.id[:128], approver_name=(approver.name or approver.id)[:128], decided_at=now))
            if claimed.rowcount != 1:
                raise ProposalNotPending("proposal was decided meanwhile", status="decided")
            line_uuids = [UUID(x) for x in prop.line_ids]
            entry_keys = [_parse_entry_id(x) for x in prop.entry_ids]
            tx_id = match_id = None
            if prop.kind == "fee":
                match_id = UUID(prop.payload["match_id"])
                tx_id = await self._post_fee(conn, institution_id, acct, match_id, int(prop.payload["fee_minor"]), proposal_id)
                await conn.execute(update(recon_matches).where(recon_matches.c.id == match_id).values(status="matched", fee_transaction_id=tx_id, proposal_id=proposal_id))
            else:
                await self._check_available(conn, institution_id, acct, line_uuids, entry_keys, ignore_proposal=proposal_id)
                if prop.kind == "manual_match":
                    diff = await self._check_match_sums(conn, acct, line_uuids, entry_keys)
                    match_id = await self._record_match(conn, institution_id, acct, line_uuids, entry_keys, rule=M.RULE_MANUAL, diff=diff, proposal_id=proposal_id, actor=approver.id)
                    if diff:
                        tx_id = await self._post_fee(conn, institution_id, acct, match_id, -diff, proposal_id)
                        await conn.execute(update(recon_matches).where(recon_matches.c.id == match_id).values(fee_transaction_id=tx_id))
                elif prop.kind == "split":
                    await self._apply_split(conn, institution_id, acct, line_uuids[0], prop.payload["parts"])
                else:
                    adj = prop.payload["adjustment"]
                    tx_id, line_no = await self._post_adjustment(conn, institution_id, acct, adj, proposal_id)
                    if line_uuids:
                        match_id = await self._record_match(conn, institution_id, acct, line_uuids, [(tx_id, line_no)], rule=M.RULE_MANUAL, diff=0,
                                                            proposal_id=proposal_id, actor=approver.id)
            await conn.execute(update(recon_proposals).where(recon_proposals.c.id == proposal_id).values(transaction_id=tx_id, match_id=match_id))
            await record_audit(conn, institution_id=institution_id, actor_type="user", actor_id=approver.id, action="recon.proposal_approved",
                               object_type="recon_proposal", object_id=str(proposal_id), before={"status": "pending"},
                               after={"status": "approved", "kind": prop.kind, "transaction_id": str(tx_id) if tx_id else None})
            await emit_event(conn, institution_id, "recon.proposal_approved", {"proposal_id": str(proposal_id), "kind": prop.kind, "transaction_id": str(tx_id) if tx_id else None})

        await self._tx(work)
        return await self.get_proposal(institution_id, proposal_id)

    async def reject(self, institution_id: UUID, proposal_id: UUID, *, approver: Actor, reason: str = "") -> Proposal:
        """Reject a pending proposal; nothing is matched or posted.  A rejected
        fee proposal undoes its charges match (the items return to the queue)."""
        prop = await self.get_proposal(institution_id, proposal_id)
        if "approver" not in approver.roles and approver.id != prop.maker_id:
            raise ApproverRoleRequired("rejecting needs the approver role (or being the maker, to withdraw)", roles=sorted(approver.roles))
        if prop.status != "pending":
            raise ProposalNotPending(f"proposal is already {prop.status}", status=prop.status)

        async def work(conn: AsyncConnection) -> None:
            claimed = await conn.execute(update(recon_proposals).where(recon_proposals.c.id == proposal_id, recon_proposals.c.status == "pending").values(
                status="rejected", approver_id=approver.id[:128], approver_name=(approver.name or approver.id)[:128], decided_at=utc_now(), reason=(reason or "")[:500]))
            if claimed.rowcount != 1:
                raise ProposalNotPending("proposal was decided meanwhile", status="decided")
            if prop.kind == "fee":
                await self._undo_match(conn, UUID(prop.payload["match_id"]))
            await record_audit(conn, institution_id=institution_id, actor_type="user", actor_id=approver.id, action="recon.proposal_rejected",
                               object_type="recon_proposal", object_id=str(proposal_id), before={"status": "pending"}, after={"status": "rejected", "reason": (reason or "")[:500]})

        await self._tx(work)
        return await self.get_proposal(institution_id, proposal_id)

    async def _undo_match(self, conn: AsyncConnection, match_id: UUID) -> None:
        line_ids = [r.line_id for r in (await conn.execute(select(recon_match_lines.c.line_id).where(recon_match_lines.c.match_id == match_id))).all()]
        await conn.execute(recon_match_lines.delete().where(recon_match_lines.c.match_id == match_id))
        await conn.execute(recon_match_entries.delete().where(recon_match_entries.c.match_id == match_id))
        if line_ids:
            await conn.execute(update(recon_lines).where(recon_lines.c.id.in_(line_ids)).values(status="open"))
            await conn.execute(update(recon_line_parts).where(recon_line_parts.c.line_id.in_(line_ids)).values(matched_entry_id=None))
        await conn.execute(update(recon_matches).where(recon_matches.c.id == match_id).values(status="unmatched"))

    async def _record_match(self, conn: AsyncConnection, institution_id: UUID, acct: ReconAccount, line_uuids: Sequence[UUID], entry_keys: Sequence[EntryKey], *, rule: str, diff: int, proposal_id: UUID, actor: str) -> UUID:
        mid = uuid7()
        await conn.execute(recon_matches.insert().values(
            id=mid, institution_id=institution_id, recon_account_id=acct.id, rule=rule, difference_minor=diff, status="matched", fee_transaction_id=None,
            proposal_id=proposal_id, run_id=None, created_by=actor[:128], created_at=utc_now(),
        ))
        if line_uuids:
            await conn.execute(recon_match_lines.insert(), [dict(match_id=mid, line_id=x, institution_id=institution_id) for x in line_uuids])
            await conn.execute(update(recon_lines).where(recon_lines.c.id.in_(line_uuids)).values(status="matched"))
        if entry_keys:
            await conn.execute(recon_match_entries.insert(), [dict(match_id=mid, institution_id=institution_id, recon_account_id=acct.id, transaction_id=t, line_no=n) for t, n in entry_keys])
        return mid

    async def _apply_split(self, conn: AsyncConnection, institution_id: UUID, acct: ReconAccount, line_id: UUID, parts: list[dict[str, Any]]) -> None:
        row = (await conn.execute(select(recon_lines).where(recon_lines.c.id == line_id))).one()
        now = utc_now()
        base = dict(row._mapping)
        children = []
        for i, part in enumerate(parts):
            child = dict(base)
            child.update(id=uuid7(), parent_line_id=line_id, idx=int(row.idx) * 100 + i + 1, amount_minor=int(part["amount_minor"]), status="open", created_at=now,
                         description=seal(self.keyring, institution_id, "description",
                                          (f"part {i + 1}/{len(parts)} of " + (reveal(self.keyring, institution_id, "description", row.description) or ""))[:500]),
                         charges_minor=None)
            children.append(child)
        await conn.execute(recon_lines.insert(), children)
        await conn.execute(update(recon_lines).where(recon_lines.c.id == line_id).values(status="split"))

    async def _post(self, conn: AsyncConnection, institution_id: UUID, acct: ReconAccount, *, amount_bank_view: int, counter_account_id: UUID, value_date: date, description: str, key: str, metadata: dict[str, Any]) -> tuple[UUID, int]:
        """Post money in (+) or out (-) of the reconciled account against a counter account."""
        sign = await self._sign(conn, acct)
        ledger_amount = amount_bank_view * sign  # signed debit on the mirror account
        mirror_side, counter_side = ("debit", "credit") if ledger_amount > 0 else ("credit", "debit")
        mirror_row = (await conn.execute(select(accounts_t.c.ledger_id).where(accounts_t.c.id == acct.ledger_account_id))).scalar_one()
        item = NewTransaction(
            mirror_row, [Posting(acct.ledger_account_id, abs(amount_bank_view), mirror_side), Posting(counter_account_id, abs(amount_bank_view), counter_side)],
            idempotency_key=key, effective_date=value_date, description=description, metadata=metadata,
        )
        res = (await post_batch(conn, institution_id, [item]))[0]
        if not res.ok or res.transaction_id is None:
            raise res.error or E.LedgerError("the posting was not recorded")
        return res.transaction_id, 0

    async def _post_fee(self, conn: AsyncConnection, institution_id: UUID, acct: ReconAccount, match_id: UUID, fee_minor: int, proposal_id: UUID) -> UUID:
        if acct.fee_account_id is None:
            raise E.InvalidInput("the reconciled account has no fee account for bank charges", field="fee_account_id")
        if fee_minor <= 0:
            raise E.InvalidInput("a bank charge is a positive amount", field="fee_minor")
        vdate = (await conn.execute(select(func.max(recon_lines.c.value_date)).select_from(recon_lines.join(recon_match_lines, recon_match_lines.c.line_id == recon_lines.c.id))
                                    .where(recon_match_lines.c.match_id == match_id))).scalar() or business_today()
        tx, _ = await self._post(conn, institution_id, acct, amount_bank_view=-fee_minor, counter_account_id=acct.fee_account_id, value_date=vdate,
                                 description=f"bank charges (reconciliation match {match_id})", key=f"recon:fee:{match_id}",
                                 metadata={"recon_match_id": str(match_id), "recon_proposal_id": str(proposal_id), "kind": "bank_charges"})
        # the fee posting itself is explained by the same match
        await conn.execute(recon_match_entries.insert().values(match_id=match_id, institution_id=institution_id, recon_account_id=acct.id, transaction_id=tx, line_no=await self._mirror_line_no(conn, tx, acct)))
        return tx

    async def _mirror_line_no(self, conn: AsyncConnection, tx: UUID, acct: ReconAccount) -> int:
        return int((await conn.execute(select(postings_t.c.line_no).where(postings_t.c.transaction_id == tx, postings_t.c.account_id == acct.ledger_account_id))).scalar_one())

    async def _post_adjustment(self, conn: AsyncConnection, institution_id: UUID, acct: ReconAccount, adj: dict[str, Any], proposal_id: UUID) -> tuple[UUID, int]:
        tx, _ = await self._post(conn, institution_id, acct, amount_bank_view=int(adj["amount_minor"]), counter_account_id=UUID(adj["counter_account_id"]),
                                 value_date=date.fromisoformat(adj["value_date"]), description=adj["description"], key=f"recon:adjustment:{proposal_id}",
                                 metadata={"recon_proposal_id": str(proposal_id), "kind": "reconciliation_adjustment"})
        return tx, await self._mirror_line_no(conn, tx, acct)

