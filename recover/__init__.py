"""recover: get the numbers back out of damaged Chinese government information-disclosure annual reports.

    >>> import recover
    >>> result = recover.extract("corpus/seed_000/000_c065b0c281ef9ff9.txt")
    >>> result.status, len(result.cells)
    ('needs_review', 188)
    >>> text = result.to_json()  # the output contract (docs/output.md); result.cells_frame(): a pandas DataFrame

``extract`` raises a ``RecoverError`` subclass (each with its ``exit_code`` and ``remedy``) for an input it cannot
read. The pipeline is imported on first use, so ``import recover`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from recover.batch.defaults import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
from recover.errors import (ConfigurationError, DamagedPdfError, DamagedStoreError, DocumentOutOfMemoryError,
                            DocumentTimeoutError, ExitCode, InputMissingError, MissingDependencyError, NoTablesError,
                            RecoverError, ReviewServerError, UnreadableInputError, UnsupportedFormatError,
                            WorkerCrashedError)

if TYPE_CHECKING:
    from pathlib import Path

    from recover.model import Extraction

__version__ = "0.1.0"
SCHEMA_VERSION = 1

__all__ = ["extract", "Extraction", "RecoverError", "ExitCode", "InputMissingError", "UnreadableInputError",
           "UnsupportedFormatError", "NoTablesError", "MissingDependencyError", "DamagedPdfError", "DamagedStoreError",
           "DocumentTimeoutError", "DocumentOutOfMemoryError", "WorkerCrashedError", "ReviewServerError",
           "ConfigurationError",
           "SCHEMA_VERSION", "__version__"]


def extract(path: str | Path, *, kind: str | None = None, timeout: float | None = DEFAULT_TIMEOUT,
            memory_mb: int | None = DEFAULT_MEMORY_MB) -> Extraction:
    """Recover the tables of one report file (text, HTML, DOCX, DOC/WPS, PDF, a scan as an image, a multi-page TIFF,
    an image-only PDF or a folder of page images). ``kind`` forces how the file is read ("text", "html", "docx",
    "pdf", "image", "doc"); by default its suffix decides. Raises a ``RecoverError`` subclass naming the file and
    the remedy when it cannot be read.

    The document is read in a worker process (kept for the next call) held to a budget, as a batch worker is:
    ``timeout`` seconds (past it ``DocumentTimeoutError``, exit code 8) and an address space of ``memory_mb``
    (past it ``DocumentOutOfMemoryError``, exit code 9); ``None`` lifts either. With both ``None`` the document is
    read in this process, with no guard."""
    if timeout is None and memory_mb is None:
        from recover.pipeline import extract as run

        return run(str(path), kind=kind)
    from recover.budget import extract_in_worker

    return extract_in_worker(str(path), kind, timeout, memory_mb)


def __getattr__(name: str) -> object:
    if name == "Extraction":
        from recover.model import Extraction

        return Extraction
    raise AttributeError(f"module 'recover' has no attribute {name!r}")
