"""Synthetic scan corpus: seeded ground truth (``truth``), rendered report pages (``render``), graded scan
damage (``degrade``) and the writer of a scored corpus folder (``corpus``).

Everything is deterministic for a given seed: the same seed gives the same truth.json and the same page pixels.
"""
