"""synth.degrade: each damage function does what its docstring says, on synthetic arrays."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from recover.layout.scan.lines import binarise, estimate_skew
from devtools.synth.degrade import (
    LEVELS,
    blur,
    jpeg,
    noise,
    perspective,
    red_seal,
    rotate,
    scan,
    speckle,
    uneven_light,
)


def ruled_page(h: int = 900, w: int = 700) -> np.ndarray:
    """White paper with a ruled table (horizontal and vertical 2 px rules) and a few text-like blocks."""
    img = np.full((h, w), 255, np.uint8)
    for y in range(100, 800, 40):
        img[y:y + 2, 80:620] = 0
    for x in (80, 300, 460, 620):
        img[100:782, x:x + 2] = 0
    for y in range(112, 780, 40):
        img[y:y + 14, 100:100 + (y % 150) + 40] = 30
    return img


@pytest.mark.parametrize("angle", [-2.4, -1.3, 0.7, 2.0])
def test_rotation_is_recovered_by_the_deskew_of_the_layout_stage(angle):
    measured = estimate_skew(binarise(rotate(ruled_page(), angle)))
    assert measured == pytest.approx(angle, abs=0.1)


def test_seal_pixels_are_red_and_text_under_them_stays_dark():
    page = ruled_page()
    out = red_seal(page, (350, 450), 120, np.random.default_rng(0))
    assert out.shape == (*page.shape, 3)
    r, g, b = (out[..., k].astype(int) for k in range(3))
    inked = (r - g > 60) & (r - b > 60)
    ring = np.zeros(page.shape, np.uint8)
    cv2.circle(ring, (350, 450), 120, 255, 8)
    assert inked[ring > 0].mean() > 0.5  # the ring is red
    assert not inked[:, :200].any()  # nothing outside the seal
    assert (out[page == 0].max(axis=1) < 80).all()  # black rules stay black under the ink


def test_uneven_light_darkens_paper_by_at_most_strength():
    white = np.full((400, 300), 255, np.uint8)
    out = uneven_light(white, 0.3, np.random.default_rng(1)).astype(float)
    assert out.max() > 230 and out.min() == pytest.approx(255 * 0.7, abs=2)
    assert np.abs(np.diff(out, axis=1)).max() <= 2  # smooth: no edges


def test_blur_noise_jpeg_speckle_perspective():
    page = ruled_page()
    sharp = cv2.Laplacian(page, cv2.CV_64F).var()
    assert cv2.Laplacian(blur(page, 1.2), cv2.CV_64F).var() < 0.5 * sharp
    noisy = noise(np.full((200, 200), 128, np.uint8), 5.0, np.random.default_rng(2)).astype(float)
    assert noisy.std() == pytest.approx(5.0, rel=0.1)
    err40 = np.abs(jpeg(page, 40).astype(int) - page).mean()
    err90 = np.abs(jpeg(page, 90).astype(int) - page).mean()
    assert 0 < err90 < err40
    assert (jpeg(page, 100) == page).all()
    white = np.full((500, 500), 255, np.uint8)
    specks = speckle(white, 1e-3, np.random.default_rng(3))
    assert 100 <= (specks < 128).sum() <= 2500  # about 250 dark dots of 1 to 5 px
    assert (perspective(page, 0.0, np.random.default_rng(4)) == page).all()
    warped = perspective(page, 0.02, np.random.default_rng(4))
    assert warped.shape == page.shape and (warped != page).mean() > 0.01


def test_levels_are_graded_and_scan_is_seeded():
    assert [LEVELS[k].dpi for k in ("300", "200", "150")] == [300, 200, 150]
    assert LEVELS["300"].max_rotation == 0 and LEVELS["300"].jpeg >= 100
    assert LEVELS["150"].jpeg < LEVELS["200"].jpeg and LEVELS["150"].max_rotation > LEVELS["200"].max_rotation
    page = ruled_page()
    a, da = scan(page, LEVELS["150"], np.random.default_rng(9), seal_at=(0.5, 0.5))
    b, db = scan(page, LEVELS["150"], np.random.default_rng(9), seal_at=(0.5, 0.5))
    assert da == db and (a == b).all()
    assert abs(da["rotation"]) <= 2.5
    clean, done = scan(page, LEVELS["300"], np.random.default_rng(9))
    assert done == {} and (clean == page).all()
