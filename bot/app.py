"""The composition root: one function builds the Telegram ``Application`` with every handler.

``build_application`` neither polls nor listens; :func:`bot.run.run_bot` runs what it builds,
and tests build the very same application around a recording or local stand-in Bot API.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import Conflict, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot import handlers
from bot.config import Config
from bot.flood import FloodGuard
from bot.reload import Reloader
from bot.render import (
    CALLBACK_PATTERNS,
    GROUP_ANSWER_CHARS,
    LIST,
    NO_PREVIEW,
    TOPIC,
    TOPICS_PER_PAGE,
    VOTE,
)
from bot.request import RetryingRequest
from bot.stats import StatsStore
from faq import Engine

log = logging.getLogger(__name__)

#: The updates the bot asks Telegram for (everything else is never delivered).
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
#: Updates handled at the same time (across chats; each chat's updates go in order).
MAX_CONCURRENT_UPDATES = 256
#: How often the rate limiter retries a request Telegram answered with 429 ``retry_after``.
RATE_LIMIT_RETRIES = 3

PRIVATE_COMMANDS = (
    BotCommand("start", "Welcome and what I can do"),
    BotCommand("topics", "Every topic as buttons"),
    BotCommand("help", "How to ask me"),
    BotCommand("about", "Where the answers come from"),
)
#: The menu of a moderator's private chat: the private commands and the moderator's own.
MODERATOR_COMMANDS = (
    *PRIVATE_COMMANDS,
    BotCommand("reload", "Reload the FAQ files now (moderators)"),
    BotCommand("stats", "Answers, no-answers and warning signs, last 30 days"),
    BotCommand("gaps", "Questions the FAQ could not answer, most frequent first"),
    BotCommand("feedback", "Helpful / not helpful votes per topic"),
)
#: Statistics older than the retention period are purged this often (seconds).
PURGE_SECONDS = 86_400
GROUP_COMMANDS = (
    BotCommand("ask", "Ask a question, e.g. /ask what is a cerclage"),
    BotCommand("topics", "Every topic as buttons"),
    BotCommand("help", "How to ask me"),
    BotCommand("about", "Where the answers come from"),
)

#: Loggers that would write user ids and message text at DEBUG (PTB logs every API call with
#: its parameters) or the bot token at INFO (httpx logs request URLs, which contain it).
_CHATTY_LOGGERS = ("telegram", "httpx", "httpcore", "apscheduler", "tornado", "aiohttp")


def protect_logs(config: Config) -> None:
    """Keep user ids, names, message text and the token out of third-party logs.

    Unless ``logging.user_data`` is true, PTB's own loggers never log below INFO (at DEBUG
    they log every request with its chat id and text), whatever the root logger's level is or
    becomes. httpx logs each request URL, which contains the bot token, at INFO: it is held at
    WARNING whatever the setting.
    """
    for name in _CHATTY_LOGGERS:
        token_leak = name.startswith("http")
        if config.log_user_data and not token_leak:
            continue
        floor = logging.WARNING if token_leak else logging.INFO
        logger = logging.getLogger(name)
        if logger.level < floor:  # NOTSET (0) too: it would inherit the root's level
            logger.setLevel(floor)


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Handles updates concurrently, except that updates of one chat go one after the other.

    Answers then arrive in the order they were asked in each chat, while a slow send in one
    chat never holds up the others. Chat ids are held only while their updates are handled.
    """

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run ``coroutine`` after the earlier updates of the same chat."""
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:  # inline queries: no chat, no order to keep
            await coroutine
            return
        lock, users = self._chats.get(chat.id, (asyncio.Lock(), 0))
        self._chats[chat.id] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._chats[chat.id]
            if users == 1:
                del self._chats[chat.id]
            else:
                self._chats[chat.id] = (lock, users - 1)

    @property
    def chats_in_progress(self) -> int:
        """How many chats have updates being handled or waiting."""
        return len(self._chats)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to close."""


