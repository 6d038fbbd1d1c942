"""Rendering of engine answers for Telegram: HTML text, inline keyboards and inline results.

Every FAQ- and user-derived string that goes into HTML passes through :func:`html.escape`.
Sections are rendered in the order the engine gives them and none is ever reordered; when a
reply is too long for one message only the answer text is shortened (the safety sections,
``CRISIS``, ``EMERGENCY``, ``URGENT``, ``PROVIDER`` and ``DISCLAIMER``, are never cut or
dropped).
Button texts, inline result titles and descriptions are plain text (Telegram does not parse
them), so they are not escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
)
from telegram.constants import (
    InlineKeyboardButtonLimit,
    InlineKeyboardMarkupLimit,
    InlineQueryResultLimit,
    InlineQueryResultsButtonLimit,
    MessageLimit,
    ParseMode,
)
from telegram.helpers import create_deep_linked_url

from faq.model import Answer, Entry, Section, SectionKind, Texts
from faq.reply import ELLIPSIS, SEPARATOR
from faq.text import fill, shorten

#: The prompts that open a reply about a warning sign or a crisis.
PROMPT_KINDS = frozenset({SectionKind.CRISIS, SectionKind.EMERGENCY, SectionKind.URGENT})
#: Sections that are never shortened or dropped.
SAFETY_KINDS = PROMPT_KINDS | {SectionKind.PROVIDER, SectionKind.DISCLAIMER}
#: The sections that may be shortened when a reply is too long, in the order they give way.
#: The answer always goes first; the others only in the (theoretical) case that the safety
#: texts and a notice alone overflow a message.
_SHRINK_ORDER = (SectionKind.ANSWER, SectionKind.SUGGESTIONS, SectionKind.NO_MATCH,
                 SectionKind.NOTICE)
#: The longest button label we send; longer FAQ questions are cut with an ellipsis.
MAX_BUTTON_TEXT = 64
#: Inline result titles and descriptions are one-line previews.
MAX_TITLE = 120
MAX_DESCRIPTION = 100
#: In group chats the answer text is kept short; the full answer is a tap away in private.
GROUP_ANSWER_CHARS = 350
#: Topics per /topics page (Telegram allows at most 100 buttons on one message).
TOPICS_PER_PAGE = 20

# Callback data: "t:<entry id>" opens a topic, "l:<page>" sends the topic list as a new
# message, "p:<page>" turns the page of a topic list in place.
TOPIC, LIST, PAGE, VOTE = "t", "l", "p", "v"
_CALLBACK = re.compile(
    r"\A(?:(t):([a-z0-9][a-z0-9-]*)|([lp]):(\d{1,6})|(v):([a-z0-9][a-z0-9-]*:[01]))\Z"
)
_START_TOPIC = "t_"
_START_ALLOWED = re.compile(r"\A[A-Za-z0-9_-]+\Z")
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


@dataclass(frozen=True, slots=True)
class Reply:
    """One rendered message: HTML text and an optional inline keyboard."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None
    shortened: bool = False


# --- text -------------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def visible_len(markup: str) -> int:
    """The length of HTML ``markup`` after Telegram parses its entities."""
    return utf16_len(html.unescape(re.sub(r"<[^>]*>", "", markup)))


def _render_section(section: Section, heading: str | None) -> str:
    text = html.escape(section.text, quote=False)
    kind = section.kind
    if kind in PROMPT_KINDS:
        return f"<b>{text}</b>"
    if kind is SectionKind.ANSWER and heading:
        return f"<b>{html.escape(heading, quote=False)}</b>\n{text}"
    if kind is SectionKind.DISCLAIMER:
        return f"<i>{text}</i>"
    return text


def _shorten(text: str, room: int) -> str:
    """Cut plain ``text`` so that it is at most ``room`` UTF-16 units, at a word if possible."""
    return shorten(text, room, length=utf16_len)


