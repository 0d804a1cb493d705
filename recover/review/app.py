"""The review web application (Flask, server-rendered Jinja templates, one small script for keyboard shortcuts).

``create_app(outdir)`` builds the application over a batch's results store; ``serve(outdir, host, port)`` runs
it on a local server. Pages: ``/`` the queue, ``/doc/<id>?cell=<table.row.column>`` a document with the chosen
cell's evidence and decision forms, ``/doc/<id>/crop/<key>.png`` a cell's image, ``/files/<path>`` a file
of OUTDIR (the batch's per-document reports). Decisions are posted to ``/doc/<id>/cell/<key>``.
"""

from __future__ import annotations

import getpass
import socket
import sqlite3
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, g, redirect, render_template, request, send_file, url_for

from recover.batch.store import SUMMARY_NAME, existing_store
from recover.errors import DamagedStoreError
from recover.report.html import CELL_COLOURS
from recover.report import evidence
from recover.review import crops, data, decisions, reasons, security, words

MAX_REVIEWER = 80
CSP = ("default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
# the batch's own pages (summary.html, the read-only reports) are self-contained: their styles inline, no script
FILES_CSP = ("default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'none'; "
             "form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
TOKEN_COOKIE = "recover_review_token"


def open_store(outdir: Path) -> Path:
    """The batch's store, checked (``existing_store``), with the decision tables added when it has none."""
    store = existing_store(outdir)
    db = sqlite3.connect(store, timeout=30)
    try:
        decisions.ensure(db)
    finally:
        db.close()
    return store


def create_app(outdir: Path, reviewer: str | None = None, hosts: set[str] | None = None,
               token: str | None = None) -> Flask:
    """The review application over the batch in ``outdir``. With ``token`` every request must carry it (query
    ``?token=``, then the cookie it sets, or ``Authorization: Bearer``), from any host name; without, requests
    must name one of ``hosts`` (loopback names by default)."""
    outdir = Path(outdir)
    store = open_store(outdir)
    app = Flask(__name__)
    app.config.update(OUTDIR=outdir.resolve(), STORE=store, CSRF=security.new_token(), TOKEN=token,
                      REVIEWER=reviewer or getpass.getuser(), HOSTS=hosts or set(security.LOOPBACK_NAMES),
                      MAX_CONTENT_LENGTH=64 * 1024)
    app.jinja_env.globals.update(colours=CELL_COLOURS, labels=data.labels, key_text=data.key_text)

    def lang() -> str:
        return request.args.get("lang") or request.cookies.get("lang") or "zh"

    @app.context_processor
    def _words() -> dict[str, Any]:
        chosen = lang()

        def said(text: str | None) -> str | None:  # recover's reasons, in Chinese unless English was asked for
            return text if chosen == "en" else reasons.chinese(text, lambda r: words.rule_name(r, data.labels(), "zh"),
                                                              data.row_label)

        return {"w": words.words(chosen), "rule_name": lambda rule: words.rule_name(rule, data.labels(), chosen),
                "cell_name": data.term_name, "group_of": data.group_of, "said": said}

    def db() -> sqlite3.Connection:
        if "db" not in g:
            g.db = sqlite3.connect(store, timeout=30)
        return g.db

    @app.teardown_appcontext
    def _close(_exc: BaseException | None) -> None:
        conn = g.pop("db", None)
        if conn is not None:
            conn.close()

    @app.before_request
    def _guard() -> Any:
        if token:
            bearer = request.headers.get("Authorization", "")
            given = (request.args.get("token") or request.cookies.get(TOKEN_COOKIE)
                     or (bearer[7:] if bearer.startswith("Bearer ") else None))
            if not security.token_ok(token, given):
                return Response("401: this review server needs its token: open the address it printed at start "
                                "(…/?token=…)", 401, mimetype="text/plain")
        elif not security.host_ok(request.host, app.config["HOSTS"]):
            abort(400, "unexpected Host header")
        if request.method == "POST":
            origin = request.headers.get("Origin")
            if origin and origin not in (f"http://{request.host}", f"https://{request.host}"):
                abort(403, "cross-origin form post")
            if not security.token_ok(app.config["CSRF"], request.form.get("csrf")):
                abort(403, "missing or wrong CSRF token; reload the page")

    @app.after_request
    def _headers(resp: Response) -> Response:
        if token and security.token_ok(token, request.args.get("token")):
            resp.set_cookie(TOKEN_COOKIE, token, samesite="Strict", httponly=True)
        if request.args.get("lang") in words.LANGS:
            resp.set_cookie("lang", request.args["lang"], samesite="Strict")
        resp.headers["Content-Security-Policy"] = FILES_CSP if request.endpoint == "files" else CSP
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Referrer-Policy"] = "same-origin"  # (no-referrer would make form posts send Origin: null)
        resp.headers["Cache-Control"] = "no-store"
        return resp

    @app.get("/review.css")
    def css() -> Response:
        return Response(render_template("review.css"), mimetype="text/css")

    @app.get("/")
    def queue() -> str:
        items = data.queue(db())
        has_summary = (app.config["OUTDIR"] / SUMMARY_NAME).is_file()
        return render_template("queue.html", items=items, outdir=str(outdir), progress=data.progress(items),
                               has_summary=has_summary)

    @app.get("/doc/<int:doc_id>")
    def document(doc_id: int) -> str:
        return _document_page(doc_id, request.args.get("cell"))

    def _document_page(doc_id: int, cell_text: str | None, error: str | None = None, code: int = 200) -> Any:
        doc = data.document(db(), doc_id)
        if doc is None:
            abort(404, "no such document")
        flagged = doc.flagged()
        key = data.parse_key(cell_text) if cell_text else None
        if key is None and flagged:
            key = next((c.key for c in flagged if c.decision is None), flagged[0].key)
        cell = doc.cells.get(key) if key else None
        ev = None
        if cell is not None:
            ev = _evidence(doc, cell)
        order = [c.key_text for c in flagged]
        here = order.index(cell.key_text) if cell is not None and cell.key_text in order else -1
        nxt = order[(here + 1) % len(order)] if order else None
        prev = order[here - 1] if order and here >= 0 else (order[-1] if order else None)
        next_open = _next_open(flagged, cell)
        table_balances = doc.balances(cell.table) if cell is not None else []
        html = render_template("document.html", doc=doc, cell=cell, ev=ev, flagged=flagged, next_key=nxt,
                               prev_key=prev, next_open=next_open, balances=table_balances, bulks=doc.bulks(),
                               groups=doc.group_headings(),
                               csrf=app.config["CSRF"], reviewer=request.cookies.get("reviewer")
                               or app.config["REVIEWER"], error=error, has_crop=_has_crop(doc, cell))
        return html if code == 200 else (html, code)

    def _evidence(doc: data.DocumentView, cell: data.CellView) -> evidence.CellEvidence:
        """The cell's evidence as the batch stored it (source lines, the values weighed)."""
        if cell.evidence is not None:
            return evidence.CellEvidence.from_dict(cell.evidence)
        if cell.status == "ok":
            return evidence.CellEvidence(note="read as printed; the rules hold")
        return evidence.CellEvidence(note="this batch stored no evidence for the cell (made by an older recover): "
                                          "recover batch --force stores it")

    def _has_crop(doc: data.DocumentView, cell: data.CellView | None) -> bool:
        return cell is not None and cell.page is not None and doc.kind in ("pdf", "scan")

    @app.get("/doc/<int:doc_id>/crop/<cell_text>.png")
    def crop(doc_id: int, cell_text: str) -> Response:
        doc = data.document(db(), doc_id)
        key = data.parse_key(cell_text)
        cell = doc.cells.get(key) if doc and key else None
        if doc is None or cell is None:
            abort(404, "no such cell")
        kind = doc.kind  # (a PDF's boxes are in points, OCR'd pages included; a scan's in pixels: docs/output.md)
        line_text = None
        if kind == "pdf" and not cell.bbox:
            ev = _evidence(doc, cell)
            line_text = ev.line_text if ev.line_page in (None, cell.page) else None
        try:
            png = crops.cell_crop(Path(doc.path), kind, cell.page, cell.bbox, line_text)
        except crops.NoCrop as exc:
            abort(404, str(exc))
        return Response(png, mimetype="image/png")

    @app.post("/doc/<int:doc_id>/cell/<cell_text>")
    def decide(doc_id: int, cell_text: str) -> Any:
        doc = data.document(db(), doc_id)
        key = data.parse_key(cell_text)
        if doc is None or key is None or key not in doc.cells:
            abort(404, "no such cell")
        action = request.form.get("action", "")
        reviewer = (request.form.get("reviewer") or "").strip()
        if not reviewer or len(reviewer) > MAX_REVIEWER:
            return _document_page(doc_id, cell_text, _says("bad_reviewer", n=MAX_REVIEWER), 400)
        try:
            seen = int(request.form.get("version", ""))
        except ValueError:
            seen = None  # (a form without the version: a script's post; decided as the cell stands)
        try:
            if action == "clear":
                decisions.clear(db(), doc.sha256, key, reviewer, seen)
                target = cell_text
            elif action in decisions.ACTIONS:
                raw = request.form.get("value") or ""
                value = None
                if raw.strip() or action == "override":
                    try:
                        value = decisions.parse_value(raw)
                    except ValueError:
                        return _document_page(doc_id, cell_text, _says("bad_value", n=decisions.MAX_DIGITS, raw=raw),
                                              400)
                decisions.save(db(), doc.sha256, key, action, value, reviewer, seen)
                nxt = data.parse_key(request.form.get("next") or "")
                target = data.key_text(nxt) if action == "accept" and nxt in doc.cells else cell_text
            else:
                abort(400, "unknown action")
        except decisions.StaleDecision as stale:
            return _document_page(doc_id, cell_text, _stale_words(stale.current), 409)
        return _decided(doc_id, target, reviewer)

    @app.post("/doc/<int:doc_id>/table/<table>/accept")
    def bulk_accept(doc_id: int, table: str) -> Any:
        """Accept every listed cell of one table (``cells``: ``key:version`` the page showed, space-separated):
        flagged, undecided cells of that table only; all or none."""
        doc = data.document(db(), doc_id)
        if doc is None:
            abort(404, "no such document")
        reviewer = (request.form.get("reviewer") or "").strip()
        seen: dict[data.Key, int] = {}
        for item in (request.form.get("cells") or "").split():
            key_text, _, version = item.rpartition(":")
            key = data.parse_key(key_text)
            c = doc.cells.get(key) if key else None
            if c is None or c.table != table or not c.flagged or c.decision is not None or not version.isdigit():
                abort(400, "a cell listed is not an open flagged cell of this table")
            seen[c.key] = int(version)
        first = data.key_text(next(iter(seen))) if seen else None
        if not seen:
            abort(400, "no cells listed")
        if not reviewer or len(reviewer) > MAX_REVIEWER:
            return _document_page(doc_id, first, _says("bad_reviewer", n=MAX_REVIEWER), 400)
        try:
            decisions.save_many(db(), doc.sha256, seen, "accept", reviewer)
        except decisions.StaleDecision as stale:
            return _document_page(doc_id, first, _stale_words(stale.current), 409)
        return _decided(doc_id, first, reviewer)

    def _decided(doc_id: int, target: str | None, reviewer: str) -> Response:
        resp = redirect(url_for("document", doc_id=doc_id, cell=target), code=303)
        resp.set_cookie("reviewer", reviewer, samesite="Strict", httponly=True)
        return resp

    def _says(name: str, **values: Any) -> str:
        return str(words.words(lang())["t"][name]).format(**values)

    def _stale_words(current: decisions.Decision | None) -> str:
        w = words.words(lang())
        now = (w["t"]["stale_decided"].format(reviewer=current.reviewer, at=current.decided_at,
                                              action=w["action"][current.action],
                                              value=f" → {current.value}" if current.value is not None else "")
               if current else w["t"]["stale_undone"])
        return str(w["t"]["stale"]).format(now=now)

    @app.get("/files/<path:name>")
    def files(name: str) -> Response:
        """The batch's summary page and the reports its documents point at; no other file of OUTDIR (a copy of
        the store, the user's own files)."""
        path = security.inside(app.config["OUTDIR"], name)
        if path is None or not path.is_file() or path not in _reports():
            abort(404, "not a report of this batch")
        return send_file(path)

    def _reports() -> set[Path]:
        root = app.config["OUTDIR"]
        named = [r for pair in db().execute("SELECT report_json, report_html FROM current_documents") for r in pair]
        return {(root / n).resolve() for n in [SUMMARY_NAME, *named] if n}

    @app.errorhandler(sqlite3.DatabaseError)
    def _store_failed(exc: sqlite3.DatabaseError) -> tuple[str, int]:
        return (f"503: the results store cannot be read ({exc}); {DamagedStoreError.remedy}", 503)

    return app


def _next_open(flagged: list[data.CellView], cell: data.CellView | None) -> str | None:
    """The next flagged cell after ``cell`` without a decision (wrapping round), for accept-and-next."""
    if not flagged:
        return None
    keys = [c.key for c in flagged]
    start = keys.index(cell.key) + 1 if cell is not None and cell.key in keys else 0
    for c in flagged[start:] + flagged[:start]:
        if c.decision is None and (cell is None or c.key != cell.key):
            return c.key_text
    return None


def serve(outdir: Path, host: str = "127.0.0.1", port: int = 8765, reviewer: str | None = None,
          token: str | None = None) -> None:
    """Run the review server until interrupted. Bound beyond loopback it needs a token on every request: ``token``,
    or one generated here and printed with the address."""
    from werkzeug.serving import make_server

    hosts = set(security.LOOPBACK_NAMES) | {host.lower()}
    if token is None and not security.loopback(host):
        token = security.new_token()
    app = create_app(outdir, reviewer, hosts, token)
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, port))  # an OSError naming the cause, before werkzeug would print and exit
    try:
        server = make_server(host, port, app, threaded=True)
    except SystemExit:  # werkzeug's way of saying it could not bind
        raise OSError(f"cannot bind {host}:{port}") from None
    if token:
        print(f"recover review: every request needs the token; open http://{host}:{server.server_port}/"
              f"?token={token} (Ctrl-C to stop)", flush=True)
    else:
        print(f"recover review: http://{host}:{server.server_port}/ (Ctrl-C to stop)", flush=True)
    server.serve_forever()
