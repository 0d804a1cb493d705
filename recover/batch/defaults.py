"""Default limits of ``recover batch`` (kept apart so the command line reads them without importing the pool)."""

DEFAULT_TIMEOUT = 300.0  # seconds per document before its worker is killed (a 3-page scan takes about 50 s)
DEFAULT_MEMORY_MB = 4096  # address-space limit (RLIMIT_AS) per worker process
