"""Hostile and odd input through the real handlers (issue 8), hypothesis-driven.

Every update is Bot API JSON pushed through ``process_update`` of the application
``build_application`` makes, with every Bot API call recorded offline. Whatever comes in, the
outcome is a well-formed reply or a deliberate silence, never an exception: an error handler
put in front of the product's records every exception that reaches PTB's error handlers (the
product's own handler apologises, which is well-formed but means a handler crashed), and the
test fails on any. Every recorded reply is checked: at most 4 096 characters as Telegram counts
them, valid HTML, the provider prompt and the disclaimer (chat messages end with it; each inline
result's message carries both), callback data within 64 bytes and made by us, at most 50 inline
results with ids within 64 bytes, at most one chat message per update, sent to the update's own
chat. No log line holds the user's id or name.

Input classes and the behaviour decided for each:

==========================================  ================================================
arbitrary Unicode text, private chat        reply (an answer, a no-match, a "no words" note)
texts of exactly 4 096 / 100 000 chars      reply (the engine reads the beginning and says so)
HTML/Markdown control characters            reply; the user's text is escaped, never echoed
bidi controls and zero-width characters     reply
entities outside the text, overlapping      private: reply; group: reply when the bot is
(offset/length past the end, negative,      validly mentioned, else silence (an entity that
cutting an emoji in two)                    does not fit the text is ignored)
commands with odd arguments                 /start <garbage> -> welcome; /ask (empty) -> how
                                            to ask; /ask <4 000 chars> -> answer;
                                            /help@<our bot> -> help; in a group /cmd@OtherBot
                                            -> silence, in private -> "unknown command"
forged or stale callback data (<= 64 bytes) the spinner is always stopped (one
                                            answerCallbackQuery), then the topic, the list,
                                            a vote's thanks, or "out of date" + topics; a
                                            button without a chat: a pop-up with the safety
                                            words
inline queries of 0 and 256+ characters     reply (one answerInlineQuery; only 256 are read)
channel posts, edited messages              silence: the bot does not ask Telegram for them
                                            (ALLOWED_UPDATES); the gate drops them
bot added to / removed from a group         added: one welcome with the safety texts (tested in
(service messages, my_chat_member)          test_telegram_handlers.py); removed, others joining,
                                            my_chat_member: silence
a user who blocked the bot (403)            silence: no apology that would fail again, one
                                            short log line without user data
no from_user (anonymous admin, linked       reply when addressed to the bot (/ask, mention,
channel, no sender at all)                  reply to it), else silence
==========================================  ================================================

Hypothesis and function-scoped async fixtures do not mix, so the fuzz tests share one
application per module, run on an event loop of their own (:class:`Harness`); the plain
regression tests below them use the ordinary ``process`` fixture.

Long texts are built from random characters: the engine's warning-sign search is slow on
long messages made of its own words (a 4 096-character "pain pain ..." takes seconds in
``faq.safety``), which is the engine's matter and not what these tests are about.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import tg_updates as u
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import MessageEntity, Update
from telegram.constants import (
    InlineKeyboardButtonLimit,
    InlineQueryLimit,
    InlineQueryResultLimit,
    InlineQueryResultsButtonLimit,
    MessageLimit,
)
from telegram.ext import Application, ContextTypes
from tg_checks import assert_safe_reply, assert_valid_html, visible
from tg_recording import ApiCall, RecordingRequest

from bot import handlers
from bot.app import ALLOWED_UPDATES, build_application
from bot.config import Config
from bot.render import parse_callback, utf16_len
from bot.stats import StatsStore
from faq import Engine

JSON = dict[str, Any]
Push = Callable[[JSON], Awaitable[None]]

#: A few hundred examples per strategy at most: the module runs in about 15 s.
FUZZ = settings(max_examples=300, deadline=None, database=None)
FEW = settings(max_examples=100, deadline=None, database=None)

#: What a user's id and name look like in a log line (they must never be in one).
SECRETS = (str(u.USER_ID), u.FIRST_NAME, u.LAST_NAME, u.USERNAME)
#: The Bot API methods a reply may use; anything else fails the test.
REPLY_METHODS = frozenset(
    {
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "answerCallbackQuery",
        "answerInlineQuery",
    }
)
#: The alert of a callback query (a pop-up) holds at most 200 characters.
MAX_ALERT = 200
BLOCKED = "Forbidden: bot was blocked by the user"
KICKED = "Forbidden: bot was kicked from the supergroup chat"


# --- the application under test ---------------------------------------------------------------


@dataclass
class Outcome:
    """What one update led to: the Bot API calls, the exceptions that reached the error
    handlers, and the log records."""

    calls: list[ApiCall]
    errors: list[BaseException]
    logs: list[logging.LogRecord]

    def sent(self, method: str) -> list[JSON]:
        """The parameters of every ``method`` call."""
        return [call.params for call in self.calls if call.method == method]


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Harness:
    """The real application, initialized on an event loop of its own, pushed one update at a
    time. The flood guard and the sending limits are far out of reach, statistics are on."""

    engine: Engine
    stats_path: Path
    recorder: RecordingRequest = field(default_factory=RecordingRequest)
    errors: list[BaseException] = field(default_factory=list)

    def __post_init__(self) -> None:
        config = Config(
            token=u.TOKEN,
            flood_messages=10**9,
            send_per_second=1e6,
            send_per_group_minute=1e6,
            stats_path=self.stats_path,
        )
        self.loop = asyncio.new_event_loop()
        self.app: Application = build_application(
            config, self.engine, request=self.recorder, get_updates_request=RecordingRequest()
        )
        # First of the error handlers, so that none of the product's can hide an error.
        others = dict(self.app.error_handlers)
        self.app.error_handlers.clear()
        self.app.add_error_handler(self._record_error)
        self.app.error_handlers.update(others)
        self.loop.run_until_complete(self.app.initialize())
        self._logs = _Records()
        self._loggers = [logging.getLogger(name) for name in ("bot", "telegram", "faq")]
        self._levels = [logger.level for logger in self._loggers]
        for logger in self._loggers:
            logger.addHandler(self._logs)
        logging.getLogger("bot").setLevel(logging.DEBUG)

    async def _record_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert context.error is not None
        self.errors.append(context.error)

    def push(self, data: JSON, *, fail: tuple[str, int, str] | None = None) -> Outcome:
        """Process one update; ``fail`` = (method, status, description) makes that call fail."""
        self.recorder.clear()
        self.recorder.clear_failures()
        self.errors.clear()
        self._logs.records.clear()
        if fail is not None:
            method, status, description = fail
            self.recorder.fail(method, description, status=status)
        update = Update.de_json(data, self.app.bot)
        self.loop.run_until_complete(self.app.process_update(update))
        self.recorder.clear_failures()
        return Outcome(list(self.recorder.calls), list(self.errors), list(self._logs.records))

    def close(self) -> None:
        """Shut the application down and close the loop."""
        for logger, level in zip(self._loggers, self._levels, strict=True):
            logger.removeHandler(self._logs)
            logger.setLevel(level)
        shared: handlers.Services = self.app.bot_data[handlers.BOT_DATA_KEY]
        self.loop.run_until_complete(self.app.shutdown())
        if shared.stats is not None:
            shared.stats.close()
        self.loop.run_until_complete(self.loop.shutdown_default_executor())
        self.loop.close()


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    """One application for the module's fuzz tests."""
    harness = Harness(Engine.load(), tmp_path_factory.mktemp("fuzz") / "stats.sqlite3")
    yield harness
    harness.close()


