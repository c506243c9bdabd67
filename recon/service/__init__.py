"""Reconciliation: statements in, matches out, exceptions worked under maker-checker.

* ``import_statement`` streams a camt.053/054, MT940 or CSV file into
  ``recon_lines`` inside one database transaction: a broken file imports
  nothing; a statement already imported (same account and statement id) is
  skipped, so importing the same file twice imports it once.
* ``run_matching`` loads the open lines and unmatched ledger entries of each
  reconciled account, runs the rules of :mod:`recon.matching` and records
  every match with the rule that made it.  A match within the bank-charges
  tolerance waits for an approver, who accepts it by posting the fee.
* ``propose`` / ``approve`` / ``reject``: manual matches, splits and
  adjustment entries are made by one user and take effect only when another
  user with the approver role approves them.  An unapproved adjustment moves
  no money.
"""

from __future__ import annotations

from ledger.crypto import Keyring
from ledger.service import Ledger

from .accounts import AccountsMixin
from .common import (
    AGE_BUCKET_RANGES,
    AGE_BUCKETS,
    REFERENCE_KEYS,
    SORTS,
    Actor,
    AlreadyMatched,
    ApproverRoleRequired,
    ExceptionFilter,
    ExceptionItem,
    ImportedStatement,
    ImportResult,
    LinePart,
    MatchDoesNotBalance,
    Proposal,
    ProposalNotPending,
    ReconAccount,
    RunResult,
    SelfApprovalRefused,
    StatementLine,
    UnknownBankAccount,
    _config_dict,
    decimal_payload,
    entry_id,
    matching_config,
    signed_amount,
    sort_exceptions,
)
from .imports import ImportsMixin
from .matching import MatchingMixin, exception_key
from .proposals import ProposalsMixin
from .summary import SummaryMixin

__all__ = [
    "AGE_BUCKETS", "AGE_BUCKET_RANGES", "REFERENCE_KEYS", "SORTS", "Actor", "AlreadyMatched", "ApproverRoleRequired", "ExceptionFilter", "ExceptionItem", "ImportResult", "ImportedStatement", "LinePart",
    "MatchDoesNotBalance", "Proposal", "ProposalNotPending", "ReconAccount", "Reconciliation", "RunResult", "SelfApprovalRefused", "StatementLine",
    "UnknownBankAccount", "_config_dict", "decimal_payload", "entry_id", "exception_key", "matching_config", "signed_amount", "sort_exceptions",
]


class Reconciliation(AccountsMixin, ImportsMixin, MatchingMixin, ProposalsMixin, SummaryMixin):
    """Reconciliation of an institution's bank accounts against its ledger."""

    def __init__(self, ledger: Ledger, keyring: Keyring | None = None) -> None:
        super().__init__(ledger, keyring)
