"""Rusta's face: the Textual app and the `rusta` command line. Imports nothing heavy at package level."""
