"""The pure parts of a review: line maps, blame, risky shapes, casts, public API, test deltas.

Each rule is shown on two different crates' code (a shape, not a case).
"""

from __future__ import annotations

from engine.review.blame import blame
from engine.review.casts import cast_message
from engine.review.linemap import line_map
from engine.review.patterns import new_hits
from engine.review.publicapi import api_changes, package_version, public_items
from engine.review.testdelta import delta_of_tests
from toolbelt.types import Diagnostic, DiagnosticCode, Span
from toolbelt.types import TestReport as Report
from toolbelt.types import TestResult as Result_


def diag(message: str, line: int, code: str = "unused_variables", file: str = "src/lib.rs") -> Diagnostic:
    span = Span(
        file_name=file,
        byte_start=line * 10,
        byte_end=line * 10 + 3,
        line_start=line,
        line_end=line,
        column_start=9,
        column_end=12,
        is_primary=True,
    )
    return Diagnostic(message=message, level="warning", code=DiagnosticCode(code=code), spans=(span,))


def test_a_moved_line_maps_to_where_it_went_and_is_not_changed() -> None:
    old = "fn a() {\n    let unused = 1;\n}\n\nfn b() {}\n"
    new = "fn b() {}\n\nfn a() {\n    let unused = 1;\n}\n"
    m = line_map(old, new)
    assert m.head_line(2) == 4
    assert 4 not in m.changed


def test_a_warning_the_change_adds_is_blamed_and_one_that_only_moved_is_not() -> None:
    old = "fn a() {\n    let unused = 1;\n}\n"
    new = "// a comment\n// another\nfn a() {\n    let unused = 1;\n    let spare = 2;\n}\n"
    maps = {"src/lib.rs": line_map(old, new)}
    b = blame(
        [diag("unused variable: `unused`", 2)],
        [diag("unused variable: `unused`", 4), diag("unused variable: `spare`", 5)],
        maps,
    )
    assert [d.message for d in b.new] == ["unused variable: `spare`"]
    assert [d.message for d in b.kept] == ["unused variable: `unused`"]
    assert b.gone == ()


def test_a_warning_the_change_fixes_is_gone_and_nothing_is_blamed() -> None:
    old = "fn a() {\n    let unused = 1;\n}\n"
    new = "fn a() {\n    let _unused = 1;\n}\n"
    b = blame([diag("unused variable: `unused`", 2)], [], {"src/lib.rs": line_map(old, new)})
    assert b.new == () and len(b.gone) == 1


def test_module_paths_do_not_make_two_warnings_of_one() -> None:
    old = "x\n"
    new = "x\n"
    b = blame(
        [diag("mismatched types: expected `inventory::Item`", 1, "E0308")],
        [diag("mismatched types: expected `Item`", 1, "E0308")],
        {"src/lib.rs": line_map(old, new)},
    )
    assert b.new == ()


BASE_A = b"pub fn area(w: u32, h: u32) -> u32 {\n    w * h\n}\n"
HEAD_A = b"""pub fn area(w: u32, h: u32) -> u32 {
    let n: i64 = -4;
    let small = n as u8;
    let p = &w as *const u32;
    let v = unsafe { *p };
    let big = 300 as u8;
    w * h + v + small as u32 + big as u32
}
"""
BASE_B = b"pub struct Stack { items: Vec<i32> }\n"
HEAD_B = b"""pub struct Stack { items: Vec<i32> }
impl Stack {
    pub fn top(&self, i: i32) -> i16 {
        let raw = unsafe { *self.items.as_ptr() };
        i as i16 + raw as i16
    }
}
"""


def _rules(path: str, base: bytes, head: bytes) -> list[tuple[str, int, str]]:
    lines = frozenset(line_map(base.decode(), head.decode()).changed)
    return [(h.rule, h.line, h.message) for h in new_hits(path, base, head, lines)]


