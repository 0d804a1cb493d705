"""End to end in headless Chromium (Debian's chromium + chromium-driver, through Selenium): open the batch,
view a crop, override one value, accept another with the keyboard, reload, export, find both decisions."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from tests.batch.conftest import run_cli
from tests.review.conftest import HOSTILE_NAME

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs chromium and chromium-driver "
                                "(scripts/install.sh installs them)")

TOTAL = "review_litigation.review.total"
UPHELD = "review_litigation.litigation_after_review.upheld"


@pytest.fixture
def browser():
    from selenium import webdriver

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1500,1000"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(options=opts, service=webdriver.ChromeService(executable_path=DRIVER))
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def panel_key(driver) -> str:
    return driver.find_element("css selector", "#panel p.key").text


def loads(driver, action) -> None:
    """Do ``action`` (a click, a key) and wait until it has loaded the next page (the machine may be loaded)."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    old = driver.find_element("tag name", "html")
    action()
    WebDriverWait(driver, 60).until(expected_conditions.staleness_of(old))
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")


def test_review_in_a_browser(browser, live_server):
    from selenium.webdriver.common.by import By

    base, outdir = live_server
    browser.get(base + "/?lang=en")  # (the words asserted below; Chinese is the default)
    first = browser.find_element(By.CSS_SELECTOR, "table.queue tbody tr")
    assert "hongze_district_2023.pdf" in first.text
    loads(browser, first.find_element(By.TAG_NAME, "a").click)
    # click a flagged cell of the grid: its crop, reason, rules and candidates show in the panel
    loads(browser, browser.find_element(By.CSS_SELECTOR, f'a.flag[data-key="{TOTAL}"]').click)
    assert panel_key(browser) == TOTAL
    crop = browser.find_element(By.CSS_SELECTOR, "img.crop")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", crop) > 200
    panel = browser.find_element(By.ID, "panel").text
    assert "printed 0, but rules group_total[review] require 11" in panel and "as printed" in panel
    # override it: the arithmetic of the table is redone with the reviewer's value
    reviewer = browser.find_element(By.CSS_SELECTOR, "input.reviewer")
    reviewer.clear()
    reviewer.send_keys("李伟")
    browser.find_element(By.ID, "override-value").send_keys("12")
    loads(browser, browser.find_element(By.ID, "override").click)
    assert panel_key(browser) == TOTAL
    failing = browser.find_element(By.CSS_SELECTOR, "ul.rules li.fail").text
    assert "11 ≠ 12" in failing and "group_total[review]" in failing
    assert "override → 12 by 李伟" in browser.find_element(By.ID, "panel").text
    # keyboard: n goes to the next flagged cell, a accepts it
    for _ in range(5):
        if panel_key(browser) == UPHELD:
            break
        loads(browser, lambda: browser.find_element(By.TAG_NAME, "body").send_keys("n"))
    assert panel_key(browser) == UPHELD
    loads(browser, lambda: browser.find_element(By.TAG_NAME, "body").send_keys("a"))
    assert panel_key(browser) != UPHELD  # accept moved on to the next open cell
    loads(browser, browser.refresh)
    loads(browser, browser.find_element(By.CSS_SELECTOR, f'a.flag[data-key="{UPHELD}"]').click)
    assert "accept by 李伟" in browser.find_element(By.ID, "panel").text
    marks = browser.find_elements(By.CSS_SELECTOR, "td.d-override, td.d-accept")
    assert len(marks) == 2
    proc = run_cli("export", outdir, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    cells = pd.read_csv(outdir / "cells.csv")
    hz = cells[cells.path.str.endswith("hongze_district_2023.pdf")].set_index("key")
    assert (hz.loc[TOTAL, "value"], hz.loc[TOTAL, "value_by"], hz.loc[TOTAL, "reviewer"]) == (12, "reviewer", "李伟")
    assert (hz.loc[UPHELD, "value"], hz.loc[UPHELD, "decision"], hz.loc[UPHELD, "value_by"]) == (5, "accept",
                                                                                                    "machine")


def test_script_in_a_document_is_inert(browser, live_server):
    from selenium.webdriver.common.by import By

    base, _ = live_server
    browser.get(base + "/")
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "table.queue a") if "onerror" in a.text)
    assert link.text.endswith(HOSTILE_NAME)  # the name shown as text
    loads(browser, link.click)
    source = browser.find_element(By.CSS_SELECTOR, ".source pre").text
    assert "<img src=x onerror=\"document.title='pwned'\">" in source  # shown as text ...
    assert browser.find_elements(By.CSS_SELECTOR, "img[src='x']") == []  # ... never an element
    assert browser.title != "pwned" and "pwned" not in browser.title


def test_the_batch_summary_is_styled_through_the_server(browser, live_server):
    """The summary and the read-only reports keep their inline styles under the server's policy (no script)."""
    from selenium.webdriver.common.by import By

    base, _ = live_server
    browser.get(base + "/files/summary.html")
    badge = browser.find_element(By.CSS_SELECTOR, ".badge")
    assert badge.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "transparent")
    assert "Noto Sans CJK SC" in browser.execute_script("return getComputedStyle(document.body).fontFamily")


