"""Scan damage as pure numpy functions, and the graded scan levels as data.

Every function takes an image (uint8, grayscale ``(h, w)`` or RGB ``(h, w, 3)``) and returns a new uint8 image;
random ones take a ``numpy.random.Generator`` so a seed fixes the result. ``scan(image, level, rng)`` applies
a level of ``LEVELS``: the order is the physical one — page on the glass (seal ink, uneven paper light),
placement (rotation, perspective), optics (blur), sensor (noise, speckle), file (JPEG).

Angles follow ``recover.layout.scan.lines.estimate_skew``: positive turns the content counter-clockwise on screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

PAPER = 255


def _fill(img: np.ndarray) -> tuple[int, ...]:
    return (PAPER,) * (img.shape[2] if img.ndim == 3 else 1)


def rotate(img: np.ndarray, angle: float) -> np.ndarray:
    """Turn the page ``angle`` degrees counter-clockwise about its centre; uncovered corners are paper white."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=_fill(img))


def perspective(img: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """A keystone/tilt: each corner moves independently by up to ``strength`` × the page side (0.01 = 1 %)."""
    if strength <= 0:
        return img.copy()
    h, w = img.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = src + rng.uniform(-strength, strength, (4, 2)).astype(np.float32) * np.float32([w, h])
    m = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                               borderValue=_fill(img))


