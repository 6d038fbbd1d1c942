"""The per-user flood guard: N messages per window, one notice, then silence."""

from __future__ import annotations

import pytest

from bot.flood import FloodGuard, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_allows_up_to_the_limit_then_one_notice_then_silence() -> None:
    guard = FloodGuard(3, 60.0, clock=Clock())
    verdicts = [guard.check(1) for _ in range(6)]
    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.NOTIFY] + [Verdict.SILENT] * 2


def test_window_passing_lets_the_user_back_and_resets_the_notice() -> None:
    clock = Clock()
    guard = FloodGuard(2, 10.0, clock=clock)
    assert [guard.check(1) for _ in range(3)] == [Verdict.ALLOW, Verdict.ALLOW, Verdict.NOTIFY]
    clock.now = 10.0
    assert [guard.check(1) for _ in range(4)] == [
        Verdict.ALLOW, Verdict.ALLOW, Verdict.NOTIFY, Verdict.SILENT,
    ]


def test_window_slides() -> None:
    clock = Clock()
    guard = FloodGuard(2, 10.0, clock=clock)
    assert guard.check(1) is Verdict.ALLOW
    clock.now = 6.0
    assert guard.check(1) is Verdict.ALLOW
    clock.now = 9.0
    assert guard.check(1) is Verdict.NOTIFY
    clock.now = 10.0  # the first message left the window
    assert guard.check(1) is Verdict.ALLOW
    assert guard.check(1) is Verdict.NOTIFY


def test_users_are_counted_separately() -> None:
    guard = FloodGuard(1, 60.0, clock=Clock())
    assert guard.check(1) is Verdict.ALLOW
    assert guard.check(2) is Verdict.ALLOW
    assert guard.check(1) is Verdict.NOTIFY


def test_idle_users_are_forgotten() -> None:
    clock = Clock()
    guard = FloodGuard(1, 5.0, clock=clock)
    for user in range(FloodGuard.SWEEP_AT):
        guard.check(user)
    assert len(guard) == FloodGuard.SWEEP_AT
    clock.now = 5.0
    guard.check(-1)
    assert len(guard) == 1


@pytest.mark.parametrize(("limit", "window"), [(0, 60.0), (1, 0.0), (1, -1.0)])
def test_rejects_nonsense_limits(limit: int, window: float) -> None:
    with pytest.raises(ValueError):
        FloodGuard(limit, window)
