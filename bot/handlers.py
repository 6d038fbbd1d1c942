"""Thin Telegram handlers: read the update, ask the engine, render, answer.

Nothing here decides what to say: the engine composes every reply (safety texts included) and
:mod:`bot.render` turns it into HTML and buttons. Logs name what happened (topic id, score,
urgency, chat type), never who asked or what they wrote, unless ``logging.user_data`` is on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from dataclasses import dataclass, field
from typing import cast

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    MaybeInaccessibleMessage,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType, InlineQueryLimit, MessageLimit
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes, filters

from bot.config import Config
from bot.flood import FloodGuard, Verdict
from bot.reload import Reloader
from bot.render import (
    GROUP_ANSWER_CHARS,
    LIST,
    TOPIC,
    TOPICS_PER_PAGE,
    Reply,
    deep_link,
    inline_article,
    list_button,
    parse_callback,
    render_answer,
    render_notice,
    render_sections,
    result_id,
    safety_only,
    start_parameter_for,
    topic_from_start,
    topics_keyboard,
    with_urgency,
)
from bot.stats import StatsStore, feedback_text, gaps_text, stats_text
from faq import Answer, Engine, Entry, Level, Section, SectionKind
from faq.model import NOTICE_PLACEHOLDERS
from faq.reply import compose

log = logging.getLogger(__name__)

BOT_DATA_KEY = "faqbot"
#: The texts of faq/data/texts.yaml the bot sends, besides those the engine adds itself.
TEXT_KEYS = (
    "welcome", "help", "about", "topics_intro", "topics_button", "topics_previous",
    "topics_next", "flood", "stale_button", "button_alert", "group_ask_hint", "group_welcome",
    "unknown_command", "not_text", "read_more_button", "inline_no_match_title",
    "inline_no_match_description", "inline_no_match", "inline_urgent_title",
    "inline_continue", "inline_open_private",
)
#: Placeholders the bot fills in (see ``_values``).
PLACEHOLDERS = NOTICE_PLACEHOLDERS
#: At most this many inline results for a question (an empty query lists every topic).
INLINE_RESULTS = 5
#: The /start parameter of the "continue in a private chat" button above inline results.
INLINE_START = "inline"
#: The kinds of update the handlers answer, the ones ``bot.app.ALLOWED_UPDATES`` asks
#: Telegram for; any other that arrives anyway is dropped in silence (see ``flood_gate``).
HANDLED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY)


@dataclass(slots=True)
class Services:
    """What the handlers share, kept in ``application.bot_data``."""

    engine: Engine
    config: Config
    flood: FloodGuard
    topics_per_page: int = TOPICS_PER_PAGE
    group_answer_chars: int = GROUP_ANSWER_CHARS
    topics: dict[str, Entry] = field(default_factory=dict)
    reloader: Reloader | None = None
    stats: StatsStore | None = None

    def __post_init__(self) -> None:
        self.install(self.engine)

    def install(self, engine: Engine) -> None:
        """Serve ``engine`` from now on: engine and topics change together, with no await in
        between, so no handler ever sees one without the other."""
        self.topics = {entry.id: entry for entry in engine.topics}
        self.engine = engine


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """The shared services of the running application."""
    return cast(Services, context.bot_data[BOT_DATA_KEY])


# --- filters --------------------------------------------------------------------------------


def entity_text(text: str, entity: MessageEntity) -> str | None:
    """The part of ``text`` that ``entity`` covers, or None when the entity does not lie
    within the text: an offset or length out of range, or a cut through a character
    (offsets and lengths count UTF-16 units, and an emoji takes two).

    PTB's ``Message.parse_entities`` trusts the entities and raises ``UnicodeDecodeError``
    on one that splits an emoji; a handler must never fail on what a client sent.
    """
    units = text.encode("utf-16-le")
    start, end = entity.offset * 2, (entity.offset + entity.length) * 2
    if entity.offset < 0 or entity.length <= 0 or end > len(units):
        return None
    try:
        return units[start:end].decode("utf-16-le")
    except UnicodeDecodeError:
        return None


class MentionsBot(filters.MessageFilter):
    """Messages that mention the bot by its @username."""

    def filter(self, message: Message) -> bool:
        """True when one of the message's @mentions is the bot (entities that do not fit the
        text are ignored)."""
        try:
            username = message.get_bot().username.lower()
        except RuntimeError:  # a message without a bot (never the case for real updates)
            return False
        text = message.text or ""
        mentions = (
            entity_text(text, entity)
            for entity in message.entities
            if entity.type == MessageEntity.MENTION
        )
        return any(mention and mention.lower() == f"@{username}" for mention in mentions)


class RepliesToBot(filters.MessageFilter):
    """Messages that reply to one of the bot's own messages."""

    def filter(self, message: Message) -> bool:
        """True when the replied-to message was sent by the bot."""
        original = message.reply_to_message
        if original is None or original.from_user is None:
            return False
        try:
            return original.from_user.id == message.get_bot().id
        except RuntimeError:
            return False


