"""Running the bot: long polling by default, a webhook when ``telegram.webhook`` is configured.

``faqbot run`` calls :func:`run_bot`. PTB's ``run_polling`` / ``run_webhook`` own the event loop
and stop cleanly on SIGINT and SIGTERM (pending updates are finished, then the bot shuts down).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import sys
from typing import Any, TextIO
from urllib.parse import urlsplit

from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot import handlers
from bot.app import ALLOWED_UPDATES, ERROR_CHARS, TOKEN_REJECTED, build_application
from bot.config import DEFAULT_BASE_URL, TOKEN_ENV, Config
from faq import Engine

log = logging.getLogger(__name__)

NO_TOKEN = f"""\
faqbot run: no Telegram bot token is configured.

To get one, open Telegram, start a chat with @BotFather and send /newbot: choose a name and a
username ending in "bot", and BotFather replies with a token like 123456789:AAE... Keep it
secret. Then either
  * set the environment variable {TOKEN_ENV}, for example
      export {TOKEN_ENV}='123456789:AAE...'
  * or put it in your config file (see config.example.yaml) and pass --config PATH:
      telegram:
        token: "123456789:AAE..."
"""

BAD_TOKEN = f"""\
faqbot run: Telegram did not accept the bot token (it is mistyped, or it was revoked).
Check the token @BotFather gave you (send /mybots there to see it again or to revoke it), in
the environment variable {TOKEN_ENV} or in telegram.token of your config file.
"""
TOKEN_REVOKED = f"""\
faqbot run: Telegram stopped accepting the bot token while the bot ran (it was revoked or
replaced in @BotFather), so the bot stopped. Put the current token in {TOKEN_ENV} or in
telegram.token of your config file, and start it again.
"""
#: What the token is replaced with in log lines.
REDACTED = "<bot token>"


class RedactToken(logging.Filter):
    """Replaces the bot token in log messages and tracebacks (PTB quotes a rejected token)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place; never drops it."""
        message = record.getMessage()
        if self.token in message:
            record.msg = message.replace(self.token, REDACTED)
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.token in record.exc_text:
            record.exc_text = record.exc_text.replace(self.token, REDACTED)
        return True


def configure_logging(config: Config) -> None:
    """Log to standard error at ``logging.level`` (if nothing configured logging before).

    Every handler of the root logger gets a filter that hides the bot token.
    """
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        level=config.log_level,
        stream=sys.stderr,
    )
    logging.getLogger("bot").setLevel(config.log_level)
    logging.getLogger("faq").setLevel(config.log_level)
    if config.token:
        for handler in logging.getLogger().handlers:
            if not any(isinstance(f, RedactToken) for f in handler.filters):
                handler.addFilter(RedactToken(config.token))


def polling_options() -> dict[str, Any]:
    """Options of ``Application.run_polling``."""
    return {"allowed_updates": ALLOWED_UPDATES}


def webhook_options(config: Config) -> dict[str, Any]:
    """Options of ``Application.run_webhook`` from ``telegram.webhook``.

    ``url`` is the public https address Telegram posts to; PTB listens on ``listen:port`` at
    ``path`` (by default the path of ``url``), typically behind a reverse proxy that ends TLS.
    """
    webhook = config.webhook
    if webhook is None:
        raise ValueError("telegram.webhook: not configured")
    path = webhook.path or urlsplit(webhook.url).path
    return {
        "listen": webhook.listen,
        "port": webhook.port,
        "url_path": path.strip("/"),
        "webhook_url": webhook.url,
        "secret_token": webhook.secret_token,
        "allowed_updates": ALLOWED_UPDATES,
    }


def run_bot(config: Config, engine: Engine, *, stderr: TextIO | None = None) -> int:
    """Run the bot until SIGINT or SIGTERM; the exit status (0 after a clean stop).

    Returns 2 when the bot cannot start: the token is missing or rejected, the Bot API cannot
    be reached, or the webhook cannot listen. Each says in one message what failed and what to
    check; the traceback is logged only at DEBUG.
    """
    err = stderr if stderr is not None else sys.stderr
    if not config.token:
        err.write(NO_TOKEN)
        return 2
    # Opt in to PTB's time periods as timedelta (the v23 behaviour): without it, PTB 22 warns
    # (PTBDeprecationWarning) each time it builds a RetryAfter error for a 429 from Telegram.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    configure_logging(config)
    quiet = QuietNetworkErrors()
    if logging.getLevelName(config.log_level) != logging.DEBUG:
        for name in QUIET_LOGGERS:
            logging.getLogger(name).addFilter(quiet)
    application = build_application(config, engine)
    mode = "webhook" if config.webhook else "long polling"
    log.info("starting the bot (%s, %d FAQ topics)", mode, len(engine.topics))
    # We own the event loop (PTB's run_* use the current one), so that after a failed start we
    # can still close the HTTP connections PTB opened before it gave up.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        if config.webhook is not None:
            check_can_listen(config.webhook.listen, config.webhook.port)
        # The first call (getMe) is made here, once: calls are retried only while the bot
        # runs, so a wrong token or an unreachable API is said at once, in one line, by
        # start_failure below.
        loop.run_until_complete(application.initialize())
        if config.webhook is None:
            application.run_polling(**polling_options(), close_loop=False)
        else:
            application.run_webhook(**webhook_options(config), close_loop=False)
        if application.bot_data.get(TOKEN_REJECTED):
            err.write(TOKEN_REVOKED)
            return 2
    except (TelegramError, OSError) as exc:
        revoked = bool(application.bot_data.get(TOKEN_REJECTED))
        log.debug("the bot stopped" if revoked else "the bot could not start", exc_info=exc)
        err.write(TOKEN_REVOKED if revoked else redact(start_failure(exc, config), config.token))
        # PTB's own clean-up stops at the error (the polling task re-raises it): finish it.
        with contextlib.suppress(TelegramError, RuntimeError):
            if application.running:
                loop.run_until_complete(application.stop())
            loop.run_until_complete(application.shutdown())
        shared = application.bot_data.get(handlers.BOT_DATA_KEY)
        if isinstance(shared, handlers.Services) and shared.stats is not None:
            shared.stats.close()  # post_shutdown does this after a clean stop
        return 2
    finally:
        for name in QUIET_LOGGERS:
            logging.getLogger(name).removeFilter(quiet)
        loop.run_until_complete(application.bot.shutdown())  # a no-op after a clean stop
        asyncio.set_event_loop(None)
        loop.close()
    return 0


def check_can_listen(host: str, port: int) -> None:
    """Raise ``OSError`` when the webhook cannot listen on ``host:port`` (taken, or not an
    address of this machine), before anything is asked of Telegram. (PTB's web server, when
    its bind fails, also leaves a socket unclosed.)"""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        probe.bind((host, port))


def start_failure(exc: BaseException, config: Config) -> str:
    """What ``faqbot run`` says when the bot cannot start: the problem and what to check."""
    detail = getattr(exc, "message", str(exc))[:ERROR_CHARS]
    custom_url = config.base_url != DEFAULT_BASE_URL
    if isinstance(exc, InvalidToken):
        if custom_url:  # a 404 from a base_url without "/bot" reads as a rejected token too
            return BAD_TOKEN.rstrip("\n") + (
                f"\nOr telegram.base_url ({config.base_url}) is not a Bot API server; it must "
                "end with /bot.\n"
            )
        return BAD_TOKEN
    if isinstance(exc, (BadRequest, Forbidden, Conflict)):  # answers, not network trouble
        return f"faqbot run: Telegram refused to start the bot: {detail}\n"
    if isinstance(exc, NetworkError):  # TimedOut too; 5xx answers are NetworkErrors
        return (
            f"faqbot run: cannot reach the Telegram Bot API at {config.base_url} "
            f"({detail}). Check the network and telegram.base_url.\n"
        )
    if isinstance(exc, TelegramError):
        if "Invalid server response" in detail:  # an answer that is not the Bot API's JSON
            return (
                f"faqbot run: something answered at {config.base_url}, but not as the Telegram "
                "Bot API would (a proxy, a captive portal, a wrong address?). Check "
                "telegram.base_url and the network.\n"
            )
        return f"faqbot run: Telegram refused to start the bot: {detail}\n"
    # OSError: the webhook port is taken, or the address is not ours
    where = (
        f"{config.webhook.listen}:{config.webhook.port}" if config.webhook is not None else "?"
    )
    return (
        f"faqbot run: cannot listen for the webhook on {where} ({exc}). Change "
        "telegram.webhook.listen or telegram.webhook.port, or stop what uses that port.\n"
    )


def redact(text: str, token: str) -> str:
    """``text`` without the bot token (error messages may quote a URL that holds it)."""
    return text.replace(token, REDACTED) if token else text


#: Loggers that report network errors with tracebacks: PTB's retry loops and polling, its
#: JSON parsing, and asyncio (a polling task that failed just as the bot stopped).
QUIET_LOGGERS = ("telegram.ext", "telegram.ext.Updater", "telegram.request.BaseRequest", "asyncio")


class QuietNetworkErrors(logging.Filter):
    """PTB's reports of network errors in one line each, without three chained tracebacks.

    * PTB's own report of a failed start, or of a token rejected while polling, is dropped:
      ``faqbot run`` says what failed in one line instead.
    * Any other ERROR about a network error, a 429 or a 409 (``getUpdates`` still failing
      after its retries, or failing once more at shutdown; a polling task that failed as the
      bot stopped) becomes one WARNING line: PTB polls on regardless.
    * "Can not load invalid JSON data" (an HTML error page from a proxy) becomes one WARNING
      line quoting the start of the page.

    Not installed at DEBUG, where the tracebacks are wanted.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """False for the reports ``faqbot run`` replaces; the others are rewritten in place."""
        if record.levelno < logging.ERROR:
            return True
        message = record.getMessage()
        if message.startswith("Network Retry Loop (") and (
            message.startswith("Network Retry Loop (Bootstrap") or "Invalid token" in message
        ) and "Aborting" in message:
            return False
        error = record.exc_info[1] if record.exc_info else None
        if message.startswith("Can not load invalid JSON data"):
            self._rewrite(record, "%s", (message[:ERROR_CHARS],))
        elif isinstance(error, (NetworkError, RetryAfter, Conflict, InvalidToken)):
            first = message.split(". ", 1)[0].split("\n", 1)[0].rstrip(".:")
            self._rewrite(
                record,
                "%s (%s: %s); the bot goes on",
                (first[:ERROR_CHARS], type(error).__name__, error.message[:ERROR_CHARS]),
            )
        return True

    @staticmethod
    def _rewrite(record: logging.LogRecord, msg: str, args: tuple[object, ...]) -> None:
        record.msg, record.args = msg, args
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = None
        record.exc_text = None
