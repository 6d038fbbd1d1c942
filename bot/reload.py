"""Reloading the FAQ in the running bot, without a restart.

New content is read, validated and its content tests run (in a worker thread, so answers go
on meanwhile) before it replaces the content being served, in one assignment: a user gets an
answer from the old FAQ or from the new one, never from a half-loaded one. On any problem the
bot keeps the FAQ it serves and says why, each problem with its ``file:line``.

A reload starts from a moderator's ``/reload`` or from the watch, a JobQueue job that looks
at the FAQ files every ``faq.watch_seconds`` and reloads when their content changed and
stayed the same for one look (within two intervals of a save).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Config, build_engine
from faq import Engine, yamlguard
from faq.checks import run_tests, scorer_problems, test_problems
from faq.loader import PACKAGED_DATA, read_content
from faq.model import Problem
from faq.scorer import PACKAGED_SCORERS, ScorerError

log = logging.getLogger(__name__)

#: The most problems a reload message lists (the rest are counted; `faqbot check` lists all).
MAX_LISTED = 10


def fingerprint(path: Path | None) -> str:
    """A digest of the FAQ's YAML files (names and bytes); "" when none can be read.

    A file larger than the loader takes (``yamlguard.MAX_FAQ_BYTES``) counts by its size and
    time, unread: the watch must not read gigabytes a minute to learn it is still refused.
    """
    target = path or PACKAGED_DATA
    files = sorted(target.glob("*.y*ml")) if target.is_dir() else [target]
    digest = hashlib.sha256()
    for file in files:
        try:
            stat = file.stat()
            if stat.st_size > yamlguard.MAX_FAQ_BYTES:
                data = f"\0too large {stat.st_size} {stat.st_mtime_ns}".encode()
            else:
                data = file.read_bytes()
        except OSError:  # deleted or unreadable mid-edit: a change, and the reload says why
            data = b"\0unreadable"
        digest.update(file.name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def load_checked(config: Config) -> tuple[Engine | None, list[Problem]]:
    """A new engine for the configured FAQ when it is valid and its content tests pass;
    otherwise None and every error (warnings are returned with a new engine)."""
    content, problems = read_content(config.faq_path)
    errors = [problem for problem in problems if problem.error]
    if errors or content is None:
        where = str(config.faq_path or PACKAGED_DATA)
        return None, errors or [Problem(where, 0, "no FAQ could be read from it")]
    try:
        engine = build_engine(config, content)
    except ScorerError as exc:
        return None, [Problem(str(PACKAGED_SCORERS), 0, f"the warning-sign scorers: {exc}")]
    failing = test_problems(run_tests(engine))
    if failing:
        return None, failing
    warnings = [problem for problem in problems if not problem.error]
    return engine, [*warnings, *scorer_problems(engine)]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one reload did."""

    ok: bool
    problems: tuple[Problem, ...] = ()
    entries: int = 0
    red_flags: int = 0
    seconds: float = 0.0

    def report(self) -> str:
        """The outcome in words, for the moderator (plain text)."""
        if self.ok:
            lines = [
                f"✅ FAQ reloaded in {self.seconds:.1f} s: {self.entries} topics, "
                f"{self.red_flags} warning signs; every content test passed."
            ]
            if self.problems:
                lines.append(f"{len(self.problems)} warning(s) (the bot works; worth a look):")
        else:
            lines = [
                "❌ The FAQ was NOT reloaded: users still get the previous FAQ. "
                f"{len(self.problems)} problem(s) to fix:"
            ]
        listed = [f"• {problem}" for problem in self.problems[:MAX_LISTED]]
        if len(self.problems) > MAX_LISTED:
            listed.append(f"• … and {len(self.problems) - MAX_LISTED} more: run faqbot check")
        return "\n".join([*lines, *listed])


@dataclass(slots=True)
class Reloader:
    """Reloads the FAQ of one running bot: one reload at a time."""

    config: Config
    served: str = ""  # fingerprint of the files the served FAQ came from
    refused: str = ""  # fingerprint of the files the last refused reload came from
    seen: str = ""  # fingerprint of a change the watch saw in its previous look
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self.served = fingerprint(self.config.faq_path)

    def changed(self) -> bool:
        """Whether the files changed since the served FAQ and the last refused reload, and
        stayed as they are since the watch's previous look: a save caught half-written (an
        editor that empties a file, then writes it) is read once it is whole, not reloaded,
        refused and announced at each step."""
        now = fingerprint(self.config.faq_path)
        if now in (self.served, self.refused):
            self.seen = ""
            return False
        settled, self.seen = now == self.seen, now
        return settled

    async def reload(self, install: Callable[[Engine], None]) -> Outcome:
        """Load, validate and test the FAQ; hand the new engine to ``install`` if all is well."""
        async with self.lock:
            loop = asyncio.get_running_loop()
            started = loop.time()
            seen = fingerprint(self.config.faq_path)
            engine, problems = await asyncio.to_thread(load_checked, self.config)
            seconds = loop.time() - started
            if engine is None:
                self.refused = seen
                log.warning("FAQ reload refused: %d problem(s)", len(problems))
                return Outcome(False, tuple(problems), seconds=seconds)
            install(engine)
            self.served, self.refused = seen, ""
            log.info("FAQ reloaded in %.2f s", seconds)
            return Outcome(
                True,
                tuple(problems),
                entries=len(engine.content.entries),
                red_flags=len(engine.content.red_flags),
                seconds=seconds,
            )
