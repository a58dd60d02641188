"""Study, pair and silent: the same facts rendered three ways. Data and rendering choices, no Textual."""
