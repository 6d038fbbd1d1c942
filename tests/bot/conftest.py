"""Fixtures for the Telegram layer's tests: the real engine, configs and a recorded bot."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application
from tg_recording import RecordingRequest
from tg_updates import TOKEN

from bot.app import build_application
from bot.config import Config
from faq import Engine


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The packaged FAQ, loaded once."""
    return Engine.load()


@pytest.fixture
def config() -> Config:
    """A config with a token and a small flood limit."""
    return Config(token=TOKEN, flood_messages=5, flood_seconds=60.0)


@pytest.fixture
def recorder() -> RecordingRequest:
    """Records every Bot API call the application makes."""
    return RecordingRequest()


@pytest.fixture
async def app(
    config: Config, engine: Engine, recorder: RecordingRequest
) -> AsyncIterator[Application]:
    """The real application, initialized offline (``async with app``), calls recorded."""
    application = build_application(
        config, engine, request=recorder, get_updates_request=RecordingRequest()
    )
    async with application:
        recorder.clear()  # forget getMe
        yield application


@pytest.fixture
def process(app: Application) -> Callable[[dict[str, Any]], Any]:
    """Push one update (Bot API JSON) through the application's real dispatch."""

    async def push(data: dict[str, Any]) -> None:
        await app.process_update(Update.de_json(data, app.bot))

    return push
