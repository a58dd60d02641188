"""Fixture crates written at test time: one with a habit to mine, one with an error to repair."""

from __future__ import annotations

from pathlib import Path

DEBIAN = """[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "/usr/share/cargo/registry"

[net]
offline = true
"""


def crate(
    tmp: Path,
    name: str,
    lib: str,
    *,
    deps: str = "",
    dev_deps: str = "",
    files: dict[str, str] | None = None,
    config: str | None = None,
) -> Path:
    root = tmp / name
    (root / "src").mkdir(parents=True)
    manifest = f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n{deps}'
    if dev_deps:
        manifest += f"\n[dev-dependencies]\n{dev_deps}"
    (root / "Cargo.toml").write_text(manifest)
    (root / "src" / "lib.rs").write_text(lib)
    for rel, text in (files or {}).items():
        (root / rel).write_text(text)
    if config is not None:
        (root / ".cargo").mkdir()
        (root / ".cargo" / "config.toml").write_text(config)
    return root


_SELF = {
    "Self": "impl {t} {{\n    pub fn new() -> Self {{\n        Self {{ v: 0 }}\n    }}\n\n"
    "    pub fn again() -> Self {{\n        Self::new()\n    }}\n}}\n",
    "name": "impl {t} {{\n    pub fn new() -> {t} {{\n        {t} {{ v: 0 }}\n    }}\n\n"
    "    pub fn again() -> {t} {{\n        {t}::new()\n    }}\n}}\n",
}
_STRINGS = {
    ".to_owned()": 'pub fn {f}() -> String {{\n    "{f}".to_owned()\n}}\n',
    "String::from": 'pub fn {f}() -> String {{\n    String::from("{f}")\n}}\n',
}
_CLOSURES = {
    "path": "pub fn {f}(v: &[u8]) -> Vec<String> {{\n    v.iter().map(ToString::to_string).collect()\n}}\n",
    "closure": "pub fn {f}(v: &[u8]) -> Vec<String> {{\n    v.iter().map(|b| b.to_string()).collect()\n}}\n",
}
_ERRS = {
    "?": "pub fn {f}(s: &str) -> Result<u32, std::num::ParseIntError> {{\n    let n: u32 = s.parse()?;\n    Ok(n)\n}}\n",
    ".expect(": 'pub fn {f}(s: &str) -> u32 {{\n    s.parse().expect("a number")\n}}\n',
    ".unwrap()": "pub fn {f}(s: &str) -> u32 {{\n    s.parse().unwrap()\n}}\n",
}
_IMPORTS = {
    "grouped": "use std::fmt;\nuse std::io;\n\nuse crate::{m}::One;\n\n",
    "one block": "use crate::{m}::One;\nuse std::fmt;\nuse std::io;\n\n",
}


def habits(
    tmp: Path,
    name: str,
    *,
    self_type: str | None = None,
    strings: str | None = None,
    closures: str | None = None,
    imports: str | None = None,
    errors: str | None = None,
    deps: str = "",
    dev_deps: str = "",
) -> Path:
    """A crate whose three modules all show the habits asked for (three uses of each at least)."""
    files: dict[str, str] = {}
    for i, m in enumerate(("alpha", "beta", "gamma")):
        text = _IMPORTS[imports].format(m=m) if imports else ""
        text += "pub struct One;\n\n"
        if self_type:
            text += f"pub struct T{i} {{\n    v: u8,\n}}\n\n" + _SELF[self_type].format(t=f"T{i}")
        if strings:
            text += _STRINGS[strings].format(f=f"s{i}")
        if closures:
            text += _CLOSURES[closures].format(f=f"c{i}")
        if errors:
            text += _ERRS[errors].format(f=f"e{i}")
        files[f"src/{m}.rs"] = text
    return crate(
        tmp,
        name,
        "pub mod alpha;\npub mod beta;\npub mod gamma;\n",
        deps=deps,
        dev_deps=dev_deps,
        files=files,
    )
