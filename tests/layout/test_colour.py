"""layout.scan.colour: red seal ink dropped when a colour page is made gray; black print and neutral pages unchanged."""

from __future__ import annotations

import cv2
import numpy as np

from recover.layout.scan.colour import page_gray, without_seal
from devtools.synth.degrade import red_seal


def _page() -> np.ndarray:
    gray = np.full((400, 400), 250, np.uint8)
    gray[200:204, 20:380] = 0  # a rule through the seal
    cv2.putText(gray, "1234", (60, 300), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 0, 5)
    return gray


def test_a_page_without_red_is_its_plain_gray():
    rgb = cv2.cvtColor(_page(), cv2.COLOR_GRAY2RGB)
    assert (without_seal(rgb) == cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)).all()
    assert (page_gray(_page()) == _page()).all()


def test_seal_ink_turns_to_paper_and_the_print_under_it_stays_dark():
    page = _page()
    rgb = red_seal(page, (200, 200), 150, np.random.default_rng(0))
    plain, clean = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), without_seal(rgb)
    ring = np.zeros(page.shape, np.uint8)
    cv2.circle(ring, (200, 200), 150, 255, 8)
    on_ring = (ring > 0) & (page > 128)  # seal ink over paper
    assert np.median(plain[on_ring]) < 140  # a plain gray conversion makes the ring dark ink
    assert np.median(clean[on_ring]) > 220  # dropped: paper again
    assert clean[page == 0].max() < 100  # the rule and the figures under the seal stay black


def test_colour_page_images_load_without_their_seal(tmp_path):
    from PIL import Image

    from recover.ingest.scan import load_images

    rgb = red_seal(_page(), (200, 200), 150, np.random.default_rng(0))
    Image.fromarray(rgb).save(tmp_path / "p1.png")
    Image.fromarray(_page()).save(tmp_path / "p2.png")
    (no1, sealed), (no2, plain) = load_images(tmp_path)
    assert (no1, no2) == (1, 2)
    assert (sealed == without_seal(rgb)).all() and (plain == _page()).all()


def test_an_image_only_pdf_page_loses_its_seal(tmp_path):
    from PIL import Image

    from recover.ingest.scan import render_pdf

    page = np.full((2339, 1654), 250, np.uint8)
    page[1000:1004, 100:1500] = 0
    rgb = red_seal(page, (800, 1000), 120, np.random.default_rng(0))
    Image.fromarray(rgb).save(tmp_path / "sealed.pdf", resolution=200)
    (_, gray), = render_pdf(tmp_path / "sealed.pdf")
    assert gray[1000 - 118, 800] > 220  # the seal's ring, dark (129) in a plain gray conversion, is paper
    assert gray[1002, 300] < 60  # the rule under the seal is still black
