"""The composition root: the update processor (concurrent across chats, in order within one)
and the rate limiter's configured limits."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import tg_updates as u
from telegram import Update
from telegram.ext import AIORateLimiter

import bot.app
from bot.app import ChatOrderedProcessor, build_application
from bot.config import Config
from bot.request import RetryingRequest
from faq import Engine


def update_in(chat_id: int) -> Update:
    chat = u.private_chat(chat_id) if chat_id > 0 else u.group_chat(chat_id)
    return Update.de_json(u.text_update("hi", user_id=abs(chat_id), chat=chat), None)


async def test_updates_of_one_chat_are_handled_in_order() -> None:
    processor = ChatOrderedProcessor()
    done: list[str] = []

    async def handle(name: str, delay: float) -> None:
        await asyncio.sleep(delay)
        done.append(name)

    async with processor:
        await asyncio.wait_for(
            asyncio.gather(
                processor.process_update(update_in(1), handle("first", 0.05)),
                processor.process_update(update_in(1), handle("second", 0.0)),
            ),
            5,
        )
    assert done == ["first", "second"]
    assert processor.chats_in_progress == 0


async def test_updates_of_different_chats_run_concurrently() -> None:
    processor = ChatOrderedProcessor()
    done: list[str] = []
    gate = asyncio.Event()

    async def slow() -> None:
        await gate.wait()
        done.append("slow chat")

    async def fast() -> None:
        done.append("fast chat")
        gate.set()

    async with processor:
        await asyncio.wait_for(
            asyncio.gather(
                processor.process_update(update_in(1), slow()),
                processor.process_update(update_in(u.GROUP_ID), fast()),
            ),
            5,
        )
    assert done == ["fast chat", "slow chat"]


async def test_updates_without_a_chat_are_not_held_back() -> None:
    processor = ChatOrderedProcessor()
    inline = Update.de_json(u.inline_update("cerclage"), None)
    seen: list[Any] = []

    async def handle() -> None:
        seen.append(processor.chats_in_progress)

    async with processor:
        await asyncio.wait_for(processor.process_update(inline, handle()), 5)
    assert seen == [0]


def test_the_rate_limiter_uses_the_configured_sending_limits(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[dict[str, Any]] = []

    class Recording(AIORateLimiter):  # type: ignore[misc]
        def __init__(self, **options: Any) -> None:
            made.append(options)
            super().__init__(**options)

    monkeypatch.setattr(bot.app, "AIORateLimiter", Recording)
    config = Config(token=u.TOKEN, send_per_second=100.0, send_per_group_minute=40.0)

    build_application(config, engine)

    assert [(m["overall_max_rate"], m["group_max_rate"]) for m in made] == [(100.0, 40.0)]


def test_every_bot_api_call_goes_through_the_configured_retries(engine: Engine) -> None:
    config = Config(token=u.TOKEN, retry_attempts=3, retry_first_wait=0.2)

    application = build_application(config, engine)

    for request in (application.bot.request, application.updater.bot._request[0]):  # type: ignore[union-attr]
        assert isinstance(request, RetryingRequest)
        assert (request.attempts, request.backoff) == (3, 0.2)