def render_sections(
    sections: Sequence[Section],
    *,
    heading: str | None = None,
    limit: int = MessageLimit.MAX_TEXT_LENGTH,
    answer_chars: int | None = None,
    values: Mapping[str, str] | None = None,
) -> tuple[str, bool]:
    """Render ``sections`` in order as HTML that fits in ``limit`` characters.

    Args:
        sections: the reply's sections, in display order.
        heading: shown in bold above the answer text (the FAQ question).
        limit: the most characters Telegram accepts after parsing the HTML.
        answer_chars: also cut the answer text to this many characters (short group replies).
        values: placeholder values for notice texts (``{botname}``, ``{title}``...).

    Returns:
        The HTML text and whether a section was shortened.
    """
    items = list(sections)
    if values:
        items = [
            replace(s, text=fill(s.text, values)) if s.kind is SectionKind.NOTICE else s
            for s in items
        ]
    shortened = False
    if answer_chars is not None:
        for index, section in enumerate(items):
            if section.kind is SectionKind.ANSWER and utf16_len(section.text) > answer_chars:
                items[index] = replace(section, text=_shorten(section.text, answer_chars))
                shortened = True
    rendered = [_render_section(section, heading) for section in items]

    def total() -> int:
        kept = [part for part in rendered if part]
        return sum(visible_len(part) for part in kept) + len(SEPARATOR) * (len(kept) - 1)

    for kind in _SHRINK_ORDER:
        for index, section in enumerate(items):
            over = total() - limit
            if over <= 0:
                break
            if section.kind is not kind:
                continue
            own = visible_len(rendered[index])
            text_len = utf16_len(section.text)
            room = text_len - over
            if room > len(ELLIPSIS):
                cut = replace(section, text=_shorten(section.text, room))
                rendered[index] = _render_section(cut, heading)
            elif kind is SectionKind.ANSWER:
                rendered[index] = _render_section(replace(section, text=ELLIPSIS), heading)
            else:
                rendered[index] = ""
            shortened = shortened or visible_len(rendered[index]) < own
    return SEPARATOR.join(part for part in rendered if part), shortened


def answer_heading(answer: Answer) -> str | None:
    """The bold title above an answer: the matched FAQ question."""
    if answer.entry is not None:
        return answer.entry.question
    return answer.match.question if answer.match else None


# --- callback data and deep links ---------------------------------------------------------


def topic_data(entry_id: str) -> str | None:
    """Callback data that opens a topic, or None if the id cannot make valid data."""
    data = f"{TOPIC}:{entry_id}"
    if len(data.encode()) > InlineKeyboardButtonLimit.MAX_CALLBACK_DATA:
        return None
    return data if _CALLBACK.match(data) else None


def page_data(kind: str, page: int) -> str:
    """Callback data for a topic list page (``LIST`` sends a new message, ``PAGE`` edits)."""
    return f"{kind}:{page}"


def parse_callback(data: str | None) -> tuple[str, str] | None:
    """Validate callback data: ``(kind, value)``, or None for anything we did not make."""
    if not data or len(data.encode()) > InlineKeyboardButtonLimit.MAX_CALLBACK_DATA:
        return None
    found = _CALLBACK.match(data)
    if not found:
        return None
    if found.group(1):
        return found.group(1), found.group(2)
    if found.group(5):
        return found.group(5), found.group(6)
    return found.group(3), found.group(4)


#: The callback data of each kind of button, for ``CallbackQueryHandler(pattern=...)``
#: (the list and page buttons share one handler).
CALLBACK_PATTERNS = {
    TOPIC: re.compile(r"\At:"),
    LIST: re.compile(r"\A[lp]:"),
    VOTE: re.compile(r"\Av:"),
}


