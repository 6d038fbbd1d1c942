"""The statistics store: what was asked and answered, what users found helpful, what the FAQ
could not answer. SQLite (standard library), WAL mode, schema created and migrated here.

Privacy: no row holds a user id or a name. A vote holds a salted hash of (user, message) so
that a second press changes the vote instead of adding one; the salt is random per database,
and the hash goes when its row is purged. Unanswered questions are stored with phone numbers,
e-mail addresses, @handles, links and long digit runs masked, and storing them can be
switched off. Rows older than the retention period are purged.

Robustness: a corrupt, locked, read-only or newer-schema database is logged and the store
turns itself off; answering goes on. No method raises to its caller.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
#: Unanswered questions this similar (token set ratio, 0-100) are one gap.
GAP_SIMILARITY = 80
#: The longest unanswered question kept (characters).
MAX_QUESTION_CHARS = 500
DAY = 86_400

_MASKS = (
    (re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE), "[link]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[email]"),
    (re.compile(r"(?<!\w)@\w{3,}"), "[handle]"),
    (re.compile(r"\+?\d[\d\s().-]{6,}\d"), "[number]"),
    (re.compile(r"\d{5,}"), "[number]"),
)

_SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,          -- answer | no_answer | notice
    entry_id TEXT,               -- the answered entry, if any
    level TEXT NOT NULL          -- none | urgent | emergency | crisis
);
CREATE INDEX IF NOT EXISTS events_at ON events (at);
CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS unanswered_at ON unanswered (at);
"""
# Version 2 added votes (helpful / not helpful under answers).
_SCHEMA_V2 = """
CREATE TABLE IF NOT EXISTS votes (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    entry_id TEXT NOT NULL,
    answer_hash TEXT NOT NULL,   -- the answer's text as it was: a rewritten answer starts fresh
    voter TEXT NOT NULL UNIQUE,  -- salted hash of (user, message): one vote, changeable
    helpful INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS votes_at ON votes (at);
"""
_MIGRATIONS = {1: _SCHEMA_V1, 2: _SCHEMA_V2}


def mask(text: str) -> str:
    """``text`` with personal details masked: links, e-mails, @handles, phone and long numbers."""
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())[:MAX_QUESTION_CHARS]


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float | str) else 0


def answer_hash(text: str) -> str:
    """A short digest of an answer's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Gap:
    """A group of similar unanswered questions."""

    example: str
    count: int
    others: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Feedback:
    """Votes on one entry's current answer (and on its earlier wordings)."""

    entry_id: str
    helpful: int
    not_helpful: int
    earlier: int = 0  # votes on answers since rewritten


