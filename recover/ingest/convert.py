"""Old binary Word (.doc) and WPS (.wps) files, converted to DOCX by LibreOffice headless when installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from recover.errors import UnreadableInputError, UnsupportedFormatError

TIMEOUT = 120  # seconds for one conversion; a file that takes longer is reported unreadable
REMEDY = ("install LibreOffice (apt-get install libreoffice-writer-nogui) so recover converts it, or save it as "
          ".docx")


def office() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@contextmanager
def as_docx(path: Path, kind: str) -> Iterator[Path]:
    """A DOCX converted from the old binary file, in a temporary folder removed afterwards."""
    exe = office()
    if exe is None:
        raise UnsupportedFormatError(path, f"old binary {kind} files need LibreOffice to be read; {REMEDY}")
    with tempfile.TemporaryDirectory(prefix="recover-doc-") as tmp:
        # a private profile: a second LibreOffice running for the same user must not block this one
        cmd = [exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "docx",
               "--outdir", tmp, str(path)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise UnreadableInputError(path, f"LibreOffice did not convert the {kind} file in {TIMEOUT} s") from exc
        out = Path(tmp) / (path.stem + ".docx")
        if not out.is_file():
            raise UnreadableInputError(path, f"LibreOffice could not convert the {kind} file (damaged or not a "
                                             f"{kind} document)")
        yield out
