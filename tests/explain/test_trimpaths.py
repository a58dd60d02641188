"""clippy's run spells std paths out; Rusta quotes them the way `cargo check` prints them.

Real cargo on a fixture crate: every path `trimpaths.TRIMMED` lists is used in a note, and the text
clippy's run gives, once trimmed, is `cargo check`'s text line for line (source lines included,
untouched). A crate that defines an item of the same name keeps rustc's full path.
"""

from __future__ import annotations

import re

import pytest

from engine.explain.api import explain_report
from engine.explain.trimpaths import TRIMMED, rustc_paths, rustc_report
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

pytestmark = pytest.mark.slow

TYPES = """Vec<u8> String Option<u8> Box<u8> Rc<u8> Arc<u8> Cell<u8> RefCell<u8> Result<u8,u8>
Cow<'static,str> File ParseIntError ParseFloatError JoinHandle<u8> Thread NonZero<u8> Wrapping<u8>
PhantomData<u8> OnceLock<u8> LazyLock<u8> PoisonError<u8> Pin<Box<u8>> BufReader<u8> Stdin Stdout
TcpListener ManuallyDrop<u8> Utf8Error Chars<'static> FromUtf8Error Args CString NulError AtomicU64
Reverse<u8>""".split()
TRAITS = """Clone Copy Debug Default Ord Hash From<u8> Into<u8> AsRef<str> Borrow<str> Iterator
DoubleEndedIterator ExactSizeIterator Extend<u8> FromIterator<u8> ToString Future FromStr Add Neg
Deref Index<usize>""".split()


def _full(name: str) -> str:
    bare = name.split("<", 1)[0]
    return next(p for p in TRIMMED if p.rsplit("::", 1)[1] == bare) + name[len(bare) :]


def _source() -> str:
    lines = ["pub struct S;", "fn t<T>() -> T { loop {} }", "pub fn types() {"]
    lines += [f"    let _: () = t::<{_full(n)}>();" for n in TYPES]
    lines.append("}")
    for i, tr in enumerate(TRAITS):
        lines.append(f"fn need{i}<T: {_full(tr)}>(_: T) {{}}")
    lines.append("pub fn traits() {")
    lines += [f"    need{i}(S);" for i in range(len(TRAITS))]
    lines.append("}")
    return "\n".join(lines) + "\n"


# clippy names the macros of a chain the other way round, and picks other examples for rustc's
# "the following other types implement trait" lists (one name a line, or "and N others")
_NOT_COMPARED = re.compile(r"originates in the macro|^\s+(?:[\w:<>', ]+|and \d+ others)$")


def _text(diags) -> list[str]:
    """rustc's rendered lines of every error, sorted: the two runs list std's other impls in either order."""
    return sorted(
        ln
        for d in diags
        if d.level == "error"
        for ln in (d.rendered or "").splitlines()
        if not _NOT_COMPARED.search(ln)
    )


def test_every_listed_path_is_trimmed_as_cargo_check_prints_it(tmp_path):
    assert {_full(n).split("<", 1)[0] for n in TYPES + TRAITS} == set(TRIMMED)
    root = write_lib(tmp_path, "trimmed", _source())
    check = run_check(root, target_dir=tmp_path / "target")
    clippy = run_check(root, tool="clippy", target_dir=tmp_path / "target-clippy")
    assert any("std::vec::Vec<u8>" in ln for ln in _text(clippy.diagnostics) if "found" in ln)
    assert _text(rustc_paths(clippy.diagnostics, root)) == _text(check.diagnostics)


def test_a_crate_item_of_the_same_name_keeps_the_std_path(tmp_path):
    src = "pub struct Rc;\npub fn f() -> Rc {\n    let _: () = std::rc::Rc::new(1u8);\n    Rc\n}\n"
    root = write_lib(tmp_path, "ownrc", src)
    check = run_check(root, target_dir=tmp_path / "target")
    clippy = run_check(root, tool="clippy", target_dir=tmp_path / "target-clippy")
    assert any("std::rc::Rc<u8>" in ln for ln in _text(check.diagnostics))
    assert _text(rustc_paths(clippy.diagnostics, root)) == _text(check.diagnostics)


def test_the_trimmed_report_is_what_the_stories_quote(tmp_path):
    """A list of the report's rows beside the stories (the app's Home) finds each row in its story:
    the report trimmed once is trimmed no further by explain, a path off the list left as it is."""
    src = (
        "use std::collections::HashMap;\n"
        "pub fn f(v: Vec<String>) -> usize {\n    let w = v;\n    v.len() + w.len()\n}\n"
        "pub fn g() {\n    let _: u8 = HashMap::<u8, u8>::new();\n}\n"
    )
    root = write_lib(tmp_path, "rows", src)
    clippy = run_check(root, tool="clippy", target_dir=tmp_path / "target-clippy")
    report = rustc_report(clippy)
    said = "".join(d.rendered or "" for d in report.diagnostics)
    assert "std::vec::Vec" not in said and "`Vec<String>`" in said and "std::collections::HashMap" in said
    assert rustc_report(report).diagnostics is report.diagnostics
    stories = explain_report(report)
    for d in report.diagnostics:
        if d.level == "error":
            assert any(d in e.diagnostics for e in stories), d.message
