"""The bot's configuration: one YAML file, converted and validated once at start-up.

Every key is optional except the Telegram token, which only ``faqbot run`` needs. Problems are
collected and reported together, each naming its key (``telegram.webhook.port: ...``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from faq import yamlguard
from faq.engine import Engine
from faq.model import Content

TOKEN_ENV = "FAQBOT_TELEGRAM_TOKEN"
DEFAULT_BASE_URL = "https://api.telegram.org/bot"
# libyaml's parser when PyYAML was built with it, as for the FAQ: it stops at 1000 levels.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: Where the statistics database goes by default (relative to the config file's folder, or
#: to the current folder without a config file).
DEFAULT_STATS_PATH = "faqbot-stats.sqlite3"


class ConfigError(Exception):
    """The configuration is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    """Webhook mode: Telegram posts updates to ``url``; PTB listens on ``listen:port``."""

    url: str
    listen: str = "127.0.0.1"
    port: int = 8443
    path: str = ""
    secret_token: str = ""


@dataclass(frozen=True, slots=True)
class Config:
    """The validated configuration."""

    token: str | None = None
    base_url: str = DEFAULT_BASE_URL
    webhook: WebhookConfig | None = None
    moderators: tuple[int, ...] = ()
    moderators_chat: int | None = None  # where reload results are announced, if anywhere
    faq_path: Path | None = None
    watch_seconds: float = 60.0  # how often the FAQ files are checked for changes; 0: never
    threshold: float | None = None
    margin: float | None = None
    helpline: str | None = None  # the crisis helpline; None: the FAQ's crisis_helpline
    abuse_helpline: str | None = None  # the domestic abuse helpline; None: the FAQ's
    flood_messages: int = 20
    flood_seconds: float = 60.0
    # Telegram's own sending limits, for the rate limiter (raise them only for a local Bot API
    # server or paid broadcasts): messages a second overall, and a minute per group.
    send_per_second: float = 30.0
    send_per_group_minute: float = 20.0
    # Bot API calls that fail in a retryable way (5xx, dropped connection, malformed answer):
    # attempts per call, and the wait before the first retry (doubled for each next one).
    retry_attempts: int = 5
    retry_first_wait: float = 0.5
    log_level: str = "INFO"
    log_user_data: bool = False
    stats_path: Path | None = None  # None: statistics off
    stats_unanswered: bool = True  # keep (masked) unanswered questions for /gaps
    stats_retention_days: int = 90
    source: Path | None = field(default=None, compare=False)


def build_engine(config: Config, content: Content) -> Engine:
    """An engine for ``content`` with the deployment's matching and safety settings.

    Raises:
        ScorerError: the packaged warning-sign scorers cannot be read.
    """
    return Engine(
        content,
        threshold=config.threshold,
        margin=config.margin,
        helpline=config.helpline,
        abuse_helpline=config.abuse_helpline,
    )


# key -> (type description, checker); nested sections are handled in _parse.
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_SECTIONS: dict[str, set[str]] = {
    "": {
        "telegram", "moderators", "moderators_chat", "faq", "matching", "safety", "flood",
        "logging", "stats",
    },
    "telegram": {
        "token",
        "base_url",
        "webhook",
        "send_per_second",
        "send_per_group_minute",
        "retry_attempts",
        "retry_first_wait",
    },
    "telegram.webhook": {"url", "listen", "port", "path", "secret_token"},
    "faq": {"path", "watch_seconds"},
    "matching": {"threshold", "margin"},
    "safety": {"helpline", "abuse_helpline"},
    "flood": {"messages", "per_seconds"},
    "logging": {"level", "user_data"},
    "stats": {"enabled", "path", "store_unanswered", "retention_days"},
}


