"""Alembic migrations of xborder (one history for SQLite and PostgreSQL)."""


def target_metadata():
    """The metadata of every table the migrations create: importing the
    schema modules registers their tables on the shared ``MetaData``."""
    import api.schema  # noqa: F401
    import ledger.events  # noqa: F401
    from ledger.schema import metadata

    for optional in ("settlement.schema", "financing.schema", "recon.tables"):
        try:
            __import__(optional)
        except ModuleNotFoundError:
            pass
    return metadata
