"""Drawing of detected grids over a page, for the debug view (``recover extract --debug``): numpy in, numpy out."""

from __future__ import annotations

import cv2
import numpy as np

from recover.layout.scan.grid import Grid
from recover.layout.scan.lines import to_gray

GRID_COLOUR = (200, 120, 30)  # BGR blue: the grid's cell outlines (red and green stay free for the cells' statuses)


def draw_grids(image: np.ndarray, grids: list[Grid]) -> np.ndarray:
    """A BGR copy of ``image`` with each cell outlined in ``GRID_COLOUR`` (spanning cells tinted) and labelled
    ``row,col``, each table with its size."""
    out = cv2.cvtColor(to_gray(image), cv2.COLOR_GRAY2BGR)
    tint = out.copy()
    for grid in grids:
        for c in grid.cells:
            if c.row_span > 1 or c.col_span > 1:
                x0, y0, x1, y1 = c.bbox
                cv2.rectangle(tint, (x0, y0), (x1, y1), (255, 200, 120), -1)
    out = cv2.addWeighted(tint, 0.35, out, 0.65, 0)  # outlines and labels drawn after: their colours stay pure
    for t, grid in enumerate(grids):
        for c in grid.cells:
            x0, y0, x1, y1 = c.bbox
            cv2.rectangle(out, (x0, y0), (x1, y1), GRID_COLOUR, 1)
            cv2.putText(out, f"{c.row},{c.col}", (x0 + 4, y0 + 14), cv2.FONT_HERSHEY_SIMPLEX, 0.4,
                        (160, 0, 160), 1, cv2.LINE_AA)
        cv2.putText(out, f"table {t}: {grid.n_rows}x{grid.n_cols}", (grid.bbox[0], max(grid.bbox[1] - 6, 12)),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.6, (200, 0, 200), 1, cv2.LINE_AA)
    return out
