"""A second reader of warning signs: bag-of-words scorers learnt from labelled messages.

The red flags' phrases (``red_flags.yaml``) find the signs said in words someone has listed.
Measured on writers nobody had read, they found about three crises in four and eleven
reports in twelve: people say these things in more ways than any list holds. A scorer reads a
message as the set of its words and word pairs (stems, negations as "not" and the words they
deny marked, other languages' words in English, the red flags' exceptions left out) and
gives the probability that it tells of one level of warning sign, by a logistic model learnt
from the labelled corpus. ``scripts/build_scorers.py`` learns one
per level (crisis; emergency; any current sign, urgent) and writes them, with the threshold
of each and the figures it was chosen on, to ``faq/data/scorers.json``.

A scorer raises a message to its level (a crisis: the helpline, no FAQ answer; an
emergency: "go now"; a sign: "call your provider today"). One only may calm: the any-sign
scorer, when it is very sure that no sign is told of (under its ``calm`` probability, chosen
so that no held-out report was calmed; under the lower ``calm_now`` when the message places a
sign now: a week of pregnancy, "today", "since yesterday") and the crisis scorer is sure too,
turns the phrases' urgent or emergency alarm into a line above the answer (``sign_note``).
Crises are never calmed: measured, calming lost real crises told in long messages. Pure
Python, no dependency: scoring is a sum over a dict.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from itertools import pairwise
from pathlib import Path
from typing import Any

from faq.model import Content, Level, Lexicon

__all__ = [
    "PACKAGED_SCORERS", "Scorer", "ScorerError", "bag", "content_digest", "load_scorers",
    "negated", "save_scorers", "train",
]

PACKAGED_SCORERS = Path(__file__).parent / "data" / "scorers.json"
FORMAT = 1  # the file format this code reads
NEGATION_SCOPE = 3  # words after a negation that it denies ("not ~want ~to ~hurt")
# Level NONE is the false-alarm scorer: it learns, among the messages the phrases raise, those
# that tell of no sign ("my old Corsa is leaking oil"); see Scorer.sign_under.
LEVELS = {
    level.name.lower(): level
    for level in (Level.NONE, Level.URGENT, Level.EMERGENCY, Level.CRISIS)
}


# The lexicon's words that only the matcher reads: editing them leaves the scorers' reading of
# a message as it was. Every other field (a new one too) counts in content_digest.
MATCHER_ONLY = frozenset({"synonyms", "other_topics", "senses", "sounds_like", "distress_emoji"})


def content_digest(content: Content) -> str:
    """A digest of what the warning-sign reading is built from: the red flags (levels, phrases,
    exceptions) and the lexicon's words it reads (other languages, negations, time words...).

    ``scripts/build_scorers.py`` records it in each scorer's ``about``; ``faqbot check`` warns
    when the content's differs, since the scorers were then learnt on another reading of the
    messages (and the phrases' alarms they were chosen against) and their measured figures no
    longer hold. Answers, alternatives and matcher synonyms do not count.
    """
    flags = [
        [flag.id, int(flag.level), list(flag.phrases), list(flag.exceptions)]
        for flag in content.red_flags
    ]
    lexicon = {
        item.name: _plain(getattr(content.lexicon, item.name))
        for item in fields(Lexicon)
        if item.name not in MATCHER_ONLY
    }
    text = json.dumps([flags, lexicon], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _plain(value: object) -> object:
    """A lexicon value as JSON in one order: sets sorted, tuples as lists."""
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return list(value)
    return value


class ScorerError(ValueError):
    """The scorers' file is missing, unreadable or not in the expected format."""


def bag(tokens: Sequence[str]) -> frozenset[str]:
    """A message's features: its words and each pair of neighbouring words ("want die",
    "not wake")."""
    pairs = (f"{a} {b}" for a, b in pairwise(tokens))
    return frozenset((*tokens, *pairs))


def negated(
    tokens: Sequence[str],
    negation: str = "not",
    scope: int = NEGATION_SCOPE,
    after: Collection[str] = (),
) -> list[str]:
    """A clause's tokens with the ``scope`` words after each ``negation`` marked "~": in "i
    dont want to hurt myself" the hurt is denied ("~hurt ~myself"), a different feature from
    the "hurt myself" of a report. A negation of ``after`` (Hindi "nahi") denies the words
    before it: "khoon nahi aa raha" ("~khoon nahi"). Call it on one clause at a time: a
    denial ends with its clause."""
    marked: list[str] = []
    left = 0
    for token in tokens:
        if token == negation:
            marked.append(token)
            left = scope
        elif left:
            marked.append("~" + token)
            left -= 1
        else:
            if token in after:
                start = max(0, len(marked) - scope)
                marked[start:] = [w if w.startswith("~") else "~" + w for w in marked[start:]]
            marked.append(token)
    return marked


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True, slots=True)
class Scorer:
    """A logistic model over :func:`bag` features that finds messages of one ``level``."""

    level: Level
    weights: Mapping[str, float]
    bias: float
    threshold: float  # a probability at or above it raises a message to ``level``
    about: Mapping[str, Any] = field(default_factory=dict)  # how it was built and measured
    # Under the threshold, a probability at or above ``note`` adds a gentle word to the reply
    # (the crisis scorer's "if you are feeling low…"); None: no such band.
    note: float | None = None
    # A probability under ``calm`` says, with confidence, that no sign is told of: the
    # any-sign scorer then calms the red flags' phrases, unless the message places a sign now
    # (``UrgencyDetector.told_as_now``: then ``calm_now`` applies); None: it never calms.
    calm: float | None = None
    # The same for a message that places a sign now ("today", "23w"): a lower bar, chosen
    # apart (reports placed now are the most of them); None: such a message is never calmed.
    calm_now: float | None = None
    # The false-alarm scorer only (level NONE): it calms the phrases' urgent or emergency alarm
    # when its probability is at or above ``threshold`` and the any-sign scorer's is under
    # ``sign_under``.
    sign_under: float | None = None

    def probability(self, features: Iterable[str]) -> float:
        """The probability that a message with ``features`` tells of this level's signs."""
        weights = self.weights
        return _sigmoid(self.bias + sum(weights.get(feature, 0.0) for feature in features))

    def fires(self, features: Iterable[str]) -> bool:
        return self.probability(features) >= self.threshold

    def reasons(self, features: Iterable[str], count: int = 5) -> list[tuple[str, float]]:
        """The features that pushed most towards this level, strongest first: why a message
        was raised, for whoever reviews the scorers' cases (no command shows it yet)."""
        found = [(f, self.weights[f]) for f in set(features) if self.weights.get(f, 0.0) > 0]
        return sorted(found, key=lambda item: (-item[1], item[0]))[:count]

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level.name.lower(),
            "about": dict(self.about),
            "threshold": self.threshold,
            **({"note": self.note} if self.note is not None else {}),
            **({"calm": self.calm} if self.calm is not None else {}),
            **({"calm_now": self.calm_now} if self.calm_now is not None else {}),
            **({"sign_under": self.sign_under} if self.sign_under is not None else {}),
            "bias": round(self.bias, 4),
            "weights": {f: round(w, 4) for f, w in sorted(self.weights.items())},
        }


