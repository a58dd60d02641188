"""rustc's short type names in diagnostics that clippy's run printed with full paths.

`cargo clippy` turns off rustc's trimmed paths, so the same E0382 reads "has type
`std::vec::Vec<std::string::String>`" where `cargo check` says "`Vec<String>`". Rusta explains the
clippy run (it carries rustc's errors and clippy's lints at once), and quotes rustc's words: they
are put back the way rustc writes them.

rustc trims a path only where the item's name is unique among every item it can see, so the rule is
a list, not a pattern: `TRIMMED` holds the std paths the installed rustc was seen to trim
(`tests/explain/test_trimpaths.py` checks each against `cargo check` on a fixture crate). A path is
left whole when the crate defines an item of the same name (rustc keeps `std::rc::Rc` when the
crate has its own `Rc`) or imports a std module with a glob (a glob changes which names rustc finds
unique). Source lines of rustc's rendering (a line number, then the gutter) are code: never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import msgspec

from toolbelt.types import CheckReport, Diagnostic, Span

# std paths rustc 1.9x prints by their last name alone (when nothing else of that name is visible)
TRIMMED = frozenset(
    """
    std::vec::Vec std::string::String std::option::Option std::boxed::Box std::rc::Rc std::sync::Arc
    std::cell::Cell std::cell::RefCell std::result::Result std::borrow::Cow std::fs::File
    std::num::ParseIntError std::num::ParseFloatError std::thread::JoinHandle std::thread::Thread
    std::num::NonZero std::num::Wrapping std::marker::PhantomData std::sync::OnceLock
    std::sync::LazyLock std::sync::PoisonError std::pin::Pin std::io::BufReader std::io::Stdin
    std::io::Stdout std::net::TcpListener std::mem::ManuallyDrop std::str::Utf8Error std::str::Chars
    std::string::FromUtf8Error std::env::Args std::ffi::CString std::ffi::NulError
    std::sync::atomic::AtomicU64 std::cmp::Reverse
    std::clone::Clone std::marker::Copy std::fmt::Debug std::default::Default std::cmp::Ord
    std::hash::Hash std::convert::From std::convert::Into std::convert::AsRef std::borrow::Borrow
    std::iter::Iterator std::iter::DoubleEndedIterator std::iter::ExactSizeIterator std::iter::Extend
    std::iter::FromIterator std::string::ToString std::future::Future std::str::FromStr std::ops::Add
    std::ops::Neg std::ops::Deref std::ops::Index
    """.split()
)
# (not `std::iter::Iterator<Item=`: std's own on_unimplemented text writes that path out, and rustc keeps it)
_PATH = re.compile(
    r"(?<![\w:])(?!std::iter::Iterator<Item=)(?:std|core|alloc)::(?:[a-z_][a-z0-9_]*::)+([A-Z]\w*)"
)
_SOURCE = re.compile(r"^\s*\d+\s*[|+~-]")  # a line of the user's code, or of a suggestion's code
_STD_GLOB = re.compile(r"\buse\s+(?:::)?(?:std|core|alloc)::[^;]*\*")


def _trimmable(text: str) -> bool:
    """Whether the text names a std path of the list (a path left whole costs no look at the crate)."""
    return any("std::" + m.group(0).split("::", 1)[1] in TRIMMED for m in _PATH.finditer(text))


def _trim(text: str, kept: frozenset[str]) -> str:
    def sub(m: re.Match[str]) -> str:
        full = "std::" + m.group(0).split("::", 1)[1]
        return m.group(1) if full in TRIMMED and m.group(1) not in kept else m.group(0)

    return _PATH.sub(sub, text)


def _rendered(text: str, kept: frozenset[str]) -> str:
    return "\n".join(ln if _SOURCE.match(ln) else _trim(ln, kept) for ln in text.split("\n"))


def _span(s: Span, kept: frozenset[str]) -> Span:
    return msgspec.structs.replace(s, label=_trim(s.label, kept)) if s.label else s


def _diag(d: Diagnostic, kept: frozenset[str]) -> Diagnostic:
    return msgspec.structs.replace(
        d,
        message=_trim(d.message, kept),
        spans=tuple(_span(s, kept) for s in d.spans),
        children=tuple(_diag(c, kept) for c in d.children),
        rendered=_rendered(d.rendered, kept) if d.rendered else d.rendered,
    )


def _blockers(crate_root: Path, rs_files: Iterable[str]) -> frozenset[str] | None:
    """The names the crate defines (they keep a std path whole), or None when a std glob import
    makes rustc's choice unknowable here."""
    from engine.explain.applicable import crate_names

    files = tuple(rs_files)
    for rel in files:
        try:
            if _STD_GLOB.search((crate_root / rel).read_text(encoding="utf-8", errors="replace")):
                return None
        except OSError:
            continue
    names = crate_names(crate_root, files)
    return frozenset().union(*names.values()) if names else frozenset()


def rustc_paths(diags: Iterable[Diagnostic], crate_root: str | Path) -> tuple[Diagnostic, ...]:
    """The diagnostics with the std paths rustc would have trimmed trimmed (see the module doc)."""
    diags = tuple(diags)
    if not any(_trimmable(d.rendered or d.message) for d in diags):
        return diags  # so a second call on trimmed diagnostics gives them back as they are
    from engine.explain.options import crate_rs_files

    root = Path(crate_root)
    kept = _blockers(root, crate_rs_files(root))
    if kept is None:
        return diags
    return tuple(_diag(d, kept) for d in diags)


def rustc_report(report: CheckReport) -> CheckReport:
    """The report in rustc's words: a clippy run's diagnostics with the std paths rustc trims trimmed.
    The stories quote these; a list of the report's rows beside them (the app's Home) takes the same
    ones, so a row is found in its story's diagnostics."""
    if report.tool != "clippy":  # cargo check's rustc trimmed them already
        return report
    diags = rustc_paths(report.diagnostics, report.crate_root)
    return report if diags is report.diagnostics else msgspec.structs.replace(report, diagnostics=diags)
