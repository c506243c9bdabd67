"""API key scopes and the per-route access policy (issue #18).

Every route declares who may call it, once, at the route:

* ``require(*roles, scope=...)`` (:mod:`api.auth`): the roles admitted and the
  scope an API key needs.  Users are governed by their role alone; API keys
  by their role AND their scopes (a key lacking the scope: 403
  ``forbidden_scope`` naming it).
* :data:`PUBLIC` (a marker dependency): no credential (log in, health,
  docs, the OpenAPI document, the console's login page and static files).
* :data:`CONSOLE` (a marker dependency): the staff console's session cookie
  (users of :data:`CONSOLE_ROLES` only; the page checks it).
* :data:`PORTAL` (a marker dependency): the SME portal's session cookie
  (users of :data:`PORTAL_ROLES` only; the page checks it).

:func:`route_policy` reads the declaration back from a route; the access
matrix test (``tests/security/test_access_matrix.py``) fails on any route
that declares none.

The vocabulary (:data:`SCOPES`) is the one place scopes are defined.  A
``<area>:write`` scope includes every decision of the area (releasing held
receipts, deciding loans, submitting a four-eyes request); approving a
request is for persons only (:mod:`api.sod`), so no scope grants it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ledger import errors as E

#: scope -> what it allows (README "Scopes" table)
SCOPES: dict[str, str] = {
    "ledger:read": "read ledgers, accounts, balances, transactions, verification",
    "ledger:write": "create ledgers and accounts, post and reverse transactions",
    "settlement:read": "read receipts, conversions, quotas, alerts, trade data, rates, payments, netting",
    "settlement:write": "post receipts and conversions, release held receipts, close alerts, rematch trade data, "
    "set rates and the settlement configuration, outward payments (and their release), netting",
    "tradedata:write": "push trade data (orders, logistics, payments) - the only scope of a platform key",
    "financing:read": "read products, loans, portfolio, collateral, pledges, receivables",
    "financing:write": "products, rates, applications, underwriting, loan decisions, disbursement, repayment, "
    "write-off, collateral and credit insurance",
    "recon:read": "read statements, matches, exceptions, proposals",
    "recon:write": "import statements, match, propose adjustments",
    "customers:read": "read customers",
    "customers:write": "open and change customers",
    "reports:read": "run the reports (JSON, CSV)",
    "audit:read": "read the audit log",
    "approvals:read": "read four-eyes approval requests (an API key may submit a request with its area's write scope, never approve one)",
    "webhooks:manage": "create, change, list and delete webhook endpoints, read deliveries",
    "keys:manage": "list, issue, rotate and revoke API keys (never by default)",
    "users:manage": "list, create, disable and enable users (never by default)",
}

#: never given unless asked for explicitly, never given by the migration
PRIVILEGED_SCOPES = frozenset({"keys:manage", "users:manage"})
#: a system key issued without ``scopes``: read only (least privilege)
READ_ONLY_SCOPES = tuple(s for s in SCOPES if s.endswith(":read"))
DEFAULT_SYSTEM_SCOPES = READ_ONLY_SCOPES
#: what the 0022 migration gives the system keys that existed before scopes
MIGRATED_SYSTEM_SCOPES = tuple(s for s in SCOPES if s not in PRIVILEGED_SCOPES)
#: a platform key (a trade-data supplier) has exactly these, whatever it asks
PLATFORM_SCOPES = ("tradedata:write",)
ALL_SCOPES = tuple(SCOPES)


class UnknownScope(E.InvalidInput):
    code = "unknown_scope"
    title = "Unknown scope"

    def __init__(self, scope: str) -> None:
        super().__init__(f"unknown scope {scope!r}; the scopes are: {', '.join(SCOPES)}", field="scopes", scope=scope)


class ScopeNotAllowed(E.InvalidInput):
    """A platform key asked for a scope beyond trade data."""

    code = "scope_not_allowed"
    title = "Scope not allowed for this key role"

    def __init__(self, scope: str, role: str) -> None:
        super().__init__(
            f"a {role} key can only have the scopes {', '.join(PLATFORM_SCOPES)}, not {scope!r}", field="scopes", scope=scope, role=role,
        )


def key_scopes(role: str, requested: Iterable[str] | None) -> list[str]:
    """The scopes a new key of ``role`` gets for ``requested`` (None: the
    default).  Raises :class:`UnknownScope`, :class:`ScopeNotAllowed`."""
    asked = list(dict.fromkeys(requested)) if requested is not None else None
    for s in asked or ():
        if s not in SCOPES:
            raise UnknownScope(s)
    if role == "platform":
        for s in asked or ():
            if s not in PLATFORM_SCOPES:
                raise ScopeNotAllowed(s, role)
        return list(PLATFORM_SCOPES)
    if asked is None:
        return list(DEFAULT_SYSTEM_SCOPES)
    return [s for s in SCOPES if s in asked]  # vocabulary order


# -- route policies -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """A route's declared access rule."""

    kind: str  # "authenticated" | "public" | "console" | "portal"
    roles: frozenset[str] = frozenset()
    scope: str | None = None

    def refuses(self, role: str, scopes: Iterable[str] | None) -> str | None:
        """The 403 code a caller of ``role`` (``scopes``: a key's, None for a
        user) gets from this policy, or None if admitted."""
        if self.kind != "authenticated":
            return None
        if role not in self.roles:
            return "forbidden_role"
        if scopes is not None and self.scope is not None and self.scope not in set(scopes):
            return "forbidden_scope"
        return None


def _marker(policy: Policy) -> Any:
    async def marker() -> None:
        return None

    marker.policy = policy  # type: ignore[attr-defined]
    return marker


#: the staff console's roles (the console refuses others with a 403 page)
CONSOLE_ROLES = ("finance", "approver", "admin")
#: ``dependencies=[Depends(PUBLIC)]``: a route anyone may call
PUBLIC = _marker(Policy("public"))
#: ``dependencies=[Depends(CONSOLE)]``: a console page behind the session cookie
CONSOLE = _marker(Policy("console", frozenset(CONSOLE_ROLES)))
#: the SME portal's role (the portal refuses staff with a 403 page)
PORTAL_ROLES = ("sme",)
#: ``dependencies=[Depends(PORTAL)]``: an SME portal page behind its session cookie
PORTAL = _marker(Policy("portal", frozenset(PORTAL_ROLES)))


def policy_of_call(call: Any) -> Policy | None:
    return getattr(call, "policy", None)


def route_policy(route: Any) -> Policy | None:
    """The policy a route declares: from its dependencies (``require`` or a
    marker), or from ``endpoint.policy`` for plain routes (the OpenAPI
    document); None when it declares none."""
    found: list[Policy] = []

    def walk(dependant: Any) -> None:
        for d in dependant.dependencies:
            p = policy_of_call(d.call)
            if p is not None:
                found.append(p)
            walk(d)

    dependant = getattr(route, "dependant", None)
    if dependant is not None:
        walk(dependant)
    else:
        p = policy_of_call(getattr(route, "endpoint", None))
        if p is not None:
            found.append(p)
    if not found:
        return None
    if len({(p.kind, p.roles, p.scope) for p in found}) > 1:
        raise ValueError(f"{getattr(route, 'path', route)} declares more than one policy: {found}")
    return found[0]
