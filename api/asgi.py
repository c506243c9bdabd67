"""ASGI entry point for uvicorn: ``uvicorn api.asgi:app``."""

import gc

from api.app import create_app
from api.observability import configure_logging
from ledger.config import get_settings

# each uvicorn worker process imports this module anew (spawned): configure
# its logs here, or only the parent's would be
configure_logging(get_settings().log_format)
app = create_app()

# What exists now (modules, routes, models, settings, ~200,000 objects) lives
# as long as the process: take it out of the cyclic garbage collector's scans.
# Each full collection walked all of it, 140-166 ms with the worker stopped:
# the p99 of the single-posting bench at 32 connections (#14; 5-8 ms since).
gc.collect()
gc.freeze()
