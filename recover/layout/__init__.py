"""Layout: where a report's tables are and how their cells sit — ``text`` (sections and rows of any text), ``scan``
(grids of scanned pages, read by OCR), ``pdf`` (ruled tables of born-digital PDFs)."""
