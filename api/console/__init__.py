"""The finance staff web console: Jinja2 templates and static files served
by :mod:`api.routers.console` (server-rendered, no build step, no CDN)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