# --- what every outcome must satisfy ------------------------------------------------------------


def check_keyboard(markup: JSON | None) -> None:
    """Buttons: a label, callback data we made (<= 64 bytes) or a t.me link."""
    if not markup:
        return
    for row in markup["inline_keyboard"]:
        for button in row:
            assert button["text"].strip()
            if "callback_data" in button:
                data = button["callback_data"]
                assert len(data.encode()) <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
                assert parse_callback(data) is not None, data
            else:
                assert button["url"].startswith("https://t.me/"), button


def check_chat_text(markup: str, engine: Engine) -> None:
    """A chat message: within Telegram's limit, valid HTML, provider prompt, disclaimer last."""
    assert utf16_len(visible(markup)) <= MessageLimit.MAX_TEXT_LENGTH
    assert_safe_reply(markup, engine)


def check_inline(params: JSON, engine: Engine) -> None:
    """An inline answer: at most 50 results, ids unique and within 64 bytes, each posted
    message valid HTML within the limit, with the disclaimer and the provider prompt."""
    results = params["results"]
    assert len(results) <= InlineQueryLimit.RESULTS
    ids = [result["id"] for result in results]
    assert len(set(ids)) == len(ids)
    texts = engine.content.texts
    for result in results:
        assert 1 <= len(result["id"].encode()) <= InlineQueryResultLimit.MAX_ID_LENGTH
        assert result["title"].strip()
        posted = result["input_message_content"]["message_text"]
        assert utf16_len(visible(posted)) <= MessageLimit.MAX_TEXT_LENGTH
        assert_valid_html(posted)
        assert texts.disclaimer in visible(posted)
        assert texts.provider_prompt in visible(posted)
        check_keyboard(result.get("reply_markup"))
    button = params.get("button")
    if button is not None:
        parameter = button["start_parameter"]
        assert 1 <= len(parameter) <= InlineQueryResultsButtonLimit.MAX_START_PARAMETER_LENGTH
        assert re.fullmatch(r"[A-Za-z0-9_-]+", parameter)


