"""A closure coerced to a trait object written without a lifetime (`Box<dyn Fn(&Event)>` means
`+ 'static`, rustc's note "due to object lifetime defaults"): the root cause is that written type,
never a thread; the ways out are a lifetime on the object or state shared through `Rc` (#14). The
lifetime fix is validated: it compiles and the crate's test passes. Real cargo on crates written
here, two different programs with the same mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, line_of, option_names, story_text

pytestmark = pytest.mark.slow

# a registry of callbacks capturing a local `Cell` counter: E0597 alone
REGISTRY = """use std::cell::Cell;

pub enum Event {
    Tick,
    Stop,
}

#[derive(Default)]
pub struct Registry {
    callbacks: Vec<Box<dyn Fn(&Event)>>,
}

impl Registry {
    pub fn register(&mut self, f: Box<dyn Fn(&Event)>) {
        self.callbacks.push(f);
    }

    pub fn fire(&self, e: &Event) {
        for f in &self.callbacks {
            f(e);
        }
    }
}

pub fn ticks(events: &[Event]) -> u32 {
    let seen = Cell::new(0u32);
    let mut reg = Registry::default();
    reg.register(Box::new(|e| {
        if let Event::Tick = e {
            seen.set(seen.get() + 1);
        }
    }));
    for e in events {
        reg.fire(e);
    }
    drop(reg);
    seen.get()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_ticks() {
        assert_eq!(ticks(&[Event::Tick, Event::Stop, Event::Tick]), 2);
    }
}
"""

# a button whose handler assigns to a local: E0594, E0597 and E0503 from one written type
BUTTON = """pub struct Button {
    on_click: Option<Box<dyn Fn()>>,
}

impl Button {
    pub fn new() -> Self {
        Button { on_click: None }
    }

    pub fn set_handler(&mut self, f: Box<dyn Fn()>) {
        self.on_click = Some(f);
    }

    pub fn click(&self) {
        if let Some(f) = &self.on_click {
            f();
        }
    }
}

pub fn clicks_after(n: usize) -> usize {
    let mut clicks = 0;
    let mut b = Button::new();
    b.set_handler(Box::new(|| clicks += 1));
    for _ in 0..n {
        b.click();
    }
    drop(b);
    clicks
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_clicks() {
        assert_eq!(super::clicks_after(2), 2);
    }
}
"""

THREADS = ("thread", "into_iter", "spawn")


def test_a_bare_trait_object_is_the_root_and_gets_a_lifetime(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "registry", REGISTRY)
    e = next(e for e in stories if e.code == "E0597")
    assert e.root_cause.line == line_of(REGISTRY, "pub fn register("), e.root_cause
    said = " ".join(story_text(e).split())
    assert not any(w in said for w in THREADS), said
    assert "means `+ 'static`" in e.summary, e.summary
    assert option_names(e)[:2] == ["give the trait object a lifetime", "share the state through Rc"], (
        e.options
    )
    run = validate(stories, tmp_path / "registry")
    fixes = [o for x in run.explanations if x.code == "E0597" for o in x.fixes]
    green = [o for o in fixes if o.ticked and not o.errors_left]
    assert green, [(o.name, o.validated, o.errors_left, o.tests_failed) for o in fixes]
    shown = " ".join(green[0].shows)
    assert "dyn Fn(&Event) + 'a" in shown and "impl<'a> Registry<'a>" in shown, shown


def test_three_errors_from_one_bare_fn_object_are_one_story(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "button", BUTTON)
    e = next(e for e in stories if e.code == "E0594")
    assert e.root_cause.line == line_of(BUTTON, "pub fn set_handler("), e.root_cause
    assert {d.code_str for d in e.diagnostics} >= {"E0594", "E0597", "E0503"}, e.diagnostics
    said = " ".join(story_text(e).split())
    assert not any(w in said for w in THREADS), said
    assert "Copy what you need out" not in said, said
    assert "declared here" not in (e.root_cause.label or ""), e.root_cause
    assert "share the state through Rc" in option_names(e), option_names(e)
    # FnMut with the holder's lifetime, and the method that calls the closure takes `&mut self`
    run = validate(stories, tmp_path / "button")
    fixes = [o for x in run.explanations if x.code == "E0594" for o in x.fixes]
    green = [o for o in fixes if o.ticked and not o.errors_left]
    assert green, [(o.name, o.validated, o.errors_left, o.tests_failed) for o in fixes]
    shown = " ".join(green[0].shows)
    assert "dyn FnMut() + 'a" in shown and "fn click(&mut self)" in shown, shown


def test_a_trait_object_that_names_its_lifetime_is_not_blamed(tmp_path: Path) -> None:
    """`dyn Fn() + 'static` says what it means: no default to blame, the closure kind story stays."""
    src = BUTTON.replace("Box<dyn Fn()>", "Box<dyn Fn() + 'static>")
    e = next(e for e in explain_lib(tmp_path, "named", src) if e.code == "E0594")
    assert e.root_cause.line != line_of(src, "pub fn set_handler("), e.root_cause
