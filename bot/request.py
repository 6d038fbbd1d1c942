"""Bot API calls that survive Telegram's hiccups: bounded retries with backoff.

:class:`RetryingRequest` wraps the request object that python-telegram-bot sends every Bot API
call through (its ``BaseRequest`` extension point) and retries a call that failed in a way a
retry can fix:

* the connection could not be made, or timed out before the request was sent
  (``ConnectError``, ``ConnectTimeout``, ``PoolTimeout``, ``WriteTimeout``...);
* Telegram (or a proxy in front of it) answered with a 5xx server error;
* the answer was not the Bot API's JSON (a truncated body, an HTML error page with 200);
* the connection dropped, or the answer did not come in time, after the request was sent
  (**the ambiguous case**, see below).

Errors that a retry cannot fix are returned at once: 400 Bad Request, 401/404 (the token),
403 Forbidden (the user blocked the bot), 409 Conflict. A 429 ``retry_after`` is not retried
here either: PTB's ``AIORateLimiter`` waits the time Telegram asks for and retries it, and
retrying it here too would call Telegram again before that time.

Every retry waits longer than the one before (``backoff`` × 2ⁿ, plus up to 25% jitter so that
many chats do not retry in step) and retries are bounded both in number (``attempts``) and in
time (``budget`` seconds from the first attempt): after that the last error goes up to the
handler as before, and the error handler apologises.

**The ambiguous case.** When the connection drops or the read times out *after* the request
was sent, Telegram may already have delivered the message; the Bot API has no idempotency key
to ask. (So may have a 502/504 from a proxy in front of it, or an answer that is not JSON.)
Retrying may then deliver an answer twice; not retrying may lose it, or replace it with the
apology. For this bot a duplicated answer is the lesser harm: the person sees the same
text twice, while a lost answer to "my waters broke" leaves them with nothing. So the
ambiguous case is retried, and logged as such. (With Telegram's usual response times, a read
timeout of 5 s is rare; a dropped keep-alive connection, before Telegram saw the request, is
the common cause of this error and is harmless to retry.)

Retries are made only while ``retry_while()`` says so (the application: while the bot runs, so
that a failed start is said at once and a stop never waits on retries), and a 401, or a 404 to
``getMe``/``getUpdates``, calls ``on_token_rejected`` (the application stops: its token was
revoked).

Retries are logged with the method name and the reason only: never the URL (it holds the
token) nor the parameters (they hold the user's chat and text).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Callable
from http import HTTPStatus

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

log = logging.getLogger(__name__)

#: Attempts per Bot API call, the first included.
ATTEMPTS = 5
#: Seconds before the first retry; each further retry waits twice as long.
BACKOFF = 0.5
#: No retry starts later than this many seconds after the first attempt.
BUDGET = 30.0
#: The longest single wait between two attempts.
MAX_WAIT = 8.0

#: httpx errors raised before any byte of the request reached the server: always safe to retry.
_NOT_SENT = ("ConnectError", "ConnectTimeout", "PoolTimeout", "WriteTimeout", "WriteError")


class RetryingRequest(BaseRequest):
    """A ``BaseRequest`` that retries retryable failures of the request object it wraps.

    Args:
        inner: the request object that makes the HTTP calls (by default PTB's ``HTTPXRequest``
            with PTB's own default pool size of 256 connections).
        attempts: attempts per call, the first included (at least 1).
        backoff: seconds before the first retry (doubled for each further retry).
        budget: no retry starts more than this many seconds after the first attempt.
    """

    def __init__(
        self,
        inner: BaseRequest | None = None,
        *,
        attempts: int = ATTEMPTS,
        backoff: float = BACKOFF,
        budget: float = BUDGET,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.inner = inner if inner is not None else HTTPXRequest(connection_pool_size=256)
        self.attempts = attempts
        self.backoff = backoff
        self.budget = budget
        #: How many retries were made, per reason (for logs and tests).
        self.retries: dict[str, int] = {}
        #: Retries are made only while this says so. The application sets it to "the bot is
        #: running": at start-up a failure is reported at once (someone is watching, and the
        #: fix is theirs: a token, a URL, the network), and once a stop has begun, a call is
        #: not retried for half a minute while a service manager waits for the process to end.
        self.retry_while: Callable[[], bool] = lambda: True
        #: Called when Telegram says the token is not (or no longer) valid: 401, or 404 to
        #: ``getMe`` / ``getUpdates``. The application stops on it: a bot whose token was
        #: revoked must not sit there answering nobody.
        self.on_token_rejected: Callable[[], None] | None = None

    @property
    def read_timeout(self) -> float | None:
        """The wrapped request's read timeout (PTB adds it to ``getUpdates``' long poll)."""
        return self.inner.read_timeout

    async def initialize(self) -> None:
        """Initialize the wrapped request."""
        await self.inner.initialize()

    async def shutdown(self) -> None:
        """Close the wrapped request's connections."""
        await self.inner.shutdown()

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
        """Make the call; retry it while it fails in a retryable way, within the bounds."""
        endpoint = url.rsplit("/", 1)[-1]  # the Bot API method; the URL itself holds the token
        started = time.monotonic()
        attempt = 1
        while True:
            error: NetworkError | None = None
            try:
                code, payload = await self.inner.do_request(
                    url,
                    method,
                    request_data=request_data,
                    read_timeout=read_timeout,
                    write_timeout=write_timeout,
                    connect_timeout=connect_timeout,
                    pool_timeout=pool_timeout,
                )
            except NetworkError as exc:  # TimedOut too; PTB's BadRequest etc. are never raised
                error = exc
                reason = failure_reason(exc)
            else:
                if self.on_token_rejected is not None and _token_rejected(endpoint, code):
                    self.on_token_rejected()
                problem = response_problem(code, payload)
                if problem is None:
                    return code, payload
                reason = problem
            wait = self._wait(attempt)
            if not self.retry_while():
                if error is not None:
                    raise error
                return code, payload
            if attempt >= self.attempts or time.monotonic() - started + wait > self.budget:
                log.warning(
                    "Bot API %s failed (%s) after %d attempt(s); giving up",
                    endpoint,
                    reason,
                    attempt,
                )
                if error is not None:
                    raise error
                return code, payload
            self.retries[reason] = self.retries.get(reason, 0) + 1
            log.info(
                "Bot API %s failed (%s); retry %d of %d in %.1f s",
                endpoint,
                reason,
                attempt,
                self.attempts - 1,
                wait,
            )
            await asyncio.sleep(wait)
            attempt += 1
            if not self.retry_while():  # a stop began during the wait
                if error is not None:
                    raise error
                return code, payload

    def _wait(self, attempt: int) -> float:
        """Seconds before retry number ``attempt``: exponential, capped, with some jitter."""
        base = min(self.backoff * 2 ** (attempt - 1), MAX_WAIT)
        return base * (1 + random.random() / 4)