def check(outcome: Outcome, engine: Engine, *, chat_id: int | None = None,
          blocked: bool = False) -> None:
    """No exception, no error log, no user data in the logs, every reply well-formed."""
    if blocked:
        assert all("Forbidden" in type(error).__name__ for error in outcome.errors)
    else:
        assert outcome.errors == []
    assert [r for r in outcome.logs if r.levelno >= logging.ERROR or r.exc_info] == []
    for record in outcome.logs:
        line = record.getMessage()
        for secret in SECRETS:
            assert secret not in line
    for call in outcome.calls:
        assert call.method in REPLY_METHODS, call.method
        params = call.params
        if call.method in ("sendMessage", "editMessageText"):
            check_chat_text(params["text"], engine)
            if chat_id is not None:
                assert params["chat_id"] == chat_id
        if call.method in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
            check_keyboard(params.get("reply_markup"))
        if call.method == "answerCallbackQuery" and params.get("text"):
            alert = params["text"].lower()
            assert len(params["text"]) <= MAX_ALERT
            assert "not medical advice" in alert and "healthcare provider" in alert
        if call.method == "answerInlineQuery":
            check_inline(params, engine)
    assert len(outcome.sent("sendMessage")) <= 1, [c.method for c in outcome.calls]


def replied(outcome: Outcome) -> bool:
    """Exactly one chat message went out."""
    return len(outcome.sent("sendMessage")) == 1


# --- strategies -------------------------------------------------------------------------------

#: Any Unicode character but the surrogates (which no Telegram update can hold).
CHARS = st.characters(codec="utf-8")
TEXT = st.text(CHARS, max_size=300)
WORDS = ("what is a cerclage", "weak cervix", "is it safe", "pain", "hi", "thanks", "🤰🏽", "?")
MARKUP = st.lists(
    st.one_of(
        st.sampled_from(list("<>&*_`[]")),
        st.sampled_from(
            ["<b>", "</b>", "<i>", "</i>", "<a href='x'>", "&amp;", "&lt;", "&#", "&", "**",
             "__", "```", "[link](http://x.y)", "<pre>", "</", " "]
        ),
        st.sampled_from(WORDS),
    ),
    max_size=60,
).map("".join)
#: Bidi controls, zero-width and other invisible characters.
INVISIBLE = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2066\u2067"
    "\u2068\u2069\ufeff\u061c\u00ad\u034f\u180e\u3164\ufe0f"
)
BIDI = st.lists(
    st.one_of(st.sampled_from(INVISIBLE), st.sampled_from(WORDS), st.sampled_from(" .\n")),
    max_size=60,
).map("".join)


UNIT = st.text(CHARS, min_size=1, max_size=40)


