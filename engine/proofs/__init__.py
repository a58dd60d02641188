"""Evidence for patches beyond check and test: rustfmt of changed items, miri status, differential fuzzing."""
