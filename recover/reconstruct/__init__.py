"""Reconstruct: place the value tokens of each matched row into canonical cells, as hypotheses."""
