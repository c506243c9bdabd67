"""Rows written by the group commit's per-posting hooks (audit entry, outbox
event, the stored HTTP answer) are collected and written once per group, one
statement per kind (on PostgreSQL one statement for all the kinds), inside
the group's transaction (issue #14: the hooks were a quarter of the server's
time per posting request)."""

from __future__ import annotations

import asyncio
import re

import pytest
from sqlalchemy import event, func, select

from ledger.events import deferred_rows, emit_event, emit_events, is_rows_only, record_audit, rows_only
from ledger.schema import audit_log, outbox_events


class Statements:
    """The INSERT statements an engine sends, per table, and its commits."""

    def __init__(self, engine) -> None:
        self.engine = engine.sync_engine
        self.inserts: dict[str, int] = {}
        #: statements that insert (into one table or, joined, several)
        self.writes = 0
        self.commits = 0
        event.listen(self.engine, "before_cursor_execute", self._stmt)
        event.listen(self.engine, "commit", self._commit)

    def _stmt(self, _conn, _cursor, statement: str, *_args) -> None:
        tables = re.findall(r"INSERT INTO (\w+)", statement)
        self.writes += bool(tables)
        for t in tables:
            self.inserts[t] = self.inserts.get(t, 0) + 1

    def _commit(self, _conn) -> None:
        self.commits += 1

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._stmt)
        event.remove(self.engine, "commit", self._commit)


@pytest.fixture
def statements(engine):
    s = Statements(engine)
    yield s
    s.close()


async def _count(engine, table, **where) -> int:
    async with engine.connect() as conn:
        q = select(func.count()).select_from(table)
        for name, value in where.items():
            q = q.where(table.c[name] == value)
        return (await conn.execute(q)).scalar_one()


async def test_a_scope_writes_each_kind_once_at_its_end(engine, book, statements):
    inst = book.institution_id
    async with engine.begin() as conn:
        async with deferred_rows(conn):
            for n in range(3):
                await record_audit(conn, institution_id=inst, actor_type="user", actor_id="u", action="x.test", object_type="thing", object_id=f"t{n}")
                await emit_event(conn, inst, "thing.made", {"n": n})
            await emit_events(conn, inst, [("thing.made", {"n": 3}), ("thing.made", {"n": 4})])
            assert statements.inserts == {}  # nothing sent yet
        assert statements.inserts == {"audit_log": 1, "outbox_events": 1}
        assert statements.writes == (1 if engine.dialect.name == "postgresql" else 2)
        assert "xborder.deferred_rows" not in conn.info
    assert await _count(engine, audit_log, action="x.test") == 3
    assert await _count(engine, outbox_events, type="thing.made") == 5


async def test_rows_read_back_the_same_whichever_path_wrote_them(engine, book):
    """Deferred (on PostgreSQL: driver SQL over arrays, JSON written as
    text) or written at once: the same values come back, None as JSON null."""
    inst = book.institution_id
    payload = {"amount": "1.00", "names": ["é", "\u4e2d"], "nested": {"n": 2**53 + 1, "none": None}}
    async with engine.begin() as conn:
        await record_audit(conn, institution_id=inst, actor_type="user", actor_id="u", action="x.now", object_type="t", object_id="1", after=payload)
        await emit_event(conn, inst, "x.now", payload)
        async with deferred_rows(conn):
            await record_audit(conn, institution_id=inst, actor_type="user", actor_id="u", action="x.later", object_type="t", object_id="1", after=payload)
            await emit_event(conn, inst, "x.later", payload)
    async with engine.connect() as conn:
        audits = {r.action: r for r in (await conn.execute(select(audit_log).where(audit_log.c.action.in_(["x.now", "x.later"])))).all()}
        events = {r.type: r for r in (await conn.execute(select(outbox_events).where(outbox_events.c.type.in_(["x.now", "x.later"])))).all()}
    assert audits["x.now"].after == audits["x.later"].after == payload
    assert audits["x.now"].before is None and audits["x.later"].before is None
    assert audits["x.now"].request_id is None and audits["x.later"].request_id is None
    assert events["x.now"].payload == events["x.later"].payload == payload
    assert events["x.later"].dispatched_at is None and events["x.later"].institution_id == inst


async def test_a_failed_scope_writes_nothing_and_leaves_the_connection_clean(engine, book):
    inst = book.institution_id
    with pytest.raises(RuntimeError):
        async with engine.begin() as conn, deferred_rows(conn):
            await record_audit(conn, institution_id=inst, actor_type="user", actor_id="u", action="x.fail", object_type="thing", object_id="t")
            raise RuntimeError("boom")
    async with engine.begin() as conn:  # the pool's connection again: no scope left behind, rows go out at once
        await record_audit(conn, institution_id=inst, actor_type="user", actor_id="u", action="x.after", object_type="thing", object_id="t")
        assert "xborder.deferred_rows" not in conn.info
    assert await _count(engine, audit_log, action="x.fail") == 0
    assert await _count(engine, audit_log, action="x.after") == 1


