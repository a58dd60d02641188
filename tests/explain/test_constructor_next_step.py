"""A struct literal that cannot name private fields is built through the type's own constructor when
its parameters cover the literal's fields, and the fix says what the constructor does that the
literal did not (#14, review H h08). The mistake: making a private `fn new` `pub` uncovered E0451 in
another fn's struct literal, and Rusta named the hidden error but no green step past it. Real cargo
on crates written here: the literal's `"x".to_string()` is passed as the `&str` the constructor
takes, the field the constructor sets itself is said, and so are its asserts and the calls it makes
on its inputs; a constructor that only stores its inputs gets no such warning.
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import crate_tests_with, explain_lib

pytestmark = pytest.mark.slow

# a private `new` that trims and checks its name; `default_profile` writes the literal itself
PROFILE = """pub mod users {
    pub struct Profile {
        name: String,
        pub age: u8,
        visits: u32,
    }

    impl Profile {
        fn new(name: &str, age: u8) -> Self {
            assert!(age < 150, "age out of range");
            Profile { name: name.trim().to_string(), age, visits: 0 }
        }

        pub fn name(&self) -> &str {
            &self.name
        }
    }
}

use users::Profile;

pub fn parse(line: &str) -> Profile {
    Profile::new(line, 30)
}

pub fn default_profile() -> Profile {
    Profile { name: " guest ".to_string(), age: 0, visits: 0 }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names() {
        assert_eq!(super::parse(" ann ").name(), "ann");
        assert_eq!(super::default_profile().name(), "guest");
    }
}
"""

# a public constructor that only stores what it is given, and sets one field itself
POINT = """pub mod geo {
    pub struct Pin {
        label: String,
        pub x: i32,
        hits: u32,
    }

    impl Pin {
        pub fn at(label: &str, x: i32) -> Pin {
            Pin { label: label.into(), x, hits: 0 }
        }

        pub fn label(&self) -> &str {
            &self.label
        }
    }
}

pub fn origin() -> geo::Pin {
    geo::Pin { label: String::from("o"), x: 0, hits: 0 }
}

#[cfg(test)]
mod tests {
    #[test]
    fn origin_label() {
        assert_eq!(super::origin().label(), "o");
    }
}
"""


def test_the_now_public_new_is_the_next_green_step(tmp_path) -> None:
    stories = validate(list(explain_lib(tmp_path, "profile", PROFILE)), tmp_path / "profile").explanations
    e = next(s for s in stories if s.code == "E0624")
    fix = next(o for o in e.fixes if any('Profile::new(" guest ", 0)' in ln for ln in o.shows))
    assert fix.ticked and fix.steps, (fix.validated, fix.state_words)
    said = " ".join(fix.steps)
    assert "`new` sets `visits` to `0` itself, as the literal did" in said, said
    assert "transforms its inputs (`name.trim()" in said, said
    assert "asserts on them (`assert!(age < 150" in said, said
    # pair shows the cost beside the ✓: what the call does to the literal's values
    assert "`Profile::new` transforms its inputs (`name.trim()`) and asserts on them" in fix.cost, fix.cost
    assert crate_tests_with(tmp_path, "profile", fix) == "ok"


def test_a_constructor_that_only_stores_gets_no_transform_warning(tmp_path) -> None:
    stories = validate(list(explain_lib(tmp_path, "pin", POINT)), tmp_path / "pin").explanations
    e = next(s for s in stories if s.code == "E0451")
    fix = next(o for o in e.fixes if any('geo::Pin::at("o", 0)' in ln for ln in o.shows))
    assert fix.ticked, (fix.validated, fix.state_words)
    assert "`at` sets `hits` to `0` itself, as the literal did" in fix.name, fix.name
    assert "transforms" not in fix.name and "asserts" not in fix.name, fix.name
    assert "transforms" not in fix.cost and "asserts" not in fix.cost, fix.cost
