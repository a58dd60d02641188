"""Fixture crates for the `impl Trait` against generics habit: three fns written each way."""

from __future__ import annotations

from pathlib import Path

from tests.memory.crates import crate

_HABIT = {
    "impl Trait": 'pub fn h{i}(x: impl std::fmt::Debug) -> String {{\n    format!("{{:?}}", x)\n}}\n\n',
    "generics": 'pub fn h{i}<T: std::fmt::Debug>(x: T) -> String {{\n    format!("{{:?}}", x)\n}}\n\n',
    "where clauses": 'pub fn h{i}<T>(x: T) -> String\nwhere\n    T: std::fmt::Debug,\n{{\n    format!("{{:?}}", x)\n}}\n\n',
}
# a closure that captures, passed where the parameter is a fn pointer (E0308): fnpointer's `impl Fn`
FN_POINTER = (
    "pub fn apply(f: fn(f32) -> f32, x: f32) -> f32 {\n    f(x)\n}\n\n"
    "pub fn scaled(k: f32) -> f32 {\n    apply(|v| v * k, 2.0)\n}\n"
)
# a type parameter used without its bound (E0277): rustc restricts it, `<T: std::fmt::Display>`
UNBOUND = 'pub fn show<T>(x: T) -> String {\n    format!("{}", x)\n}\n'
UNBOUND_TWICE = 'pub fn show<T>(a: T, b: T) -> String {\n    format!("{}{}", a, b)\n}\n'
TURBOFISH = UNBOUND + "\npub fn shown() -> String {\n    show::<u8>(3)\n}\n"


def generic_crate(tmp: Path, name: str, habit: str, code: str) -> Path:
    lib = "pub mod habit;\npub mod work;\n"
    habit_rs = "".join(_HABIT[habit].format(i=i) for i in range(3))
    return crate(tmp, name, lib, files={"src/habit.rs": habit_rs, "src/work.rs": code})
