"""A trait method missing from an impl (E0046) whose body the signature and the struct's fields make
plain: the setter and the getter are written out in place of rustc's `todo!()`, and a method whose
body nothing shows gets none. Real cargo on a crate written here."""

from __future__ import annotations

from pathlib import Path

from engine.edits import apply_edits
from engine.repair.trait_item_body import body_from_fields
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

LAMP = """pub trait Dimmer {
    fn level(&self) -> u8;
    fn set_level(&mut self, value: u8);
    fn label(&self) -> &String;
    fn blink(&mut self, times: u32);
}

pub struct Lamp {
    level: u8,
    label: String,
}

impl Dimmer for Lamp {
    fn blink(&mut self, _times: u32) {}
}

pub fn brighten(l: &mut Lamp) -> u8 {
    l.set_level(l.level() + 1);
    l.label().len() as u8 + l.level()
}
"""


def test_setter_and_getters_are_written_from_the_fields(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "lamp", LAMP)
    diags = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0046"]
    assert len(diags) == 1
    source = (root / "src" / "lib.rs").read_bytes()
    cands = body_from_fields(diags[0], lambda _p: source, ("src/lib.rs",))
    assert len(cands) == 3
    patched = apply_edits(source, tuple(e for c in cands for e in c.edits)).decode()
    assert "    fn set_level(&mut self, value: u8) {\n        self.level = value;\n    }\n" in patched
    assert "    fn level(&self) -> u8 {\n        self.level\n    }\n" in patched
    assert "    fn label(&self) -> &String {\n        &self.label\n    }\n" in patched
    (root / "src" / "lib.rs").write_text(patched)
    assert run_check(root, target_dir=tmp_path / "target").status == "clean"


def test_a_method_no_field_explains_keeps_rustcs_todo(tmp_path: Path) -> None:
    text = LAMP.replace("    fn blink(&mut self, _times: u32) {}\n", "")
    text = text.replace("    fn set_level(&mut self, value: u8);\n", "").replace(
        "l.set_level(l.level() + 1);", ""
    )
    for getter in (
        "level(&self) -> u8 {\n        self.level\n    }",
        "label(&self) -> &String {\n        &self.label\n    }",
    ):
        text = text.replace("impl Dimmer for Lamp {\n", "impl Dimmer for Lamp {\n    fn " + getter + "\n")
    root = write_lib(tmp_path, "lamp", text)
    diags = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0046"]
    assert len(diags) == 1 and "`blink`" in diags[0].message
    source = (root / "src" / "lib.rs").read_bytes()
    assert body_from_fields(diags[0], lambda _p: source, ("src/lib.rs",)) == []
