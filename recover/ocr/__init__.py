"""OCR engines behind one interface (``engine.OcrEngine``): Tesseract in process through tesserocr (default),
Tesseract one process per call through pytesseract (fallback), and the helpers that read many cell crops in
one call (``strips``)."""