def vote_data(entry_id: str, helpful: bool) -> str | None:
    """Callback data of a 👍 / 👎 button under an entry's answer (None if it cannot fit)."""
    data = f"{VOTE}:{entry_id}:{int(helpful)}"
    if len(data.encode()) > InlineKeyboardButtonLimit.MAX_CALLBACK_DATA:
        return None
    return data if _CALLBACK.match(data) else None


def start_parameter_for(entry_id: str) -> str | None:
    """The /start deep-link parameter that opens a topic in the private chat."""
    value = _START_TOPIC + entry_id
    if len(value) > InlineQueryResultsButtonLimit.MAX_START_PARAMETER_LENGTH:
        return None
    return value if _START_ALLOWED.match(value) else None


def topic_from_start(args: Sequence[str]) -> str | None:
    """The topic id in a ``/start t_<id>`` deep link, if any."""
    if len(args) != 1 or not args[0].startswith(_START_TOPIC):
        return None
    return args[0][len(_START_TOPIC):] or None


def deep_link(username: str, parameter: str | None = None) -> str:
    """A t.me link to the bot's private chat, optionally with a /start parameter (PTB's
    ``create_deep_linked_url``, which also checks the parameter)."""
    return create_deep_linked_url(username, parameter)


# --- keyboards ----------------------------------------------------------------------------


def button_text(text: str) -> str:
    """A button label: the text itself, cut with an ellipsis when very long."""
    return shorten(" ".join(text.split()), MAX_BUTTON_TEXT)


def topic_buttons(items: Iterable[tuple[str, str]]) -> list[list[InlineKeyboardButton]]:
    """One row per ``(entry id, question)``; ids that cannot make valid data are skipped."""
    rows: list[list[InlineKeyboardButton]] = []
    for entry_id, question in items:
        data = topic_data(entry_id)
        if data is not None:
            rows.append([InlineKeyboardButton(button_text(question), callback_data=data)])
    return rows


def topics_keyboard(
    entries: Sequence[Entry], texts: Texts, *, page: int = 0, per_page: int = TOPICS_PER_PAGE
) -> InlineKeyboardMarkup:
    """Every topic as a button, ``per_page`` at a time with previous/next buttons."""
    per_page = max(1, min(per_page, InlineKeyboardMarkupLimit.TOTAL_BUTTON_NUMBER - 2))
    pages = max(1, -(-len(entries) // per_page))
    page = min(max(page, 0), pages - 1)
    shown = entries[page * per_page : (page + 1) * per_page]
    rows = topic_buttons((entry.id, entry.question) for entry in shown)
    navigation = []
    if page > 0:
        label = texts.topics_previous
        navigation.append(InlineKeyboardButton(label, callback_data=page_data(PAGE, page - 1)))
    if page < pages - 1:
        label = texts.topics_next
        navigation.append(InlineKeyboardButton(label, callback_data=page_data(PAGE, page + 1)))
    if navigation:
        rows.append(navigation)
    return InlineKeyboardMarkup(rows)


def answer_keyboard(
    answer: Answer,
    topics: Mapping[str, Entry],
    *,
    read_more: InlineKeyboardButton | None = None,
    feedback: Texts | None = None,
) -> InlineKeyboardMarkup | None:
    """Buttons under an answer: related topics of a match, or "did you mean" suggestions;
    with ``feedback`` (its texts), a 👍 / 👎 row under an entry's answer."""
    if answer.entry is not None:
        related = [topics[i] for i in answer.entry.related if i in topics]
        rows = topic_buttons((entry.id, entry.question) for entry in related)
        helpful, unhelpful = vote_data(answer.entry.id, True), vote_data(answer.entry.id, False)
        if feedback is not None and helpful and unhelpful:
            rows.insert(
                0,
                [
                    InlineKeyboardButton(feedback.feedback_helpful, callback_data=helpful),
                    InlineKeyboardButton(feedback.feedback_not_helpful, callback_data=unhelpful),
                ],
            )
    else:
        rows = topic_buttons((match.id, match.question) for match in answer.suggestions)
    if read_more is not None:
        rows.insert(0, [read_more])
    return InlineKeyboardMarkup(rows) if rows else None


def list_button(texts: Texts) -> InlineKeyboardMarkup:
    """The single "All topics" button under the welcome message."""
    label = texts.topics_button
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=page_data(LIST, 0))]])


