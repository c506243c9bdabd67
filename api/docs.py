"""Offline API docs: Swagger UI at ``/docs`` and ReDoc at ``/redoc``.

The JavaScript and CSS come from the ``fastapi-offline`` package (installed
with the app) and are served by the app itself under ``/docs/assets/``: the
pages name no other host, so they work in a bank's closed integration
network.  The Swagger UI start-up script is a file too, so the pages' CSP
allows scripts from the app only (``script-src 'self'``); ReDoc's renderer
needs inline styles and a ``blob:`` worker.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, Response

from .scopes import PUBLIC

ASSETS = "/docs/assets"

#: the files of the asset directory the pages use, and their media types
_FILES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
    "favicon.png": "image/png",
}

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

_SWAGGER_INIT = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "%(openapi)s",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    validatorUrl: null,
    displayOperationId: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    layout: "BaseLayout"
  });
});
"""

_SWAGGER_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%(title)s - Swagger UI</title>
<link rel="stylesheet" href="%(assets)s/swagger-ui.css">
<link rel="icon" href="%(assets)s/favicon.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="%(assets)s/swagger-ui-bundle.js"></script>
<script src="%(assets)s/swagger-init.js"></script>
</body>
</html>
"""

_REDOC_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%(title)s - ReDoc</title>
<link rel="icon" href="%(assets)s/favicon.png">
</head>
<body>
<redoc spec-url="%(openapi)s"></redoc>
<script src="%(assets)s/redoc.standalone.js"></script>
</body>
</html>
"""


def asset_dir() -> Path:
    """The directory of the bundled Swagger UI and ReDoc files."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def _headers() -> dict[str, str]:
    return {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


def install(app: FastAPI) -> None:
    """Serve the docs pages and their assets (the app is built with
    ``docs_url=None, redoc_url=None``)."""
    openapi_url = app.openapi_url or "/openapi.json"
    values = {"title": app.title, "assets": ASSETS, "openapi": openapi_url}
    static = asset_dir()

    @app.get("/docs", include_in_schema=False, dependencies=[Depends(PUBLIC)])
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(_SWAGGER_PAGE % values, headers=_headers())

    @app.get("/redoc", include_in_schema=False, dependencies=[Depends(PUBLIC)])
    async def redoc() -> HTMLResponse:
        return HTMLResponse(_REDOC_PAGE % values, headers=_headers())

    @app.get(ASSETS + "/swagger-init.js", include_in_schema=False, dependencies=[Depends(PUBLIC)])
    async def swagger_init() -> Response:
        return Response(_SWAGGER_INIT % values, media_type="text/javascript", headers=_headers())

    @app.get(ASSETS + "/{name}", include_in_schema=False, dependencies=[Depends(PUBLIC)])
    async def asset(name: str) -> FileResponse:
        media = _FILES.get(name)
        if media is None:
            raise HTTPException(404, "no such docs asset")
        return FileResponse(static / name, media_type=media, headers={**_headers(), "Cache-Control": "public, max-age=86400"})