MENTIONS_BOT = MentionsBot(name="MentionsBot")
REPLIES_TO_BOT = RepliesToBot(name="RepliesToBot")


# --- helpers --------------------------------------------------------------------------------


def _message_of(update: Update) -> MaybeInaccessibleMessage | None:
    """The message an update belongs to; for a button, possibly one too old to show."""
    if update.callback_query is not None:
        return update.callback_query.message
    return update.effective_message


def _private(message: MaybeInaccessibleMessage) -> bool:
    return message.chat.type == ChatType.PRIVATE


def _values(context: ContextTypes.DEFAULT_TYPE) -> dict[str, str]:
    return services(context).engine.content.source.notice_values(f"@{context.bot.username}")


async def _send(
    context: ContextTypes.DEFAULT_TYPE, message: MaybeInaccessibleMessage, reply: Reply
) -> None:
    """Send ``reply`` in the chat of ``message``; in groups it quotes that message.

    A group that has just become a supergroup (``ChatMigrated``) gets the reply under its new
    id, without the quote (the message quoted stays in the old chat)."""
    quote = not _private(message)
    if isinstance(message, Message):
        try:
            await message.reply_text(reply.text, reply_markup=reply.keyboard, do_quote=quote)
        except ChatMigrated as moved:
            log.info("a group became a supergroup: the reply goes to its new chat")
            await context.bot.send_message(
                moved.new_chat_id, reply.text, reply_markup=reply.keyboard
            )
        return
    # A message too old for Telegram to show us: we still know its chat.
    await context.bot.send_message(
        message.chat.id,
        reply.text,
        reply_markup=reply.keyboard,
        reply_parameters=(
            ReplyParameters(message.message_id, allow_sending_without_reply=True)
            if quote
            else None
        ),
    )


async def _send_answer(
    context: ContextTypes.DEFAULT_TYPE, message: MaybeInaccessibleMessage, answer: Answer
) -> None:
    """Send an engine answer; in groups the answer text is kept short."""
    shared = services(context)
    if _private(message):
        votes = shared.engine.content.texts if shared.stats and shared.stats.enabled else None
        reply = render_answer(answer, shared.topics, feedback=votes)
    else:
        more = None
        parameter = start_parameter_for(answer.entry.id) if answer.entry else None
        if parameter is not None:
            label = shared.engine.content.texts.read_more_button
            more = InlineKeyboardButton(label, url=deep_link(context.bot.username, parameter))
        reply = render_answer(
            answer, shared.topics, answer_chars=shared.group_answer_chars, read_more=more
        )
    await _send(context, message, reply)


async def _send_notice(
    context: ContextTypes.DEFAULT_TYPE,
    message: MaybeInaccessibleMessage,
    key: str,
    *,
    keyboard: InlineKeyboardMarkup | None = None,
) -> None:
    """Send the notice ``texts[key]`` (with the provider prompt and the disclaimer)."""
    notice = services(context).engine.notice(key)
    reply = render_notice(notice, values=_values(context), keyboard=keyboard)
    await _send(context, message, reply)


