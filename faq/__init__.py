"""The FAQ engine: content model, YAML loading, matching, urgency and replies.

Pure Python with no Telegram import, usable from the command line, tests and benchmarks::

    from faq import Engine
    engine = Engine.load()          # the packaged FAQ
    print(engine.answer("wats a cerclarge").reply)
"""

from __future__ import annotations

from functools import lru_cache

from faq.engine import Engine
from faq.loader import ContentError, load_content
from faq.model import Answer, Content, Entry, Level, Match, Section, SectionKind

__all__ = [
    "Answer",
    "Content",
    "ContentError",
    "Engine",
    "Entry",
    "Level",
    "Match",
    "Section",
    "SectionKind",
    "answer",
    "default_engine",
    "load_content",
]


@lru_cache(maxsize=1)
def default_engine() -> Engine:
    """The engine for the packaged FAQ, loaded once."""
    return Engine.load()


def answer(text: str) -> Answer:
    """Answer ``text`` from the packaged FAQ."""
    return default_engine().answer(text)
