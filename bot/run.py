"""Running the bot: long polling by default, a webhook when ``telegram.webhook`` is configured.

``faqbot run`` calls :func:`run_bot`. PTB's ``run_polling`` / ``run_webhook`` own the event loop
and stop cleanly on SIGINT and SIGTERM (pending updates are finished, then the bot shuts down).
"""

from __future__ import annotations

import logging
import sys
from typing import Any, TextIO
from urllib.parse import urlsplit

from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import TOKEN_ENV, Config
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
faqbot run: Telegram did not accept the bot token ({{reason}}).
Check the token @BotFather gave you (send /mybots there to see it again or to revoke it), in
the environment variable {TOKEN_ENV} or in telegram.token of your config file.
"""


def configure_logging(config: Config) -> None:
    """Log to standard error at ``logging.level`` (if nothing configured logging before)."""
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        level=config.log_level,
        stream=sys.stderr,
    )
    logging.getLogger("bot").setLevel(config.log_level)
    logging.getLogger("faq").setLevel(config.log_level)


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

    Returns 2 when the token is missing or rejected (with a message saying how to fix it) and
    1 when Telegram cannot be reached at start-up.
    """
    err = stderr if stderr is not None else sys.stderr
    if not config.token:
        err.write(NO_TOKEN)
        return 2
    configure_logging(config)
    application = build_application(config, engine)
    mode = "webhook" if config.webhook else "long polling"
    log.info("starting the bot (%s, %d FAQ topics)", mode, len(engine.topics))
    try:
        if config.webhook is None:
            application.run_polling(**polling_options())
        else:
            application.run_webhook(**webhook_options(config))
    except InvalidToken as exc:
        err.write(BAD_TOKEN.replace("{reason}", exc.message))
        return 2
    except NetworkError as exc:
        err.write(
            f"faqbot run: cannot reach the Telegram Bot API at {config.base_url} "
            f"({exc.message}). Check the network and telegram.base_url.\n"
        )
        return 1
    except TelegramError as exc:
        err.write(f"faqbot run: Telegram refused to start the bot: {exc.message}\n")
        return 1
    except OSError as exc:  # the webhook port is taken, or the address is not ours
        err.write(f"faqbot run: cannot listen for the webhook: {exc}\n")
        return 1
    return 0
