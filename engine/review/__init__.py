"""Reviewing a change between two revisions of a crate: what it broke, what it risks, in CI's formats.

Pure modules (linemap, blame, testdelta, patterns, casts, publicapi, sarif, markdown) work on Structs;
IO lives at the edges (revisions: dulwich exports; runner: cargo on both sides; batch; mbox).
Importing this package loads nothing heavy.
"""