def repeated(unit: str, length: int) -> str:
    """``unit`` repeated to exactly ``length`` characters."""
    return (unit * (length // len(unit) + 1))[:length]


def exactly(length: int) -> st.SearchStrategy[str]:
    """Texts of exactly ``length`` characters: random characters, repeated."""
    return UNIT.map(lambda unit: repeated(unit, length))

ANY_TEXT = st.one_of(TEXT, MARKUP, BIDI)


def private_message(text: str, **kwargs: Any) -> JSON:
    """An update with a text message in the private chat."""
    return u.update(message=u.message(text, **kwargs))


def mention(text: str) -> tuple[str, JSON]:
    """``@bot text`` and its (valid) mention entity."""
    handle = f"@{u.BOT_USERNAME}"
    entity = {"type": "mention", "offset": 0, "length": utf16_len(handle)}
    return f"{handle} {text}", entity


# --- text -------------------------------------------------------------------------------------


@FUZZ
@given(text=ANY_TEXT)
def test_any_private_text_gets_one_safe_reply(bot: Harness, text: str) -> None:
    """Arbitrary Unicode, HTML/Markdown control characters, bidi and zero-width characters:
    a reply, and the user's markup never reaches the HTML unescaped."""
    outcome = bot.push(private_message(text))
    check(outcome, bot.engine, chat_id=u.USER_ID)
    assert replied(outcome)


@settings(FEW, max_examples=60)
@given(
    unit=UNIT,
    length=st.sampled_from([MessageLimit.MAX_TEXT_LENGTH, 100_000]),
    where=st.sampled_from(["private", "ask", "mention"]),
)
def test_very_long_text_gets_one_safe_reply(
    bot: Harness, unit: str, length: int, where: str
) -> None:
    """Texts of exactly 4 096 and 100 000 characters (``unit`` repeated), in private, after
    /ask, after a mention: a reply within the limit (in groups a short one)."""
    text = repeated(unit, length)
    if where == "private":
        data, chat = private_message(text), u.USER_ID
    elif where == "ask":
        data = u.update(message=u.command_message(f"/ask {text}", chat=u.group_chat()))
        chat = u.GROUP_ID
    else:
        body, entity = mention(text)
        data = u.update(message=u.message(body, chat=u.group_chat(), entities=[entity]))
        chat = u.GROUP_ID
    outcome = bot.push(data)
    check(outcome, bot.engine, chat_id=chat)
    assert replied(outcome)


@FUZZ
@given(text=ANY_TEXT, how=st.sampled_from(["mention", "reply", "chatter"]))
def test_group_text_is_answered_only_when_addressed(bot: Harness, text: str, how: str) -> None:
    """In a group: a mention or a reply to the bot gets a reply, other chatter silence."""
    group = u.group_chat()
    if how == "mention":
        body, entity = mention(text)
        data = u.message(body, chat=group, entities=[entity])
    elif how == "reply":
        data = u.message(text, chat=group, reply_to=u.bot_message(chat=group))
    else:
        data = u.message(text, chat=group)
    outcome = bot.push(u.update(message=data))
    check(outcome, bot.engine, chat_id=u.GROUP_ID)
    addressed = how == "mention" or (how == "reply" and text != "")
    assert replied(outcome) is addressed


# --- entities ---------------------------------------------------------------------------------

ENTITY_TYPES = ("mention", "bot_command", "bold", "url", "hashtag", "text_link", "pre",
                "custom_emoji", "spoiler")
#: Texts where offsets in UTF-16 units matter: emoji (two units) next to the bot's name.
ENTITY_TEXT = st.lists(
    st.one_of(
        st.sampled_from(["😀", "🤰🏽", "@", f"@{u.BOT_USERNAME}", "/start", "/ask", " ", "é"]),
        st.sampled_from(WORDS),
        TEXT.map(lambda s: s[:8]),
    ),
    max_size=12,
).map("".join)


@st.composite
def entity_messages(draw: st.DrawFn) -> tuple[str, list[JSON], bool]:
    """A text, entities that may lie outside it, overlap or cut an emoji in two, and whether
    a valid mention of the bot opens the text."""
    text = draw(ENTITY_TEXT)
    size = utf16_len(text)
    # Offsets and ends in the middle of a character of two UTF-16 units (an emoji) too.
    halves = [utf16_len(text[:i]) + 1 for i, char in enumerate(text) if ord(char) > 0xFFFF]
    anywhere = st.integers(-10, size + 10)
    offsets = st.one_of(anywhere, st.sampled_from(halves)) if halves else anywhere
    entities: list[JSON] = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "type": st.one_of(st.just("mention"), st.sampled_from(ENTITY_TYPES)),
                    "offset": offsets,
                    "length": st.integers(-5, size + 20),
                }
            ),
            max_size=5,
        )
    )
    for entity in entities:
        inside: bool = draw(st.booleans())
        if halves and inside:  # end inside an emoji
            entity["length"] = draw(st.sampled_from(halves)) - entity["offset"]
    for entity in entities:
        if entity["type"] == "text_link":
            entity["url"] = "https://example.org/"
        if entity["type"] == "custom_emoji":
            entity["custom_emoji_id"] = "5368324170671202286"
    valid = draw(st.booleans())
    if valid:
        text, entity = mention(text)
        shift = utf16_len(text) - size
        for other in entities:
            other["offset"] += shift
        entities.append(entity)
    order = draw(st.permutations(range(len(entities))))
    return text, [entities[i] for i in order], valid


