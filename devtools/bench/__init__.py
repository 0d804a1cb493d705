"""Benchmarks: accuracy against truth and speed, each printing its numbers (``python3 -m devtools bench…``)."""
