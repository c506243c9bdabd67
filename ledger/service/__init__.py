"""The ledger service: the one object other packages hold to use the ledger.

It owns an engine, runs each operation in a database transaction with the
serialization-failure retry loop, and groups concurrent single postings into
one commit (group commit), so a hot account or a busy ledger is not capped
at one commit per transaction.

:class:`Ledger` is composed of one part per concern:

* :mod:`.accounts` -- institutions, ledgers and accounts;
* :mod:`.writer` -- posting, batches, group commit, pending expiry;
* :mod:`.queries` -- balances, statements, trial balance, listings;
* :mod:`.verification` -- chain verification and signed checkpoints;

on :class:`.core.LedgerCore` (engine, settings, the transaction runner).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from ..config import Settings
from .accounts import AccountsMixin
from .core import AfterPost
from .queries import QueriesMixin, decode_cursor, encode_cursor
from .verification import VerificationMixin
from .writer import GroupCommitter, WriterMixin

__all__ = ["AfterPost", "Ledger", "decode_cursor", "encode_cursor"]


class Ledger(AccountsMixin, WriterMixin, QueriesMixin, VerificationMixin):
    """Facade over the ledger tables.  All methods are tenant-scoped by
    ``institution_id``: another institution's ids behave as unknown ids."""

    def __init__(self, engine: AsyncEngine | None = None, settings: Settings | None = None) -> None:
        super().__init__(engine, settings)
        self._committer = GroupCommitter(self)
