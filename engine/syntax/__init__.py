"""The syntax layer: Rust source as a tree-sitter tree, and the shape questions explain and repair ask."""