@FUZZ
@given(case=entity_messages(), private=st.booleans())
def test_entities_outside_the_text_never_break_a_handler(
    bot: Harness, case: tuple[str, list[JSON], bool], private: bool
) -> None:
    """Entities past the end, negative, overlapping or cutting an emoji: ignored; a private
    message gets a reply, a group message one when the bot is validly mentioned (unless the
    first entity makes the message a command, which then decides)."""
    text, entities, valid = case
    chat = u.private_chat() if private else u.group_chat()
    outcome = bot.push(u.update(message=u.message(text, chat=chat, entities=entities)))
    check(outcome, bot.engine, chat_id=chat["id"])
    command = bool(entities) and entities[0]["type"] == "bot_command" and (
        entities[0]["offset"] == 0
    )
    if private or (valid and not command):
        assert replied(outcome)


# --- commands ---------------------------------------------------------------------------------

KNOWN = ("start", "help", "about", "topics", "ask")
MODERATORS_ONLY = ("reload", "stats", "gaps", "feedback")
ARGUMENT = st.one_of(
    st.just(""),
    TEXT,
    MARKUP,
    st.sampled_from(["t_cerclage", "t_", "t_NOPE", "inline", "t_" + "a" * 70, "t_../../etc"]),
    TEXT.map(lambda s: "t_" + s),
    exactly(4000),
)


@FUZZ
@given(
    name=st.one_of(
        st.sampled_from(KNOWN + MODERATORS_ONLY), st.from_regex(r"[a-z_]{1,20}", fullmatch=True)
    ),
    upper=st.booleans(),
    suffix=st.sampled_from(["", f"@{u.BOT_USERNAME}", f"@{u.BOT_USERNAME.lower()}",
                            "@OtherBot", "@", "@@x"]),
    argument=ARGUMENT,
    private=st.booleans(),
)
def test_commands_with_odd_arguments(
    bot: Harness, name: str, upper: bool, suffix: str, argument: str, private: bool
) -> None:
    """/start <garbage>, /ask with nothing or 4 000 characters, /help@<us>, /topics@OtherBot:
    in private always a reply (an unknown one points to /help); in a group a reply to our own
    commands, silence for another bot's and for unknown ones."""
    command = f"/{name.upper() if upper else name}{suffix}"
    text = f"{command} {argument}" if argument else command
    chat = u.private_chat() if private else u.group_chat()
    outcome = bot.push(u.update(message=u.command_message(text, chat=chat)))
    check(outcome, bot.engine, chat_id=chat["id"])
    ours = suffix == "" or suffix.lower() == f"@{u.BOT_USERNAME.lower()}"
    assert replied(outcome) is (private or (ours and name in KNOWN))


# --- buttons ----------------------------------------------------------------------------------


def within_64_bytes(text: str) -> str:
    return text.encode()[: InlineKeyboardButtonLimit.MAX_CALLBACK_DATA].decode("utf-8", "ignore")


ENTRY_ID = st.one_of(st.sampled_from(["cerclage", "weak-cervix", "nope", ""]), TEXT)
PAGE = st.one_of(
    st.integers(-10, 10**7).map(str), st.sampled_from(["٣", "１２", "+1", "1e3", " 1", "0x1"])
)
CALLBACK_DATA = st.one_of(
    TEXT,
    st.builds(lambda kind, value: f"{kind}:{value}", st.sampled_from("tlpvx"), TEXT),
    st.builds(lambda kind, page: f"{kind}:{page}", st.sampled_from("lp"), PAGE),
    st.builds(lambda entry, vote: f"v:{entry}:{vote}", ENTRY_ID,
              st.sampled_from(["0", "1", "2", "", "-1", "1:1"])),
    st.builds(lambda entry: f"t:{entry}", ENTRY_ID),
    st.sampled_from(["t:cerclage", "l:0", "p:1", "p:999999", "v:cerclage:1", "v:cerclage:0"]),
).map(within_64_bytes)


@FUZZ
@given(
    data=st.one_of(CALLBACK_DATA, st.none()),
    where=st.sampled_from(["private", "group", "inaccessible", "inline"]),
)
def test_forged_or_stale_callback_data(bot: Harness, data: str | None, where: str) -> None:
    """Any callback data up to 64 bytes, ours with bad ids, pages or votes, or none at all (a
    game button): the spinner is stopped exactly once and at most one message follows; a
    button on an inline message (no chat) gets a pop-up with the safety words."""
    if where == "inline":
        pressed = u.callback_update(data or "")
        del pressed["callback_query"]["message"]
        pressed["callback_query"]["inline_message_id"] = "inline-message-1"
        chat_id = None
    else:
        chat = u.group_chat() if where == "group" else u.private_chat()
        on = u.inaccessible_message(chat) if where == "inaccessible" else u.bot_message(chat=chat)
        pressed = u.callback_update(data or "", on=on)
        chat_id = chat["id"]
    if data is None:
        del pressed["callback_query"]["data"]
        pressed["callback_query"]["game_short_name"] = "a-game"
    outcome = bot.push(pressed)
    check(outcome, bot.engine, chat_id=chat_id)
    assert len(outcome.sent("answerCallbackQuery")) == 1
    if where == "inline":
        assert [c.method for c in outcome.calls] == ["answerCallbackQuery"]
        assert outcome.sent("answerCallbackQuery")[0]["show_alert"] is True


