"""Benchmark the FAQ matcher: load time, per-question latency, memory, and a naive baseline.

Usage:
    python benchmarks/bench_match.py            # every scenario, a table on stdout
    python benchmarks/bench_match.py --json     # the same as JSON
    python benchmarks/bench_match.py --quick    # fewer questions and no 10 000-entry FAQ

Scenarios: the shipped FAQ, and synthetic FAQs of 1 000 and 10 000 entries (written as YAML
and loaded through the same loader). Each scenario runs in a fresh Python process so its peak
resident memory (ru_maxrss) is its own. The baseline is what DESIGN.md calls naive:
``rapidfuzz.process.extractOne(question, canonical_questions)`` with the default scorer (WRatio)
and rapidfuzz's default_process (lowercase, no punctuation) so it is not handicapped; on the
shipped FAQ its accuracy on the labelled development set is measured beside ours. A last
scenario measures the resident memory of the bot process itself (python-telegram-bot imported,
the Application built; no network).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT / "tests" / "data" / "dev_set.yaml"
TARGET_P99_MS = {"shipped": 1.0, "synthetic-1000": 5.0, "synthetic-10000": 5.0}
FOLD = None  # set in the child process: rapidfuzz.utils.default_process
SYLLABLES = tuple("ka lo mi nu pe ra si to vu xe za bo ce di fa gu he ji ko lu".split())


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def _typo(text: str, rng: random.Random) -> str:
    """Drop or double one letter of one long word, as people mistype."""
    parts = text.split()
    long_words = [i for i, w in enumerate(parts) if len(w) > 5]
    if not long_words:
        return text
    i = rng.choice(long_words)
    w = parts[i]
    j = rng.randrange(1, len(w) - 1)
    parts[i] = w[:j] + w[j + 1 :] if rng.random() < 0.5 else w[:j] + w[j] + w[j:]
    return " ".join(parts)


def write_synthetic_faq(folder: Path, size: int, seed: int = 7) -> list[str]:
    """Write a synthetic FAQ of ``size`` entries into ``folder``; return sample questions."""
    import yaml

    rng = random.Random(seed)
    vocabulary = sorted({_word(rng) for _ in range(max(2000, size * 3))})
    entries = []
    questions: list[str] = []
    for index in range(size):
        topic = rng.sample(vocabulary, 3)
        phrasings = [
            " ".join([rng.choice(["what is", "how does", "why", "can i"]), *topic])
            for _ in range(7)
        ]
        entries.append(
            {
                "id": f"topic-{index}",
                "question": phrasings[0].capitalize() + "?",
                "alternatives": [
                    f"{p} {rng.choice(vocabulary)}" for p in phrasings[1:]
                ],
                "keywords": topic,
                "answer": " ".join(rng.choice(vocabulary) for _ in range(40)) + ".",
            }
        )
        if rng.random() < 0.2:
            questions.append(_typo(f"{rng.choice(['hey', 'so'])} {phrasings[1]} ?", rng))
    data = {
        "source": {"title": "Synthetic", "author": "benchmark", "date": "2026-01-01"},
        "entries": entries,
    }
    (folder / "faq.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return questions


def _dev_questions() -> list[tuple[str, str | None]]:
    import yaml

    cases = yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))
    return [(c["text"], c.get("expected")) for c in cases]


def _latencies(function: Any, questions: list[str], repeat: int) -> list[float]:
    for question in questions[:50]:  # warm caches (typo corrections, lazy imports)
        function(question)
    times: list[float] = []
    for _ in range(repeat):
        for question in questions:
            start = time.perf_counter()
            function(question)
            times.append((time.perf_counter() - start) * 1000)
    return times


def _percentiles(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        "p50_ms": round(statistics.median(times), 4),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 4),
        "mean_ms": round(statistics.fmean(times), 4),
    }


def run_scenario(name: str, quick: bool) -> dict[str, Any]:
    """Run one scenario in this process and return its figures."""
    global FOLD
    from rapidfuzz import process, utils

    FOLD = utils.default_process

    from faq import Engine

    repeat = 2 if quick else 10
    with tempfile.TemporaryDirectory() as tmp:
        if name == "shipped":
            path = None
            labelled = _dev_questions()
            questions = [text for text, _ in labelled]
        else:
            size = int(name.split("-")[1])
            questions = write_synthetic_faq(Path(tmp), size)
            questions += [text for text, _ in _dev_questions()][:100]
            path = Path(tmp)
            labelled = []
        start = time.perf_counter()
        engine = Engine.load(path)
        load_s = time.perf_counter() - start

    ours = _percentiles(_latencies(engine.answer, questions, repeat))
    matching = _percentiles(_latencies(engine.matcher.match, questions, repeat))
    canonical = [entry.question for entry in engine.topics]
    baseline = _percentiles(
        _latencies(lambda q: process.extractOne(q, canonical, processor=FOLD), questions, repeat)
    )
    result: dict[str, Any] = {
        "scenario": name,
        "entries": len(engine.topics),
        "questions": len(questions),
        "load_s": round(load_s, 3),
        "answer": ours,
        "match": matching,
        "baseline_extractOne": baseline,
        "peak_rss_mb": round(_rss_mb(), 1),
        "target_p99_ms": TARGET_P99_MS.get(name),
    }
    if labelled:
        result["dev_set_accuracy"] = _accuracy(engine, canonical, labelled)
    return result


def _accuracy(engine: Any, canonical: list[str], labelled: list[tuple[str, str | None]]) -> Any:
    """Share of dev-set messages that get the right answer (an entry, or no answer)."""
    from rapidfuzz import process

    ids = [entry.id for entry in engine.topics]
    ours = sum(
        (engine.answer(text).match.id if engine.answer(text).match else None) == expected
        for text, expected in labelled
    )
    # The naive baseline always answers (no threshold), or answers above WRatio 80.
    always = sum(
        ids[process.extractOne(t, canonical, processor=FOLD)[2]] == e for t, e in labelled
    )
    with_cutoff = 0
    for text, expected in labelled:
        found = process.extractOne(text, canonical, processor=FOLD, score_cutoff=80)
        with_cutoff += (ids[found[2]] if found else None) == expected
    n = len(labelled)
    return {
        "ours": round(ours / n, 3),
        "baseline_always_answers": round(always / n, 3),
        "baseline_cutoff_80": round(with_cutoff / n, 3),
    }


def run_bot_memory() -> dict[str, Any]:
    """Resident memory of the bot process: Telegram imported, Application built, no network."""
    from bot.app import build_application
    from bot.config import Config
    from faq import Engine

    engine = Engine.load()
    build_application(Config(token="123456:BENCHMARK"), engine)
    for _ in range(1000):
        engine.answer("r u awake when they do the stitch")
    return {"scenario": "bot-process", "peak_rss_mb": round(_rss_mb(), 1), "target_mb": 100}


def _child(name: str, quick: bool) -> dict[str, Any]:
    args = [sys.executable, __file__, "--scenario", name] + (["--quick"] if quick else [])
    done = subprocess.run(args, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout)


def _table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| scenario | entries | load (s) | matching p50 / p99 (ms) | target p99 | "
        "whole reply p50 / p99 (ms) | baseline p50 / p99 (ms) | peak RSS (MB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r["scenario"] == "bot-process":
            lines.append(
                f"| bot process (PTB + Application) | 14 | | | | | | {r['peak_rss_mb']} "
                f"(target < {r['target_mb']}) |"
            )
            continue
        a, m, b = r["answer"], r["match"], r["baseline_extractOne"]
        lines.append(
            f"| {r['scenario']} | {r['entries']} | {r['load_s']} | {m['p50_ms']} / "
            f"{m['p99_ms']} | < {r['target_p99_ms']} | {a['p50_ms']} / {a['p99_ms']} | "
            f"{b['p50_ms']} / {b['p99_ms']} | {r['peak_rss_mb']} |"
        )
    for r in results:
        if "dev_set_accuracy" in r:
            acc = r["dev_set_accuracy"]
            lines.append("")
            lines.append(
                f"Dev set ({r['questions']} messages), right answer or rightly none: ours "
                f"{acc['ours']:.1%}; naive extractOne always answering "
                f"{acc['baseline_always_answers']:.1%}; naive with score_cutoff=80 "
                f"{acc['baseline_cutoff_80']:.1%}."
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the FAQ matcher.")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--quick", action="store_true", help="fewer runs, no 10 000 entries")
    parser.add_argument("--scenario", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scenario == "bot-process":
        print(json.dumps(run_bot_memory()))
        return 0
    if args.scenario:
        print(json.dumps(run_scenario(args.scenario, args.quick)))
        return 0
    names = ["shipped", "synthetic-1000"] + ([] if args.quick else ["synthetic-10000"])
    results = []
    for name in [*names, "bot-process"]:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results.append(_child(name, args.quick))
    print(json.dumps(results, indent=2) if args.json else _table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
