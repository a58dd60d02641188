"""Typed facts read once from each rustc diagnostic: the one place that reads rustc's wording."""
