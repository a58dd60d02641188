"""A missing std name used inside an inline `mod name { .. }` is imported in that module: a `use` at
the crate root does not reach into it. Real cargo on a crate written here."""

from __future__ import annotations

from pathlib import Path

from engine.repair.names import unresolved_name
from engine.repair.placement import module_use_edit
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

SRC = """pub mod ledger {
    pub mod audit {
        pub fn ok() -> bool {
            true
        }
    }

    pub struct Book {
        seen: BTreeMap<u32, String>,
    }

    impl Book {
        pub fn new() -> Self {
            Book { seen: BTreeMap::new() }
        }

        pub fn len(&self) -> usize {
            self.seen.len()
        }
    }
}

pub fn count() -> usize {
    ledger::Book::new().len()
}
"""


def test_rustas_own_import_lands_in_the_module_that_uses_the_name(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "books", SRC)
    report = run_check(root, target_dir=tmp_path / "target")
    errors = [d for d in report.diagnostics if d.level == "error" and "BTreeMap" in d.message]
    assert errors
    data = SRC.encode()

    def read(f: str) -> bytes | None:
        return (root / f).read_bytes() if (root / f).exists() else None

    cands = [c for c in unresolved_name(errors[0], read, ("src/lib.rs",)) if c.family == "use"]
    assert cands
    (edit,) = cands[0].edits
    assert edit.replacement == "    use std::collections::BTreeMap;\n"
    fixed = data[: edit.start] + edit.replacement.encode() + data[edit.end :]
    assert fixed.decode().startswith("pub mod ledger {\n    use std::collections::BTreeMap;\n")
    (root / "src" / "lib.rs").write_bytes(fixed)
    assert not [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.level == "error"]


def test_a_name_outside_every_module_keeps_the_file_scope() -> None:
    src = b"mod a {\n    pub fn f() {}\n}\n\nfn g() -> u8 { 1 }\n"
    assert module_use_edit(src, src.index(b"fn g"), "std::fmt") is None
    inner = b"mod a {\n    use std::io;\n\n    fn f() {}\n}\n"
    assert module_use_edit(inner, inner.index(b"fn f"), "std::fmt") == (
        inner.index(b"\n\n    fn") + 1,
        "    use std::fmt;\n",
    )


def test_the_innermost_inline_module_takes_the_import() -> None:
    src = b"mod a {\n    use std::io;\n\n    mod b {\n        fn f() {}\n    }\n}\n"
    assert module_use_edit(src, src.index(b"fn f"), "std::fmt") == (
        src.index(b"mod b {\n") + len(b"mod b {\n"),
        "        use std::fmt;\n",
    )
