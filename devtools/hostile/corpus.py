"""A seeded corpus of corrupt and hostile inputs made from the bundled corpus (``python3 -m devtools hostile OUT``).

Categories (each input's name starts with its category):

- ``truncated``: a corpus file (PDF, DOCX, HTML, text, scanned PDF, page image) cut at a random point;
- ``flipped``: the same files with 1–64 random bytes flipped;
- ``mislabelled``: one kind's bytes under another kind's suffix;
- ``empty``: zero bytes under each suffix;
- ``password``: a PDF that needs a password to open (AES-256), and one with an owner password only;
- ``pages``: a blank PDF of 3000 pages; ``pixels``: a 30 000 × 30 000 page image; ``zip``: a DOCX whose parts
  inflate to 1 GB; ``span``: a DOCX table cell spanning a million columns; ``nesting``: HTML nested 100 000 deep;
  ``entities``: a DOCX whose main part declares a billion-laughs entity; ``digits``: a text report with a glued run
  of 20, 3000 or 5000 digits; ``charset``: an HTML page declaring one charset and written in another.
"""

from __future__ import annotations

import random
import shutil
import zipfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SOURCES = ["huaian_city_2024/huaian_city_2024.pdf", "huaian_city_2024_docx/huaian_city_2024_filled_template.docx",
           "huaian_city_2024_html_gbk/huaian_city_2024_gbk.html", "seed_002/002_c54325003f6269d3.txt",
           "huaian_city_2024_scan/huaian_city_2024_pages3-5_scan.pdf", "pingtan_2023/pingtan_2023_web_text.txt"]
SUFFIXES = (".pdf", ".docx", ".html", ".txt", ".png", ".doc")


def make_corpus(out: Path, count: int = 500, seed: int = 0) -> list[Path]:
    """Write at least ``count`` hostile inputs under ``out`` (the fixed bombs, then seeded mutations); return them."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    made = _bombs(out)
    sources = [CORPUS / s for s in SOURCES]
    k = 0
    while len(made) < count:
        src = sources[k % len(sources)]
        data = src.read_bytes()
        if k % 2 == 0:
            cut = rng.randrange(1, len(data))
            path = out / f"truncated_{k:04d}{src.suffix}"
            path.write_bytes(data[:cut])
        else:
            buf = bytearray(data)
            for _ in range(rng.randint(1, 64)):
                buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
            path = out / f"flipped_{k:04d}{src.suffix}"
            path.write_bytes(bytes(buf))
        made.append(path)
        k += 1
    return made


def _bombs(out: Path) -> list[Path]:
    import pikepdf
    import pypdfium2 as pdfium
    from PIL import Image

    made: list[Path] = []
    pdf = CORPUS / SOURCES[0]
    docx = CORPUS / SOURCES[1]
    for i, src in enumerate(SOURCES):
        for suffix in SUFFIXES:
            if not src.endswith(suffix):
                path = out / f"mislabelled_{i}{suffix}"
                shutil.copy(CORPUS / src, path)
                made.append(path)
    for suffix in SUFFIXES:
        path = out / f"empty{suffix}"
        path.write_bytes(b"")
        made.append(path)
    with pikepdf.open(pdf) as p:
        p.save(out / "password_user.pdf", encryption=pikepdf.Encryption(owner="o", user="u", R=6, aes=True))
        p.save(out / "password_owner.pdf", encryption=pikepdf.Encryption(owner="o", user="", R=6, aes=True,
                                                                         allow=pikepdf.Permissions(extract=False)))
    made += [out / "password_user.pdf", out / "password_owner.pdf"]
    blank = pdfium.PdfDocument.new()
    for _ in range(3000):
        blank.new_page(595, 842)
    blank.save(str(out / "pages_3000.pdf"))
    made.append(out / "pages_3000.pdf")
    Image.new("1", (30000, 30000), 1).save(out / "pixels_30000.png")
    made.append(out / "pixels_30000.png")
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(out / "zip_1gb.docx", "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        with z.open("word/media/padding.bin", "w", force_zip64=True) as f:
            for _ in range(1024):
                f.write(b"\0" * 2**20)
    made.append(out / "zip_1gb.docx")
    _rewrite(docx, out / "span_million.docx",
             lambda x: x.replace(b'<w:gridSpan w:val="', b'<w:gridSpan w:val="100000', 1))
    made.append(out / "span_million.docx")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                         for i in range(1, 10)) + b"]>")
    _rewrite(docx, out / "entities.docx", lambda x: laughs + x.split(b"?>", 1)[1].replace(
        b"<w:t>", b"<w:t>&lol9;", 1))
    made.append(out / "entities.docx")
    (out / "nesting.html").write_text("<html><body>" + "<div>" * 100000 + "三、收到和处理政府信息公开申请情况"
                                      + "</div>" * 100000 + "</body></html>", encoding="utf-8")
    made.append(out / "nesting.html")
    text = (CORPUS / SOURCES[3]).read_text(encoding="utf-8")
    for digits in (20, 3000, 5000):  # past SQLite's integers, within and past Python's 4,300-digit conversion limit
        (out / f"digits_{digits}.txt").write_text(text.replace("\t0\t", "\t" + "7" * digits + "\t", 1),
                                                  encoding="utf-8")
        made.append(out / f"digits_{digits}.txt")
    html = (CORPUS / SOURCES[2]).read_bytes()
    (out / "charset_lying.html").write_bytes(html.decode("gb18030").encode("utf-16-le"))
    made.append(out / "charset_lying.html")
    return made


def _rewrite(docx: Path, out: Path, change) -> None:
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            z.writestr(info.filename, change(data) if info.filename == "word/document.xml" else data)
