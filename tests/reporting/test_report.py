"""The researcher report: its parts, its exports, and the HTML opened in a real browser (Playwright
driving Debian's Chromium): no console errors, every plot drawn, every section there, and no script
from an article ever runs."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from analyzer import ArticleInput, report
from analyzer.batch.tables import record_rows
from analyzer.errors import OutputError
from analyzer.reporting.evidence import annotated_html, snippet
from tests.conftest import shared_analyzer

pytestmark = [pytest.mark.model, pytest.mark.slow]

SECTIONS = (
    "overview",
    "framing",
    "terms",
    "labels",
    "stance",
    "bias",
    "tests",
    "evidence",
    "articles",
    "methods",
)
HOSTILE = (
    "Senator Ruiz called the takeover a coup. <script>window.__pwned = 1</script> Critics said the regime "
    'lied. <img src="x" onerror="window.__pwned = 2"> The regime denied it.'
)
CALM = "Senator Ruiz said the interim government would hold elections. Observers called the vote fair."
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_snippet_cuts_at_word_boundaries():
    text = "one two three four five coup six seven eight nine ten"
    start = text.index("coup")
    parts = snippet(text, start, start + 4, width=12)
    assert parts == {"left": "… four five", "term": "coup", "right": "six seven …"}


def test_annotated_view_escapes_markup():
    html = str(annotated_html(HOSTILE, [], [{"start": 33, "end": 37, "voice": "author"}]))
    assert "<script>" not in html and "&lt;script&gt;" in html and "<img" not in html


@pytest.fixture(scope="module")
def sample_report(sample_run, tmp_path_factory):
    _, out = sample_run
    path = report(out, tmp_path_factory.mktemp("report") / "report.html", time="month", n_boot=200, n_perm=99)
    return path


def test_report_sections_exports_and_markdown(sample_run, sample_report, tmp_path):
    page = sample_report.read_text(encoding="utf-8")
    assert all(f'id="{s}"' in page for s in SECTIONS) and 'id="time"' in page
    assert 'alt="framing over time by group"' in page and 'alt="stance over time by group"' in page
    assert page.count("data:image/png;base64,") >= 5 and "<script" not in page
    assert "Monroe, Colaresi" in page and "en_core_web_sm" in page
    exported = sample_report.parent / "report_tables"
    assert pd.read_csv(exported / "tests.csv")["p_holm"].between(0, 1).all()
    markdown = report(
        sample_run[1], tmp_path / "summary.md", format="md", tables="parquet", n_boot=50, n_perm=9
    )
    text = markdown.read_text(encoding="utf-8")
    assert text.startswith("# Framing and stance by outlet") and "| The Red Lantern |" in text
    assert (tmp_path / "summary_tables" / "framing_rates.parquet").is_file()
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match="cannot write the report"):
        report(sample_run[1], blocker / "report.html", n_boot=10, n_perm=9)


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    articles = [
        ArticleInput(
            HOSTILE, doc_id="h1", outlet="Hostile Herald", title="<b>Coup</b> <script>alert(1)</script>"
        ),
        ArticleInput(HOSTILE, doc_id="h2", outlet="Hostile Herald"),
        ArticleInput(CALM, doc_id="c1", outlet="Calm Courier"),
        ArticleInput(CALM, doc_id="c2", outlet="Calm Courier"),
    ]
    analyzer = shared_analyzer()
    tables: dict[str, list] = {}
    for article, record in zip(articles, analyzer.analyze_many(articles), strict=True):
        for name, rows in record_rows(record, article).items():
            tables.setdefault(name, []).extend(rows)
    frames = {name: pd.DataFrame(rows) for name, rows in tables.items()}
    return report(
        frames, tmp_path_factory.mktemp("hostile") / "report.html", n_boot=20, n_perm=9, min_articles=1
    )


def test_article_markup_is_text_in_the_file(hostile_report):
    page = hostile_report.read_text(encoding="utf-8")
    assert "<script>" not in page and "onerror=" not in page.replace("onerror=&#34;", "").replace(
        "onerror=&quot;", ""
    )
    assert "&lt;script&gt;" in page


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it)")
def test_report_in_a_real_browser(sample_report, hostile_report, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=flags)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            errors: list[str] = []
            page.on(
                "console", lambda message: errors.append(message.text) if message.type == "error" else None
            )
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(sample_report.as_uri())
            assert errors == []
            for section in (*SECTIONS, "time"):
                assert page.locator(f"section#{section} h2").is_visible(), section
            images = page.locator("figure img").all()
            assert len(images) >= 6
            for image in images:
                width = image.evaluate("img => img.complete ? img.naturalWidth : 0")
                box = image.bounding_box()
                assert width > 0 and box is not None and box["width"] > 0 and box["height"] > 0
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
            assert (tmp_path / "report.png").stat().st_size > 10_000

            page.goto(hostile_report.as_uri())
            page.wait_for_load_state("load")
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert "<script>window.__pwned = 1</script>" in page.locator("#articles").inner_text()
            assert page.locator("#articles script, #articles img").count() == 0
            page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
        finally:
            browser.close()


def test_report_command(sample_run, tmp_path):
    command = [
        sys.executable,
        "-m",
        "analyzer",
        "report",
        str(sample_run[1]),
        "--out",
        str(tmp_path / "r.md"),
    ]
    proc = subprocess.run([*command, "--format", "md", "--boot", "20", "--perm", "9", "--tables", "none"],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("# Framing and stance")
    assert not (tmp_path / "r_tables").exists()
    refused = subprocess.run([*command, "--format", "pdf"], capture_output=True, text=True, timeout=300)
    assert refused.returncode == 2 and "html or md" in refused.stderr


def test_methods_paragraph_says_which_entities_the_encoder_scored() -> None:
    """The encoder's share of entities is read from the run's manifest; a manifest written before
    the setting existed describes what those runs did (every entity named at least twice)."""
    from analyzer.reporting.methods import methods_paragraph

    corpus = {"articles": 3, "groups": ["a", "b"], "by": "outlet", "excluded": {}, "failures": 0}
    parameters = {"n_boot": 10, "n_perm": 10, "seed": 0}
    versions = {"models": {"entity_stance": {}}}

    def paragraph(config: dict) -> str:
        return methods_paragraph(corpus, parameters, {"versions": versions, "config": config})

    assert "each article's 3 most mentioned entities" in paragraph({"encoder_entities": 3})
    assert "every entity named at least twice" in paragraph({"encoder_entities": None})
    assert "every entity named at least twice" in paragraph({})
