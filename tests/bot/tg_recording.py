"""A Bot API request object that records every call instead of sending it (PTB's test style)."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData
from tg_updates import bot_user, chat_for

JSON = dict[str, Any]


@dataclass(frozen=True)
class ApiCall:
    """One Bot API call: the method name and its parameters (decoded)."""

    method: str
    params: JSON



class RecordingRequest(BaseRequest):
    """Answers every Bot API call locally and records it; nothing touches the network.

    ``getMe`` returns the test bot so that ``Application.initialize()`` works offline.
    ``fail(method, description)`` makes the next call of ``method`` fail with a Bad Request;
    ``fail(method, description, status=403)`` with another HTTP status (403 Forbidden: the user
    blocked the bot).
    """

    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self._failures: dict[str, list[tuple[int, str]]] = {}
        self._message_ids = itertools.count(5000)

    @property
    def read_timeout(self) -> float | None:
        """No real I/O happens; a short default is enough."""
        return 1.0

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def fail(
        self, method: str, description: str = "Bad Request: forced by the test", status: int = 400
    ) -> None:
        """Make the next ``method`` call fail with HTTP ``status`` and ``description``."""
        self._failures.setdefault(method, []).append((status, description))

    def clear_failures(self) -> None:
        """Forget the failures armed with ``fail`` that no call has used yet."""
        self._failures.clear()

    def sent(self, method: str) -> list[JSON]:
        """The parameters of every recorded call of ``method``, oldest first."""
        return [call.params for call in self.calls if call.method == method]

    def methods(self) -> list[str]:
        """The recorded method names, in order."""
        return [call.method for call in self.calls]

    def clear(self) -> None:
        """Forget the recorded calls."""
        self.calls.clear()

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
        """Record the call and answer it like the Bot API would."""
        endpoint = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        self.calls.append(ApiCall(endpoint, params))
        if self._failures.get(endpoint):
            status, description = self._failures[endpoint].pop(0)
            body = {"ok": False, "error_code": status, "description": description}
            return status, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": self._result(endpoint, params)}).encode()

    def _result(self, endpoint: str, params: JSON) -> Any:
        if endpoint == "getMe":
            return bot_user()
        if endpoint in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
            chat_id = int(params["chat_id"])
            return {
                "message_id": int(params.get("message_id", next(self._message_ids))),
                "date": int(time.time()),
                "chat": chat_for(chat_id),
                "from": bot_user(),
                "text": params.get("text", ""),
            }
        return True
