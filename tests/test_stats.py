"""The statistics store (bot/stats.py) and ``faqbot stats|gaps|feedback``."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest

from bot.stats import SCHEMA_VERSION, StatsStore, answer_hash, mask
from tests.helpers import run_faqbot, write


@pytest.fixture
def store(tmp_path: Path) -> StatsStore:
    return StatsStore(tmp_path / "stats.sqlite3")


def test_personal_details_are_masked() -> None:
    text = (
        "call me on +44 7700 900123 or mail jo.doe@example.org, I'm @jodoe, see "
        "https://example.org/x?id=1 — NHS 1234567890. is the stitch removed at 37 weeks?"
    )
    assert mask(text) == (
        "call me on [number] or mail [email], I'm [handle], see [link] — NHS [number]. "
        "is the stitch removed at 37 weeks?"
    )


def test_no_row_holds_a_user_id(store: StatsStore, tmp_path: Path) -> None:
    store.record(entry_id="cerclage", level="none", question="what is a cerclage")
    store.vote(entry_id="cerclage", answer="A stitch.", user_id=424242001, message_key="1:2",
               helpful=True)
    store.close()
    dump = "\n".join(sqlite3.connect(tmp_path / "stats.sqlite3").iterdump())
    assert "424242001" not in dump and "what is a cerclage" not in dump


def test_summary_counts_answers_no_answers_and_levels(store: StatsStore) -> None:
    store.record(entry_id="cerclage", level="none", question="q")
    store.record(entry_id="cerclage", level="urgent", question="q")
    store.record(entry_id="how-common", level="none", question="q")
    store.record(entry_id=None, level="none", question="can i fly with a stitch")
    store.record(entry_id=None, level="emergency", question="my water broke")
    store.record(entry_id=None, level="crisis", question="...")

    summary = store.summary(days=30)

    assert summary == {
        "days": 30,
        "messages": 6,
        "answers": {"cerclage": 2, "how-common": 1},
        "no_answer": 3,
        "urgent": 1,
        "emergency": 1,
        "crisis": 1,
    }


def test_only_plain_unanswered_questions_are_kept_and_it_can_be_switched_off(
    tmp_path: Path,
) -> None:
    keep = StatsStore(tmp_path / "a.sqlite3")
    count_only = StatsStore(tmp_path / "b.sqlite3", store_unanswered=False)
    for store in (keep, count_only):
        store.record(entry_id=None, level="none", question="can i fly with a stitch")
        store.record(entry_id=None, level="emergency", question="my water broke at 20 weeks")

    assert [g.example for g in keep.gaps()] == ["can i fly with a stitch"]
    assert count_only.gaps() == [] and count_only.summary()["no_answer"] == 2


def test_gaps_group_near_duplicates_with_counts(store: StatsStore) -> None:
    for text in (
        "can i fly with a cerclage",
        "Can I fly with a cerclage?",
        "can i fly with my cerclage",
        "when do they take the stitch out",
        "how much does a cerclage cost",
        "when do they take the stitch out?",
    ):
        store.record(entry_id=None, level="none", question=text)

    gaps = store.gaps(limit=2)

    assert [(g.example, g.count) for g in gaps] == [
        ("can i fly with a cerclage", 3),
        ("when do they take the stitch out", 2),
    ]


def test_one_vote_per_user_and_message_a_second_press_changes_it(store: StatsStore) -> None:
    vote = {"entry_id": "cerclage", "answer": "A stitch.", "message_key": "10:5"}
    assert store.vote(user_id=1, helpful=True, **vote) == "added"
    assert store.vote(user_id=1, helpful=True, **vote) == "same"
    assert store.vote(user_id=1, helpful=False, **vote) == "changed"
    assert store.vote(user_id=2, helpful=True, **vote) == "added"
    assert store.vote(user_id=1, helpful=True, entry_id="cerclage", answer="A stitch.",
                      message_key="10:6") == "added"  # another answer message

    [votes] = store.feedback({"cerclage": "A stitch."})

    assert (votes.entry_id, votes.helpful, votes.not_helpful, votes.earlier) == (
        "cerclage", 2, 1, 0
    )


def test_a_rewritten_answer_starts_fresh(store: StatsStore) -> None:
    store.vote(entry_id="cerclage", answer="Old text.", user_id=1, message_key="1:1",
               helpful=False)
    store.vote(entry_id="cerclage", answer="New text.", user_id=1, message_key="1:2",
               helpful=True)

    [votes] = store.feedback({"cerclage": "New text."})

    assert (votes.helpful, votes.not_helpful, votes.earlier) == (1, 0, 1)
    assert answer_hash("New text.") != answer_hash("Old text.")


def test_purge_deletes_rows_older_than_the_retention(tmp_path: Path) -> None:
    store = StatsStore(tmp_path / "s.sqlite3", retention_days=90)
    store.record(entry_id=None, level="none", question="old question")
    store.vote(entry_id="cerclage", answer="A.", user_id=1, message_key="1:1", helpful=True)

    assert store.purge(now=time.time() + 89 * 86_400) == 0
    assert store.purge(now=time.time() + 91 * 86_400) == 3
    assert store.summary(days=365)["messages"] == 0


def test_an_older_schema_is_migrated_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '1');
        CREATE TABLE events (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL,
                             entry_id TEXT, level TEXT NOT NULL);
        CREATE TABLE unanswered (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, text TEXT);
        """
    )
    db.execute("INSERT INTO events (at, kind, entry_id, level) VALUES (?, 'answer', 'x', 'none')",
               (int(time.time()),))
    db.commit()
    db.close()

    store = StatsStore(path)

    assert store.enabled and store.summary()["answers"] == {"x": 1}
    assert store.vote(entry_id="x", answer="A", user_id=1, message_key="k", helpful=True) == (
        "added"
    )
    version = sqlite3.connect(path).execute(
        "SELECT value FROM meta WHERE key = 'schema_version'"
    ).fetchone()
    assert version == (str(SCHEMA_VERSION),)


