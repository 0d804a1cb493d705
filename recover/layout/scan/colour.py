"""Colour before gray: an official seal is red, and in a plain gray conversion its ink is as dark as a rule
(seal red (200, 30, 40) comes out at gray 82), so a seal stamped over a table's corner adds arcs and strokes that
break the grid. Seal ink is transparent to the red channel, where the black print under it stays dark: reddish
pixels are taken from the red channel instead, scaled back to the paper's brightness.

Pure functions, numpy in and out: ``rgb`` is a uint8 H×W×3 image in RGB order; the result is a uint8 gray image
with dark ink on light paper (the ``gray`` of ``recover.layout.scan.lines``).
"""

from __future__ import annotations

import cv2
import numpy as np

from recover.layout.scan.lines import quantile_u8


def redness(rgb: np.ndarray) -> np.ndarray:
    """How much redder than the other channels each pixel is: R - max(G, B), in gray levels (negative for
    neutral or other colours)."""
    r = rgb[..., 0].astype(np.int16)
    return r - np.maximum(rgb[..., 1], rgb[..., 2]).astype(np.int16)


def has_seal(rgb: np.ndarray, strong: int = 100) -> bool:
    """Whether the page holds seal ink at full strength (redness above ``strong``)."""
    return bool((redness(np.ascontiguousarray(rgb[..., :3])) > strong).any())


def without_seal(rgb: np.ndarray, *, strong: int = 100, start: int = 10, full: int = 40,
                 paper_pct: float = 99.0, min_transmission: float = 0.5) -> np.ndarray:
    """The gray page with red seal ink dropped.

    strong: redness above which a pixel is seal ink at full strength; the red channel's transmission of the ink
        is measured on these as their median red over the paper's brightness (``paper_pct`` percentile of the
        gray page), at least ``min_transmission``. No such pixels: no seal, the plain gray conversion.
    start, full: redness from which a pixel starts being taken from the red channel, and at which it is taken from
        it alone (a linear blend between, so the seal's faint edge leaves no seam).
    """
    rgb = np.ascontiguousarray(rgb[..., :3])
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    red = redness(rgb)
    seal = red > strong
    if not seal.any():
        return gray
    paper = max(quantile_u8(gray, paper_pct / 100.0), 1.0)
    transmission = min(1.0, max(min_transmission, float(np.median(rgb[..., 0][seal])) / paper))
    tinted = red > start  # (the blend below touches only these)
    through = np.clip(rgb[..., 0][tinted].astype(np.float32) / transmission, 0, 255)
    w = np.clip((red[tinted].astype(np.float32) - start) / float(full - start), 0.0, 1.0)
    out = gray.copy()
    out[tinted] = np.clip(np.rint(gray[tinted] * (1.0 - w) + through * w), 0, 255).astype(np.uint8)
    return out


def page_gray(image: np.ndarray) -> np.ndarray:
    """A page image as gray: colour pages (RGB, RGBA) through ``without_seal``, gray ones as they are."""
    img = np.asarray(image)
    if img.ndim == 3 and img.shape[2] >= 3:
        return without_seal(img)
    return img if img.ndim == 2 else img[..., 0]