def _log_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, answer: Answer) -> None:
    """Log what was answered; who asked and what they wrote only with ``logging.user_data``."""
    if not log.isEnabledFor(logging.DEBUG):
        return
    chat = update.effective_chat.type if update.effective_chat else "inline"
    topic = answer.match.id if answer.match else "-"
    score = answer.match.score if answer.match else 0.0
    level = answer.level.name.lower()
    if services(context).config.log_user_data:
        user = update.effective_user.id if update.effective_user else None
        log.debug(
            "user %s asked %r in a %s chat: %s (%.1f), %s",
            user, answer.question, chat, topic, score, level,
        )
    else:
        log.debug("answered in a %s chat: %s (%.1f), %s", chat, topic, score, level)


async def admit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Apply the flood guard: True to answer; otherwise send the one notice or stay silent.

    A message sent on behalf of a chat (an anonymous group admin, whom Telegram shows as one
    bot user in every group) is counted for that chat, not for the shared bot user."""
    user = update.effective_user
    if user is None:
        return True
    sender_chat = update.message.sender_chat if update.message is not None else None
    verdict = services(context).flood.check(sender_chat.id if sender_chat else user.id)
    if verdict is Verdict.ALLOW:
        return True
    query = update.callback_query
    if query is not None:
        await query.answer()  # stops the button's spinner; says nothing
    message = _message_of(update)
    if verdict is Verdict.NOTIFY:
        log.info("flood guard: a user is over the limit; one notice, then silence")
        if message is not None:
            await _send_notice(context, message, "flood")
    return False


def _counts(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the flood guard counts this update: what the bot would answer (private
    messages, button presses, and in groups only what is addressed to it), not group
    chatter."""
    if update.callback_query is not None:
        return True
    message = update.message
    if message is None or message.from_user is None:
        return False
    if message.chat.type == ChatType.PRIVATE:
        return True
    text = message.text or ""
    if text.startswith("/"):
        command = text.split()[0]
        return "@" not in command or command.lower().endswith(f"@{context.bot.username}".lower())
    return bool(MENTIONS_BOT.check_update(update) or REPLIES_TO_BOT.check_update(update))