@pytest.mark.parametrize("damage", ["corrupt", "newer", "read-only"])
def test_a_broken_database_is_logged_and_nothing_raises(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "s.sqlite3"
    if damage == "corrupt":
        path.write_bytes(b"this is not a database" * 100)
    else:
        StatsStore(path).close()
        if damage == "newer":
            db = sqlite3.connect(path)
            db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
            db.commit()
            db.close()
        else:
            os.chmod(path, 0o444)
            os.chmod(tmp_path, 0o555)
    try:
        store = StatsStore(path)
        store.record(entry_id=None, level="none", question="anything")
        store.vote(entry_id="x", answer="A", user_id=1, message_key="k", helpful=True)
        assert store.gaps() == [] or damage == "read-only"
        store.purge()
        store.close()
    finally:
        os.chmod(tmp_path, 0o755)
        if path.exists():
            os.chmod(path, 0o644)
    if os.geteuid() != 0 or damage != "read-only":  # root writes through read-only modes
        assert "statistics" in caplog.text


def test_cli_reports_stats_gaps_and_feedback(tmp_path: Path) -> None:
    config = write(tmp_path, "config.yaml", "stats:\n  path: s.sqlite3\n")
    store = StatsStore(tmp_path / "s.sqlite3")
    store.record(entry_id="cerclage", level="none", question="q")
    store.record(entry_id=None, level="none", question="can i fly with a cerclage")
    store.record(entry_id=None, level="urgent", question="spotting at 16 weeks")
    store.close()

    code, out, _ = run_faqbot("stats", "--config", str(config))
    assert code == 0 and out.splitlines()[:3] == [
        "Last 30 days: 3 messages.",
        "Answered: 1; no answer: 2.",
        "Warning signs: 1 urgent, 0 emergency, 0 crisis.",
    ]
    code, out, _ = run_faqbot("gaps", "--config", str(config), "--json")
    assert (code, json.loads(out)) == (
        0, [{"example": "can i fly with a cerclage", "count": 1, "similar": []}]
    )
    code, out, _ = run_faqbot("feedback", "--config", str(config))
    assert (code, out) == (0, "No votes in the last 90 days.\n")


def test_cli_without_a_database_says_so(tmp_path: Path) -> None:
    config = write(tmp_path, "config.yaml", "stats:\n  path: none-yet.sqlite3\n")

    code, out, err = run_faqbot("stats", "--config", str(config))

    assert (code, out) == (0, "")
    where = tmp_path / "none-yet.sqlite3"
    assert err == f"faqbot: no statistics yet at {where} (the bot writes them while it runs)\n"
