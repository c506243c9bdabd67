"""ASGI entry point for uvicorn: ``uvicorn api.asgi:app``."""

from api.app import create_app
from api.observability import configure_logging
from ledger.config import get_settings

# each uvicorn worker process imports this module anew (spawned): configure
# its logs here, or only the parent's would be
configure_logging(get_settings().log_format)
app = create_app()
