"""ASGI receive channels that give back messages already read."""

from __future__ import annotations

from typing import Any


def replay(messages: list[dict[str, Any]], then: Any = None) -> Any:
    """A ``receive`` that returns ``messages`` first, then what ``then``
    returns (the original ``receive``), or a disconnect without it."""
    queue = list(messages)

    async def receive() -> dict[str, Any]:
        if queue:
            return queue.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive
