"""Amounts as the outside world sees them.

Inside the engine amounts are integers of minor units (``*_minor``); what
leaves it -- API responses, problem documents, event payloads, audit entries,
transaction metadata -- carries them as decimal strings with the currency's
decimals (``ledger.money.format_minor``) next to a ``currency``.
"""

from __future__ import annotations

from typing import Any

from ledger.money import format_minor


def public_amounts(value: Any, currency: str | None) -> Any:
    """``value`` with every ``*_minor`` key renamed without the suffix and
    its integer (or list of integers) shown as a decimal string of
    ``currency``; nested dicts and lists alike.  Other keys are kept."""

    def fmt(v: Any) -> Any:
        if isinstance(v, bool) or not isinstance(v, int):
            return v
        return format_minor(v, currency) if currency else str(v)

    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if isinstance(k, str) and k.endswith("_minor"):
                out[k[: -len("_minor")]] = [fmt(x) for x in v] if isinstance(v, list) else fmt(v)
            else:
                out[k] = public_amounts(v, currency)
        return out
    if isinstance(value, list):
        return [public_amounts(v, currency) for v in value]
    return value


def amounts_of(by_component: dict[str, int], currency: str) -> dict[str, str]:
    """``{component: minor units}`` as ``{component: decimal string}``."""
    return {k: format_minor(int(v), currency) for k, v in by_component.items()}
