"""Ingest: turn an input file into a ``Document`` of text lines with its provenance."""

from recover.ingest.document import Document, load_document

__all__ = ["Document", "load_document"]
