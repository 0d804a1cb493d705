"""Hostile and corrupt inputs: their generator and the run that grades recover on them."""