class StatsStore:
    """One SQLite database of statistics; safe to call from several threads."""

    def __init__(
        self,
        path: str | Path,
        *,
        store_unanswered: bool = True,
        retention_days: int = 90,
    ) -> None:
        self.path = Path(path)
        self.store_unanswered = store_unanswered
        self.retention_days = retention_days
        self.enabled = True
        self.problem = ""
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._salt = ""
        self._open()

    # --- set-up -----------------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=2.0, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._db = db
            self._migrate(db)
        except (sqlite3.Error, OSError) as exc:
            self._disable(f"cannot open the statistics database {self.path}: {exc}")

    def _migrate(self, db: sqlite3.Connection) -> None:
        db.executescript("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);")
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"it has schema version {version}, newer than this bot's {SCHEMA_VERSION}"
            )
        with db:
            for number in range(version + 1, SCHEMA_VERSION + 1):
                db.executescript(_MIGRATIONS[number])
                db.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                    (str(number),),
                )
                if version:
                    log.info("statistics database migrated to schema version %d", number)
            salt = db.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
            if salt is None:
                salt = (secrets.token_hex(16),)
                db.execute("INSERT INTO meta (key, value) VALUES ('salt', ?)", salt)
        self._salt = salt[0]

    def _disable(self, problem: str) -> None:
        if self.enabled:
            log.warning("statistics off: %s; answering goes on", problem)
        self.enabled = False
        self.problem = problem

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection | None]:
        """A transaction on the database (None when the store is off); errors are logged (and
        turn the store off when the database is damaged), never raised."""
        if not self.enabled or self._db is None:
            yield None
            return
        try:
            with self._lock, self._db:
                yield self._db
        except sqlite3.OperationalError as exc:  # locked, read-only, disk full: try later
            log.warning("statistics not written: %s", exc)
        except sqlite3.Error as exc:  # corrupt: stop trying
            self._disable(f"the statistics database is damaged: {exc}")

    def close(self) -> None:
        """Close the database (at shutdown)."""
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error as exc:
                log.warning("closing the statistics database: %s", exc)
            self._db = None

    # --- writing ----------------------------------------------------------------------------

    def record(
        self, *, entry_id: str | None, level: str, question: str, kind: str = ""
    ) -> None:
        """One reply: the answered entry (None: no answer) and the message's level."""
        kind = kind or ("answer" if entry_id else "no_answer")
        now = int(time.time())
        with self._write() as db:
            if db is None:
                return
            db.execute(
                "INSERT INTO events (at, kind, entry_id, level) VALUES (?, ?, ?, ?)",
                (now, kind, entry_id, level),
            )
            if kind == "no_answer" and level == "none" and self.store_unanswered:
                text = mask(question)
                if text:
                    db.execute("INSERT INTO unanswered (at, text) VALUES (?, ?)", (now, text))

    def vote(
        self, *, entry_id: str, answer: str, user_id: int, message_key: str, helpful: bool
    ) -> str:
        """A 👍 or 👎 under an answer message: "added", "changed" or "same" (or "off")."""
        if not self.enabled:
            return "off"
        voter = hashlib.sha256(f"{self._salt}:{user_id}:{message_key}".encode()).hexdigest()
        result = "off"
        with self._write() as db:
            if db is None:
                return "off"
            row = db.execute("SELECT helpful FROM votes WHERE voter = ?", (voter,)).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO votes (at, entry_id, answer_hash, voter, helpful) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (int(time.time()), entry_id, answer_hash(answer), voter, int(helpful)),
                )
                result = "added"
            elif bool(row[0]) == helpful:
                result = "same"
            else:
                db.execute("UPDATE votes SET helpful = ? WHERE voter = ?", (int(helpful), voter))
                result = "changed"
        return result

    def purge(self, now: float | None = None) -> int:
        """Delete rows older than the retention period; returns how many."""
        cutoff = int((now if now is not None else time.time()) - self.retention_days * DAY)
        removed = 0
        with self._write() as db:
            if db is None:
                return 0
            for table in ("events", "unanswered", "votes"):
                removed += db.execute(f"DELETE FROM {table} WHERE at < ?", (cutoff,)).rowcount
        return removed

    # --- reading ----------------------------------------------------------------------------

    def _read(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        if not self.enabled or self._db is None:
            return []
        try:
            with self._lock:
                return list(self._db.execute(sql, args).fetchall())
        except sqlite3.Error as exc:
            log.warning("statistics not read: %s", exc)
            return []

    def summary(self, days: int = 30) -> dict[str, object]:
        """Answers per topic, no-answer, and urgent, emergency and crisis counts."""
        since = int(time.time() - days * DAY)
        topics = {
            str(entry): _int(count)
            for entry, count in self._read(
                "SELECT entry_id, COUNT(*) FROM events WHERE at >= ? AND kind = 'answer' "
                "GROUP BY entry_id ORDER BY COUNT(*) DESC, entry_id",
                (since,),
            )
        }
        counts: dict[str, int] = {
            str(level): _int(count)
            for level, count in self._read(
                "SELECT level, COUNT(*) FROM events WHERE at >= ? GROUP BY level", (since,)
            )
        }
        no_answer = self._read(
            "SELECT COUNT(*) FROM events WHERE at >= ? AND kind = 'no_answer'", (since,)
        )
        total = self._read("SELECT COUNT(*) FROM events WHERE at >= ?", (since,))
        return {
            "days": days,
            "messages": _int(total[0][0]) if total else 0,
            "answers": topics,
            "no_answer": _int(no_answer[0][0]) if no_answer else 0,
            "urgent": _int(counts.get("urgent", 0)),
            "emergency": _int(counts.get("emergency", 0)),
            "crisis": _int(counts.get("crisis", 0)),
        }

    def gaps(self, days: int = 30, limit: int = 10) -> list[Gap]:
        """The most frequent unanswered questions, similar ones grouped."""
        since = int(time.time() - days * DAY)
        texts = [str(row[0]) for row in self._read(
            "SELECT text FROM unanswered WHERE at >= ? ORDER BY at", (since,)
        )]
        groups: list[list[str]] = []
        for text in texts:
            for group in groups:
                if fuzz.token_set_ratio(text.lower(), group[0].lower()) >= GAP_SIMILARITY:
                    group.append(text)
                    break
            else:
                groups.append([text])
        groups.sort(key=lambda group: (-len(group), group[0]))
        return [
            Gap(group[0], len(group), tuple(dict.fromkeys(group[1:]))[:3])
            for group in groups[:limit]
        ]

    def feedback(self, current: dict[str, str], days: int = 90) -> list[Feedback]:
        """Votes per entry; ``current`` maps entry ids to their answer text now."""
        since = int(time.time() - days * DAY)
        rows = self._read(
            "SELECT entry_id, answer_hash, helpful, COUNT(*) FROM votes WHERE at >= ? "
            "GROUP BY entry_id, answer_hash, helpful",
            (since,),
        )
        tally: dict[str, list[int]] = {}
        for entry_id, digest, helpful, count in rows:
            key = str(entry_id)
            votes = tally.setdefault(key, [0, 0, 0])
            if key in current and digest == answer_hash(current[key]):
                votes[0 if helpful else 1] += _int(count)
            else:
                votes[2] += _int(count)
        return [
            Feedback(entry_id, *votes)
            for entry_id, votes in sorted(tally.items(), key=lambda item: -sum(item[1][:2]))
        ]


# --- reports, as the moderators read them (CLI and Telegram alike) ------------------------------


def stats_text(summary: dict[str, object]) -> str:
    """The summary as lines of plain text."""
    answers = summary["answers"]
    assert isinstance(answers, dict)
    lines = [
        f"Last {summary['days']} days: {summary['messages']} messages.",
        f"Answered: {sum(answers.values())}; no answer: {summary['no_answer']}.",
        f"Warning signs: {summary['urgent']} urgent, {summary['emergency']} emergency, "
        f"{summary['crisis']} crisis.",
    ]
    if answers:
        lines.append("Answers per topic:")
        lines.extend(f"  {count:>5}  {entry}" for entry, count in answers.items())
    return "\n".join(lines)


def gaps_text(gaps: list[Gap], days: int) -> str:
    """The gaps as lines of plain text."""
    if not gaps:
        return f"No unanswered questions stored in the last {days} days."
    lines = [f"Most frequent unanswered questions, last {days} days:"]
    for gap in gaps:
        lines.append(f"  {gap.count:>5}  {gap.example}")
        lines.extend(f"         ~ {other}" for other in gap.others)
    return "\n".join(lines)


def feedback_text(votes: list[Feedback], days: int) -> str:
    """The votes as lines of plain text."""
    if not votes:
        return f"No votes in the last {days} days."
    lines = [f"Votes under answers, last {days} days (👍 helpful / 👎 not helpful):"]
    for vote in votes:
        earlier = f"  (+{vote.earlier} on earlier wordings)" if vote.earlier else ""
        lines.append(f"  👍 {vote.helpful:>4}  👎 {vote.not_helpful:>4}  {vote.entry_id}{earlier}")
    return "\n".join(lines)
