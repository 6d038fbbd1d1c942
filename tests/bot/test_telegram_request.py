"""RetryingRequest on its own: which failures are retried, how often, how long it waits."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

import httpx
import pytest
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.request import RetryingRequest, failure_reason, response_problem

OK = (200, json.dumps({"ok": True, "result": True}).encode())
URL = "http://127.0.0.1:1/bot123:secret-token/sendMessage"


def network_error(cause: Exception, *, timed_out: bool = False) -> NetworkError:
    """A PTB error raised from an httpx error, as HTTPXRequest raises it."""
    error: NetworkError = TimedOut() if timed_out else NetworkError(f"httpx.{cause!r}")
    error.__cause__ = cause
    return error


def answer(status: int, description: str = "", **parameters: Any) -> tuple[int, bytes]:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return status, json.dumps(body).encode()


class Scripted(BaseRequest):
    """Answers (or raises) from a script, one step per call; records when each call came."""

    def __init__(self, *steps: tuple[int, bytes] | Exception) -> None:
        self.steps = list(steps)
        self.times: list[float] = []

    @property
    def read_timeout(self) -> float | None:
        return 2.5

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        self.times.append(time.monotonic())
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


def retrying(*steps: tuple[int, bytes] | Exception, **options: Any) -> RetryingRequest:
    return RetryingRequest(Scripted(*steps), backoff=options.pop("backoff", 0.01), **options)


async def post(request: RetryingRequest) -> Any:
    """A Bot API call through PTB's own parsing (BaseRequest.post)."""
    return await request.post(URL, RequestData())


RETRYABLE: dict[str, tuple[int, bytes] | Exception] = {
    "HTTP 500": answer(500, "Internal Server Error"),
    "HTTP 502": (502, b"<html><body>502 Bad Gateway</body></html>"),
    "HTTP 503": answer(503, "Service Unavailable"),
    "HTTP 504": (504, b""),
    "malformed JSON": (200, b'{"ok": true, "result": {"message_id'),
    "not a Bot API answer": (200, b"[1, 2, 3]"),
    "connection refused": network_error(httpx.ConnectError("All connection attempts failed")),
    "connect timeout": network_error(httpx.ConnectTimeout("timed out"), timed_out=True),
    "pool timeout": network_error(httpx.PoolTimeout("pool"), timed_out=True),
    "dropped connection": network_error(httpx.RemoteProtocolError("Server disconnected")),
    "reset while reading": network_error(httpx.ReadError("Connection reset by peer")),
    "read timeout": network_error(httpx.ReadTimeout("timed out"), timed_out=True),
}


@pytest.mark.parametrize("failure", list(RETRYABLE))
async def test_retryable_failures_are_retried_until_the_call_succeeds(failure: str) -> None:
    request = retrying(RETRYABLE[failure], RETRYABLE[failure], OK)
    assert await post(request) is True
    assert len(request.inner.times) == 3  # type: ignore[attr-defined]
    assert sum(request.retries.values()) == 2


