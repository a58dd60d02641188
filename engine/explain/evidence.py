"""What a code snippet in Rusta's words may rest on: the program's own text, or rustc's own words.

The knowledge base's sentences are written for every program with a given error code; filled in,
they can show code this program does not have (`&v[i]` where there is no `v`, `let mut *container`).
A sentence that shows code keeps it only when the code is text of the program around the error (the
enclosing function, or a few lines around the span outside any function) or something rustc's
diagnostic itself quotes. Otherwise the sentence goes; the concrete, compiled code lives in the
story's patch options instead (`engine.explain.options`).

Matching is on tokens, so `&v[i]` and `& v [ i ]` are the same code and `std` is not a token-aligned
part of `std::string::String` ... unless rustc or the program writes it alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import msgspec

from engine.explain.placeholders import short_type
from toolbelt.diagnostics import in_user_crate
from toolbelt.probe_scan import KEYWORDS
from toolbelt.types import Diagnostic

_TICKED = re.compile(r"`([^`\n]+)`")
_TOKEN = re.compile(r"'[A-Za-z_]\w*|[A-Za-z_]\w*|\d\w*(?:\.\d\w*)?|::|->|=>|&&|\|\||[^\sA-Za-z0-9_]")
# a sentence starts with a capital, code, a quote, or "rustc" (its name is never capitalised)
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z`(\"']|rustc\b)")
_AROUND = 12  # lines either side of a span outside any function
# Cost words a template may not say unless a type fact supports them.
_COST = re.compile(r"\b(?:allocat\w*|heap|copies|a copy of the data)\b", re.I)


class Evidence(msgspec.Struct, frozen=True, kw_only=True):
    program: str  # the program's text around the story's spans, as space-joined tokens
    rustc: frozenset[str]  # every item rustc quotes in backticks, as space-joined tokens


def tokens(code: str) -> str:
    return " ".join(_TOKEN.findall(code))


def snippets(text: str) -> list[str]:
    """The backticked code in a piece of Rusta's text."""
    return [m.group(1) for m in _TICKED.finditer(text)]


def _walk(d: Diagnostic) -> Iterator[Diagnostic]:
    yield d
    for c in d.children:
        yield from _walk(c)


def rustc_quotes(diags: Iterable[Diagnostic]) -> frozenset[str]:
    """Every item rustc quotes (types, paths, names, code) or writes as a suggested replacement,
    with std paths shortened as Rusta does."""
    out: set[str] = set()
    for d in diags:
        for node in _walk(d):
            out.update(tokens(s.suggested_replacement) for s in node.spans if s.suggested_replacement)
            texts = [node.message, *(s.label or "" for s in node.spans)]
            for t in texts:
                for q in snippets(t):
                    out.add(tokens(q))
                    out.add(tokens(short_type(q)))
    out.discard("")
    return frozenset(out)


def _around(source: bytes, start: int, end: int, line: int) -> str:
    try:
        from engine.syntax.tree import enclosing_fn
    except ImportError:  # the syntax layer is optional here: lines around the span do
        sig = None
    else:
        sig = enclosing_fn(source, start, end)
    if sig is not None:
        return sig.range.text
    lines = source.decode("utf-8", "replace").splitlines()
    return "\n".join(lines[max(0, line - 1 - _AROUND) : line + _AROUND])


def program_text(diags: Iterable[Diagnostic], crate_root: str | Path) -> str:
    """The code around every user-crate span of the story (primary and child spans)."""
    root = Path(crate_root)
    files: dict[str, bytes | None] = {}
    parts: list[str] = []
    seen: set[tuple[str, int, int]] = set()
    for d in diags:
        for node in _walk(d):
            for s in node.spans:
                if not in_user_crate(s.file_name) or (s.file_name, s.byte_start, s.byte_end) in seen:
                    continue
                seen.add((s.file_name, s.byte_start, s.byte_end))
                if s.file_name not in files:
                    try:
                        files[s.file_name] = (root / s.file_name).read_bytes()
                    except OSError:
                        files[s.file_name] = None
                data = files[s.file_name]
                if data is not None and s.byte_end <= len(data):
                    parts.append(_around(data, s.byte_start, s.byte_end, s.line_start))
    return "\n".join(parts)