# --- replies ------------------------------------------------------------------------------


def render_answer(
    answer: Answer,
    topics: Mapping[str, Entry],
    *,
    buttons: bool = True,
    answer_chars: int | None = None,
    read_more: InlineKeyboardButton | None = None,
    feedback: Texts | None = None,
) -> Reply:
    """A chat message for an engine answer, with its related-topic or suggestion buttons
    (and 👍 / 👎 buttons when ``feedback`` texts are given).

    Args:
        answer: what the engine said.
        topics: every FAQ entry by id (for the related-topic buttons).
        buttons: attach related-topic / suggestion buttons.
        answer_chars: cut the answer text to this many characters (short group replies).
        read_more: a button shown first when the answer text was cut (the private full text).
    """
    sections = answer.sections
    if buttons and answer.entry is None and answer.suggestions:
        # The suggestions are buttons under the message: keep only their intro line.
        sections = tuple(
            replace(s, text=s.text.split("\n", 1)[0]) if s.kind is SectionKind.SUGGESTIONS else s
            for s in sections
        )
    text, shortened = render_sections(
        sections, heading=answer_heading(answer), answer_chars=answer_chars
    )
    more = read_more if shortened else None
    keyboard = (
        answer_keyboard(answer, topics, read_more=more, feedback=feedback) if buttons else None
    )
    if keyboard is None and more is not None:
        keyboard = InlineKeyboardMarkup([[more]])
    return Reply(text, keyboard, shortened)


def render_notice(
    answer: Answer,
    *,
    values: Mapping[str, str] | None = None,
    keyboard: InlineKeyboardMarkup | None = None,
) -> Reply:
    """A chat message for a notice (welcome, help, flood...), placeholders filled in."""
    text, shortened = render_sections(answer.sections, values=values)
    return Reply(text, keyboard, shortened)


def safety_only(answer: Answer) -> tuple[Section, ...]:
    """The safety sections of ``answer`` in order: the first inline result for a symptom."""
    return tuple(section for section in answer.sections if section.kind in SAFETY_KINDS)


def with_urgency(answer: Answer, like: Answer) -> Answer:
    """``answer`` led by the urgent, emergency or crisis prompt of ``like`` (the user's own
    message).

    A topic offered to someone who reported a symptom keeps the prompt to contact a provider
    first. Nothing is reordered: the prompt sections go in front of the topic's sections.
    """
    head = tuple(s for s in like.sections if s.kind in PROMPT_KINDS)
    if not head or any(s.kind in PROMPT_KINDS for s in answer.sections):
        return answer
    return replace(answer, sections=(*head, *answer.sections), level=like.level)


# --- inline results -------------------------------------------------------------------------


def result_id(kind: str, value: str = "") -> str:
    """An inline result id within Telegram's 64-byte limit."""
    rid = f"{kind}:{value}" if value else kind
    return rid.encode()[: InlineQueryResultLimit.MAX_ID_LENGTH].decode("utf-8", "ignore")


def preview(text: str, length: int = MAX_DESCRIPTION) -> str:
    """A one-line plain-text preview of ``text``."""
    return shorten(" ".join(text.split()), length)


def inline_article(
    rid: str,
    title: str,
    description: str,
    text: str,
    *,
    keyboard: InlineKeyboardMarkup | None = None,
) -> InlineQueryResultArticle:
    """An inline result whose posted message is the HTML ``text``."""
    return InlineQueryResultArticle(
        id=rid,
        title=preview(title, MAX_TITLE),
        description=preview(description),
        input_message_content=InputTextMessageContent(
            text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
        ),
        reply_markup=keyboard,
    )