def test_unsafe_and_lossy_casts_on_changed_lines_two_crates() -> None:
    a = _rules("src/lib.rs", BASE_A, HEAD_A)
    assert ("rusta/new-unsafe", 5) in [(r, ln) for r, ln, _ in a]
    casts = [(ln, m) for r, ln, m in a if r == "rusta/lossy-cast"]
    assert any(ln == 3 and "can truncate or change sign: `n` is `i64`" in m for ln, m in casts)
    assert any(
        ln == 6 and "`300 as u8` truncates: 300 does not fit" in m and "becomes 44" in m for ln, m in casts
    )
    # `small` is `n as u8` and `big` is `300 as u8`: u8 -> u32 loses nothing; `v` shows no type
    assert not any(ln == 7 and ("`small" in m or "`big" in m) for ln, m in casts)
    assert not any("`w" in m for _, m in casts)
    b = _rules("src/stack.rs", BASE_B, HEAD_B)
    assert ("rusta/new-unsafe", 4) in [(r, ln) for r, ln, _ in b]
    b_casts = [m for r, _, m in b if r == "rusta/lossy-cast"]
    assert any("`i as i16` can truncate: `i` is `i32`" in m for m in b_casts)
    assert any("`raw as i16` may truncate or change sign" in m for m in b_casts)


def test_code_that_only_moved_is_not_new() -> None:
    base = b"fn a() -> u8 {\n    let v = unsafe { f() };\n    v\n}\nfn b() {}\n"
    head = b"fn b() {}\nfn a() -> u8 {\n    let v = unsafe { f() };\n    v\n}\n"
    assert _rules("src/lib.rs", base, head) == []


def test_panics_count_in_library_code_only_not_in_tests_or_binaries() -> None:
    head = b"""pub fn parse(s: &str) -> u32 {
    s.parse().unwrap()
}
pub fn must(s: Option<u8>) -> u8 { s.expect("set by new") }
#[cfg(test)]
mod tests {
    #[test]
    fn t() { Some(1).unwrap(); panic!("x"); }
}
"""
    hits = _rules("src/lib.rs", b"", head)
    assert [(r, ln) for r, ln, _ in hits] == [("rusta/panic-in-library", 2), ("rusta/panic-in-library", 4)]
    assert _rules("src/main.rs", b"", head) == []
    assert _rules("tests/api.rs", b"", head) == []


def test_blocking_calls_in_async_fn_but_not_awaited_locks_or_sync_fns() -> None:
    head = b"""pub async fn load(p: &str, m: &std::sync::Mutex<u8>, t: &tokio::sync::Mutex<u8>) -> u8 {
    std::thread::sleep(std::time::Duration::from_millis(5));
    let s = std::fs::read_to_string(p).unwrap_or_default();
    let a = *m.lock().unwrap_or_else(|e| e.into_inner());
    let b = *t.lock().await;
    a + b + s.len() as u8
}
pub fn sync_load(p: &str) -> String { std::fs::read_to_string(p).unwrap_or_default() }
"""
    hits = [(r, ln) for r, ln, _ in _rules("src/io.rs", b"", head) if r == "rusta/blocking-in-async"]
    assert hits == [
        ("rusta/blocking-in-async", 2),
        ("rusta/blocking-in-async", 3),
        ("rusta/blocking-in-async", 4),
    ]


def test_todo_and_a_new_allow_with_its_removal_patch() -> None:
    head = b"#[allow(dead_code)]\nfn later() -> u8 {\n    todo!()\n}\n"
    lines = frozenset(line_map("", head.decode()).changed)
    hits = new_hits("src/lib.rs", b"", head, lines)
    assert [h.rule for h in hits] == ["rusta/new-allow", "rusta/todo"]
    allow = hits[0]
    assert allow.fix and allow.fix[0].start == 0 and allow.fix[0].end == len(b"#[allow(dead_code)]\n")


def test_cast_decisions_from_annotations_and_literals() -> None:
    src = b"fn f(a: u8, b: i32, c: f64) { let d: u64 = 1; }"
    at = len(src) - 1
    assert cast_message(src, "a", "identifier", at, "u32") is None
    assert "can change sign" in cast_message(src, "b", "identifier", at, "u32")
    shown = b"fn g(x: i64) { let small = x as u8; let lit = 7i64; }"
    assert cast_message(shown, "small", "identifier", len(shown) - 1, "u16") is None
    assert "can truncate: `lit` is `i64`" in cast_message(shown, "lit", "identifier", len(shown) - 1, "i8")
    assert "can truncate" in cast_message(src, "c", "identifier", at, "i32")
    assert "can truncate: `d` is `u64`" in cast_message(src, "d", "identifier", at, "u16")
    assert cast_message(src, "255", "integer_literal", at, "u8") is None
    assert "changes sign" in cast_message(src, "-1", "unary_expression", at, "u8")


