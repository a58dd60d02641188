"""The rule behind every rustc error code without a full KB entry, and behind code-less parse errors.

A diagnostic the knowledge base has no entry for still deserves the rule it breaks, in Rusta's words,
rather than a pointer to `rustc --explain`. The sentences live in kb/invariants.toml (one per code,
one per parse-error message prefix); this module decodes that file once, with unknown fields
forbidden, and answers `invariant_for`.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import msgspec

from engine.explain.errors import KBEntryInvalid
from engine.explain.kb_cache import TomlInvalid, parse_toml
from engine.explain.kb_loader import KB_DIR

INVARIANTS_PATH = KB_DIR / "invariants.toml"
INVARIANTS_FORMAT_VERSION = 1

_CODE_RE = re.compile(r"E\d{4}")


class _Base(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pass


class CodeInvariant(_Base, frozen=True):
    title: str
    invariant: str


class SyntaxOption(_Base, frozen=True):
    """A way out for a code-less error, in the KB's words (`name`, `how`, `tradeoff`); shown only
    where each predicate in `requires` holds (engine/explain/preconditions.py)."""

    name: str
    how: str
    tradeoff: str
    requires: tuple[str, ...] = ()


class SyntaxInvariant(_Base, frozen=True):
    """An error without a code, recognised by the start of rustc's message (`prefix`) or, for a
    message that starts with a number ("2 positional arguments in format string ..."), by a regex
    matched at its start (`pattern`); optionally with the story's `why` and ways out. `when`, a regex
    searched in rustc's labels and child messages, narrows an entry to one cause of that message (it
    wins over the same prefix without it)."""

    title: str
    invariant: str
    prefix: str = ""
    pattern: str = ""
    when: str = ""
    why: str = ""
    options: tuple[SyntaxOption, ...] = ()

    def matches(self, message: str, texts: tuple[str, ...] = ()) -> bool:
        if self.when and not any(re.search(self.when, t) for t in texts):
            return False
        if self.prefix:
            return message.startswith(self.prefix)
        return re.match(self.pattern, message) is not None

    @property
    def weight(self) -> int:
        return len(self.prefix or self.pattern) + (1000 if self.when else 0)


class Invariants(_Base, frozen=True):
    version: int
    codes: dict[str, CodeInvariant]
    syntax: tuple[SyntaxInvariant, ...] = ()


@functools.cache
def load_invariants(path: Path = INVARIANTS_PATH) -> Invariants:
    """The decoded file, checked once per process; raises KBEntryInvalid naming the problem."""
    try:
        raw = parse_toml(path)
        table = msgspec.convert(raw, Invariants)
    except (OSError, TomlInvalid, msgspec.ValidationError) as e:
        raise KBEntryInvalid(f"{path.name} is invalid: {e}") from e
    problems: list[str] = []
    if table.version != INVARIANTS_FORMAT_VERSION:
        problems.append(f"version {table.version} is not {INVARIANTS_FORMAT_VERSION}")
    problems.extend(
        f"{code!r} is not a rustc error code" for code in table.codes if not _CODE_RE.fullmatch(code)
    )
    prefixes = [(s.prefix, s.when) for s in table.syntax if s.prefix]
    problems.extend(
        f"prefix {p[0]!r} is listed twice" for p in sorted(set(prefixes)) if prefixes.count(p) > 1
    )
    for s in table.syntax:
        if bool(s.prefix) == bool(s.pattern):
            problems.append(f"{s.title!r} needs exactly one of prefix and pattern")
        elif s.when and not _compiles(s.when):
            problems.append(f"when {s.when!r} is not a regex")
        elif s.pattern:
            try:
                re.compile(s.pattern)
            except re.error as e:
                problems.append(f"pattern {s.pattern!r} is not a regex: {e}")
    if problems:
        raise KBEntryInvalid(f"{path.name} is invalid: " + "; ".join(problems))
    return table


def _compiles(rx: str) -> bool:
    try:
        re.compile(rx)
    except re.error:
        return False
    return True


def syntax_entry(
    message: str, path: Path = INVARIANTS_PATH, texts: tuple[str, ...] = ()
) -> SyntaxInvariant | None:
    """The entry for a code-less error: the longest matching prefix or pattern, a `when` first."""
    matches = [s for s in load_invariants(path).syntax if s.matches(message, texts)]
    return max(matches, key=lambda s: s.weight) if matches else None


def invariant_for(
    code: str | None, message: str, path: Path = INVARIANTS_PATH, texts: tuple[str, ...] = ()
) -> tuple[str, str] | None:
    """(title, invariant) for an error code, or for a code-less error by its message's longest
    matching prefix or pattern; None when the file says nothing about it (a lint, an unknown message)."""
    if code:
        found = load_invariants(path).codes.get(code)
        return (found.title, found.invariant) if found else None
    best = syntax_entry(message, path, texts)
    return (best.title, best.invariant) if best is not None else None
