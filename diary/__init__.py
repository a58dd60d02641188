"""Rusta's memory: the DevLog write-ahead log and the snapshot store. No ML, no UI."""
