"""A small Bot API stand-in served by aiohttp on 127.0.0.1, and the bot process that uses it.

The stand-in serves the methods the bot calls, long-polls ``getUpdates`` from a queue the test
pushes to, records every call, and can be told to fail the next calls of a method: an HTTP
error (400, 403, 429 with ``retry_after``, 500, 502...), a dropped connection (closed without an
answer) or a malformed answer (HTTP 200 with a body that is not JSON). The bot runs in a
child process started exactly as ``faqbot run --config PATH`` (``python -m bot run``),
pointed at the stand-in through ``telegram.base_url``. Every wait is bounded by a timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web
from tg_updates import TOKEN, bot_user, chat_for

JSON = dict[str, Any]
HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parents[2]
#: The longest a getUpdates call is held open when there is nothing to deliver.
LONG_POLL_HOLD = 1.0
#: Parameters that are plain text and must not be JSON-decoded ("123" stays a string).
_TEXT_PARAMS = {
    "text",
    "callback_query_id",
    "inline_query_id",
    "url",
    "secret_token",
    "next_offset",
    "parse_mode",
    "action",
}


#: Kinds of fault: an HTTP error answer, a connection closed without an answer, a 200 answer
#: whose body is not JSON.
STATUS, DROP, MALFORMED = "status", "drop", "malformed"
#: The ambiguous fault: the call is carried out (a message is delivered), then the connection
#: is closed before the answer, as when Telegram's answer is lost on the way back.
DELIVERED_THEN_DROP = "delivered-then-drop"


@dataclass(frozen=True)
class Fault:
    """A failure to return instead of the next call's result."""

    status: int
    description: str
    retry_after: int | None = None
    kind: str = STATUS
    migrate_to_chat_id: int | None = None  # a group that became a supergroup


@dataclass(frozen=True)
class ApiCall:
    """One recorded Bot API call (``fault`` is set when the stand-in failed it on purpose)."""

    method: str
    params: JSON
    result: Any = None
    at: float = field(default_factory=time.monotonic)
    fault: Fault | None = None


def _decode(name: str, value: str) -> Any:
    if name in _TEXT_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value



