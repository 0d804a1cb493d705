"""``recover review OUTDIR``: a local web page for reviewing a batch's flagged cells.

Modules: ``decisions`` (the reviewer's decisions in the results store), ``data`` (queue, document and the
arithmetic of a table with the decisions applied), ``evidence`` (what the source shows of a cell: the source
lines and the readings the solver weighed, from re-reading the source file), ``crops`` (PNG crops of PDF and
scan pages), ``security`` (loopback host check, CSRF tokens, paths kept inside OUTDIR), ``app`` (the Flask
application and the server).
"""
