"""Exit codes and the exceptions that map to them.

One enum for every way the command line can end; one exception class per failure, each carrying the
remedy a user can act on. Errors are classified by class, never by message text.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Process exit codes of the ``recover`` command (documented in the README)."""

    ok = 0  # finished; also when some cells need review
    bad_args = 2  # the command line itself is wrong
    input_missing = 3  # the input path does not exist or cannot be read
    unreadable = 4  # the file exists but its content cannot be decoded/parsed
    unsupported_format = 5  # a kind of file recover does not read (yet)
    no_tables = 6  # the document was read but holds none of the report tables
    batch_partial = 7  # a batch finished, some of its files failed (their errors are listed)
    timeout = 8  # batch: a document ran past its time limit (its worker was killed)
    out_of_memory = 9  # batch: a document ran past its memory limit
    internal = 10  # a bug in recover: please report it with the input file
    missing_dependency = 11  # a program recover needs for this command is not installed
    configuration = 12  # a setting (environment variable, option) names something that does not exist


class RecoverError(Exception):
    """Base class: a failure on one input file, with the remedy the user can apply."""

    exit_code: ExitCode = ExitCode.internal
    remedy: str = "report this as a bug, attaching the input file"

    def __init__(self, path: Path | str, detail: str) -> None:
        self.path = str(path)
        self.detail = detail
        super().__init__(f"{self.path}: {detail}")

    def __reduce__(self) -> tuple:
        """Pickled with its path and detail (a worker process sends it to its parent)."""
        return type(self), (self.path, self.detail), self.__dict__

    def message(self) -> str:
        """One line naming the file, what went wrong, and what to do about it."""
        return f"{self.path}: {self.detail}. Remedy: {self.remedy}."


class InputMissingError(RecoverError):
    exit_code = ExitCode.input_missing
    remedy = "check the path; recover reads a file or a folder of report files"


class UnreadableInputError(RecoverError):
    exit_code = ExitCode.unreadable
    remedy = "the file is damaged or not text in a known encoding (UTF-8, UTF-16, GB18030); re-export it"


class UnsupportedFormatError(RecoverError):
    exit_code = ExitCode.unsupported_format
    remedy = "convert the document to plain text (.txt/.md) or supply it in a supported format"


class NoTablesError(RecoverError):
    exit_code = ExitCode.no_tables
    remedy = ("the document holds none of the report tables (二 主动公开, 三 申请, 四 复议诉讼); "
              "check that it is a 政府信息公开工作年度报告 and that its tables were not lost in conversion")


class MissingDependencyError(RecoverError):
    """A program a command needs is not installed (``path`` names the program, ``detail`` how to install it)."""

    exit_code = ExitCode.missing_dependency
    remedy = "install it (scripts/install.sh installs everything recover uses), then run the command again"


class ConfigurationError(RecoverError):
    """A setting names something recover does not have (``path`` names the setting, ``detail`` what it said)."""

    exit_code = ExitCode.configuration
    remedy = "set it to one of the values listed, or unset it for the default"


class DamagedPdfError(UnreadableInputError):
    remedy = "the PDF is damaged, truncated or encrypted; download or export it again"


class DamagedStoreError(UnreadableInputError):
    """A batch's results store (``results.sqlite``) that is damaged or was not written by recover batch."""

    remedy = ("restore results.sqlite from a copy, or run recover batch again into a new output folder (the "
              "per-document JSON reports beside it are intact)")


class DocumentTimeoutError(RecoverError):
    """The document ran past its time limit (``--timeout`` of recover extract and recover batch)."""

    exit_code = ExitCode.timeout
    remedy = ("rerun it with a longer limit (--timeout SECONDS; timeout= of recover.extract); a scanned page takes a "
              "few seconds")


class DocumentOutOfMemoryError(RecoverError):
    """The document needed more memory than its limit (``--memory-mb`` of recover extract and recover batch)."""

    exit_code = ExitCode.out_of_memory
    remedy = "rerun it with a higher limit (--memory-mb MB; memory_mb= of recover.extract) or split the document"


class WorkerCrashedError(RecoverError):
    """Batch: the worker process died while reading the document (a crash in native code, or killed)."""

    exit_code = ExitCode.internal
    remedy = "report this as a bug, attaching the input file"


class ReviewServerError(RecoverError):
    """``recover review``: the server cannot listen on the address and port asked for."""

    exit_code = ExitCode.bad_args
    remedy = "the port is taken or the address is not this machine's; choose another --port (0 picks a free one)"
