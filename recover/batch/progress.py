"""The batch's live progress bar (rich, on stderr): documents done / failed / needing review, rate, ETA."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


class BatchProgress:
    def __init__(self, total: int) -> None:
        self.console = Console(stderr=True, highlight=False)
        self.counts = {"done": 0, "failed": 0, "review": 0}
        self.start = time.monotonic()
        self.bar = Progress(TextColumn("[bold]recover batch"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[stats]}"), TimeRemainingColumn(), console=self.console)
        self.task = self.bar.add_task("batch", total=total, stats=self._stats())

    def _stats(self) -> str:
        rate = self.counts["done"] / max(time.monotonic() - self.start, 1e-9)
        return (f"ok/repaired {self.counts['done'] - self.counts['failed'] - self.counts['review']}  "
                f"review {self.counts['review']}  failed {self.counts['failed']}  {rate:.1f} docs/s")

    def __enter__(self) -> BatchProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def advance(self, status: str) -> None:
        self.counts["done"] += 1
        if status in ("error", "failed"):
            self.counts["failed"] += 1
        elif status == "needs_review":
            self.counts["review"] += 1
        self.bar.update(self.task, advance=1, stats=self._stats())
