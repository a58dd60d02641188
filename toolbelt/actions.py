"""Rusta's action language: the typed actions the engine (and later the LM) may ask the toolbelt for.

Three equivalent forms, all round-tripping:

- Structs: a msgspec tagged union on the field `action` (`Action`).
- JSON: `encode_action_json` / `decode_action_json`, validated at decode time.
- Plain text, the form the LM emits (`parse_action` / `format_action`):

      check | clippy | fmt | undo | redo
      test [FILTER]
      type_of PATH:LINE:COL
      explain CODE                 CODE is E0382, clippy::needless_clone or a rustc lint (dead_code)
      abstain REASON
      patch                        on its own line, then a unified diff, then `end` on its own line
      <unified diff lines>
      end

  Arguments are one token each: bare (no whitespace, no `"`, not starting with `\\`), or a
  double-quoted JSON string literal (`"no green candidate"`, `"a\\tb"`). `type_of`'s token is split
  at its last two colons, so paths may hold colons and, quoted, spaces. `end` can never be a diff
  line (those start with ` `, `+`, `-`, `@`, `\\` or a header word), so the patch block is unambiguous.

Malformed input raises `ActionParseError`, naming what was expected and where (line and column).
"""

from __future__ import annotations

import json
import re
from typing import Annotated

import msgspec

from toolbelt.errors import ToolbeltError


class ActionParseError(ToolbeltError):
    """The text is not a well-formed action; the message says what was expected and where."""


_Positive = Annotated[int, msgspec.Meta(ge=1)]
_NonEmpty = Annotated[str, msgspec.Meta(min_length=1)]
_Reason = Annotated[str, msgspec.Meta(pattern=r"\S")]  # unanchored: at least one non-space
CODE_RE = re.compile(r"E\d{4}|clippy::[a-z][a-z0-9_]*|[a-z][a-z0-9_]*")
_Code = Annotated[str, msgspec.Meta(pattern=r"^(?:E\d{4}|clippy::[a-z][a-z0-9_]*|[a-z][a-z0-9_]*)$")]


class _Act(msgspec.Struct, frozen=True, kw_only=True, tag_field="action"):
    """Common base: frozen, keyword-only, tagged by `action`."""


class Check(_Act, tag="check", frozen=True):
    """`cargo check` on the crate."""


class Clippy(_Act, tag="clippy", frozen=True):
    """`cargo clippy` on the crate."""


class RunTests(_Act, tag="test", frozen=True):
    """`cargo test`, optionally filtered by a test-name substring. (Not named Test*: pytest collects those.)"""

    filter: _NonEmpty | None = None


class Fmt(_Act, tag="fmt", frozen=True):
    """`cargo fmt --check`."""


class TypeOf(_Act, tag="type_of", frozen=True):
    """The compiler's type for the expression at FILE:LINE:COL (1-based, columns in characters)."""

    file: _NonEmpty
    line: _Positive
    col: _Positive


class Explain(_Act, tag="explain", frozen=True):
    """Explain a diagnostic code: E0382, clippy::lint_name, or a rustc lint name."""

    code: _Code


class Patch(_Act, tag="patch", frozen=True):
    """Apply a unified diff (through the validated, reversible patch path)."""

    diff: _NonEmpty


class Undo(_Act, tag="undo", frozen=True):
    """Undo the last applied patch."""


class Redo(_Act, tag="redo", frozen=True):
    """Redo the last undone patch."""


class Abstain(_Act, tag="abstain", frozen=True):
    """Do nothing, and say why: an expected outcome, not an error."""

    reason: _Reason


Action = Check | Clippy | RunTests | Fmt | TypeOf | Explain | Patch | Undo | Redo | Abstain

_NO_ARGS: dict[str, type[Check | Clippy | Fmt | Undo | Redo]] = {
    "check": Check,
    "clippy": Clippy,
    "fmt": Fmt,
    "undo": Undo,
    "redo": Redo,
}
VERBS = ("check", "clippy", "test", "fmt", "type_of", "explain", "patch", "undo", "redo", "abstain")
_USAGE = {
    "check": "check",
    "clippy": "clippy",
    "fmt": "fmt",
    "undo": "undo",
    "redo": "redo",
    "test": "test [FILTER]",
    "type_of": "type_of PATH:LINE:COL",
    "explain": "explain CODE",
    "abstain": 'abstain "REASON"',
    "patch": "patch, a unified diff, then end",
}
_BARE_RE = re.compile(r'[^\s"\\][^\s"]*')
_json_encoder = msgspec.json.Encoder()
_json_decoder = msgspec.json.Decoder(Action)


