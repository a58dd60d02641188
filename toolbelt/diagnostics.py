"""Parse cargo's `--message-format=json` stream into Diagnostic Structs. Pure: bytes in, Structs out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

import msgspec

from toolbelt.types import Diagnostic, Span


class _Target(msgspec.Struct):
    name: str = ""
    kind: tuple[str, ...] = ()


class _CompilerMessage(msgspec.Struct):
    reason: str
    package_id: str = ""
    target: _Target | None = None
    message: Diagnostic | None = None


_decoder = msgspec.json.Decoder(_CompilerMessage)

# rustc's notes about where it saved a long type name: a scratch path of the build (Rusta's own cache
# under ~/.cache when it checks in a target dir of its own), not a fact about the program
_SCRATCH_NOTES = (
    "the full name for the type has been written to",
    "consider using `--verbose` to print the full type name",
)


def _without_scratch_notes(d: Diagnostic) -> Diagnostic:
    """The diagnostic without rustc's long-type-file notes, in its children and its rendered text."""
    if not any(c.message.startswith(_SCRATCH_NOTES) for c in d.children):
        return d
    rendered = d.rendered
    if rendered is not None:
        rendered = "".join(
            ln for ln in rendered.splitlines(keepends=True) if not any(n in ln for n in _SCRATCH_NOTES)
        )
    children = tuple(c for c in d.children if not c.message.startswith(_SCRATCH_NOTES))
    return msgspec.structs.replace(d, children=children, rendered=rendered)


class MessageStream:
    """`parse_cargo_messages` fed one line at a time, as cargo writes them (from the reader thread of
    `toolbelt.process.run_limited`): each line is decoded once, while cargo is still working, so
    what Rusta adds after cargo exits does not grow with the number of diagnostics."""

    def __init__(self, tool: Literal["rustc", "clippy"] = "rustc") -> None:
        self.tool = tool
        self._seen: set[tuple] = set()
        self._out: list[Diagnostic] = []

    def feed(self, raw: bytes | str) -> None:
        """Keep a `compiler-message`; skip other reasons and non-JSON lines (a build script's print).

        Duplicate diagnostics (the same message reported for lib and test targets) are kept once.
        Span-less summaries ("aborting due to ...", "For more information ...") are dropped: no location.
        """
        line = raw.strip() if isinstance(raw, bytes) else raw.strip().encode()
        if not line.startswith(b"{"):
            return
        try:
            msg = _decoder.decode(line)
        except msgspec.DecodeError:
            return
        if msg.reason != "compiler-message" or msg.message is None:
            return
        d = _without_scratch_notes(msg.message)
        if not d.spans and (
            d.level == "failure-note" or d.message.startswith(("aborting due to", "could not compile"))
        ):
            return
        if d.message.endswith("warning emitted") or d.message.endswith("warnings emitted"):
            return
        key = (d.message, d.code_str, tuple((s.file_name, s.byte_start, s.byte_end) for s in d.spans))
        if key in self._seen:
            return
        self._seen.add(key)
        is_clippy = self.tool == "clippy" and (d.code_str or "").startswith("clippy::")
        target = msg.target.name if msg.target else ""
        self._out.append(
            msgspec.structs.replace(
                d, tool="clippy" if is_clippy else "rustc", package_id=msg.package_id, target=target
            )
        )

    def result(self) -> tuple[Diagnostic, ...]:
        return tuple(self._out)


def parse_cargo_messages(
    lines: Iterable[bytes | str], tool: Literal["rustc", "clippy"] = "rustc"
) -> tuple[Diagnostic, ...]:
    """Every diagnostic of cargo's JSON stream, once each, in order (see `MessageStream.feed`)."""
    stream = MessageStream(tool)
    for raw in lines:
        stream.feed(raw)
    return stream.result()


def in_user_crate(file_name: str) -> bool:
    """A file of the user's workspace, as rustc names it: relative to the workspace root.

    Everything else rustc names absolutely (std's `/rustc/...`, the registry, a path dependency
    outside the workspace), as `<...>` (macro-generated code) or through `..`. The one predicate
    explain, repair and the renderers share: only these files are ever read for a story or edited.
    """
    return not (
        file_name.startswith(("/", "<", "\\", ".."))
        or ".cargo/registry" in file_name
        or (len(file_name) > 2 and file_name[1:3] == ":\\")  # C:\ on Windows
    )


def user_site(span: Span) -> Span:
    """The place in the user's own code a span stands for, as rustc's human output shows it.

    A lint can fire inside `unimplemented!()` or `assert_eq!` whose definition lives in std; rustc
    then points at the macro call in the user's file. Follow the expansion chain outward to it.
    """
    s = span
    for _ in range(64):  # expansion chains are short; a bound keeps a malformed one from looping
        if in_user_crate(s.file_name) or s.expansion is None:
            break
        s = s.expansion.span
    return s if in_user_crate(s.file_name) else span


def temporary_spans(d: Diagnostic) -> list[Span]:
    """The spans rustc labels "temporary value created here" (E0515, E0716): the value a returned or
    held reference points into. Explain's preconditions and repair's templates read the same spans,
    so both find them here."""
    return [s for s in d.spans if (s.label or "").startswith("temporary value created here")]


def primary_user_span(d: Diagnostic) -> Span | None:
    """The primary span mapped to the user's code (see `user_site`); None for span-less messages."""
    p = d.primary
    return user_site(p) if p is not None else None


def texts(diag: Diagnostic) -> Iterator[str]:
    """Every text rustc attached to a diagnostic: its message, its labels, its children's messages
    and labels (the one walk explain's placeholders and repair's templates both read)."""
    yield diag.message
    for s in diag.spans:
        if s.label:
            yield s.label
    for c in diag.children:
        yield c.message
        for s in c.spans:
            if s.label:
                yield s.label