@pytest.fixture
def laptop(browser):
    """The browser at 1366 × 768, a common laptop screen."""
    browser.set_window_size(1366, 768)
    return browser


def _visible(driver, element) -> bool:
    return driver.execute_script("var r = arguments[0].getBoundingClientRect(); "
                                 "return r.top >= 0 && r.bottom <= window.innerHeight", element)


def _press(driver, keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(keys).perform()


def _decided(outdir) -> list[tuple[str, str, str | None, str]]:
    import sqlite3

    db = sqlite3.connect(outdir / "results.sqlite")
    try:
        return db.execute('SELECT "table" || \'.\' || "row" || \'.\' || "column", action, value, reviewer '
                          "FROM decisions ORDER BY 1").fetchall()
    finally:
        db.close()


def test_a_flagged_document_is_reviewed_with_the_keyboard_alone(laptop, live_server):
    """洪泽 2023's three flagged cells on a laptop screen: the selected cell and the decision buttons in view,
    accept (a), override (o, type, Enter), Esc out of a value box, next (n) — no mouse."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from tests.review.test_app import doc_id

    base, outdir = live_server
    doc = doc_id(outdir, "hongze_district_2023.pdf")
    laptop.get(f"{base}/doc/{doc}?lang=en")
    first = panel_key(laptop)
    assert _visible(laptop, laptop.find_element(By.ID, "accept"))
    assert _visible(laptop, laptop.find_element(By.CSS_SELECTOR, "td.sel"))  # scrolled to the selected cell
    loads(laptop, lambda: _press(laptop, "a"))  # accept, on to the next open cell
    second = panel_key(laptop)
    assert second != first and _visible(laptop, laptop.find_element(By.CSS_SELECTOR, "td.sel"))
    _press(laptop, "s")  # into the "right value" box ...
    assert laptop.switch_to.active_element.get_attribute("id") == "source-value"
    _press(laptop, Keys.ESCAPE)  # ... and out of it: keys are shortcuts again
    assert laptop.switch_to.active_element.get_attribute("id") != "source-value"
    _press(laptop, "o")
    loads(laptop, lambda: _press(laptop, "11" + Keys.ENTER))  # override with 11
    assert panel_key(laptop) == second and "override → 11" in laptop.find_element(By.ID, "panel").text
    for _ in range(3):  # n until the last open cell
        if not [x for x in laptop.find_elements(By.CSS_SELECTOR, "td.sel") if "decided" in x.get_attribute("class")]:
            break
        loads(laptop, lambda: _press(laptop, "n"))
    loads(laptop, lambda: _press(laptop, "a"))
    decided = _decided(outdir)
    assert len(decided) == 3 and {a for _, a, _, _ in decided} == {"accept", "override"}
    laptop.get(f"{base}/")
    assert "1 of 3 documents reviewed" in laptop.find_element(By.ID, "progress").text


def test_bulk_accept_with_one_key(laptop, live_server):
    from selenium.webdriver.common.by import By

    from tests.review.test_app import UPHELD, doc_id

    base, outdir = live_server
    doc = doc_id(outdir, "hongze_district_2023.pdf")
    laptop.get(f"{base}/doc/{doc}?lang=en&cell={UPHELD}")
    assert not laptop.find_elements(By.CSS_SELECTOR, "button.bulk-accept")  # two statuses open in table 四
    loads(laptop, lambda: _press(laptop, "a"))
    button = laptop.find_element(By.CSS_SELECTOR, "#bulk-form button")
    assert "Accept all 2 source_inconsistent cells" in button.text
    loads(laptop, lambda: _press(laptop, "A"))
    assert [a for _, a, _, _ in _decided(outdir)] == ["accept"] * 3
    assert not laptop.find_elements(By.CSS_SELECTOR, "button.bulk-accept")
    assert len(laptop.find_elements(By.CSS_SELECTOR, "td.decided")) == 3


def test_a_stale_decision_is_refused_in_the_browser(laptop, live_server):
    """A colleague decides the cell while this page is open: this reviewer's accept is refused, the page says who
    decided what, and shows the cell as it now stands."""
    import sqlite3

    from selenium.webdriver.common.by import By

    from recover.review import decisions
    from tests.review.test_app import TOTAL, doc_id

    base, outdir = live_server
    doc = doc_id(outdir, "hongze_district_2023.pdf")
    laptop.get(f"{base}/doc/{doc}?lang=en&cell={TOTAL}")
    db = sqlite3.connect(outdir / "results.sqlite")
    sha = db.execute("SELECT sha256 FROM documents WHERE id = ?", (doc,)).fetchone()[0]
    decisions.save(db, sha, tuple(TOTAL.split(".")), "override", 12, "李伟", seen=0)
    db.close()
    loads(laptop, lambda: _press(laptop, "a"))
    error = laptop.find_element(By.CSS_SELECTOR, "#panel .error").text
    assert "Not saved" in error and "李伟" in error and "override → 12" in error
    assert _decided(outdir) == [(TOTAL, "override", 12, "李伟")]
    assert "override → 12 by 李伟" in laptop.find_element(By.ID, "panel").text
