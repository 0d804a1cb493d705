"""Batch runs: sniff file kinds, run documents in guarded worker processes, keep results in an SQLite store,
export them and summarise them (``recover batch``, ``recover export``, ``python3 -m devtools bench-batch``)."""