def gather(diags: Iterable[Diagnostic], crate_root: str | Path) -> Evidence:
    ds = tuple(diags)
    return Evidence(program=" " + tokens(program_text(ds, crate_root)) + " ", rustc=rustc_quotes(ds))


# The prelude's names: in scope in every program, so naming them claims nothing about this one.
PRELUDE = frozenset(
    "Option Some None Result Ok Err Box String Vec Clone Copy Default Drop From Into TryFrom TryInto "
    "Iterator IntoIterator ToString ToOwned PartialEq Eq PartialOrd Ord Send Sync Sized Fn FnMut "
    "FnOnce AsRef AsMut".split()
)


# a path into std, with at most generic arguments and an empty call: `std::borrow::Cow<'_, str>`
_STD_PATH = re.compile(r"std(?:::[A-Za-z_]\w*)+(?:<[^<>]*>)?(?:\(\))?")
# primitive types and the lifetimes and wildcard every program may write
_LANGUAGE = frozenset(
    "str bool char u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize f32 f64 'static '_ _".split()
)


def vocabulary(snippet: str) -> bool:
    """Only keywords and punctuation (`self`, `&mut`, `'static`, `_`), one prelude name (`None`,
    `TryFrom`, `impl Fn`), or a path into `std::` (`std::sync::LazyLock`): the language's and the standard
    library's words, which say nothing about what this program has. A type built of prelude names
    (`Vec<&String>`) is a claim about the program's types, so it is not vocabulary."""
    toks = _TOKEN.findall(snippet)
    if _STD_PATH.fullmatch(snippet.strip()):
        return all(vocabulary(a) for a in re.split(r"[<>,]", snippet)[1:] if a.strip())
    names = [t for t in toks if (t[0].isalpha() or t[0] == "_") and t != "_"]
    if len(names) == 1 and names[0] in PRELUDE and len(toks) <= 2:
        return True
    if len(toks) == 2 and toks[0] in ("impl", "dyn") and toks[1] in PRELUDE:  # `impl Fn`, `dyn Iterator`
        return True
    # a bound of the language's words: `where Self: Sized`
    if toks and toks[0] == "where" and all(n in KEYWORDS or n in PRELUDE for n in names):
        return True
    return all(t in KEYWORDS or t in _LANGUAGE or not (t[0].isalnum() or t[0] in "_'") for t in toks)


_IMPL_HEADER = re.compile(r"\s*impl\s+(?P<trait>\w+)(?:<(?P<arg>.+)>)?\s+for\s+(?P<ty>.+?)\s*")


def backed(snippet: str, ev: Evidence) -> bool:
    """The snippet is the program's text (token for token), something rustc quotes, or vocabulary;
    or an impl header (`impl From<ParseIntError> for ConfigError`) of a prelude trait whose type
    argument and self type are each backed: the impl a fix writes, named from rustc's types."""
    t = tokens(snippet)
    if not t or vocabulary(snippet) or t in ev.rustc or f" {t} " in ev.program:
        return True
    m = _IMPL_HEADER.fullmatch(snippet)
    if m is None or not backed(m.group("ty"), ev):
        return False
    arg = m.group("arg")
    trait = m.group("trait") + (f"<{arg}>" if arg is not None else "")
    return backed(trait, ev) or (m.group("trait") in PRELUDE and (arg is None or backed(arg, ev)))


def sentences(text: str) -> list[str]:
    """Sentences, never split inside backticks (code has dots)."""
    out: list[str] = []
    buf = ""
    for part in _SENTENCE_END.split(text.strip()):
        buf = f"{buf} {part}" if buf else part
        if buf.count("`") % 2 == 0:
            out.append(buf)
            buf = ""
    if buf:
        out.append(buf)
    return out


# A sentence that puts words in rustc's mouth: "as rustc says", "rustc's help", "rustc suggests".
_ATTRIBUTED = re.compile(
    r"\brustc(?:'s)?\s+(?:says|said|suggests|suggested|offers|offered|writes|wrote|shows|proposes|"
    r"(?:own\s+)?(?:help|note|label|suggestion)s?)\b"
)


_PRELUDE_ITEM = re.compile(r"[A-Z]\w*::[a-z_]\w*")
_PRIMITIVES = frozenset(t for t in _LANGUAGE if t[0].isalpha())


