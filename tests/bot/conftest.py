"""Fixtures for the Telegram layer's tests: the real engine, configs and a recorded bot."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application
from tg_recording import RecordingRequest
from tg_standin import BotApiStandIn, BotProcess, launch, write_config
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


# --- the real bot process against the Bot API stand-in (end-to-end tests) ---------------------


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    """The Bot API stand-in, serving on 127.0.0.1."""
    api = BotApiStandIn()
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
async def start_bot(
    standin: BotApiStandIn, tmp_path: Path
) -> AsyncIterator[Callable[..., Awaitable[BotProcess]]]:
    """Start ``faqbot run --config`` against the stand-in; wait until it polls (or listens)."""
    started: list[BotProcess] = []

    async def start(*, ready: str = "getUpdates", **sections: Any) -> BotProcess:
        number = len(started)
        config = write_config(tmp_path / f"config{number}.yaml", standin, **sections)
        bot = await launch(config, tmp_path / f"bot{number}.log")
        started.append(bot)
        try:
            await standin.wait_for(ready, timeout=20.0)
        except AssertionError:
            await bot.stop(signal.SIGKILL)
            raise AssertionError(f"the bot did not start:\n{bot.log}") from None
        return bot

    yield start
    for bot in started:
        if bot.process.returncode is None:
            bot.process.kill()
            await bot.process.wait()
