"""Match: map observed (mangled) row labels and column headers to the canonical catalogue."""