def _claimed(snippet: str) -> bool:
    """A std path (`std::option::Option::expect`) or a primitive type (`usize`): words a template or a
    probe supplies, so in a sentence about what rustc says they are a claim about rustc's text. The
    program's names and the prelude's (`Option`, `None`) are what the sentence talks about."""
    s = snippet.strip()
    if _STD_PATH.fullmatch(s) is not None or s in _PRIMITIVES:
        return True
    head, sep, _ = s.partition("::")  # `Option::expect`: a prelude type's method
    return bool(sep) and head in PRELUDE and _PRELUDE_ITEM.fullmatch(s) is not None


def said_by_rustc(snippet: str, ev: Evidence) -> bool:
    """rustc quoted this code itself, or the `Type::method` end of a std path to it
    (`std::option::Option::expect` for rustc's `Option::expect`)."""
    t = tokens(snippet)
    if t in ev.rustc or tokens(short_type(snippet)) in ev.rustc:
        return True
    s = snippet.strip()
    return _STD_PATH.fullmatch(s) is not None and tokens("::".join(s.split("::")[-2:])) in ev.rustc


def truthful(sentence: str, ev: Evidence) -> bool:
    """A sentence that says rustc says something keeps its std paths and primitive types only when
    rustc quoted them: the general mistake is crediting rustc with a type or a method that a probe
    or Rusta's own template supplied ("rustc says the sum is over `usize`" when rustc wrote
    `/* Type */`; "follow rustc's help and call `expect`" when its help offered `?`). The program
    having the code is no evidence that rustc said it."""
    if not _ATTRIBUTED.search(sentence):
        return True
    return all(said_by_rustc(c, ev) for c in snippets(sentence) if _claimed(c))


# A sentence that opens on a word pointing back ("Here nothing does.", "This moves it.") says
# nothing without the sentence before it
# ("Taking it by value ..." after the sentence that said what "it" is went too).
_LEANS_BACK = re.compile(
    r"(?:Here|This|That|These|Those|It|Its|Then|So|Thus|Such|Otherwise|Instead)\b|[A-Z][a-z]+ (?:it|them)\b"
)


def leans_back(sentence: str) -> bool:
    """Whether the sentence opens on a demonstrative or pronoun that needs the one before it."""
    return _LEANS_BACK.match(sentence.lstrip()) is not None


def kept_whole(parts: list[str], keep: list[bool]) -> list[str]:
    """The kept sentences, less any that leans back on a dropped one: a filter removes whole
    thoughts, never leaves the fragment ("Here nothing does." after its subject went)."""
    out: list[str] = []
    dropped = False
    for s, k in zip(parts, keep, strict=True):
        if k and not (dropped and leans_back(s)):
            out.append(s)
            dropped = False
        else:
            dropped = True
    return out


def honest(text: str, ev: Evidence, *, costs_known: bool = True) -> str:
    """The text without the sentences whose code the evidence does not back, that credit rustc with
    code it did not quote (`truthful`), or whose cost claim no type fact supports, when
    `costs_known` is False, and without a sentence that only pointed back at a dropped one
    (`kept_whole`). Paragraph breaks are kept."""
    paras: list[str] = []
    for para in text.split("\n\n"):
        parts = sentences(" ".join(para.split()))
        kept = kept_whole(
            parts,
            [
                all(backed(c, ev) for c in snippets(s))
                and truthful(s, ev)
                and (costs_known or not _COST.search(s))
                for s in parts
            ],
        )
        if kept:
            paras.append(_closed(" ".join(kept)))
    return "\n\n".join(paras)


def _closed(text: str) -> str:
    """A paragraph whose last clause went (`A; B` without `B`) ends as a sentence, not on the `;`."""
    return text[:-1] + "." if text.endswith((";", ",", ":")) else text


_UNWRITABLE = re.compile(r"\{(?:closure|async|coroutine|integer\}|float\}|unknown|type error)")


def writable(snippet: str) -> bool:
    """Whether code could say this: rustc prints types no program can write (`{closure@src/a.rs:3:9}`,
    `{integer}`), and advice to write one ("change the annotation to ...") is no advice."""
    return _UNWRITABLE.search(snippet) is None


def without_unwritable(text: str) -> str:
    """The text without the sentences that ask for a type no program can write."""
    parts = sentences(" ".join(text.split()))
    return _closed(" ".join(kept_whole(parts, [all(writable(c) for c in snippets(s)) for s in parts])))
