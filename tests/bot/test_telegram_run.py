"""Start-up of `faqbot run`: the token check, webhook options and the documented config."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import config as config_module
from bot.config import Config, WebhookConfig, load_config
from bot.run import NO_TOKEN, polling_options, run_bot, webhook_options
from faq import Engine

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.yaml"


def uncommented(text: str) -> str:
    """The example with its commented-out keys switched on."""
    return re.sub(r"(?m)^(\s*)# (\s*[a-z_]+:.*)$", r"\1\2", text)


def key_tree(data: dict[str, Any], prefix: str = "") -> dict[str, set[str]]:
    tree: dict[str, set[str]] = {prefix: set(data)}
    for key, value in data.items():
        if isinstance(value, dict):
            tree.update(key_tree(value, f"{prefix}.{key}" if prefix else key))
    return tree


def test_config_example_documents_every_key() -> None:
    data = yaml.safe_load(uncommented(EXAMPLE.read_text(encoding="utf-8")))
    assert key_tree(data) == config_module._SECTIONS


def test_config_example_is_valid_as_shipped_and_fully_switched_on(tmp_path: Path) -> None:
    # As shipped it sets only the defaults (statistics next to the config file).
    stats = EXAMPLE.resolve().parent / "faqbot-stats.sqlite3"
    assert load_config(EXAMPLE, env={}) == Config(source=EXAMPLE, stats_path=stats)
    full = tmp_path / "config.yaml"
    full.write_text(uncommented(EXAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    config = load_config(full, env={})
    assert config.webhook is not None and config.webhook.secret_token
    assert config.faq_path == tmp_path / "faq/data"


def test_run_without_token_says_how_to_get_one(engine: Engine) -> None:
    err = io.StringIO()
    assert run_bot(Config(), engine, stderr=err) == 2
    message = err.getvalue()
    assert message == NO_TOKEN
    for needed in ("@BotFather", "/newbot", "FAQBOT_TELEGRAM_TOKEN", "telegram:", "token:"):
        assert needed in message


@pytest.mark.parametrize(
    ("webhook", "path"),
    [
        (WebhookConfig(url="https://bot.example.org/faqbot/hook"), "faqbot/hook"),
        (WebhookConfig(url="https://bot.example.org", path="/local/"), "local"),
        (WebhookConfig(url="https://bot.example.org/"), ""),
    ],
)
def test_webhook_options_come_from_the_config(webhook: WebhookConfig, path: str) -> None:
    config = Config(token="1:x", webhook=webhook)
    options = webhook_options(config)
    assert options["url_path"] == path
    assert options["webhook_url"] == webhook.url
    assert options["listen"] == webhook.listen and options["port"] == webhook.port
    assert options["secret_token"] == webhook.secret_token
    assert options["allowed_updates"] == polling_options()["allowed_updates"]


def test_only_handled_update_types_are_requested() -> None:
    assert set(polling_options()["allowed_updates"]) == {
        "message", "callback_query", "inline_query"
    }