# --- inline mode ------------------------------------------------------------------------------


def around(length: int) -> st.SearchStrategy[str]:
    return st.one_of(*(exactly(n) for n in (length - 1, length, length + 1)))


@FUZZ
@given(
    query=st.one_of(st.just(""), ANY_TEXT, around(InlineQueryLimit.MAX_QUERY_LENGTH),
                    exactly(1000)),
    chat_type=st.sampled_from([None, "sender", "private", "group", "supergroup", "channel"]),
)
def test_inline_queries_of_any_length(bot: Harness, query: str, chat_type: str | None) -> None:
    """Inline queries of 0 characters (every topic), of 256 and more (only 256 are read), of
    any characters: one answer, every result safe to post."""
    data = u.inline_update(query)
    if chat_type is None:
        del data["inline_query"]["chat_type"]
    else:
        data["inline_query"]["chat_type"] = chat_type
    outcome = bot.push(data)
    check(outcome, bot.engine)
    assert [c.method for c in outcome.calls] == ["answerInlineQuery"]


# --- updates the bot does not ask for -----------------------------------------------------------

SILENT_KINDS = ("edited_message", "channel_post", "edited_channel_post")


@FEW
@given(kind=st.sampled_from(SILENT_KINDS), text=st.one_of(ANY_TEXT, st.sampled_from(
    ["/start", "/ask what is a cerclage", f"@{u.BOT_USERNAME} what is a cerclage", "/help"])),
    private=st.booleans())
def test_edited_messages_and_channel_posts_get_silence(
    bot: Harness, kind: str, text: str, private: bool
) -> None:
    """Not in ALLOWED_UPDATES: Telegram does not send them, and if one comes anyway it is
    left alone (an edited question was answered when it was first sent)."""
    if kind == "edited_message":
        chat = u.private_chat() if private else u.group_chat()
        body = u.command_message(text, chat=chat) if text.startswith("/") else u.message(
            text, chat=chat)
        body["edit_date"] = body["date"] + 5
    else:
        body = u.sender_chat_message(text, chat=u.channel_chat(), sender_chat=u.channel_chat())
        if kind == "edited_channel_post":
            body["edit_date"] = body["date"] + 5
    outcome = bot.push(u.update(**{kind: body}))
    check(outcome, bot.engine)
    assert outcome.calls == []


STATUSES = ("member", "administrator", "left", "kicked", "restricted")


@FEW
@given(
    kind=st.sampled_from(["my_chat_member", "chat_member"]),
    old=st.sampled_from(STATUSES),
    new=st.sampled_from(STATUSES),
    chat=st.sampled_from([u.group_chat(), {"id": -4242, "type": "group", "title": "G"},
                          u.channel_chat(), u.private_chat()]),
)
def test_chat_member_updates_get_silence(
    bot: Harness, kind: str, old: str, new: str, chat: JSON
) -> None:
    """The bot added to or removed from a group or channel, blocked or unblocked in private:
    silence (these updates are not requested; a greeting is not part of this bot yet)."""
    member = u.bot_user() if kind == "my_chat_member" else u.user(u.USER_ID + 7)
    body = u.chat_member_updated(old, new, chat=chat, member=member)
    outcome = bot.push(u.update(**{kind: body}))
    check(outcome, bot.engine)
    assert outcome.calls == []


SERVICE: dict[str, Callable[[], Any]] = {
    "new_chat_members": lambda: [u.user(u.USER_ID + 1)],  # the bot itself: a welcome, below
    "left_chat_member": u.bot_user,
    "group_chat_created": lambda: True,
    "new_chat_title": lambda: "Bumps <b>& Babies</b>",
    "pinned_message": lambda: u.bot_message(chat=u.group_chat()),
    "migrate_to_chat_id": lambda: u.GROUP_ID - 1,
    "delete_chat_photo": lambda: True,
}


@FEW
@given(kind=st.sampled_from(sorted(SERVICE)),
       chat=st.sampled_from([u.group_chat(), {"id": -4242, "type": "group", "title": "G"}]))
