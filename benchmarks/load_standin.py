"""The tests' Bot API stand-in, as the load benchmark (``bench_bot.py``) needs it.

``tests/bot/tg_standin.py`` serves the Bot API on 127.0.0.1 for the end-to-end tests. Under
load it must also behave like Telegram in one more way: ``getUpdates`` hands out at most
``limit`` updates (1-100, default 100), so a backlog of 1 000 updates arrives in batches of 100
as it does from Telegram. It also records when each update was pushed, for the latency from a
push to its reply. Kept apart from ``bench_bot.py`` so that the echo-bot child, started from
that script, imports neither aiohttp nor the test helpers (its memory is PTB's alone).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "bot"))

import tg_standin
import tg_updates

JSON = dict[str, Any]
#: Telegram's default and largest ``getUpdates`` batch.
MAX_BATCH = 100

__all__ = ["JSON", "LoadStandIn", "tg_standin", "tg_updates"]


class LoadStandIn(tg_standin.BotApiStandIn):
    """The stand-in, with Telegram's ``getUpdates`` batch limit and push times per update."""

    def __init__(self, token: str = tg_updates.TOKEN) -> None:
        super().__init__(token)
        #: update_id -> time.monotonic() when the update was pushed.
        self.pushed_at: dict[int, float] = {}

    async def push(self, *updates: JSON) -> None:
        """Queue updates for the bot's next ``getUpdates``, noting when each was pushed."""
        now = time.monotonic()
        for update in updates:
            self.pushed_at[int(update["update_id"])] = now
        await super().push(*updates)

    async def _get_updates(self, params: JSON) -> list[JSON]:
        limit = int(params.get("limit") or MAX_BATCH)
        updates = await super()._get_updates(params)
        return updates[: max(1, min(limit, MAX_BATCH))]
