"""Rusta's benchmarks: speed, quality and size goals, measured side by side with the raw tools."""
