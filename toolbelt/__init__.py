"""Rusta's hands: run Rust's own tools under hard limits and turn what they say into typed data.

No ML, no UI. Structs live in `toolbelt.types`, the root exception in `toolbelt.errors`.
"""
