"""Limits on the YAML a moderator or an operator writes: the FAQ files and the bot's config.

A YAML file can be small and still hostile: aliases that refer to aliases ("billion laughs")
stand for billions of items, and lists or mappings nested thousands of levels deep overflow
PyYAML's recursive constructor. So a file is refused, in plain words and with its line where
there is one, when

* it is larger than :attr:`Limits.max_bytes` (checked with ``stat`` before it is read, and the
  read stops there anyway);
* its lists and mappings are nested more than :data:`MAX_DEPTH` levels deep;
* it stands for more than :data:`MAX_ITEMS` items once its aliases are expanded;
* an alias refers to a list or mapping it is inside of (a loop).

The last three are found on the composed node graph, before any Python object is built: one
iterative walk, each node once (a node an alias refers to is measured once and counted every
time it is used), so it costs a few milliseconds on the packaged FAQ. libyaml itself stops at
1000 levels, and ``RecursionError`` and ``MemoryError`` are refused like the rest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

#: Lists and mappings inside one another; the packaged FAQ needs 4.
MAX_DEPTH = 64
#: Items (texts, lists, mappings) a file stands for once its aliases are expanded; the
#: packaged FAQ's largest file, phrasing_bank.yaml, has about 6 000.
MAX_ITEMS = 1_000_000
#: Bytes of one FAQ file; the largest packaged one, phrasing_bank.yaml, has about 341 000.
MAX_FAQ_BYTES = 16_000_000
#: Bytes of the config file; a real one has a few hundred.
MAX_CONFIG_BYTES = 1_000_000
_LIBYAML_DEPTH = "maximum nesting depth"  # libyaml's own limit (1000 levels), in its message


@dataclass(frozen=True, slots=True)
class Limits:
    """What one kind of file may hold."""

    max_bytes: int
    max_depth: int = MAX_DEPTH
    max_items: int = MAX_ITEMS


FAQ_LIMITS = Limits(max_bytes=MAX_FAQ_BYTES)
CONFIG_LIMITS = Limits(max_bytes=MAX_CONFIG_BYTES)


class Refused(Exception):
    """A file refused by a limit: ``reason`` in plain words, ``line`` from 1 (0: no line)."""

    def __init__(self, reason: str, line: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


class _Loader(Protocol):
    def get_single_node(self) -> Node | None: ...

    def construct_document(self, node: Node) -> Any: ...


def read_text(path: Path, limits: Limits) -> str:
    """The text of the file at ``path`` (UTF-8, newlines as ``Path.read_text`` reads them).

    Raises:
        Refused: the file is larger than ``limits.max_bytes``.
        OSError, UnicodeDecodeError: as ``Path.read_text`` does.
    """
    size = path.stat().st_size
    if size > limits.max_bytes:
        limit = _megabytes(limits.max_bytes)
        raise Refused(f"the file is {_megabytes(size)} (the limit is {limit})")
    # A file that grows after the stat, or a device that stat calls empty: read no further.
    with path.open(encoding="utf-8") as stream:
        text = stream.read(limits.max_bytes + 1)
    if len(text) > limits.max_bytes:
        raise Refused(f"the file is larger than {_megabytes(limits.max_bytes)}")
    return text


def load(loader: _Loader, limits: Limits) -> Any:
    """The one document of ``loader`` (as ``get_single_data`` would build it), refused before
    it is built when it breaks ``limits``.

    Raises:
        Refused: too deep, too many items once aliases are expanded, or a loop.
        yaml.YAMLError: not valid YAML, as ``get_single_data`` raises it.
    """
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check(node, limits)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        if _LIBYAML_DEPTH not in str(getattr(exc, "problem", "")):
            raise
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise Refused(_too_deep("more than 1000 levels deep", limits), line) from None
    except RecursionError:  # PyYAML's pure-Python composer, without libyaml
        raise Refused(_too_deep("too deeply to read", limits)) from None
    except MemoryError:
        raise Refused("reading it ran out of memory") from None


def check(root: Node, limits: Limits) -> None:
    """Refuse ``root`` when it is nested too deep or stands for too many items.

    An iterative post-order walk of the node graph: each node's depth (lists and mappings, the
    node included) and expanded size (items, the node included) are computed once, from its
    children's, and a node an alias refers to again is looked up, not walked again.

    Raises:
        Refused: with the line of the offending node.
    """
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    walking: set[int] = set()
    aliased = False  # a node reached a second time: the file uses aliases
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            items, deepest = 1, 0
            for child in _children(node):
                if type(child) is ScalarNode:
                    items += 1
                else:
                    items += size[id(child)]
                    deepest = max(deepest, depth[id(child)])
            size[key], depth[key] = items, deepest + 1
            walking.discard(key)
            if items > limits.max_items:
                many = f"{limits.max_items:,}".replace(",", " ")
                reason = (
                    f"its aliases (*name) expand it to more than {many} items"
                    if aliased
                    else f"it has more than {many} items"
                )
                raise Refused(f"{reason} (the limit is {many})", _line(node))
            continue
        if key in size:
            aliased = True
            continue
        if key in walking:
            raise Refused(
                "an alias (*name) refers to a list or mapping it is inside of", _line(node)
            )
        walking.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if type(child) is not ScalarNode)
    if depth[id(root)] > limits.max_depth:
        raise Refused(
            _too_deep(f"{depth[id(root)]} levels deep", limits),
            _line(_at_depth(root, limits.max_depth + 1, depth)),
        )


def _children(node: Node) -> list[Node]:
    if type(node) is ScalarNode:
        return []
    if type(node) is MappingNode:
        return [part for pair in node.value for part in pair]
    return list(node.value)


def _at_depth(root: Node, level: int, depth: dict[int, int]) -> Node:
    """The node ``level`` levels down the deepest path from ``root`` (1: root itself)."""
    node = root
    for _ in range(level - 1):
        node = max(
            (child for child in _children(node) if type(child) is not ScalarNode),
            key=lambda child: depth[id(child)],
        )
    return node


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _too_deep(how: str, limits: Limits) -> str:
    return f"lists or mappings are nested {how} (the limit is {limits.max_depth} levels)"


def _megabytes(size: int) -> str:
    """``size`` in MB, rounded up: a file just over 16 MB is 16.1 MB, not 16.0."""
    value = math.ceil(size / 100_000) / 10
    return f"{value:g} MB"