def _token_rejected(endpoint: str, code: int) -> bool:
    """Whether an answer says the token is not valid (404 is also "no such method", so only
    for the methods every bot has)."""
    return code == HTTPStatus.UNAUTHORIZED or (
        code == HTTPStatus.NOT_FOUND and endpoint in ("getMe", "getUpdates")
    )


def failure_reason(exc: NetworkError) -> str:
    """Why a call raised, in a few words (all of PTB's network errors are retried).

    ``TimedOut`` and ``NetworkError`` wrap the httpx error they came from; an error raised
    before the request was sent is named as such, the others are the ambiguous case.
    """
    cause = type(exc.__cause__).__name__ if exc.__cause__ is not None else ""
    if cause in _NOT_SENT:
        return f"{cause}, not sent"
    if isinstance(exc, TimedOut):
        return f"{cause or 'timed out'}, may have been delivered"
    return f"{cause or 'network error'}, may have been delivered"


def response_problem(code: int, payload: bytes) -> str | None:
    """Why an HTTP answer calls for a retry, or ``None`` when it is a real Bot API answer.

    5xx and a body that is not the Bot API's JSON object are retried; every other status
    (2xx, and 4xx such as 400, 403 and 429) is the Bot API's answer and is returned as is.
    """
    if code >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return f"HTTP {code}"
    if HTTPStatus.OK <= code <= 299:
        try:
            data = json.loads(payload)
        except ValueError:
            return "malformed JSON"
        if not isinstance(data, dict) or "ok" not in data:
            return "not a Bot API answer"
    return None
