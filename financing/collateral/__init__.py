"""Collateral (F2, F3, F4) and the one-asset-one-financing registry (F5).

* :mod:`.registry` -- every financed asset has a key, the same at every
  institution; one conditional statement decides who encumbers it (F5);
* :mod:`.orders` -- platform orders as collateral (F2);
* :mod:`.warehouse` -- warehouse receipts, pledges, margin calls,
  liquidation (F3);
* :mod:`.insurance` -- credit insurance policies, insured receivables,
  claims (F4);
* :mod:`.common` / :mod:`.errors` -- what they share;
* :mod:`.service` -- the units of work the API calls: each opens and
  commits its own transaction.

The modules other than :mod:`.service` work inside the caller's
transaction (``conn``).
"""