def blur(img: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian defocus of ``sigma`` pixels (0: unchanged)."""
    return cv2.GaussianBlur(img, (0, 0), sigmaX=sigma) if sigma > 0 else img.copy()


def noise(img: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """Additive Gaussian sensor noise of ``sigma`` gray levels."""
    if sigma <= 0:
        return img.copy()
    n = rng.normal(0.0, sigma, img.shape[:2]).astype(np.float32)
    out = img.astype(np.float32) + (n[..., None] if img.ndim == 3 else n)
    return np.clip(out, 0, 255).astype(np.uint8)


def speckle(img: np.ndarray, density: float, rng: np.random.Generator, max_radius: float = 1.5) -> np.ndarray:
    """Dust and toner specks: ``density`` × pixel count dark dots (radius 0.5 to ``max_radius`` px, gray 0–90)
    and as many paper-white dropouts (holes in strokes)."""
    out = img.copy()
    h, w = img.shape[:2]
    n = int(density * h * w)
    for colour, count in ((None, n), (PAPER, n)):
        ys, xs = rng.integers(0, h, count), rng.integers(0, w, count)
        radii = rng.uniform(0.5, max_radius, count)
        shades = rng.integers(0, 90, count) if colour is None else np.full(count, colour)
        for y, x, r, s in zip(ys, xs, radii, shades):
            cv2.circle(out, (int(x), int(y)), max(0, int(round(r - 0.5))), (int(s),) * 3, -1)
    return out


def uneven_light(img: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """Multiply by a smooth light field: a linear fall-off in a random direction plus a vignette, darkest
    ``strength`` (0.3 = paper goes down to 70 % brightness at its worst corner)."""
    if strength <= 0:
        return img.copy()
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    yy, xx = yy / h - 0.5, xx / w - 0.5
    theta = rng.uniform(0, 2 * math.pi)
    ramp = (xx * math.cos(theta) + yy * math.sin(theta)) + 0.5  # 0..~1
    vignette = (xx ** 2 + yy ** 2) * 2.0  # 0 centre .. 1 corners
    shade = 0.6 * ramp + 0.4 * vignette
    field = 1.0 - strength * shade / max(float(shade.max()), 1e-6)
    out = img.astype(np.float32) * (field[..., None] if img.ndim == 3 else field)
    return np.clip(out, 0, 255).astype(np.uint8)


def jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    """Round trip through JPEG at ``quality`` (1–100; 100 or more: unchanged)."""
    if quality >= 100:
        return img.copy()
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)


SEAL_RED = (200, 30, 40)  # RGB of seal ink


def red_seal(img: np.ndarray, centre: tuple[float, float], radius: float, rng: np.random.Generator,
             opacity: float = 0.85) -> np.ndarray:
    """Stamp a round red seal (ring, five-pointed star, an arc of character-like strokes) at ``centre`` (x, y px)
    with ``radius`` px. The ink is multiplied over the page (text under it stays visible, as with real seal
    ink) with a patchy ``opacity``. Returns an RGB image."""
    rgb = cv2.cvtColor(img, cv2.COLOR_GRAY2RGB) if img.ndim == 2 else img.copy()
    h, w = rgb.shape[:2]
    mask = np.zeros((h, w), np.uint8)
    cx, cy, r = int(round(centre[0])), int(round(centre[1])), int(round(radius))
    cv2.circle(mask, (cx, cy), r, 255, max(2, r // 14))
    star = np.int32([(cx + rr * math.cos(math.radians(-90 + 36 * k)), cy + rr * math.sin(math.radians(-90 + 36 * k)))
                     for k, rr in enumerate([0.38 * r, 0.15 * r] * 5)])
    cv2.fillPoly(mask, [star], 255)
    stroke = max(1, r // 30)
    for k in range(12):  # character-like strokes on an arc above the star
        a = math.radians(200 + k * 140 / 11)
        px, py = cx + 0.72 * r * math.cos(a), cy + 0.72 * r * math.sin(a)
        for _ in range(3):
            d = rng.uniform(-0.08, 0.08, 4) * r
            cv2.line(mask, (int(px + d[0]), int(py + d[1])), (int(px + d[2]), int(py + d[3])), 255, stroke)
    ink = (mask.astype(np.float32) / 255.0) * opacity * rng.uniform(0.6, 1.0, (h, w)).astype(np.float32)
    ink = cv2.GaussianBlur(ink, (0, 0), 0.8)[..., None]
    tint = np.float32(SEAL_RED) / 255.0
    out = rgb.astype(np.float32) * (1.0 - ink + ink * tint)
    return np.clip(out, 0, 255).astype(np.uint8)


@dataclass(frozen=True)
class Level:
    """One scan grade. Angles in degrees (drawn uniformly in ±max per page), blur/noise in pixels/gray levels."""

    dpi: int
    max_rotation: float = 0.0
    perspective: float = 0.0
    blur: float = 0.0
    noise: float = 0.0
    speckle: float = 0.0
    light: float = 0.0
    jpeg: int = 100
    seal: float = 0.0  # probability that a document's seal page gets a red seal


LEVELS: dict[str, Level] = {
    "300": Level(dpi=300),
    "200": Level(dpi=200, max_rotation=1.5, blur=0.8, noise=3.0, jpeg=75),
    "150": Level(dpi=150, max_rotation=2.5, perspective=0.006, blur=0.7, noise=5.0, speckle=2e-5, light=0.3,
                 jpeg=40, seal=0.5),
}


def scan(img: np.ndarray, level: Level, rng: np.random.Generator,
         seal_at: tuple[float, float] | None = None) -> tuple[np.ndarray, dict]:
    """Apply ``level`` to a page rendered at ``level.dpi``; ``seal_at`` (fractions of width, height) is where
    a seal may go. Returns the scanned page (RGB when sealed, else grayscale) and what was done to it."""
    h, w = img.shape[:2]
    done: dict = {}
    out = img
    if seal_at is not None and rng.random() < level.seal:
        centre = (seal_at[0] * w + rng.normal(0, 0.01 * w), seal_at[1] * h + rng.normal(0, 0.01 * h))
        out = red_seal(out, centre, radius=21.0 / 25.4 * level.dpi, rng=rng)
        done["seal"] = [round(float(c)) for c in centre]
    if level.light:
        out = uneven_light(out, level.light, rng)
    angle = float(rng.uniform(-level.max_rotation, level.max_rotation)) if level.max_rotation else 0.0
    if angle:
        out = rotate(out, angle)
        done["rotation"] = round(angle, 3)
    if level.perspective:
        out = perspective(out, level.perspective, rng)
    out = blur(out, level.blur)
    out = noise(out, level.noise, rng)
    if level.speckle:
        out = speckle(out, level.speckle, rng)
    out = jpeg(out, level.jpeg)
    return out, done
