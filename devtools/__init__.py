"""recover's development tools: document generators with their truth, and benchmarks (``python3 -m devtools``).
Not part of the installed package (the wheel holds ``recover`` alone)."""
