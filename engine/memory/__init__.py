"""Rusta's memory of one repo: preferences per fix family, the repo's style, the user's recurring
mistakes and how stubborn to be, folded from the DevLog into `.rusta/memory/` (see `store`)."""