def load_scorers(path: str | Path = PACKAGED_SCORERS) -> tuple[Scorer, ...]:
    """Read the scorers written by :func:`save_scorers`, the highest level first.

    Raises:
        ScorerError: the file is missing, not JSON, or not scorers of this format.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ScorerError(f"{path}: cannot read the scorers ({error.strerror})") from None
    except ValueError as error:
        raise ScorerError(f"{path}: the scorers are not valid JSON ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ScorerError(f"{path}: not scorers of format {FORMAT}")
    items = data.get("scorers")
    if not isinstance(items, list):
        raise ScorerError(f"{path}: 'scorers' must be a list")
    scorers = [_scorer(path, i, item) for i, item in enumerate(items)]
    if len({scorer.level for scorer in scorers}) < len(scorers):
        raise ScorerError(f"{path}: two scorers of one level")
    return tuple(sorted(scorers, key=lambda scorer: -scorer.level))


def _scorer(path: str | Path, index: int, item: object) -> Scorer:
    where = f"{path}: scorer {index + 1}"
    if not isinstance(item, dict) or item.get("level") not in LEVELS:
        raise ScorerError(f"{where}: 'level' must be one of {', '.join(LEVELS)}")
    weights, bias, threshold = item.get("weights"), item.get("bias"), item.get("threshold")
    if (
        not isinstance(weights, dict)
        or not all(isinstance(w, int | float) for w in weights.values())
        or not isinstance(bias, int | float)
        or not isinstance(threshold, int | float)
        or not 0.0 < threshold < 1.0
    ):
        raise ScorerError(
            f"{where}: needs 'weights' (feature: number), 'bias' and a 'threshold' between 0 "
            "and 1"
        )
    note = item.get("note")
    if note is not None and (not isinstance(note, int | float) or not 0.0 < note < threshold):
        raise ScorerError(f"{where}: 'note' must be a probability under the threshold")
    calm = item.get("calm")
    if calm is not None and (not isinstance(calm, int | float) or not 0.0 < calm < threshold):
        raise ScorerError(f"{where}: 'calm' must be a probability under the threshold")
    calm_now = item.get("calm_now")
    if calm_now is not None and (
        not isinstance(calm_now, int | float) or calm is None or not 0.0 < calm_now <= calm
    ):
        raise ScorerError(f"{where}: 'calm_now' must be a probability, at most 'calm'")
    sign_under = item.get("sign_under")
    if item["level"] == "none" and (
        not isinstance(sign_under, int | float) or not 0.0 < sign_under <= 1.0
    ):
        raise ScorerError(f"{where}: the false-alarm scorer needs a 'sign_under' probability")
    if sign_under is not None and item["level"] != "none":
        raise ScorerError(f"{where}: only the false-alarm scorer (level none) has 'sign_under'")
    about = item.get("about")
    about = about if isinstance(about, dict) else {}
    return Scorer(
        LEVELS[item["level"]],
        weights,
        float(bias),
        float(threshold),
        about,
        None if note is None else float(note),
        None if calm is None else float(calm),
        None if calm_now is None else float(calm_now),
        None if sign_under is None else float(sign_under),
    )


def save_scorers(scorers: Sequence[Scorer], path: str | Path) -> None:
    """Write the scorers as JSON, one feature per line, sorted (readable diffs)."""
    data = {"format": FORMAT, "scorers": [scorer.to_json() for scorer in scorers]}
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def train(
    samples: Sequence[tuple[frozenset[str], bool]],
    *,
    level: Level = Level.CRISIS,
    writers: Sequence[str] = (),
    min_writers: int = 1,
    l2: float = 6e-3,
    epochs: int = 15,
    rate: float = 0.3,
    min_count: int = 2,
    keep: float = 0.03,
    threshold: float = 0.5,
    seed: int = 1,
    seeds: int = 1,
) -> Scorer:
    """Learn a :class:`Scorer` of ``level`` from ``(features, is_of_that_level)`` samples.

    Logistic regression by AdaGrad with L2 regularisation; both classes weigh the same in all
    (the signs are few); a feature seen in fewer than ``min_count`` messages, or used by fewer
    than ``min_writers`` of the ``writers`` (one per sample), is not learnt: one writer's
    habits ("innit", a name for the baby) must not stand for a sign. With ``seeds`` above 1
    the model is the average of that many runs over the messages in different orders (from
    ``seed`` on): still one weight per feature, and steadier than any one run. Weights
    smaller than ``keep`` are dropped from the result. Deterministic for one ``seed``.
    """
    positives = sum(1 for _, label in samples if label)
    negatives = len(samples) - positives
    if not positives or not negatives:
        raise ValueError("training needs messages of both kinds (of the level and not)")
    counts = Counter(feature for features, _ in samples for feature in features)
    known = {feature for feature, n in counts.items() if n >= min_count}
    if writers and min_writers > 1:
        users: defaultdict[str, set[str]] = defaultdict(set)
        for (features, _), writer in zip(samples, writers, strict=True):
            for feature in features & known:
                users[feature].add(writer)
        known = {feature for feature, who in users.items() if len(who) >= min_writers}
    rows = [
        ([f for f in features if f in known], 1.0 if label else 0.0) for features, label in samples
    ]
    weight_of = {1.0: len(samples) / (2 * positives), 0.0: len(samples) / (2 * negatives)}
    weights: defaultdict[str, float] = defaultdict(float)
    bias = 0.0
    for run in range(seeds):
        run_weights, run_bias = _fit(rows, weight_of, l2, epochs, rate, seed + run)
        for feature, weight in run_weights.items():
            weights[feature] += weight / seeds
        bias += run_bias / seeds
    kept = {f: w for f, w in weights.items() if abs(w) >= keep}
    return Scorer(level, kept, bias, threshold)


def _fit(
    rows: list[tuple[list[str], float]],
    weight_of: dict[float, float],
    l2: float,
    epochs: int,
    rate: float,
    seed: int,
) -> tuple[dict[str, float], float]:
    """One run of AdaGrad over ``rows`` (features, label) in the order ``seed`` shuffles."""
    weights: defaultdict[str, float] = defaultdict(float)
    squares: defaultdict[str, float] = defaultdict(lambda: 1e-8)
    bias, bias_square = 0.0, 1e-8
    order = list(range(len(rows)))
    shuffle = random.Random(seed).shuffle
    for _ in range(epochs):
        shuffle(order)
        for i in order:
            known_features, label = rows[i]
            p = _sigmoid(bias + sum(weights[f] for f in known_features))
            gradient = (p - label) * weight_of[label]
            bias_square += gradient * gradient
            bias -= rate * gradient / math.sqrt(bias_square)
            for f in known_features:
                g = gradient + l2 * weights[f]
                squares[f] += g * g
                weights[f] -= rate * g / math.sqrt(squares[f])
    return weights, bias
