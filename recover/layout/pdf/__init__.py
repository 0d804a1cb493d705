"""Layout of born-digital PDF pages: ruled tables read through their ruling lines (Camelot's lattice)."""