def test_service_messages_get_silence(bot: Harness, kind: str, chat: JSON) -> None:
    """Someone else added to a group (new_chat_members), the bot removed from it
    (left_chat_member), and other service messages: silence, as with any group message not
    addressed to the bot. (The bot itself added to a group gets one welcome, tested in
    test_telegram_handlers.py.)"""
    data = u.message(None, chat=chat, **{kind: SERVICE[kind]()})
    outcome = bot.push(u.update(message=data))
    check(outcome, bot.engine)
    assert outcome.calls == []


# --- a user who blocked the bot ---------------------------------------------------------------


@FUZZ
@given(
    text=st.one_of(ANY_TEXT, st.sampled_from(["/start", "/help", "/topics", "/about", "/ask",
                                              "/ask what is a cerclage", "/nonsense"])),
    private=st.booleans(),
)
def test_blocked_user_gets_silence_not_an_apology(bot: Harness, text: str, private: bool) -> None:
    """sendMessage answers 403 (blocked by the user; kicked from the group): the reply is
    tried once, no apology follows (it would fail the same way), and the log has at most one
    short line, without the user."""
    if private:
        chat, failure = u.private_chat(), BLOCKED
        body = u.command_message(text) if text.startswith("/") else u.message(text)
    else:
        chat, failure = u.group_chat(), KICKED
        if text.startswith("/"):
            body = u.command_message(text, chat=chat)
        else:
            said, entity = mention(text)
            body = u.message(said, chat=chat, entities=[entity])
    outcome = bot.push(u.update(message=body), fail=("sendMessage", 403, failure))
    check(outcome, bot.engine, chat_id=chat["id"], blocked=True)
    # One attempt (in a group a command for no one of ours gets none), one error, no apology.
    assert [c.method for c in outcome.calls] in ([], ["sendMessage"])
    assert len(outcome.errors) == len(outcome.calls)
    if private:
        assert len(outcome.calls) == 1
    assert len([r for r in outcome.logs if r.levelno >= logging.INFO]) <= 1


# --- messages with no from_user ---------------------------------------------------------------

SENDERS: dict[str, Callable[[], tuple[JSON | None, JSON | None]]] = {
    "anonymous-admin": lambda: (u.group_anonymous_bot(), u.group_chat()),
    "linked-channel": lambda: (u.channel_bot(), u.channel_chat()),
    "no-from": lambda: (None, u.group_chat()),
    "no-sender-at-all": lambda: (None, None),
}


@FUZZ
@given(
    sender=st.sampled_from(sorted(SENDERS)),
    how=st.sampled_from(["ask", "mention", "reply", "chatter", "topics"]),
    text=ANY_TEXT,
)
def test_messages_without_a_user(bot: Harness, sender: str, how: str, text: str) -> None:
    """Anonymous group admins, a linked channel's posts, messages with no ``from`` at all:
    answered when addressed to the bot, silence otherwise (no flood count, no user to log)."""
    user, sender_chat = SENDERS[sender]()
    group = u.group_chat()
    entities: list[JSON] = []
    reply_to = None
    if how in ("ask", "topics"):
        body = f"/{how} {text}"
        entities = [{"type": "bot_command", "offset": 0, "length": len(how) + 1}]
    elif how == "mention":
        body, entity = mention(text)
        entities = [entity]
    else:
        body = text
        reply_to = u.bot_message(chat=group) if how == "reply" else None
    data = u.sender_chat_message(body, chat=group, sender_chat=sender_chat, sender=user,
                                 entities=entities, reply_to=reply_to)
    outcome = bot.push(u.update(message=data))
    check(outcome, bot.engine, chat_id=u.GROUP_ID)
    addressed = how in ("ask", "mention", "topics") or (how == "reply" and text != "")
    assert replied(outcome) is addressed


@FEW
@given(text=ANY_TEXT)
def test_private_message_without_a_user_is_answered(bot: Harness, text: str) -> None:
    """A private message with no ``from`` (never sent by Telegram, but nothing relies on it)."""
    data = u.message(text)
    del data["from"]
    outcome = bot.push(u.update(message=data))
    check(outcome, bot.engine, chat_id=u.USER_ID)
    assert replied(outcome)


# --- regression tests: the bugs the fuzz tests found --------------------------------------------