@pytest.mark.parametrize(
    ("step", "error"),
    [
        (answer(400, "Bad Request: chat not found"), BadRequest),
        (answer(403, "Forbidden: bot was blocked by the user"), Forbidden),
        (answer(429, "Too Many Requests: retry after 3", retry_after=3), RetryAfter),
    ],
)
async def test_answers_a_retry_cannot_fix_are_returned_at_once(
    step: tuple[int, bytes], error: type[Exception], monkeypatch: pytest.MonkeyPatch
) -> None:
    """400 and 403 would fail again; a 429 is the rate limiter's to wait for and retry."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # as faqbot run sets it (no PTB 22 warning)
    request = retrying(step, OK)
    with pytest.raises(error):
        await post(request)
    assert len(request.inner.times) == 1  # type: ignore[attr-defined]
    assert request.retries == {}


async def test_retries_are_bounded_in_number_and_the_last_error_goes_up() -> None:
    request = retrying(*[answer(502, "Bad Gateway")] * 10, attempts=4)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await post(request)
    assert len(request.inner.times) == 4  # type: ignore[attr-defined]


async def test_the_last_network_error_goes_up_unchanged() -> None:
    refused = RETRYABLE["connection refused"]
    request = retrying(refused, refused, attempts=2)
    with pytest.raises(NetworkError) as raised:
        await post(request)
    assert raised.value is refused


async def test_retries_are_bounded_in_time() -> None:
    """No retry starts later than the budget after the first attempt."""
    request = retrying(*[answer(500)] * 10, backoff=0.2, budget=0.5, attempts=10)
    with pytest.raises(NetworkError):
        await post(request)
    times = request.inner.times  # type: ignore[attr-defined]
    assert len(times) == 2  # 0.2-0.25 s, then 0.4-0.5 s more would pass the budget
    assert times[-1] - times[0] <= 0.5


async def test_waits_grow_exponentially_with_some_jitter() -> None:
    request = retrying(*[answer(500)] * 3, OK, backoff=0.1)
    await post(request)
    times = request.inner.times  # type: ignore[attr-defined]
    waits = [later - earlier for earlier, later in itertools.pairwise(times)]
    for wait, base in zip(waits, (0.1, 0.2, 0.4), strict=True):
        assert base <= wait <= base * 1.25 + 0.05


async def test_no_retries_while_the_bot_is_not_running() -> None:
    """At start-up a failure is said at once; once a stop began, nothing waits on retries."""
    refused = RETRYABLE["connection refused"]
    request = retrying(refused, refused, OK)
    running = False
    request.retry_while = lambda: running
    with pytest.raises(NetworkError):
        await post(request)
    running = True
    assert await post(request) is True  # refused once more, then OK


async def test_a_stop_during_the_wait_ends_the_retries() -> None:
    state = {"running": True}
    request = retrying(answer(502), answer(502), OK, backoff=0.05)

    def running() -> bool:
        alive = state["running"]
        state["running"] = False  # the stop begins while the first retry waits
        return alive

    request.retry_while = running
    with pytest.raises(NetworkError):
        await post(request)
    assert len(request.inner.times) == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("endpoint", "status", "rejected"),
    [
        ("getUpdates", 401, True),
        ("sendMessage", 401, True),
        ("getUpdates", 404, True),
        ("getMe", 404, True),
        ("sendMessage", 404, False),  # "no such method" as well
        ("sendMessage", 403, False),  # one user blocked the bot
    ],
)
async def test_a_rejected_token_is_reported_to_the_application(
    endpoint: str, status: int, rejected: bool
) -> None:
    calls: list[str] = []
    request = retrying(answer(status, "Unauthorized"))
    request.on_token_rejected = lambda: calls.append("stop")
    with pytest.raises(Exception):  # noqa: B017 - PTB's InvalidToken, Forbidden...
        await request.post(URL.replace("sendMessage", endpoint), RequestData())
    assert calls == (["stop"] if rejected else [])


def test_reasons_say_whether_the_request_may_have_been_delivered() -> None:
    assert failure_reason(RETRYABLE["connection refused"]) == "ConnectError, not sent"  # type: ignore[arg-type]
    assert "may have been delivered" in failure_reason(RETRYABLE["read timeout"])  # type: ignore[arg-type]
    assert "may have been delivered" in failure_reason(RETRYABLE["dropped connection"])  # type: ignore[arg-type]
    assert response_problem(*OK) is None
    assert response_problem(*answer(400)) is None
    assert response_problem(*answer(502)) == "HTTP 502"


async def test_logs_name_the_method_but_never_the_url_or_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    request = retrying(answer(502), *[RETRYABLE["dropped connection"]] * 4, attempts=5)
    with caplog.at_level("INFO", logger="bot.request"), pytest.raises(NetworkError):
        await post(request)
    assert "sendMessage" in caplog.text and "giving up" in caplog.text
    assert "secret-token" not in caplog.text and "127.0.0.1" not in caplog.text


def test_the_wrapped_request_read_timeout_is_passed_on() -> None:
    """PTB adds it to getUpdates' long-poll timeout."""
    assert RetryingRequest(Scripted()).read_timeout == 2.5
    with pytest.raises(ValueError):
        RetryingRequest(Scripted(), attempts=0)
