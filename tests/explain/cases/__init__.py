"""One-mistake crates for the localization benchmark; runner.py loads and scores them."""