async def test_concurrent_postings_share_one_audit_and_one_outbox_statement_per_group(engine, book, statements):
    L, inst = book.ledger, book.institution_id
    await book.post("bank_usd", "merchant_usd", 100_000)

    async def hook(conn, result) -> None:
        await emit_event(conn, inst, "transaction.posted", {"transaction_id": str(result.transaction_id)})
        await record_audit(conn, institution_id=inst, actor_type="user", actor_id="u", action="t.posted", object_type="transaction", object_id=str(result.transaction_id))

    statements.inserts.clear()
    statements.commits = 0
    results = await asyncio.gather(*(L.post(inst, book.tx("merchant_usd", "bank_usd", 10 + n), after=hook) for n in range(24)))
    assert all(r.ok for r in results) and len({r.transaction_id for r in results}) == 24
    # one transaction per group, and in each one statement for the audit rows and one for the events
    assert 1 <= statements.commits < 24
    assert statements.inserts["audit_log"] == statements.inserts["outbox_events"] == statements.commits
    assert statements.writes == statements.commits * (1 if engine.dialect.name == "postgresql" else 2)
    for r in results:  # and still exactly one of each per posting
        assert await _count(engine, audit_log, object_id=str(r.transaction_id)) == 1
    assert await _count(engine, outbox_events, type="transaction.posted") == 24


async def _merchant(book) -> int:
    return abs((await book.ledger.balance(book.institution_id, book["merchant_usd"])).posted)


def _audit_and_event_hook(inst, action: str):
    async def hook(conn, result) -> None:
        if not result.ok:
            return
        await emit_event(conn, inst, "transaction.posted", {"transaction_id": str(result.transaction_id), "action": action})
        await record_audit(conn, institution_id=inst, actor_type="user", actor_id="u", action=action, object_type="transaction", object_id=str(result.transaction_id))

    return hook


async def test_rows_only_hooks_run_before_the_write_and_their_rows_ride_the_journal_statement(engine, book, statements):
    """A hook marked ``rows_only`` runs once the group is decided and before
    it is written; on PostgreSQL its rows go out in the journal's own
    statement (no statement of their own: one round trip fewer under the
    ledger lock), on SQLite at the end of the scope as before."""
    L, inst = book.ledger, book.institution_id
    await book.post("bank_usd", "merchant_usd", 100_000)
    hook = rows_only(_audit_and_event_hook(inst, "t.early"))
    assert is_rows_only(hook) and is_rows_only(None) and not is_rows_only(_audit_and_event_hook(inst, "x"))
    statements.inserts.clear()
    statements.writes = statements.commits = 0
    results = await asyncio.gather(*(L.post(inst, book.tx("merchant_usd", "bank_usd", 10 + n), after=hook) for n in range(24)))
    assert all(r.ok for r in results) and len({r.transaction_id for r in results}) == 24
    assert 1 <= statements.commits < 24
    if engine.dialect.name == "postgresql":
        assert statements.inserts == {} and statements.writes == 0  # every row written with the journal
    else:
        assert statements.inserts["audit_log"] == statements.inserts["outbox_events"] == statements.commits
    for r in results:
        assert await _count(engine, audit_log, object_id=str(r.transaction_id), action="t.early") == 1
    assert await _count(engine, outbox_events, type="transaction.posted") == 24
    assert await _merchant(book) == 100_000 - sum(10 + n for n in range(24))


async def test_a_group_with_any_unmarked_hook_runs_its_hooks_after_the_write(engine, book):
    """A hook not marked ``rows_only`` may read: it runs once the journal is
    written and sees its own posting, whichever hooks share its group."""
    L, inst = book.ledger, book.institution_id
    await book.post("bank_usd", "merchant_usd", 100_000)
    seen: list[int] = []

    async def reader(conn, result) -> None:
        from ledger.schema import transactions

        row = (await conn.execute(select(transactions.c.seq).where(transactions.c.id == result.transaction_id))).first()
        assert row is not None, "the hook ran before its posting was written"
        seen.append(row.seq)

    early = rows_only(_audit_and_event_hook(inst, "t.mixed"))
    hooks = [reader if n % 3 == 0 else early for n in range(12)]
    results = await asyncio.gather(*(L.post(inst, book.tx("merchant_usd", "bank_usd", 5), after=h) for h in hooks))
    assert all(r.ok for r in results)
    assert len(seen) == 4 and len(set(seen)) == 4
    assert await _count(engine, audit_log, action="t.mixed") == 8


