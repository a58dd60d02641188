"""Localize and repair the bugs that compile: a crate whose `cargo check` is clean but whose tests fail."""
