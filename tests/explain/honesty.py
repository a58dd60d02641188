"""The honesty check's parts: a corpus of erroneous programs, and a judge for every code snippet shown.

The corpus is the error index's first erroneous example of each code (`rustc --explain EXXXX`, which
is offline), each written into a tiny crate at test time, plus the explain fixture crates.

A snippet Rusta shows (backticked code in the rendered pair and study text, and every added line of
every patch she shows) is honest when it is
- text of the program (token for token, anywhere in the crate's sources), or
- something rustc's diagnostics themselves quote (a type, a path, a name; std paths may be shortened), or
- only keywords and punctuation (`self`, `&mut`): the language's words, no claim about the program,
- one name of the prelude alone (`None`, `Copy`): in scope in every program, so no claim either,
- a path into std (`std::thread::scope`, `std::borrow::Cow<'_, str>`) whose item the installed std
  documentation has (its page, and a method's anchor on it), with only language words as generic
  arguments, or
- part of an option whose validation state is "compiles" (its patch compiled in context).

The judge is written apart from `engine.explain.evidence`, so the test does not grade the engine with
the engine's own rule. It reads Explanations through getattr so it can also grade an older tree
(without `fixes`) for a before/after share.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import msgspec

CODES = (
    "E0382", "E0499", "E0502", "E0505", "E0507", "E0596", "E0384", "E0308", "E0277", "E0599",
    "E0425", "E0433", "E0106", "E0373", "E0381", "E0597", "E0515", "E0716", "E0061", "E0369",
    "E0614", "E0603", "E0623", "E0040",
)  # fmt: skip
KEYWORDS = frozenset(
    "as break const continue crate else enum extern false fn for if impl in let loop match mod move mut pub ref "
    "return self Self static struct super trait true type unsafe use where while async await dyn".split()
)
PRELUDE = frozenset(
    "Option Some None Result Ok Err Box String Vec Clone Copy Default Drop From Into TryFrom TryInto "
    "Iterator IntoIterator ToString ToOwned PartialEq Eq PartialOrd Ord Send Sync Sized Fn FnMut "
    "FnOnce AsRef AsMut".split()
)
_TOKEN = re.compile(r"'[A-Za-z_]\w*|[A-Za-z_]\w*|\d\w*(?:\.\d\w*)?|::|->|=>|&&|\|\||[^\sA-Za-z0-9_]")
_TICK = re.compile(r"`([^`\n]+)`")
_STD = re.compile(r"\b(?:std|core|alloc)::(?:[a-z_][a-z0-9_]*::)+")


def toks(code: str) -> str:
    return " ".join(_TOKEN.findall(code))


def erroneous_example(code: str) -> str | None:
    """The first code block of `rustc --explain CODE`, hidden `# ` lines restored; None if it needs
    nightly (`#![feature]`) or there is none."""
    text = subprocess.run(
        ["rustc", "--explain", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    m = re.search(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M)
    if m is None:
        return None
    lines = []
    for ln in m.group(1).splitlines():
        if ln == "#" or ln.startswith("# "):
            ln = ln[2:]
        elif ln.startswith("##"):
            ln = ln[1:]
        lines.append(ln)
    body = "\n".join(lines) + "\n"
    return None if "#![feature" in body else body


REPO = Path(__file__).resolve().parents[2]
FIXTURES = (
    "explain_mixed",
    "explain_cascade",
    "borrow_error",
    "kb/kb_borrow",
    "kb/kb_resolve",
    "kb/kb_types",
)
CLIPPY_FIXTURES = ("kb/kb_clippy",)  # clippy's lints, with clippy's suggestions


def build_corpus(dest: Path, codes: tuple[str, ...], fixtures: tuple[str, ...]) -> list[Path]:
    """The corpus under `dest`: one crate per code's erroneous example, then copies of the fixtures."""
    crates: list[Path] = []
    for code in codes:
        body = erroneous_example(code)
        if body is not None:
            crates.append(write_example_crate(dest, code, body))
    for name in fixtures:
        copy = dest / Path(name).name
        shutil.copytree(REPO / "tests" / "fixtures" / name, copy, ignore=shutil.ignore_patterns("target"))
        crates.append(copy)
    return crates


def write_example_crate(dest: Path, code: str, body: str) -> Path:
    name = f"ex_{code.lower()}"
    crate = dest / name
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(
        f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
    )
    (crate / "src" / "lib.rs").write_text("#![allow(unused, dead_code)]\n" + body)
    return crate


def _walk(d) -> Iterator:  # noqa: ANN001 - a Diagnostic
    yield d
    for c in d.children:
        yield from _walk(c)


def rustc_quotes(diags) -> set[str]:  # noqa: ANN001
    out: set[str] = set()
    for d in diags:
        if d.code_str:
            out.add(toks(d.code_str))  # the code or lint name rustc reports
        for n in _walk(d):
            for t in (n.message, *(s.label or "" for s in n.spans)):
                for q in _TICK.findall(t):
                    out.add(toks(q))
                    out.add(toks(_STD.sub("", q)))
    return out


