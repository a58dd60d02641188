"""Evidence for patches beyond check and test: rustfmt of changed items, miri, differential fuzzing, before/after timing."""