# --- JSON ---------------------------------------------------------------------------------------


def encode_action_json(action: Action) -> bytes:
    return _json_encoder.encode(action)


def decode_action_json(data: bytes | str) -> Action:
    """Decode and validate one action from JSON; anything malformed is an ActionParseError."""
    try:
        action = _json_decoder.decode(data)
    except msgspec.ValidationError as e:
        raise ActionParseError(f"invalid action JSON: {e}.") from e
    except msgspec.DecodeError as e:
        raise ActionParseError(f"action JSON is malformed: {e}.") from e
    if isinstance(action, Patch):
        _check_diff(action.diff, line_offset=0)
    return action


# --- text: formatting ---------------------------------------------------------------------------


def _token(value: str) -> str:
    """Bare when that reads back the same, else a JSON string literal (one line, any text)."""
    if _BARE_RE.fullmatch(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def format_action(action: Action) -> str:
    """The canonical text form; `parse_action(format_action(a)) == a` for every valid action."""
    match action:
        case Check() | Clippy() | Fmt() | Undo() | Redo():
            return str(type(action).__struct_config__.tag)  # a str: each class sets tag="..."
        case RunTests(filter=None):
            return "test"
        case RunTests(filter=str() as f):
            return f"test {_token(f)}"
        case TypeOf(file=f, line=ln, col=c):
            return f"type_of {_token(f'{f}:{ln}:{c}')}"
        case Explain(code=code):
            return f"explain {code}"
        case Abstain(reason=r):
            return f"abstain {json.dumps(r, ensure_ascii=False)}"
        case Patch(diff=d):
            return f"patch\n{d if d.endswith(chr(10)) else d + chr(10)}end"
    raise TypeError(f"not an action: {action!r}")


# --- text: parsing ------------------------------------------------------------------------------


def _tokens(line: str, lineno: int) -> list[tuple[str, int]]:
    """Split one line into (token, 1-based column) pairs; quoted tokens are decoded."""
    out: list[tuple[str, int]] = []
    i, n = 0, len(line)
    while i < n:
        if line[i].isspace():
            i += 1
            continue
        if line[i] == '"':
            decoder = json.JSONDecoder()
            try:
                value, end = decoder.raw_decode(line, i)
            except json.JSONDecodeError as e:
                raise ActionParseError(
                    f"line {lineno}, column {i + 1}: unterminated or invalid quoted string ({e.msg})."
                ) from e
            if end < n and not line[end].isspace():
                raise ActionParseError(
                    f"line {lineno}, column {end + 1}: expected a space after the quoted string."
                )
            out.append((value, i + 1))
            i = end
            continue
        m = _BARE_RE.match(line, i)
        if m is None:
            raise ActionParseError(
                f'line {lineno}, column {i + 1}: unexpected {line[i]!r}; quote arguments with "...".'
            )
        if m.end() < n and line[m.end()] == '"':
            raise ActionParseError(f"line {lineno}, column {m.end() + 1}: stray '\"' inside a bare word.")
        out.append((m.group(), i + 1))
        i = m.end()
    return out


def _arity(verb: str, args: list[tuple[str, int]], lo: int, hi: int, lineno: int) -> None:
    if len(args) > hi:
        extra_col = args[hi][1]
        raise ActionParseError(
            f"line {lineno}, column {extra_col}: `{verb}` takes {hi or 'no'} argument{'s' if hi != 1 else ''}; "
            f"expected `{_USAGE[verb]}`."
        )
    if len(args) < lo:
        raise ActionParseError(f"line {lineno}: `{verb}` is missing its argument; expected `{_USAGE[verb]}`.")


def _parse_location(token: str, col: int) -> TypeOf:
    parts = token.rsplit(":", 2)
    if len(parts) != 3 or not parts[0]:
        raise ActionParseError(
            f"line 1, column {col}: expected PATH:LINE:COL after `type_of`, got {token!r}."
        )
    path, line_s, col_s = parts
    for name, s in (("LINE", line_s), ("COL", col_s)):
        if not (s.isascii() and s.isdigit()) or int(s) < 1:
            raise ActionParseError(
                f"line 1, column {col}: {name} in `type_of PATH:LINE:COL` must be a positive number, got {s!r}."
            )
    return TypeOf(file=path, line=int(line_s), col=int(col_s))


def _check_diff(diff: str, line_offset: int) -> None:
    """The diff must be a unified diff that `unidiff` reads, with at least one file and one hunk."""
    import unidiff  # only the patch path pays for it

    try:
        patch_set = unidiff.PatchSet(diff)
    except Exception as e:  # unidiff raises its own and assorted ValueErrors; all mean "not a diff"
        raise ActionParseError(f"line {line_offset + 1}: the patch is not a valid unified diff: {e}.") from e
    if not patch_set or not any(len(f) for f in patch_set):
        raise ActionParseError(
            f"line {line_offset + 1}: the patch holds no hunk; expected `--- a/FILE`, `+++ b/FILE` and `@@ ... @@` lines."
        )


def _parse_patch(lines: list[str]) -> Patch:
    body = lines[1:]
    while body and not body[-1].strip():
        body.pop()
    if not body or body[-1].rstrip("\r") != "end":
        raise ActionParseError(
            f"line {len(lines)}: the patch block is not closed; expected `end` on its own line."
        )
    diff_lines = body[:-1]
    if not diff_lines:
        raise ActionParseError("line 2: `patch` needs a unified diff between `patch` and `end`.")
    for i, ln in enumerate(diff_lines, start=2):
        if ln.rstrip("\r") == "end":
            raise ActionParseError(f"line {i}: `end` before the last line; one patch block per action.")
    diff = "\n".join(diff_lines) + "\n"
    _check_diff(diff, line_offset=1)
    return Patch(diff=diff)


def parse_action(text: str) -> Action:
    """Parse the plain-text form; raise ActionParseError (and only that) on anything malformed."""
    if not isinstance(text, str):
        raise ActionParseError(f"expected action text, got {type(text).__name__}.")
    if "\x00" in text:
        raise ActionParseError(f"column {text.index(chr(0)) + 1}: NUL byte in action text.")
    lines = text.strip("\n").split("\n")
    first = lines[0].strip()
    if not first:
        raise ActionParseError(f"empty action; expected one of: {', '.join(VERBS)}.")
    if first == "patch" or first.startswith(("patch ", "patch\t")):
        if first != "patch":
            raise ActionParseError("line 1: `patch` stands alone on its line; the diff starts on line 2.")
        return _parse_patch(lines)
    if len(lines) > 1:
        raise ActionParseError(
            f"line 2: `{first.split()[0]}` is a one-line action; only `patch` spans lines."
        )
    toks = _tokens(lines[0], 1)
    verb, verb_col = toks[0]
    args = toks[1:]
    if verb in _NO_ARGS:
        _arity(verb, args, 0, 0, 1)
        return _NO_ARGS[verb]()
    if verb == "test":
        _arity(verb, args, 0, 1, 1)
        if args and not args[0][0]:
            raise ActionParseError(
                f"line 1, column {args[0][1]}: the test filter is empty; drop it to run all tests."
            )
        return RunTests(filter=args[0][0] if args else None)
    if verb == "type_of":
        _arity(verb, args, 1, 1, 1)
        return _parse_location(*args[0])
    if verb == "explain":
        _arity(verb, args, 1, 1, 1)
        code, col = args[0]
        if not CODE_RE.fullmatch(code):
            raise ActionParseError(
                f"line 1, column {col}: expected a code like E0382, clippy::needless_clone or dead_code, got {code!r}."
            )
        return Explain(code=code)
    if verb == "abstain":
        _arity(verb, args, 1, 1, 1)
        reason, col = args[0]
        if not reason.strip():
            raise ActionParseError(
                f'line 1, column {col}: an abstention needs a reason; expected `abstain "REASON"`.'
            )
        return Abstain(reason=reason)
    raise ActionParseError(
        f"line 1, column {verb_col}: unknown action {verb!r}; expected one of: {', '.join(VERBS)}."
    )