class BotApiStandIn:
    """The Bot API, as far as the FAQ bot uses it, on 127.0.0.1 (an ephemeral port)."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[ApiCall] = []
        self.unknown: list[str] = []
        self._updates: list[JSON] = []
        self._faults: dict[str, list[Fault]] = {}
        self._delays: dict[str, list[float]] = {}
        self._stopping = False
        self._changed = asyncio.Condition()
        self._message_ids = itertools.count(9000)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The value for ``telegram.base_url``."""
        return f"http://{HOST}:{self.port}/bot"

    async def start(self) -> None:
        """Serve on 127.0.0.1 on a free port."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=2.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Stop serving; held long polls are answered at once (empty), not at their timeout."""
        async with self._changed:
            self._stopping = True
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what tests do -------------------------------------------------------------------------

    async def push(self, *updates: JSON) -> None:
        """Queue updates for the bot's next ``getUpdates``."""
        async with self._changed:
            self._updates.extend(updates)
            self._changed.notify_all()

    def fail_next(
        self,
        method: str,
        *,
        status: int = 400,
        description: str = "Bad Request: forced by the test",
        retry_after: int | None = None,
        kind: str = STATUS,
        times: int = 1,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail.

        ``kind`` is :data:`STATUS` (an HTTP ``status`` answer with ``description``),
        :data:`DROP` (the connection is closed before any answer) or :data:`MALFORMED`
        (HTTP 200 with a body that is not JSON).
        """
        fault = Fault(status, description, retry_after, kind, migrate_to_chat_id)
        self._faults.setdefault(method, []).extend([fault] * times)

    def delay_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` normally, but ``seconds`` late."""
        self._delays.setdefault(method, []).extend([seconds] * times)

    def delivered(self, method: str, since: int = 0, **match: Any) -> list[JSON]:
        """Like :meth:`sent`, but only the calls that were carried out (no fault injected, or
        one that drops the answer after carrying the call out)."""
        return [
            call.params
            for call in self.calls[since:]
            if call.method == method
            and (call.fault is None or call.fault.kind == DELIVERED_THEN_DROP)
            and all(call.params.get(key) == value for key, value in match.items())
        ]

    def sent(self, method: str, since: int = 0, **match: Any) -> list[JSON]:
        """Parameters of the ``method`` calls from call number ``since`` that match ``match``."""
        return [
            call.params
            for call in self.calls[since:]
            if call.method == method
            and all(call.params.get(key) == value for key, value in match.items())
        ]

    def calls_of(self, method: str, since: int = 0) -> list[ApiCall]:
        """Recorded calls of ``method`` (with results and times)."""
        return [call for call in self.calls[since:] if call.method == method]

    def mark(self) -> int:
        """A position in the call record, for ``since=``."""
        return len(self.calls)

    def methods(self, since: int = 0) -> list[str]:
        """Recorded method names, without the ``getUpdates`` polling."""
        return [call.method for call in self.calls[since:] if call.method != "getUpdates"]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        *,
        since: int = 0,
        timeout: float = 10.0,
        **match: Any,
    ) -> list[JSON]:
        """Wait until ``count`` matching calls of ``method`` were recorded; return them."""

        def enough() -> bool:
            return len(self.sent(method, since, **match)) >= count

        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(enough), timeout)
            except TimeoutError:
                seen = self.methods(since)
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {count} x {method} {match}; "
                    f"calls since mark: {seen}"
                ) from None
        return self.sent(method, since, **match)

    async def quiet(self, seconds: float = 0.3) -> None:
        """Let the bot work for a moment (for checking that something did *not* happen)."""
        await asyncio.sleep(seconds)

    # --- serving -------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        form = await request.post()
        params = {name: _decode(name, str(value)) for name, value in form.items()}
        fault = self._faults[method].pop(0) if self._faults.get(method) else None
        carried_out = fault is None or fault.kind == DELIVERED_THEN_DROP
        result = (
            self._result(method, params) if carried_out and method != "getUpdates" else None
        )
        async with self._changed:  # recorded on arrival, so a held long poll shows at once
            self.calls.append(ApiCall(method, params, result, fault=fault))
            self._changed.notify_all()
        delay = self._delays[method].pop(0) if self._delays.get(method) else 0.0
        if delay:
            await asyncio.sleep(delay)
        if fault is not None and fault.kind in (DROP, DELIVERED_THEN_DROP):
            if request.transport is not None:
                request.transport.abort()  # no answer at all, as when a connection is reset
            raise web.HTTPServiceUnavailable()  # never reaches the client: the socket is gone
        if fault is not None and fault.kind == MALFORMED:
            return web.Response(
                status=200, text="<html>502 Bad Gateway</html>{", content_type="application/json"
            )
        if fault is not None:
            body: JSON = {
                "ok": False, "error_code": fault.status, "description": fault.description
            }
            if fault.retry_after is not None:
                body["parameters"] = {"retry_after": fault.retry_after}
            if fault.migrate_to_chat_id is not None:
                body["parameters"] = {"migrate_to_chat_id": fault.migrate_to_chat_id}
            return web.json_response(body, status=fault.status)
        if method == "getUpdates":
            result = await self._get_updates(params)
        if result is None:
            self.unknown.append(method)
            body = {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
            return web.json_response(body, status=404)
        return web.json_response({"ok": True, "result": result})

    async def _get_updates(self, params: JSON) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        hold = min(float(params.get("timeout") or 0), LONG_POLL_HOLD)

        def pending() -> list[JSON]:
            return [u for u in self._updates if u["update_id"] >= offset]

        async with self._changed:
            if not pending() and hold > 0:
                with contextlib.suppress(TimeoutError):  # nothing came: answer []
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(pending()) or self._stopping), hold
                    )
            return pending()

    def _result(self, method: str, params: JSON) -> Any:
        if method == "getMe":
            return bot_user()
        if method in ("sendMessage", "editMessageReplyMarkup"):
            chat_id = int(params["chat_id"])
            return {
                "message_id": int(params.get("message_id") or next(self._message_ids)),
                "date": int(time.time()),
                "chat": chat_for(chat_id),
                "from": bot_user(),
                "text": str(params.get("text", "")),
            }
        if method in (
            "answerInlineQuery",
            "answerCallbackQuery",
            "setMyCommands",
            "deleteWebhook",
            "setWebhook",
            "sendChatAction",
        ):
            return True
        return None


# --- the bot process ------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class BotProcess:
    """The bot running as ``faqbot run`` in a child process; its log goes to a file."""

    def __init__(self, process: asyncio.subprocess.Process, log_path: Path) -> None:
        self.process = process
        self.log_path = log_path

    @property
    def log(self) -> str:
        """Everything the bot wrote to standard error so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        """Send ``sig`` and wait for the exit status (killing the process after ``timeout``)."""
        if self.process.returncode is None:
            self.process.send_signal(sig)
        return await self.wait(timeout)

    async def wait(self, timeout: float = 15.0) -> int:
        """Wait for the process to end; fail (after killing it) if it takes too long."""
        try:
            return await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise AssertionError(f"the bot did not stop within {timeout}s:\n{self.log}") from None


def write_config(path: Path, standin: BotApiStandIn, **sections: Any) -> Path:
    """A config file for the stand-in; ``sections`` override or add top-level keys."""
    data: JSON = {
        "telegram": {"token": standin.token, "base_url": standin.base_url},
        "logging": {"level": "INFO"},
    }
    for key, value in sections.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


async def launch(
    config_path: Path | None,
    log_path: Path,
    *,
    env: dict[str, str] | None = None,
) -> BotProcess:
    """Start ``faqbot run [--config PATH]`` in a child process (warnings are errors there)."""
    child_env = {k: v for k, v in os.environ.items() if k != "FAQBOT_TELEGRAM_TOKEN"}
    child_env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO), child_env.get("PYTHONPATH", "")])
    )
    child_env.update(env or {})
    args = [sys.executable, "-W", "error", "-m", "bot", "run"]
    if config_path is not None:
        args += ["--config", str(config_path)]
    log_file = log_path.open("wb")
    try:
        process = await asyncio.create_subprocess_exec(
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log_file,
            stderr=log_file,
            cwd=str(log_path.parent),
            env=child_env,
        )
    finally:
        log_file.close()
    return BotProcess(process, log_path)


async def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll ``condition`` until it is true, failing after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(0.05)
