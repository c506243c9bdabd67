"""A JSON answer built from a response model, for routes that make their
response themselves (stored idempotent answers, answers built inside the
posting's transaction).

The bytes are those FastAPI's ``jsonable_encoder`` + ``json.dumps`` gave
(aliases, JSON mode, compact separators, non-ASCII escaped), but a pydantic
model is dumped by pydantic's own serializer instead of being walked again in
Python: that walk was half a millisecond of every posting request (#14).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel


def json_body(model: Any) -> bytes:
    data = model.model_dump(mode="json", by_alias=True) if isinstance(model, BaseModel) else jsonable_encoder(model)
    return json.dumps(data, separators=(",", ":")).encode()


def json_response(status: int, model: Any) -> Response:
    return Response(content=json_body(model), status_code=status, media_type="application/json")
