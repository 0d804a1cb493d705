"""Repair: choose cell values that satisfy the template's arithmetic at minimum cost, exactly."""
