"""The framework's ceiling: a trivial FastAPI route with a pydantic body,
served by uvicorn the way ``xborder serve`` serves the API (same uvicorn
options: ``log_level="warning"``, no access log, default loop and HTTP
implementation), driven by the same load generator in the same run.

    python -m bench.trivial_app --port 8001 --workers 1

``POST /v1/echo`` takes a transfer-shaped body (two postings) and answers
201 with a small JSON document.
"""

from __future__ import annotations

import argparse
from typing import Literal

from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI()


class PostingIn(BaseModel):
    account_id: str
    side: Literal["debit", "credit"]
    amount: str = Field(pattern=r"^[0-9]+(\.[0-9]+)?$")
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class TransferIn(BaseModel):
    postings: list[PostingIn] = Field(min_length=2)


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/v1/echo", status_code=201)
async def echo(body: TransferIn) -> dict[str, object]:
    return {"postings": len(body.postings), "currency": body.postings[0].currency}


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--workers", type=int, default=1)
    a = p.parse_args(argv)
    uvicorn.run("bench.trivial_app:app", host=a.host, port=a.port, workers=a.workers, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