async def test_mention_entity_cutting_an_emoji_in_two_is_ignored(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    """An entity that splits an emoji's two UTF-16 units made PTB's ``parse_entities`` raise
    ``UnicodeDecodeError`` in the mention filter (the flood gate and the group handler), so a
    group got an apology for every such message. Now the entity is ignored."""
    cut = {"type": "mention", "offset": 1, "length": 1}
    await process(u.update(message=u.message("😀 what is a cerclage", chat=u.group_chat(),
                                             entities=[cut])))
    assert recorder.methods() == []
    text, entity = mention("😀 what is a cerclage")
    await process(u.update(message=u.message(text, chat=u.group_chat(), entities=[cut, entity])))
    sent = recorder.sent("sendMessage")
    assert len(sent) == 1
    assert_safe_reply(sent[0]["text"], engine)
    assert engine.content.texts.error not in sent[0]["text"]


@pytest.mark.parametrize(
    ("offset", "length"), [(0, 100), (-3, 5), (30, 5), (5, -2), (0, 0)],
    ids=["past-the-end", "negative-offset", "offset-past-the-end", "negative-length", "empty"],
)
def test_entity_text_is_none_for_entities_outside_the_text(offset: int, length: int) -> None:
    entity = MessageEntity(MessageEntity.MENTION, offset, length)
    assert handlers.entity_text("@bot hi 😀", entity) is None
    assert handlers.entity_text("@bot hi 😀", MessageEntity("mention", 0, 4)) == "@bot"
    assert handlers.entity_text("@bot hi 😀", MessageEntity("mention", 8, 2)) == "😀"


async def test_edited_message_is_not_answered_a_second_time(
    process: Push, recorder: RecordingRequest
) -> None:
    """Edited messages reached the command and question handlers (PTB's handlers accept them),
    so a question corrected after it was sent got a second answer. They are not requested
    (ALLOWED_UPDATES) and now stop at the gate, as every kind the bot does not handle."""
    for text in ("what is a cerclage", "/start"):
        body = u.command_message(text) if text.startswith("/") else u.message(text)
        body["edit_date"] = body["date"] + 5
        await process(u.update(edited_message=body))
    assert recorder.methods() == []


def test_the_handled_updates_are_the_requested_ones() -> None:
    """The gate lets through exactly the kinds of update the bot asks Telegram for."""
    assert set(handlers.HANDLED_UPDATES) == set(ALLOWED_UPDATES)


async def test_blocked_user_gets_no_apology_and_one_short_log_line(
    process: Push, recorder: RecordingRequest, caplog: pytest.LogCaptureFixture
) -> None:
    """A 403 on sendMessage went to the error handler, which logged a traceback and tried to
    apologise, which failed with 403 again (and logged a second line)."""
    recorder.fail("sendMessage", BLOCKED, status=403)
    with caplog.at_level(logging.DEBUG, logger="bot"):
        await process(u.text_update("quixotic what is a cerclage"))
    assert recorder.methods() == ["sendMessage"]
    lines = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert len(lines) == 1
    assert lines[0].exc_info is None and "\n" not in lines[0].getMessage()
    for secret in (*SECRETS, "quixotic"):
        assert secret not in caplog.text


@pytest.mark.parametrize("length", [MessageLimit.MAX_TEXT_LENGTH, 100_000])
async def test_texts_of_4096_and_100000_characters_get_one_reply(
    process: Push, recorder: RecordingRequest, engine: Engine, length: int
) -> None:
    text = ("what is a cerclage? " + "x" * length)[:length]
    assert len(text) == length
    await process(u.text_update(text))
    sent = recorder.sent("sendMessage")
    assert len(sent) == 1
    check_chat_text(sent[0]["text"], engine)


async def test_statistics_get_no_more_of_a_question_than_one_message_holds(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The statistics store was given the whole question to mask, and its e-mail pattern
    takes time that grows with the square of a long word: 100 000 characters held a worker
    thread for a minute. The store keeps 500 characters; it now gets at most 4 096."""
    seen: list[int] = []
    record = StatsStore.record

    def spy(self: StatsStore, **kwargs: Any) -> None:
        seen.append(len(kwargs["question"]))
        record(self, **kwargs)

    monkeypatch.setattr(StatsStore, "record", spy)
    config = Config(token=u.TOKEN, stats_path=tmp_path / "stats.sqlite3")
    recorder = RecordingRequest()
    app = build_application(config, engine, request=recorder,
                            get_updates_request=RecordingRequest())
    async with app:
        await app.process_update(Update.de_json(u.text_update("é" * 100_000), app.bot))
    stats = app.bot_data[handlers.BOT_DATA_KEY].stats
    assert stats is not None
    stats.close()
    assert seen == [MessageLimit.MAX_TEXT_LENGTH]
    assert len(recorder.sent("sendMessage")) == 1
