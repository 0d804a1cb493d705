"""Read: interpret the text of value cells (numbers, blanks, none-symbols, misread glyphs)."""
