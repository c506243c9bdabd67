"""A schemathesis run over the OpenAPI document with valid credentials finds
no 500 and no response that breaks its schema.

The app runs under a real uvicorn on 127.0.0.1 (SQLite and PostgreSQL) with
data seeded through the library; schemathesis loads ``/openapi.json`` from
it and generates requests for every operation.  Generated cases are steered
towards real data: path ids are often seeded ids (including another
institution's, which must be 404) or ids learnt from earlier 2xx responses,
``Idempotency-Key`` is usually a fresh unique key, and posting bodies are
often balanced transfers between real accounts, so that the success paths
are exercised as well as the refusals.  Nothing leaves the machine (no
published FX rate source is configured).

Slices (each a separate test): the institution's ``system`` API key, an
``admin`` and an ``approver`` user token (roles), and ``negative`` data
(invalid requests with the system key).  Every response must:

* not be a 5xx (``not_a_server_error``);
* have a documented status code (``status_code_conformance``);
* have a documented content type (``content_type_conformance``);
* match the documented schema (``response_schema_conformance``) and
  documented headers (``response_headers_conformance``).

The budget is bounded (``max_examples`` per operation, shrinking as
operations are added; no shrinking of failures) and generation is
derandomized, so the run is deterministic and takes about a minute per
database.  All failures of a slice are collected and reported together, each
with a curl command.  A slice that executed no case, left an operation
without a case, or where the seeded success paths never answered 2xx,
fails: the run cannot pass vacuously.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import itertools
import os
import re
import shutil
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as REGISTRY
from schemathesis.checks import load_all_checks

from api.auth import LoginAttempt, create_user, issue_api_key, login
from api.netguard import NetPolicy
from api.scopes import ALL_SCOPES
from ledger.config import Settings
from ledger.events import emit_event
from ledger.model import NewTransaction, Posting, Reverse

from .test_uvicorn import LiveServer

load_all_checks()

#: problem codes that refuse a request as malformed input: a schema-valid
#: request answered with one of them means the schema is not truthful
INPUT_REFUSALS = frozenset({
    "validation_error", "invalid_input", "invalid_amount", "unknown_currency", "invalid_cursor",
    "idempotency_key_missing", "idempotency_key_invalid", "invalid_report_parameter",
})


def _problem_code(response) -> str | None:
    try:
        body = response.json()
    except Exception:  # noqa: BLE001 - not JSON
        return None
    return body.get("code") if isinstance(body, dict) else None


_builtin_positive = REGISTRY.get_by_names(["positive_data_acceptance"])[0]


def positive_data_acceptance(ctx, response, case):
    """Schemathesis' check, with one distinction its status codes cannot
    make: a schema-valid request may be refused by a business rule (422 with
    the rule's problem code: ``insufficient_funds``, ``not_pending``,
    ``value_date_out_of_window``, ...), never as malformed input (400, or
    422 with one of :data:`INPUT_REFUSALS`)."""
    try:
        return _builtin_positive(ctx, response, case)
    except Exception:
        if response.status_code == 422 and _problem_code(response) not in INPUT_REFUSALS:
            return None
        raise


positive_data_acceptance.__name__ = "positive_data_acceptance"

#: every check schemathesis has (not only server errors): status codes,
#: content types, headers and schemas conform; schema-valid requests are
#: accepted and invalid ones refused; authentication is enforced; 405 carries
#: ``Allow``; ...
CHECKS = [positive_data_acceptance if c is _builtin_positive else c for c in REGISTRY.get_all()]

#: examples per operation for each slice: (most, fewest, whole slice).  As
#: routers are added the per-operation count shrinks towards ``fewest`` so
#: that the module keeps its running time (about a minute per database).
BUDGET = {"system": (20, 8, 1100), "admin": (6, 2, 330), "approver": (6, 2, 330), "negative": (8, 3, 440)}


def examples_per_operation(slice_name: str, operations: int) -> int:
    most, fewest, total = BUDGET[slice_name]
    return max(fewest, min(most, total // max(operations, 1)))


PASSWORD = "correct horse battery"


# -- the server and its data ------------------------------------------------------------


@dataclass
class Seed:
    credentials: dict[str, str] = field(default_factory=dict)  # slice -> bearer token
    path_ids: dict[str, list[str]] = field(default_factory=dict)  # path parameter -> real ids
    query_values: dict[str, list[str]] = field(default_factory=dict)
    usd_accounts: list[str] = field(default_factory=list)
    jpy_accounts: list[str] = field(default_factory=list)


@dataclass
class Live:
    kind: str
    server: LiveServer
    seed: Seed
    schema: Any


async def _seed(app) -> Seed:
    ctx = app.state.ctx
    led_svc = ctx.ledger
    seed = Seed()

    async def institution(code: str):
        inst = await led_svc.create_institution(code, f"Bank {code}")
        led = await led_svc.create_ledger(inst.id, "main", "Main")
        accts = {}
        for acode, cur, typ, kw in [
            ("bank", "USD", "asset", {}),
            ("merchant", "USD", "liability", {"debits_must_not_exceed_credits": True, "owner_ref": "m1", "metadata": {"merchant": "m1"}}),
            ("fees", "USD", "income", {}),
            ("bank_jpy", "JPY", "asset", {}),
            ("merchant_jpy", "JPY", "liability", {"owner_ref": "m1", "metadata": {"merchant": "m1"}}),
        ]:
            accts[acode] = (await led_svc.create_account(inst.id, led.id, acode, cur, typ, **kw)).id
        txs = []

        async def post(debit, credit, amount, currency="USD", **kw):
            res = await led_svc.post(inst.id, NewTransaction(led.id, [Posting(accts[debit], amount, "debit", currency), Posting(accts[credit], amount, "credit", currency)], description="seed", **kw))
            txs.append(res.transaction_id)
            return res.transaction_id

        await post("bank", "merchant", 1_000_00)
        await post("bank", "merchant", 250_00, metadata={"order": "o-1"})
        await post("merchant", "fees", 3_00)
        await post("bank_jpy", "merchant_jpy", 50_000, "JPY")
        for i in range(6):
            await post("merchant", "bank", (i + 1) * 10_00, pending=True, expires_at=datetime.now(UTC) + timedelta(days=1))
        reversed_tx = await post("bank", "fees", 7_00)
        await led_svc.post(inst.id, Reverse(reversed_tx, f"seed-reverse-{code}", description="seed reversal"))
        return inst, led, accts, txs

    inst, led, accts, txs = await institution("st-bank")
    _other, other_led, other_accts, other_txs = await institution("st-other")

    async with ctx.engine.begin() as conn:
        system = await issue_api_key(conn, ctx.keyring, inst.id, name="schemathesis", scopes=ALL_SCOPES)
        # keys and users the generated requests may rotate, revoke, disable:
        # never the credentials the run itself uses
        spare_keys = [(await issue_api_key(conn, ctx.keyring, inst.id, name=f"spare-{i}"))["id"] for i in range(3)]
        for role in ("admin", "approver"):
            await create_user(conn, inst.id, role, PASSWORD, role)
        spare_users = [
            (await create_user(conn, inst.id, "spare-finance", PASSWORD, "finance"))["id"],
            (await create_user(conn, inst.id, "spare-sme", PASSWORD, "sme", merchant_ref="m1"))["id"],
        ]
        # outbox events (GET /v1/events/{event_id}) and, when the webhooks
        # module is installed, an endpoint (never called: no background jobs)
        events = [await emit_event(conn, inst.id, "transaction.posted", {"transaction_id": str(t)}) for t in txs[:3]]
        endpoints = []
        try:
            from api import webhooks
        except ImportError:  # pragma: no cover - webhooks not installed
            webhooks = None
        if webhooks is not None:
            for i in range(2):
                endpoints.append((await webhooks.create_endpoint(conn, ctx.keyring, inst.id, f"https://93.184.215.14/xborder/{i}", ["*"], policy=NetPolicy()))["id"])

    tokens = {
        role: (await login(ctx.engine, ctx.keyring, LoginAttempt("st-bank", role, PASSWORD, "seed"), ttl_seconds=ctx.settings.token_ttl_seconds))["access_token"]
        for role in ("admin", "approver")
    }
    seed.credentials = {"system": system["key"], "negative": system["key"], **tokens}
    s = lambda xs: [str(x) for x in xs]  # noqa: E731
    seed.path_ids = {
        "ledger_id": s([led.id, led.id, led.id, other_led.id]),
        "account_id": s(list(accts.values()) + [other_accts["bank"]]),
        "transaction_id": s(txs + [other_txs[0]]),
        "key_id": s(spare_keys),
        "user_id": s(spare_users),
        "event_id": s(events),
        "endpoint_id": s(endpoints),
    }
    seed.query_values = {"owner_ref": ["m1"], "meta_key": ["merchant"], "meta_value": ["m1"], "object_type": ["transaction", "account", "ledger"]}
    seed.usd_accounts = s([accts["bank"], accts["merchant"], accts["fees"]])
    seed.jpy_accounts = s([accts["bank_jpy"], accts["merchant_jpy"]])
    return seed


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(request, tmp_path_factory):
    kind = request.param
    tmp = tmp_path_factory.mktemp(f"schemathesis-{kind}")
    drop = None
    if kind == "sqlite":
        path = tmp / "st.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite+aiosqlite:///{path}"
    else:
        pg = request.getfixturevalue("pg")
        name = pg.new_database()
        url = pg.server.url(name)
        drop = lambda: pg.server.drop_database(name)  # noqa: E731
    settings = Settings(
        data_dir=tmp / "data",
        ledger_signing_key=base64.b64encode(b"\x07" * 32).decode(),
        secret_key=base64.b64encode(b"\x09" * 32).decode(),
        token_ttl_seconds=3600,
        # every generated login comes from one address: the address throttle (429,
        # documented) would otherwise refuse the stateful run's own logins later
        login_address_max_failures=1_000_000,
        sqlite_synchronous="OFF",  # a throwaway database: no fsync per commit
        # hermetic: no published FX rate source on the internet (POST /v1/rates/refresh)
        **({"rates_url": ""} if "rates_url" in Settings.model_fields else {}),
    )
    env = pytest.MonkeyPatch()
    env.setenv("XBORDER_RATES_URL", "")
    server = LiveServer(settings, url).start()
    try:
        seed = server.run(_seed(server.app))
        # U+0000 is refused in every text at the boundary (api.nul, documented in
        # the API description): a string with it is not a valid input to generate
        config = schemathesis.Config.from_dict({"generation": {"allow-x00": False}})
        schema = schemathesis.openapi.from_url(f"{server.base_url}/openapi.json", config=config)
        # logout and password change revoke the run's own user tokens (as revoking
        # its key would): tested in tests/security/test_logins.py instead
        schema = schema.exclude(path_regex=r"^/v1/auth/(logout|password)$")
        yield Live(kind, server, seed, schema)
    finally:
        server.stop()
        env.undo()
        if drop is not None:
            with contextlib.suppress(Exception):  # the server is thrown away
                drop()


# -- steering generated cases towards real data --------------------------------------------


_keys = itertools.count()


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _has_header(op, name: str) -> bool:
    return any(p.location == "header" and p.name.lower() == name.lower() for p in op.iter_parameters())


def _has_auth(case) -> bool:
    return any(name.lower() == "authorization" for name in (case.headers or {}))


def _negatable(op) -> bool:
    return any(True for _ in op.iter_parameters()) or len(op.body) > 0


@st.composite
def _transfer(draw, seed: Seed) -> list[dict[str, Any]]:
    """A balanced two-leg posting between real accounts."""
    if _often(draw, 3):
        pool, currency, amounts = seed.usd_accounts, "USD", ["1.00", "0.01", "12.34", "100.00", "99999.99"]
    else:
        pool, currency, amounts = seed.jpy_accounts, "JPY", ["1", "500", "12345"]
    debit, credit = draw(st.permutations(pool))[:2]
    amount = draw(st.sampled_from(amounts))
    return [
        {"account_id": debit, "side": "debit", "amount": amount, "currency": currency},
        {"account_id": credit, "side": "credit", "amount": amount, "currency": currency},
    ]


_DECIMAL = re.compile(r"^([0-9]+)\.([0-9]+)$")


def _amounts_fit_currency(node: Any, inherited: str | None = None) -> None:
    """An amount may have at most as many decimals as the currency of its
    object (or of the enclosing object: a receipt's fees) -- ``"10.000"`` USD
    and ``"100.0"`` JPY are refused: a rule across fields that the schema
    states in words, so the generator is helped to respect it by cutting
    extra decimals (the refusal itself is tested by the routers'
    adversarial tests)."""
    from ledger.money import exponent, is_currency

    if isinstance(node, list):
        for item in node:
            _amounts_fit_currency(item, inherited)
        return
    if not isinstance(node, dict):
        return
    own = node.get("currency")
    code = own if isinstance(own, str) and is_currency(own) else inherited
    exp = exponent(code) if code is not None else None
    for key, value in node.items():
        match = _DECIMAL.match(value) if isinstance(value, str) and exp is not None else None
        if match:
            whole, frac = match.groups()
            cut = whole if exp == 0 else f"{whole}.{(frac + '0' * exp)[:exp]}"
            if not cut.strip("0.") and value.strip("0."):  # cutting made a positive amount zero
                cut = "1" if exp == 0 else f"0.{'0' * (exp - 1)}1"
            node[key] = cut
        else:
            _amounts_fit_currency(value, code)


def _often(draw, n: int) -> bool:
    """True n times out of n+1; True for Hypothesis' first (simplest)
    example, so that even a small budget starts with the seeded data."""
    return draw(st.integers(0, n)) < n


def _steered(op, mode: GenerationMode, seed: Seed):
    base = op.as_strategy(generation_mode=mode)
    takes_key = _has_header(op, "Idempotency-Key")
    positive = mode == GenerationMode.POSITIVE

    @st.composite
    def strategy(draw):
        case = draw(base)
        for name, value in list((case.path_parameters or {}).items()):
            ids = seed.path_ids.get(name)
            # a negated (invalid) path parameter stays invalid
            if ids and _is_uuid(value) and _often(draw, 3):
                case.path_parameters[name] = draw(st.sampled_from(ids))
        if positive and case.query:
            # a cursor is an opaque token the server issued: a made-up one is
            # refused (422 invalid_cursor) by design, so only real ones are sent
            cursors = seed.path_ids.get("cursor:" + op.path, [])
            if "cursor" in case.query:
                if cursors and _often(draw, 1):
                    case.query["cursor"] = draw(st.sampled_from(cursors))
                else:
                    del case.query["cursor"]
            for name in list(case.query):
                if name in seed.query_values and draw(st.booleans()):
                    case.query[name] = draw(st.sampled_from(seed.query_values[name]))
        if takes_key and positive:  # a fresh key each time; a negative case keeps what it was given
            case.headers = {**(case.headers or {}), "Idempotency-Key": f"st-{next(_keys)}-{uuid.uuid4().hex[:8]}"}
        # only JSON bodies are steered: re-assigning a multipart form (a file
        # is bytes, not the schema's string) would make schemathesis judge the
        # case negative
        if positive and isinstance(case.body, dict) and "json" in (case.media_type or ""):
            body = copy.deepcopy(case.body)
            if isinstance(body.get("postings"), list) and _often(draw, 2):
                body["postings"] = draw(_transfer(seed))
            for item in body.get("transactions") or []:
                if isinstance(item, dict) and isinstance(item.get("postings"), list) and _often(draw, 2):
                    item["postings"] = draw(_transfer(seed))
            if op.path.endswith("/accounts") and "currency" in body and _often(draw, 1):
                body["currency"] = draw(st.sampled_from(["USD", "JPY", "EUR", "CNY"]))
            _amounts_fit_currency(body)
            case.body = body
        return case

    return strategy()


# -- ids learnt from responses ----------------------------------------------------------------------

#: never learnt: the run's own credentials must not be rotated, revoked or disabled
_NOT_LEARNT = {"key_id", "user_id"}
_MAX_LEARNT = 12


def _collections(schema) -> dict[str, str]:
    """Collection segment -> its id parameter, from the paths
    (``/v1/customers/{customer_id}``: ``customers`` -> ``customer_id``)."""
    out: dict[str, str] = {}
    for path in schema.raw_schema.get("paths", {}):
        parts = path.strip("/").split("/")
        for prev, part in zip(parts, parts[1:], strict=False):
            if part.startswith("{") and part.endswith("}") and not prev.startswith("{"):
                out.setdefault(prev, part[1:-1])
    return out


def _id_param(path: str, collections: dict[str, str]) -> str | None:
    last = path.rstrip("/").split("/")[-1]
    if last.startswith("{") and last.endswith("}"):
        return last[1:-1]
    return collections.get(last)


def _learn(seed: Seed, param: str | None, response) -> None:
    """Remember the ids of the objects a 2xx response lists or creates, so
    later operations (and slices) address real objects of every kind."""
    if param is None or param in _NOT_LEARNT or not 200 <= response.status_code < 300:
        return
    if "json" not in " ".join(response.headers.get("content-type", [])):  # headers: lowercase name -> values
        return
    try:
        body = response.json()
    except Exception:  # noqa: BLE001 - not JSON after all
        return
    objects = body if isinstance(body, list) else body.get("items", [body]) if isinstance(body, dict) else []
    pool = seed.path_ids.setdefault(param, [])
    for obj in objects if isinstance(objects, list) else []:
        value = obj.get("id") if isinstance(obj, dict) else None
        if isinstance(value, str) and _is_uuid(value) and value not in pool and len(pool) < _MAX_LEARNT:
            pool.append(value)


def _learn_cursor(seed: Seed, path: str, response) -> None:
    """Remember the ``next_cursor`` a list answered, to page with it later."""
    if response.status_code != 200 or "json" not in " ".join(response.headers.get("content-type", [])):
        return
    try:
        body = response.json()
    except Exception:  # noqa: BLE001 - not JSON after all
        return
    cursor = body.get("next_cursor") if isinstance(body, dict) else None
    pool = seed.path_ids.setdefault("cursor:" + path, [])
    if isinstance(cursor, str) and cursor not in pool and len(pool) < _MAX_LEARNT:
        pool.append(cursor)


# -- the run ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    cases: int = 0
    statuses: Counter = field(default_factory=Counter)  # (operation, status) -> n
    failures: list[str] = field(default_factory=list)
    attempted: set[str] = field(default_factory=set)

    def ran_operations(self) -> set[str]:
        return {op for (op, _status) in self.statuses}

    def ok_operations(self) -> set[str]:
        return {op for (op, status), _ in self.statuses.items() if 200 <= status < 300}


def _run(live: Live, slice_name: str) -> Outcome:
    mode = GenerationMode.NEGATIVE if slice_name == "negative" else GenerationMode.POSITIVE
    auth = {"Authorization": f"Bearer {live.seed.credentials[slice_name]}"}
    outcome = Outcome()
    session = requests.Session()
    operations = [r.ok() for r in live.schema.get_all_operations()]
    if os.environ.get("ST_OPS"):  # while iterating: only the operations whose "METHOD /path" matches this regex
        operations = [o for o in operations if re.search(os.environ["ST_OPS"], f"{o.method.upper()} {o.path}")]
    assert operations, "the OpenAPI document has no operations"
    settings = hsettings(
        max_examples=examples_per_operation(slice_name, len(operations)),
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    collections = _collections(live.schema)
    positive = mode == GenerationMode.POSITIVE
    for op in operations:
        label = f"{op.method.upper()} {op.path}"
        id_param = _id_param(op.path, collections)
        if mode == GenerationMode.NEGATIVE and not _negatable(op):
            continue  # nothing in the request can be made invalid
        outcome.attempted.add(label)

        @settings
        @given(case=_steered(op, mode, live.seed))
        def check(case):
            outcome.cases += 1
            # a negative case may leave Authorization out on purpose: then
            # it goes without (and must be refused), not with the run's token
            sent = auth if positive or _has_auth(case) else {}
            response = case.call_and_validate(session=session, headers=sent, checks=CHECKS, timeout=30)
            outcome.statuses[(label, response.status_code)] += 1
            _learn(live.seed, id_param, response)
            _learn_cursor(live.seed, op.path, response)

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect every operation's failures
            outcome.failures.append(f"--- {label} ({slice_name}, {live.kind})\n{exc}")
    session.close()
    return outcome


#: operations whose success path the seeded ids and steered bodies must reach
MUST_SUCCEED = {
    "system": {
        "GET /v1/ledgers", "GET /v1/ledgers/{ledger_id}", "GET /v1/accounts/{account_id}", "GET /v1/accounts/{account_id}/balance",
        "GET /v1/accounts/{account_id}/statement", "GET /v1/transactions/{transaction_id}", "GET /v1/ledgers/{ledger_id}/transactions",
        "POST /v1/ledgers/{ledger_id}/transactions", "POST /v1/ledgers/{ledger_id}/transactions/batch", "POST /v1/ledgers",
        "GET /v1/ledgers/{ledger_id}/trial-balance", "GET /v1/ledgers/{ledger_id}/verification", "GET /v1/api-keys", "GET /v1/me",
    },
    "admin": {"GET /v1/ledgers", "GET /v1/ledgers/{ledger_id}", "GET /v1/audit-log", "GET /v1/users", "GET /v1/me"},
    "approver": {"GET /v1/ledgers", "GET /v1/ledgers/{ledger_id}", "GET /v1/accounts/{account_id}", "GET /v1/me"},
    "negative": set(),
}


@pytest.mark.parametrize("slice_name", ["system", "admin", "approver", "negative"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(live, slice_name):
    outcome = _run(live, slice_name)
    by_status = Counter()
    for (_op, status), n in outcome.statuses.items():
        by_status[status] += n
    print(f"\nschemathesis[{live.kind}-{slice_name}]: {outcome.cases} cases over {len(outcome.attempted)} operations, statuses {dict(sorted(by_status.items()))}, {len(outcome.failures)} failing operations")
    print(f"  never 2xx: {sorted(outcome.attempted - outcome.ok_operations())}")
    assert not outcome.failures, "\n\n".join(outcome.failures)
    assert outcome.cases > 0, "schemathesis executed no case"
    assert outcome.ran_operations() == outcome.attempted, f"operations without a single case: {sorted(outcome.attempted - outcome.ran_operations())}"
    missing = MUST_SUCCEED[slice_name] - outcome.ok_operations()
    assert not missing, f"never answered 2xx (is the run authenticated and steered?): {sorted(missing)}"
    if slice_name in ("admin", "approver"):
        # the roles are enforced: some operations answered 403 to this user
        assert any(status == 403 for (_op, status) in outcome.statuses), outcome.statuses
