"""Layout of scanned pages: ink, ruling lines, table grids (OpenCV), perspective, and the page read through them
by OCR into lines and grid rows."""