def program_tokens(crate: Path) -> str:
    text = "\n".join(
        p.read_text(errors="replace") for p in sorted(crate.rglob("*.rs")) if "target" not in p.parts
    )
    return f" {toks(text)} "


class Snippet(msgspec.Struct, frozen=True):
    code: str
    where: str  # "text" or "patch"
    validated: str | None = None  # the option's state, for a patch line


def shown(e, render) -> list[Snippet]:  # noqa: ANN001 - an Explanation, modes.rendering.render_text
    """Every code snippet of one story: backticks in the pair text, the summary, why, root-cause
    reason, facts and options (the invariant states the language's rule, not a claim about the
    program, and the `rustc --explain` passage is rustc's), and each shown patch's `+` lines."""
    texts = [render(e, "pair"), e.summary, e.why, e.root_cause_reason, *e.facts]
    texts += [t for o in e.options for t in (o.name, o.how, o.tradeoff)]
    out = [Snippet(code=q, where="text") for t in texts for q in _TICK.findall(t)]
    fixes = getattr(e, "fixes", None)
    if fixes is not None:
        for f in fixes:
            out.extend(Snippet(code=q, where="text") for q in _TICK.findall(f.name))
            out.extend(Snippet(code=s, where="patch", validated=f.validated) for s in f.shows)
    elif e.patch is not None:  # an older tree showed rustc's patch unchecked
        out.extend(
            Snippet(code=ln[1:], where="patch", validated="not-checked")
            for ln in e.patch.diff.splitlines()
            if ln.startswith("+") and not ln.startswith("+++") and ln[1:].strip()
        )
    return out


def compiled_lines(e) -> str:  # noqa: ANN001
    """The code of every checked fix: its added lines, and what its later steps quote (a fix finished
    in steps names each step by rustc's help on the build before it, whose result was checked)."""
    checked = [f for f in getattr(e, "fixes", ()) if f.validated in ("compiles", "type-checks")]
    quoted = [q for f in checked for step in getattr(f, "steps", ()) for q in _TICK.findall(step)]
    return " ".join(f" {toks(s)} " for s in [*(s for f in checked for s in f.shows), *quoted])


_LANGUAGE = frozenset(
    "str bool char u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize f32 f64 'static '_ _".split()
)
_STD_ITEM = re.compile(r"std((?:::[A-Za-z_]\w*)+)(?:<([^<>]*)>)?(?:\(\))?")


def _language(t: str) -> bool:
    return all(x in KEYWORDS or x in _LANGUAGE or not (x[0].isalnum() or x[0] in "_'") for x in t.split())


@functools.cache
def _std_docs() -> Path:
    sysroot = subprocess.run(["rustc", "--print", "sysroot"], capture_output=True, text=True, check=True)
    return Path(sysroot.stdout.strip()) / "share" / "doc" / "rust" / "html" / "std"


def std_item_documented(code: str) -> bool:
    """`std::a::b::Item` (optionally `::method`, `<args>`, `()`) names a page of the installed std docs."""
    m = _STD_ITEM.fullmatch(code.strip())
    if m is None or not all(_language(toks(a)) for a in (m.group(2) or "").split(",") if a.strip()):
        return False
    where, parts = _std_docs(), m.group(1).strip(":").split("::")
    while parts and (where / parts[0]).is_dir():
        where, parts = where / parts[0], parts[1:]
    if not parts or len(parts) > 2:
        return False
    pages = [p for p in where.glob(f"*.{parts[0]}.html") if p.name.split(".")[0] in _ITEM_KINDS]
    if not pages or len(parts) == 1:
        return bool(pages)
    return any(f'id="method.{parts[1]}"' in p.read_text(errors="replace") for p in pages)


_ITEM_KINDS = frozenset({"fn", "struct", "enum", "trait", "macro", "type", "constant", "primitive"})


def judge(e, snippet: Snippet, program: str, quotes: set[str]) -> bool:  # noqa: ANN001
    t = toks(snippet.code)
    if not t or f" {t} " in program or t in quotes:
        return True
    if _language(t):
        return True
    if snippet.where != "patch" and std_item_documented(snippet.code):
        return True
    if snippet.where != "patch" and len(t.split()) <= 2 and any(x in PRELUDE for x in t.split()):
        names = [x for x in t.split() if x[0].isalpha() or x[0] == "_"]
        if names and len(names) == 1 and names[0] in PRELUDE:
            return True
    if snippet.where == "patch":  # "type-checks" is shown as only that, without ✓ (borrowck did not run)
        return snippet.validated in ("compiles", "type-checks")
    compiled = compiled_lines(e)
    # a std path names the same item as its last segment: `ParseIntError` in prose is the
    # `std::num::ParseIntError` a checked patch writes
    return f" {t} " in compiled or f" {t} " in _STD_PATH.sub("", compiled)


_STD_PATH = re.compile(r"\b(?:std|core|alloc) :: (?:[a-z_][a-z0-9_]* :: )*")
