"""Walk the inputs of a batch: every file's kind by content, its SHA-256, and where its reports go.

Files with the same content are one document (read once, a report pair written under each file's name).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from recover.batch.kinds import sniff
from recover.batch.worker import Task
from recover.errors import InputMissingError


@dataclass(frozen=True)
class SeenFile:
    path: Path
    sha256: str | None
    kind: str | None  # None: skipped (not a report input)
    note: str


@dataclass
class BatchPlan:
    files: list[SeenFile] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)  # one per distinct content, largest file first

    @property
    def inputs(self) -> list[SeenFile]:
        return [f for f in self.files if f.kind is not None]

    @property
    def skipped(self) -> list[SeenFile]:
        return [f for f in self.files if f.kind is None]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def walk(paths: list[Path]) -> list[tuple[Path, Path]]:
    """(file, its name relative to the output folder) for every file under ``paths``, sorted."""
    out = []
    for root in paths:
        if not root.exists():
            raise InputMissingError(root, "no such file or folder")
        prefix = Path(root.name) if len(paths) > 1 else Path()
        if root.is_file():
            out.append((root, Path(root.name)))
            continue
        out += [(p, prefix / p.relative_to(root)) for p in sorted(root.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)]
    return out


def make_plan(paths: list[Path], outdir: Path) -> BatchPlan:
    plan = BatchPlan()
    groups: dict[str, list[tuple[Path, Path]]] = {}
    kinds: dict[str, str] = {}
    taken: set[Path] = set()
    outdir_abs = outdir.resolve()
    for path, rel in walk(paths):
        if outdir_abs in path.resolve().parents:
            continue  # a previous batch's own outputs
        try:
            s = sniff(path)
            digest = file_sha256(path) if s.kind else None
        except OSError as exc:  # unreadable (permissions, vanished): noted like a skipped file
            plan.files.append(SeenFile(path, None, None, f"cannot be read ({exc.strerror or exc})"))
            continue
        except Exception as exc:  # noqa: BLE001 - a file nothing recognises is skipped; the batch goes on
            plan.files.append(SeenFile(path, None, None, f"could not be examined ({type(exc).__name__}: {exc})"))
            continue
        plan.files.append(SeenFile(path, digest, s.kind, s.note))
        if s.kind and digest:
            stem = rel.with_suffix("")
            if stem in taken:  # a.txt and a.pdf side by side: keep the suffix in the report name
                stem = rel
            taken.add(stem)
            groups.setdefault(digest, []).append((path, stem))
            kinds[digest] = s.kind
    for digest, members in groups.items():
        first = members[0][0]
        reports = tuple((str(outdir / f"{stem}.json"), str(outdir / f"{stem}.html")) for _, stem in members)
        plan.tasks.append(Task(digest, str(first), kinds[digest], reports))
    plan.tasks.sort(key=lambda t: -Path(t.path).stat().st_size)  # slow, large inputs first balance the workers
    return plan
