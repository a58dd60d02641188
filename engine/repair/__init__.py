"""Repair: candidate fixes from every source there is, validated in a sandbox; only green ones offered."""