def test_public_api_changes_and_the_manifest_version() -> None:
    base = {
        "src/lib.rs": b"pub fn f(x: u8) -> u8 { x }\npub mod m { pub fn g() {} }\nstruct Private;\n",
        "src/shapes.rs": b"pub struct Circle { pub r: f64 }\nimpl Circle { pub fn area(&self) -> f64 { 1.0 } }\n",
    }
    head = {
        "src/lib.rs": b"pub fn f(x: u16) -> u8 { 1 }\npub mod m { fn g() {} }\nstruct Private(u8);\n",
        "src/shapes.rs": b"pub struct Circle { pub r: f64 }\nimpl Circle { pub fn area(&self) -> f64 { 2.0 } pub fn d(&self) -> f64 { 1.0 } }\n",
        "src/main.rs": b"pub fn not_api() {}\n",
    }
    changes = {(c.change, c.item.path) for c in api_changes(public_items(base), public_items(head))}
    assert changes == {
        ("changed", "crate::f"),
        ("removed", "crate::m::g"),
        ("added", "crate::shapes::Circle::d"),
    }
    assert package_version(b'[package]\nname = "x"\nversion = "1.2.0"\n') == ("1.2.0", 3)


def _report(status: str, **tests: str) -> Report:
    return Report(
        crate_root="/x",
        status=status,  # type: ignore[arg-type]
        tests=tuple(Result_(name=n, status=s, suite="unittests src/lib.rs") for n, s in tests.items()),  # type: ignore[arg-type]
    )


def test_test_delta_broken_added_not_run_and_still_failing() -> None:
    base = _report("failed", adds="ok", doubles="ok", old="failed", gone="ok")
    head = _report("failed", adds="ok", doubles="failed", old="failed", new="ok", slow="ignored")
    d = delta_of_tests(base, head)
    assert d.broken == ("doubles",) and d.added == ("new", "slow") and d.still_failing == ("old",)
    assert set(d.not_run) == {"slow", "gone"}
    both = delta_of_tests(_report("ok", doc="ignored"), _report("ok", doc="ignored", skip="ignored"))
    assert both.not_run == ("skip",)  # ignored at base too (a ```ignore doctest): not the change's
    nothing = delta_of_tests(base, _report("build_failed"))
    assert (
        nothing.broken == ()
        and "does not compile" in nothing.note
        and set(nothing.not_run)
        == {
            "adds",
            "doubles",
            "old",
            "gone",
        }
    )


def test_early_return_patches_only_where_the_fn_can_return_early_two_crates() -> None:
    from engine.edits import apply_edits

    parser = b"""pub fn parse(s: &str) -> Result<u8, Box<dyn std::error::Error>> {
    let n: i64 = s.parse().unwrap();
    Ok((n + 1) as u8)
}
pub fn plain(v: Option<u8>) -> u8 {
    v.unwrap()
}
"""
    stack = b"""pub struct Stack(Vec<u32>);
impl Stack {
    pub fn top16(&self) -> Option<u16> {
        let t: u32 = *self.0.last().expect("never empty");
        Some(t as u16)
    }
}
"""
    out = {}
    for path, src in (("src/parse.rs", parser), ("src/stack.rs", stack)):
        lines = frozenset(line_map("", src.decode()).changed)
        for h in new_hits(path, b"", src, lines):
            out[(path, h.line)] = apply_edits(src, h.fix).decode().splitlines()[h.line - 1] if h.fix else None
    assert out[("src/parse.rs", 2)] == "    let n: i64 = s.parse()?;"
    assert out[("src/parse.rs", 3)] == "    Ok(u8::try_from(n + 1)?)"
    assert out[("src/parse.rs", 6)] is None  # `plain` returns u8: nothing to return early with
    assert out[("src/stack.rs", 4)] == "        let t: u32 = *self.0.last()?;"
    assert out[("src/stack.rs", 5)] == "        Some(u16::try_from(t).ok()?)"


def test_replacements_from_a_diff_and_none_from_one_that_does_not_apply() -> None:
    from engine.review.findings import replacements

    diff = "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-let a = 1;\n+let _a = 1;\n"
    (r,) = replacements(diff, {"src/lib.rs": b"let a = 1;\n"})
    assert (r.offset, r.length, r.text) == (4, 0, "_")
    assert replacements(diff, {"src/lib.rs": b"let b = 2;\n"}) == ()