async def flood_gate(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The gate every update passes once, before any handler (a ``TypeHandler`` in an early
    group); ``ApplicationHandlerStop`` ends an update there, in silence.

    Kinds of update the bot does not answer (edited messages, channel posts, chat member
    changes...: anything but :data:`HANDLED_UPDATES`) stop here: the bot does not ask for
    them, and an edited question must not be answered a second time. Then the flood guard:
    over the limit, one notice, then silence.
    """
    if not isinstance(update, Update):
        return
    if all(getattr(update, kind) is None for kind in HANDLED_UPDATES):
        raise ApplicationHandlerStop
    if _counts(update, context) and not await admit(update, context):
        raise ApplicationHandlerStop


async def _typing(message: Message) -> None:
    """Show "typing…" before something slow (a reload takes a second); never before an
    answer, which comes within milliseconds: the action would only use up sending budget."""
    try:
        await message.reply_chat_action(ChatAction.TYPING)
    except TelegramError as exc:  # only a nicety
        log.debug("typing action failed: %s", type(exc).__name__)


async def _answer_text(
    update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message, text: str
) -> None:
    # No "typing…" first: the answer follows within a millisecond, and a chat action would
    # cost as much of Telegram's sending budget as the answer itself.
    answer = services(context).engine.answer(text)
    _log_answer(update, context, answer)
    await _send_answer(context, message, answer)
    await _record(context, answer)


async def _record(context: ContextTypes.DEFAULT_TYPE, answer: Answer) -> None:
    """Count the reply in the statistics, after it was sent (off the event loop; a broken
    database is logged by the store and never reaches the user).

    The store is given no more of the question than one Telegram message holds: it keeps a
    few hundred characters, and masking personal details costs time that grows faster than
    the text (100 000 characters took a minute).
    """
    stats = services(context).stats
    if stats is None or not stats.enabled:
        return
    await asyncio.to_thread(
        stats.record,
        entry_id=answer.match.id if answer.match else None,
        level=answer.level.name.lower(),
        question=answer.question[: MessageLimit.MAX_TEXT_LENGTH],
    )


async def _answer_or_hint(
    update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message, text: str
) -> None:
    """Answer ``text`` in a group; with no question in it, say how to ask."""
    if not text.strip():
        await _send_notice(context, message, "group_ask_hint")
        return
    await _answer_text(update, context, message, text.strip())


# --- commands -------------------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the welcome, or the topic of a ``/start t_<id>`` deep link."""
    message = update.effective_message
    if message is None:
        return
    shared = services(context)
    topic = topic_from_start(context.args or [])
    answer = shared.engine.entry_answer(topic) if topic else None
    if answer is not None:
        await _send_answer(context, message, answer)
        return
    keyboard = list_button(shared.engine.content.texts)
    await _send_notice(context, message, "welcome", keyboard=keyboard)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain how to ask (private chats, groups and inline mode)."""
    message = update.effective_message
    if message is not None:
        await _send_notice(context, message, "help")


async def about_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say where the answers come from and that they are not medical advice."""
    message = update.effective_message
    if message is not None:
        await _send_notice(context, message, "about")


async def topics_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List every topic as buttons."""
    message = update.effective_message
    if message is not None:
        await _send_topics(context, message)


async def _send_topics(
    context: ContextTypes.DEFAULT_TYPE,
    message: MaybeInaccessibleMessage,
    *,
    key: str = "topics_intro",
    page: int = 0,
) -> None:
    shared = services(context)
    keyboard = topics_keyboard(
        shared.engine.topics,
        shared.engine.content.texts,
        page=page,
        per_page=shared.topics_per_page,
    )
    await _send_notice(context, message, key, keyboard=keyboard)


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer ``/ask question`` (the way to ask in a group with privacy mode on)."""
    message = update.effective_message
    if message is None:
        return
    await _answer_or_hint(update, context, message, " ".join(context.args or []))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Point to /topics and /help after a command the bot does not know (private chats)."""
    message = update.effective_message
    if message is not None:
        await _send_notice(context, message, "unknown_command")


async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reload the FAQ now (moderators only: the handler's filter lets no one else in)."""
    message = update.effective_message
    shared = services(context)
    if message is None or shared.reloader is None:
        return
    await _typing(message)
    outcome = await shared.reloader.reload(shared.install)
    await _send_plain(context, message.chat.id, outcome.report())
    chat = shared.config.moderators_chat
    if chat is not None and chat != message.chat.id:
        await _announce(context, outcome.report())


async def report_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats, /gaps and /feedback (moderators only): the statistics, as plain text.
    ``/stats 7`` looks 7 days back (default 30; 90 for /feedback)."""
    message = update.effective_message
    shared = services(context)
    if message is None or message.text is None:
        return
    command = message.text.split()[0].lstrip("/").split("@")[0].lower()
    args = context.args or []
    days = int(args[0]) if args and args[0].isdigit() and 0 < int(args[0]) <= 3650 else 0
    stats = shared.stats
    if stats is None or not stats.enabled:
        why = stats.problem if stats is not None else "statistics are off (stats.enabled)"
        await _send_plain(context, message.chat.id, f"No statistics: {why}.")
        return
    if command == "gaps":
        text = gaps_text(await asyncio.to_thread(stats.gaps, days or 30), days or 30)
    elif command == "feedback":
        current = {entry.id: entry.answer for entry in shared.engine.topics}
        votes = await asyncio.to_thread(stats.feedback, current, days or 90)
        text = feedback_text(votes, days or 90)
    else:
        text = stats_text(await asyncio.to_thread(stats.summary, days or 30))
    await _send_plain(context, message.chat.id, text)


async def purge_stats(context: ContextTypes.DEFAULT_TYPE) -> None:
    """JobQueue job, daily: delete statistics older than the retention period."""
    stats = services(context).stats
    if stats is not None and stats.enabled:
        removed = await asyncio.to_thread(stats.purge)
        log.info("statistics: %d old rows purged", removed)


async def watch_faq(context: ContextTypes.DEFAULT_TYPE) -> None:
    """JobQueue job: reload the FAQ when its files changed, and say how it went."""
    shared = services(context)
    reloader = shared.reloader
    if reloader is None or not await asyncio.to_thread(reloader.changed):
        return
    outcome = await reloader.reload(shared.install)
    await _announce(context, outcome.report())


async def _announce(context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Tell the moderators' chat, if the config names one; a failure is only logged."""
    chat = services(context).config.moderators_chat
    if chat is None:
        return
    try:
        await _send_plain(context, chat, text)
    except TelegramError as exc:
        log.warning("could not tell the moderators' chat: %s", type(exc).__name__)


async def _send_plain(context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str) -> None:
    """Send a moderator's notice (plain text), with the provider prompt and disclaimer as
    every message of the bot has them."""
    texts = services(context).engine.content.texts
    sections = compose(texts, level=Level.NONE, body=Section(SectionKind.NOTICE, text))
    html, _ = render_sections(sections)
    await context.bot.send_message(chat_id, html)


# --- messages -------------------------------------------------------------------------------


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text message in a private chat."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    await _answer_text(update, context, message, message.text)


async def group_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a group message that mentions the bot or replies to it."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    mention = re.compile(re.escape(f"@{context.bot.username}"), re.IGNORECASE)
    await _answer_or_hint(update, context, message, mention.sub(" ", message.text))


async def non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say kindly that only text questions are read (stickers, photos, voice, files...)."""
    message = update.effective_message
    if message is not None:
        await _send_notice(context, message, "not_text")


# --- buttons --------------------------------------------------------------------------------


async def _pressed(
    update: Update, context: ContextTypes.DEFAULT_TYPE
) -> tuple[CallbackQuery, MaybeInaccessibleMessage, str] | None:
    """The pressed button's query, its message and its value; None when there is nothing to
    answer in (a button on an inline message gets a pop-up instead) or the data is forged."""
    query = update.callback_query
    if query is None:
        return None
    if query.message is None:  # a button on an inline message: there is no chat to answer in
        await query.answer(services(context).engine.content.texts.button_alert, show_alert=True)
        return None
    parsed = parse_callback(query.data)
    if parsed is None:
        await stale_button(update, context)
        return None
    return query, query.message, parsed[1]


async def topic_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``t:<id>``: show the topic's answer."""
    pressed = await _pressed(update, context)
    if pressed is None:
        return
    query, message, value = pressed
    answer = services(context).engine.entry_answer(value)
    if answer is None:  # a topic removed since the button was sent
        await stale_button(update, context)
        return
    await query.answer()
    log.debug("button: topic %s", value)
    await _send_answer(context, message, answer)


async def topics_page_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``l:<page>``: send the topic list as a new message; ``p:<page>``: turn the page of the
    list the button is under."""
    pressed = await _pressed(update, context)
    if pressed is None:
        return
    query, message, value = pressed
    await query.answer()
    shared = services(context)
    if (query.data or "").startswith(LIST) or not isinstance(message, Message):
        await _send_topics(context, message, page=int(value))
        return
    keyboard = topics_keyboard(
        shared.engine.topics,
        shared.engine.content.texts,
        page=int(value),
        per_page=shared.topics_per_page,
    )
    try:
        await message.edit_reply_markup(reply_markup=keyboard)
    except BadRequest as exc:  # pressed twice: "message is not modified"
        if "not modified" not in str(exc).lower():
            raise


async def vote_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``v:<id>:<1|0>``: 👍 / 👎 under an answer; one vote per user and message."""
    pressed = await _pressed(update, context)
    if pressed is None:
        return
    query, message, value = pressed
    shared = services(context)
    entry_id, _, helpful = value.rpartition(":")
    entry = shared.engine.content.entry(entry_id)
    user = update.effective_user
    if shared.stats is None or entry is None or user is None:
        await stale_button(update, context)
        return
    result = await asyncio.to_thread(
        shared.stats.vote,
        entry_id=entry_id,
        answer=entry.answer,
        user_id=user.id,
        message_key=f"{message.chat.id}:{message.message_id}",
        helpful=helpful == "1",
    )
    log.debug("button: vote %s", result)
    await query.answer(shared.engine.content.texts.feedback_thanks)


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any other button (an old message, a removed topic, forged data): say so, with the
    current list of topics."""
    query = update.callback_query
    if query is None:
        return
    if query.message is None:
        await query.answer(services(context).engine.content.texts.button_alert, show_alert=True)
        return
    log.info("button: stale or unknown callback data")
    await query.answer()
    await _send_topics(context, query.message, key="stale_button")


# --- inline mode ----------------------------------------------------------------------------


def inline_results(
    context: ContextTypes.DEFAULT_TYPE, text: str
) -> tuple[list[InlineQueryResultArticle], Answer | None]:
    """The inline results for ``text``: never a word of the user's own message is posted."""
    shared = services(context)
    engine = shared.engine
    texts = engine.content.texts
    results: list[InlineQueryResultArticle] = []
    if not text:
        for entry in engine.topics[: InlineQueryLimit.RESULTS]:
            topic = engine.entry_answer(entry.id)
            if topic is not None:
                body = render_answer(topic, shared.topics, buttons=False).text
                results.append(
                    inline_article(result_id(TOPIC, entry.id), entry.question, entry.answer, body)
                )
        return results, None

    answer = engine.answer(text, suggestions=INLINE_RESULTS)
    if answer.urgent:
        prompt = safety_only(answer)
        body, _ = render_sections(prompt)
        title = texts.inline_urgent_title
        results.append(inline_article(result_id("urgent"), title, prompt[0].text, body))
    if answer.level is Level.CRISIS:  # the crisis text alone: no FAQ answer, no topics
        return results, answer
    if answer.entry is not None:
        body = render_answer(answer, shared.topics, buttons=False).text
        results.append(
            inline_article(
                result_id(TOPIC, answer.entry.id), answer.entry.question, answer.entry.answer, body
            )
        )
    else:
        notice = with_urgency(engine.notice("inline_no_match"), answer)
        body = render_notice(notice, values=_values(context)).text
        label = texts.inline_open_private
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, url=deep_link(context.bot.username))]]
        )
        results.append(
            inline_article(
                result_id("none"),
                texts.inline_no_match_title,
                texts.inline_no_match_description,
                body,
                keyboard=keyboard,
            )
        )
    seen = {answer.entry.id} if answer.entry else set()
    for match in answer.suggestions:
        topic = engine.entry_answer(match.id)
        if topic is None or match.id in seen:
            continue
        seen.add(match.id)
        body = render_answer(with_urgency(topic, answer), shared.topics, buttons=False).text
        suggested = topic.entry  # from the same engine as the answer, even during a reload
        if suggested is None:
            continue
        rid = result_id(TOPIC, suggested.id)
        results.append(inline_article(rid, suggested.question, suggested.answer, body))
    return results[:INLINE_RESULTS], answer


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer FAQ answers to share in any chat (``@botname question``)."""
    query = update.inline_query
    if query is None:
        return
    text = query.query[: InlineQueryLimit.MAX_QUERY_LENGTH].strip()
    results, answer = inline_results(context, text)
    button_ = None
    if answer is not None:
        _log_answer(update, context, answer)
        if answer.urgent or answer.match is None:
            label = services(context).engine.content.texts.inline_continue
            button_ = InlineQueryResultsButton(label, start_parameter=INLINE_START)
    await query.answer(results, button=button_)


# --- errors ---------------------------------------------------------------------------------


async def joined_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """When someone adds the bot to a group: one short welcome that says how to ask there,
    with the provider prompt and the disclaimer. Other people joining get nothing."""
    message = update.effective_message
    if message is None or not any(
        member.id == context.bot.id for member in message.new_chat_members
    ):
        return
    await _send_notice(context, message, "group_welcome")


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error and, where a chat is known, send a short apology with the disclaimer.

    A chat the bot may no longer write to (``Forbidden``: the user blocked the bot, or it was
    removed from the group) gets no apology, which would only fail the same way: one short
    line in the log, without the chat or the user.
    """
    if isinstance(context.error, Forbidden):
        log.info("a chat is closed to the bot (blocked, or removed from the group): no reply")
        return
    log.error("Error while handling an update", exc_info=context.error)
    if not isinstance(update, Update):
        return
    message = _message_of(update)
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):  # already answered, or too old
            await update.callback_query.answer()
    if message is None:
        return
    try:
        await _send_notice(context, message, "error")
    except TelegramError as exc:
        log.warning("could not send the apology: %s", type(exc).__name__)