async def post_init(application: Application) -> None:
    """Register the command menus (the moderators' in their own chats only) and start the
    watch over the FAQ files."""
    bot = application.bot
    await bot.set_my_commands(PRIVATE_COMMANDS, scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(GROUP_COMMANDS, scope=BotCommandScopeAllGroupChats())
    shared: handlers.Services = application.bot_data[handlers.BOT_DATA_KEY]
    for moderator in shared.config.moderators:
        try:  # a moderator who never opened a chat with the bot has no chat to scope to yet
            await bot.set_my_commands(MODERATOR_COMMANDS, scope=BotCommandScopeChat(moderator))
        except TelegramError as exc:
            log.warning("no moderator menu for one moderator: %s", type(exc).__name__)
    if shared.stats is not None and application.job_queue is not None:
        application.job_queue.run_repeating(
            handlers.purge_stats, interval=PURGE_SECONDS, first=60, name="stats-purge"
        )
    seconds = shared.config.watch_seconds
    if seconds > 0 and application.job_queue is not None:
        application.job_queue.run_repeating(
            handlers.watch_faq, interval=seconds, first=seconds, name="faq-watch"
        )
        log.info("watching the FAQ files every %g s", seconds)
    log.info("bot @%s is up", bot.username)


async def post_shutdown(application: Application) -> None:
    """Close the statistics store and say that the bot stopped cleanly."""
    shared = application.bot_data.get(handlers.BOT_DATA_KEY)
    if isinstance(shared, handlers.Services) and shared.stats is not None:
        shared.stats.close()
    log.info("bot stopped")


#: ``bot_data`` key set when Telegram stopped accepting the token while the bot ran.
TOKEN_REJECTED = "token_rejected"
#: Longest piece of an error message (an HTML error page, say) that goes into a log line.
ERROR_CHARS = 160


async def polling_error(update: object, context: handlers.ContextTypes.DEFAULT_TYPE) -> None:
    """An error of polling itself (no update): one warning line, no traceback.

    PTB reports a ``getUpdates`` that still fails after its retries to the error handlers with
    no update, and polls on regardless (waiting longer each time, up to 30 s). The apology
    handler has nobody to write to, and a traceback per outage would bury the logs. A 409
    Conflict means another process is getting this bot's updates: the line says so.
    """
    error = context.error
    if update is not None:
        return
    if isinstance(error, Conflict):
        log.warning(
            "Telegram gives this bot's updates to another process (a second 'faqbot run' with "
            "the same token, or a webhook): stop the other one; polling goes on"
        )
        raise ApplicationHandlerStop
    if isinstance(error, (NetworkError, RetryAfter)):
        log.warning(
            "getUpdates failed (%s: %s); polling goes on",
            type(error).__name__,
            error.message[:ERROR_CHARS],
        )
        raise ApplicationHandlerStop


def _watch_requests(application: Application, requests: tuple[RetryingRequest, ...]) -> None:
    """Retries only while the bot runs, and a stop when Telegram rejects the token."""

    def running() -> bool:
        updater = application.updater
        return updater is not None and updater.running

    def token_rejected() -> None:
        if application.running and not application.bot_data.get(TOKEN_REJECTED):
            application.bot_data[TOKEN_REJECTED] = True
            log.error("Telegram no longer accepts the bot token (revoked?): the bot stops")
            application.stop_running()

    for request in requests:
        request.retry_while = running
        request.on_token_rejected = token_rejected


def build_application(
    config: Config,
    engine: Engine,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    topics_per_page: int = TOPICS_PER_PAGE,
    group_answer_chars: int = GROUP_ANSWER_CHARS,
) -> Application:
    """Build the bot's ``Application``: every handler, the rate limiter, defaults and errors.

    Args:
        config: the validated configuration (it must have a token).
        engine: the FAQ engine that answers every message.
        request: the HTTP request object for Bot API calls (tests record calls with it); by
            default PTB's ``HTTPXRequest``. Either way it is wrapped in a
            :class:`~bot.request.RetryingRequest`, which retries 5xx, dropped connections and
            malformed answers.
        get_updates_request: the same for ``getUpdates`` (by default one connection).
        topics_per_page: buttons per /topics page.
        group_answer_chars: answer text longer than this is shortened in group chats.

    Raises:
        ValueError: the config has no token.
    """
    if not config.token:
        raise ValueError("telegram.token: no Telegram bot token configured")
    protect_logs(config)
    builder = (
        ApplicationBuilder()
        .token(config.token)
        .base_url(config.base_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                allow_sending_without_reply=True,
            )
        )
        .rate_limiter(
            AIORateLimiter(
                overall_max_rate=config.send_per_second,
                overall_time_period=1,
                group_max_rate=config.send_per_group_minute,
                group_time_period=60,
                max_retries=RATE_LIMIT_RETRIES,
            )
        )
        # Updates are handled concurrently (handlers only wait on the network, and the rate
        # limiter keeps what goes out within Telegram's limits), in order within each chat.
        .concurrent_updates(ChatOrderedProcessor())
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    # Every Bot API call goes through a RetryingRequest (429s are retried by the limiter).
    def retrying(inner: BaseRequest | None) -> RetryingRequest:
        return RetryingRequest(
            inner, attempts=config.retry_attempts, backoff=config.retry_first_wait
        )

    requests = (
        retrying(request),
        retrying(get_updates_request or HTTPXRequest(connection_pool_size=1)),
    )
    builder = builder.request(requests[0]).get_updates_request(requests[1])
    application = builder.build()
    _watch_requests(application, requests)
    application.bot_data[handlers.BOT_DATA_KEY] = handlers.Services(
        engine=engine,
        config=config,
        flood=FloodGuard(config.flood_messages, config.flood_seconds),
        topics_per_page=topics_per_page,
        group_answer_chars=group_answer_chars,
        reloader=Reloader(config),
        stats=(
            StatsStore(
                config.stats_path,
                store_unanswered=config.stats_unanswered,
                retention_days=config.stats_retention_days,
            )
            if config.stats_path is not None
            else None
        ),
    )

    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    text = filters.TEXT & ~filters.COMMAND
    # Every handler, in one place. Order matters: within group 0 the first handler whose
    # filters match an update handles it, and no other handler sees it.
    for handler in (
        # 1. Commands, in every chat; /cmd@botname works, /cmd@otherbot is ignored.
        CommandHandler("start", handlers.start),
        CommandHandler("help", handlers.help_command),
        CommandHandler("about", handlers.about_command),
        CommandHandler("topics", handlers.topics_command),
        CommandHandler("ask", handlers.ask_command),
        #    Moderators only (by user id): anyone else falls through to "unknown command".
        CommandHandler(
            "reload",
            handlers.reload_command,
            filters=private & filters.User(user_id=config.moderators, allow_empty=False),
        ),
        CommandHandler(
            ["stats", "gaps", "feedback"],
            handlers.report_command,
            filters=private & filters.User(user_id=config.moderators, allow_empty=False),
        ),
        # 2. Private chats: any other command gets a pointer to /help; any text is a question.
        MessageHandler(private & filters.COMMAND, handlers.unknown_command),
        #    Messages sent through our own inline mode (via_bot) are answers, not questions.
        MessageHandler(private & text & ~filters.VIA_BOT, handlers.question),
        # 3. Groups: only messages that mention the bot or reply to it, never other chatter.
        MessageHandler(
            groups & text & ~filters.VIA_BOT & (handlers.MENTIONS_BOT | handlers.REPLIES_TO_BOT),
            handlers.group_question,
        ),
        #    The bot added to a group: a short welcome that says how to ask there.
        MessageHandler(groups & filters.StatusUpdate.NEW_CHAT_MEMBERS, handlers.joined_group),
        # 4. Private chats: stickers, photos, voice, files... get a note that only text is read
        #    (service messages such as pinned messages are not the user's question).
        MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.non_text),
        # 5. Buttons under our messages, and inline mode (@botname question in any chat).
        CallbackQueryHandler(handlers.topic_button, pattern=CALLBACK_PATTERNS[TOPIC]),
        CallbackQueryHandler(handlers.topics_page_button, pattern=CALLBACK_PATTERNS[LIST]),
        CallbackQueryHandler(handlers.vote_button, pattern=CALLBACK_PATTERNS[VOTE]),
        #    Anything else: an old button, or data we never made.
        CallbackQueryHandler(handlers.stale_button),
        InlineQueryHandler(handlers.inline_query),
    ):
        application.add_handler(handler)
    # The flood guard, once per update before every handler above (group -1 runs first).
    application.add_handler(TypeHandler(Update, handlers.flood_gate), group=-1)
    application.add_error_handler(polling_error)  # first: it stops the others for its errors
    application.add_error_handler(handlers.error_handler)
    return application