class _Reader:
    """Reads typed values out of nested mappings, collecting problems by key name."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[str] = []

    def section(self, name: str) -> dict[str, Any]:
        value: Any = self.data
        for part in [p for p in name.split(".") if p]:
            value = value.get(part) if isinstance(value, dict) else None
            if value is None:
                return {}
        if not isinstance(value, dict):
            self.problems.append(f"{name}: must be a mapping of keys, not {_kind(value)}")
            return {}
        for key in value:
            if key not in _SECTIONS[name]:
                full = f"{name}.{key}" if name else str(key)
                known = ", ".join(sorted(_SECTIONS[name]))
                self.problems.append(f"{full}: unknown key (known keys here: {known})")
        return value

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        section, _, key = name.rpartition(".")
        value = self.section(section).get(key)
        if value is None:
            return default
        # true/false is an int to Python, never a number to a person writing YAML
        ok = isinstance(value, kind) and not (isinstance(value, bool) and kind is not bool)
        if not ok:
            wanted = kind.__name__ if isinstance(kind, type) else " or ".join(
                k.__name__ for k in kind
            )
            self.problems.append(f"{name}: must be {_article(wanted)}, not {_kind(value)}")
            return default
        return value


def _article(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)


def _read(source: Path) -> Any:
    """The YAML of the config file, refused when it is huge, too deep or an alias bomb
    (:mod:`faq.yamlguard`, the limits of the FAQ's files but a smaller size)."""
    try:
        text = yamlguard.read_text(source, yamlguard.CONFIG_LIMITS)
    except FileNotFoundError:
        raise ConfigError([f"{source}: config file not found"]) from None
    except yamlguard.Refused as refused:
        raise ConfigError([_refusal(source, refused)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{source}: cannot read config file ({exc})"]) from None
    loader = _SafeLoader(text)
    try:
        return yamlguard.load(loader, yamlguard.CONFIG_LIMITS)
    except yamlguard.Refused as refused:
        raise ConfigError([_refusal(source, refused)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else str(source)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([f"{where}: not valid YAML ({problem})"]) from None
    finally:
        loader.dispose()


def _refusal(source: Path, refused: yamlguard.Refused) -> str:
    where = f"{source}:{refused.line}" if refused.line else str(source)
    return f"{where}: refused: {refused.reason}; is this really the bot's config file?"


def load_config(path: str | Path | None = None, *, env: dict[str, str] | None = None) -> Config:
    """Load and validate the config file at ``path`` (None: built-in defaults only).

    The environment variable ``FAQBOT_TELEGRAM_TOKEN`` overrides ``telegram.token``.
    Relative paths in the file are resolved against the file's folder.

    Raises:
        ConfigError: listing every problem, each starting with the key's name.
    """
    env = dict(os.environ) if env is None else env
    data: Any = {}
    base = Path.cwd()
    source: Path | None = None
    if path is not None:
        source = Path(path)
        base = source.resolve().parent
        data = _read(source)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ConfigError(
                [f"{source}: the config must be a mapping of keys, not {_kind(data)}"]
            )

    reader = _Reader(data)
    reader.section("")
    token = reader.get("telegram.token", (str, int))
    env_token = (env.get(TOKEN_ENV) or "").strip()
    file_token = str(token).strip() if token is not None else ""
    token = env_token or file_token or None
    base_url = reader.get("telegram.base_url", str, DEFAULT_BASE_URL)
    send_per_second = reader.get("telegram.send_per_second", (int, float), 30)
    send_per_group_minute = reader.get("telegram.send_per_group_minute", (int, float), 20)
    for key, value in (
        ("telegram.send_per_second", send_per_second),
        ("telegram.send_per_group_minute", send_per_group_minute),
    ):
        if value <= 0:
            reader.problems.append(f"{key}: must be more than 0")
    retry_attempts = reader.get("telegram.retry_attempts", int, 5)
    if not 1 <= retry_attempts <= 20:
        reader.problems.append("telegram.retry_attempts: a whole number from 1 (no retries) to 20")
    retry_first_wait = reader.get("telegram.retry_first_wait", (int, float), 0.5)
    if not 0 < retry_first_wait <= 10:
        reader.problems.append("telegram.retry_first_wait: seconds, more than 0 and at most 10")
    if not base_url.startswith(("http://", "https://")):
        reader.problems.append("telegram.base_url: must start with http:// or https://")

    webhook = None
    if reader.section("telegram").get("webhook") is not None:
        reader.section("telegram.webhook")
        url = reader.get("telegram.webhook.url", str)
        if not url:
            reader.problems.append(
                "telegram.webhook.url: required in webhook mode (public https URL)"
            )
        elif not url.startswith("https://"):
            reader.problems.append("telegram.webhook.url: must be a public https:// URL")
        port = reader.get("telegram.webhook.port", int, 8443)
        if not 1 <= port <= 65535:
            reader.problems.append("telegram.webhook.port: must be between 1 and 65535")
        secret = reader.get("telegram.webhook.secret_token", str)
        if secret is None:
            reader.problems.append(
                "telegram.webhook.secret_token: required in webhook mode. Telegram sends it "
                "with every update, so the bot can refuse updates forged by anyone who finds "
                "the URL. Make one with: python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'"
            )
        elif not _valid_secret(secret):
            reader.problems.append(
                "telegram.webhook.secret_token: 1-256 characters of A-Z, a-z, 0-9, _ and -"
            )
        webhook = WebhookConfig(
            url=url or "",
            listen=reader.get("telegram.webhook.listen", str, "127.0.0.1"),
            port=port,
            path=reader.get("telegram.webhook.path", str, ""),
            secret_token=secret or "",
        )

    moderators_raw = reader.get("moderators", list, [])
    moderators: list[int] = []
    for index, item in enumerate(moderators_raw):
        if isinstance(item, int) and not isinstance(item, bool):
            moderators.append(item)
        else:
            reader.problems.append(f"moderators[{index}]: must be a Telegram user id (a number)")

    moderators_chat = reader.get("moderators_chat", int)
    faq_path = reader.get("faq.path", str)
    watch_seconds = reader.get("faq.watch_seconds", (int, float), 60)
    if watch_seconds < 0:
        reader.problems.append("faq.watch_seconds: must be 0 (never) or more")
    threshold = reader.get("matching.threshold", (int, float))
    margin = reader.get("matching.margin", (int, float))
    for key, value in (("matching.threshold", threshold), ("matching.margin", margin)):
        if value is not None and not 0 <= value <= 100:
            reader.problems.append(f"{key}: must be between 0 and 100")
    helpline = reader.get("safety.helpline", str)
    abuse_helpline = reader.get("safety.abuse_helpline", str)
    for key, value in (("safety.helpline", helpline), ("safety.abuse_helpline", abuse_helpline)):
        if value is not None and not value.strip():
            reader.problems.append(f"{key}: must not be empty (leave it out instead)")
    flood_messages = reader.get("flood.messages", int, 20)
    flood_seconds = reader.get("flood.per_seconds", (int, float), 60)
    if flood_messages < 1:
        reader.problems.append("flood.messages: must be at least 1")
    if flood_seconds <= 0:
        reader.problems.append("flood.per_seconds: must be more than 0")
    level = str(reader.get("logging.level", str, "INFO")).upper()
    if level not in _LOG_LEVELS:
        reader.problems.append(f"logging.level: must be one of {', '.join(_LOG_LEVELS)}")
    user_data = reader.get("logging.user_data", bool, False)
    stats_enabled = reader.get("stats.enabled", bool, True)
    stats_path = reader.get("stats.path", str, DEFAULT_STATS_PATH)
    stats_unanswered = reader.get("stats.store_unanswered", bool, True)
    retention = reader.get("stats.retention_days", int, 90)
    if retention < 1:
        reader.problems.append("stats.retention_days: must be at least 1")
    if stats_enabled and not str(stats_path).strip():
        reader.problems.append("stats.path: must not be empty (set stats.enabled: false instead)")

    if reader.problems:
        where = f"{source}: " if source else ""
        raise ConfigError([f"{where}{problem}" for problem in dict.fromkeys(reader.problems)])
    return Config(
        token=token,
        base_url=base_url,
        webhook=webhook,
        moderators=tuple(moderators),
        moderators_chat=moderators_chat,
        faq_path=(base / faq_path) if faq_path else None,
        watch_seconds=float(watch_seconds),
        threshold=float(threshold) if threshold is not None else None,
        margin=float(margin) if margin is not None else None,
        helpline=" ".join(helpline.split()) if helpline else None,
        abuse_helpline=" ".join(abuse_helpline.split()) if abuse_helpline else None,
        flood_messages=flood_messages,
        flood_seconds=float(flood_seconds),
        send_per_second=float(send_per_second),
        send_per_group_minute=float(send_per_group_minute),
        retry_attempts=retry_attempts,
        retry_first_wait=float(retry_first_wait),
        log_level=level,
        log_user_data=user_data,
        stats_path=(base / stats_path) if stats_enabled and stats_path else None,
        stats_unanswered=stats_unanswered,
        stats_retention_days=retention,
        source=source,
    )


def _valid_secret(secret: str) -> bool:
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    return 1 <= len(secret) <= 256 and set(secret) <= allowed
