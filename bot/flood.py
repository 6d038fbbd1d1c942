"""A per-user flood guard for incoming messages.

Each user may send ``limit`` messages in any ``window`` seconds. The first message over the
limit gets one polite notice; after that the bot stays silent until the window has room again.
User ids (and, for messages sent on behalf of a chat such as an anonymous group admin's, that
chat's id) live only in this object's memory: they are never logged or stored.
"""

from __future__ import annotations

import enum
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


class Verdict(enum.Enum):
    """What to do with one incoming message."""

    ALLOW = "allow"  # answer it
    NOTIFY = "notify"  # over the limit for the first time: send the flood notice once
    SILENT = "silent"  # over the limit, already told: ignore it


@dataclass(slots=True)
class _Track:
    times: deque[float] = field(default_factory=deque)
    notified: bool = False


class FloodGuard:
    """Counts messages per user in a sliding window.

    Args:
        limit: messages allowed per window (at least 1).
        window: the window in seconds.
        clock: a monotonic clock in seconds (tests pass a fake one).
    """

    #: Forget idle users once this many are tracked (keeps memory bounded).
    SWEEP_AT = 4096

    def __init__(
        self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be at least 1 and window more than 0")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._users: dict[int, _Track] = {}

    def __len__(self) -> int:
        """How many users are tracked right now."""
        return len(self._users)

    def check(self, user_id: int) -> Verdict:
        """Record one message from ``user_id`` and say whether to answer it."""
        now = self._clock()
        if len(self._users) >= self.SWEEP_AT:
            self._sweep(now)
        track = self._users.get(user_id)
        if track is None:
            track = self._users[user_id] = _Track()
        times = track.times
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            track.notified = False
            return Verdict.ALLOW
        if track.notified:
            return Verdict.SILENT
        track.notified = True
        return Verdict.NOTIFY

    def _sweep(self, now: float) -> None:
        idle = [
            user
            for user, track in self._users.items()
            if not track.times or now - track.times[-1] >= self.window
        ]
        for user in idle:
            del self._users[user]