async def test_a_failing_rows_only_hook_fails_its_own_posting_alone(engine, book):
    """The hook raises after its group was decided and before anything was
    written: the group is retried one posting at a time, the culprit fails
    and writes nothing, the others post with their rows."""
    L, inst = book.ledger, book.institution_id
    await book.post("bank_usd", "merchant_usd", 100_000)
    inner = _audit_and_event_hook(inst, "t.fails")

    @rows_only
    async def hook(conn, result) -> None:
        if result.view is not None and any(p.amount == 13 or p.amount == -13 for p in result.view.postings):
            raise RuntimeError("hook refused")
        await inner(conn, result)

    outcomes = await asyncio.gather(*(L.post(inst, book.tx("merchant_usd", "bank_usd", 10 + n), after=hook) for n in range(8)), return_exceptions=True)
    failed = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(failed) == 1 and str(failed[0]) == "hook refused"
    assert await _count(engine, audit_log, action="t.fails") == 7
    assert await _merchant(book) == 100_000 - sum(10 + n for n in range(8) if n != 3)


async def test_a_linked_batch_hands_rows_only_hooks_their_results_before_the_write(engine, book, statements):
    """The batch path outside the group commit (a batch ending in a linked
    item) takes the same route: ``after`` per result, then ``then`` once."""
    L, inst = book.ledger, book.institution_id
    await book.post("bank_usd", "merchant_usd", 100_000)
    got: list[list] = []

    @rows_only
    async def then(conn, results) -> None:
        got.append(list(results))

    items = [book.tx("merchant_usd", "bank_usd", 7, linked=True), book.tx("merchant_usd", "bank_usd", 8, linked=True)]
    items[-1].linked = False
    items.append(book.tx("merchant_usd", "bank_usd", 9, linked=True))
    statements.inserts.clear()
    results = await L.post_batch(inst, items, after=rows_only(_audit_and_event_hook(inst, "t.linked")), then=then)
    # the last item is linked with nothing after it: its chain fails; the first two post
    assert [r.ok for r in results] == [True, True, False]
    assert got == [results]
    assert await _count(engine, audit_log, action="t.linked") == 2
    if engine.dialect.name == "postgresql":
        assert "audit_log" not in statements.inserts


async def test_two_institutions_racing_in_one_group_keep_their_rows_apart(engine, ledger, book, statements):
    """Postings of two institutions racing each other share group commits;
    each institution's rows-only hook rows go out with its own journal
    statement and carry its own institution, and a posting of the second
    naming the first's account (another institution's id) is refused and
    leaves no row."""
    from tests.support.books import make_book

    other = await make_book(ledger)
    a_inst, b_inst = book.institution_id, other.institution_id
    await book.post("bank_usd", "merchant_usd", 100_000)
    await other.post("bank_usd", "merchant_usd", 100_000)
    hook_a = rows_only(_audit_and_event_hook(a_inst, "t.race.a"))
    hook_b = rows_only(_audit_and_event_hook(b_inst, "t.race.b"))
    foreign = other.tx("merchant_usd", "bank_usd", 7)
    foreign.postings[0] = type(foreign.postings[0])(book["merchant_usd"], 7, "debit")  # A's account, B's request
    statements.inserts.clear()
    statements.writes = statements.commits = 0
    calls = []
    for n in range(12):
        calls.append(ledger.post(a_inst, book.tx("merchant_usd", "bank_usd", 10 + n), after=hook_a))
        calls.append(ledger.post(b_inst, other.tx("merchant_usd", "bank_usd", 100 + n), after=hook_b))
    calls.append(ledger.post(b_inst, foreign, after=hook_b, raise_on_error=False))
    *results, refused = await asyncio.gather(*calls)
    assert all(r.ok for r in results)
    assert not refused.ok and refused.code == "account_not_found"
    assert 1 <= statements.commits < 25  # the two institutions' postings shared commits
    if engine.dialect.name == "postgresql":
        assert statements.inserts == {} and statements.writes == 0  # both institutions' rows with their journals
    for inst, action, rs in ((a_inst, "t.race.a", results[0::2]), (b_inst, "t.race.b", results[1::2])):
        assert await _count(engine, audit_log, action=action) == 12
        assert await _count(engine, audit_log, action=action, institution_id=inst) == 12
        assert await _count(engine, outbox_events, type="transaction.posted", institution_id=inst) == 12
        for r in rs:
            assert await _count(engine, audit_log, object_id=str(r.transaction_id), institution_id=inst) == 1
    assert await _merchant(book) == 100_000 - sum(10 + n for n in range(12))
    assert abs((await ledger.balance(b_inst, other["merchant_usd"])).posted) == 100_000 - sum(100 + n for n in range(12))
