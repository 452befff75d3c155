"""End to end, as a maintainer would add next year's figures: extract → review → add → run.

Works on a temporary copy of the repository, so data/ and book/ here are never touched. The report
text is a few sentences written for this test (not any real report).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from countybook import paths

REPORT_2025 = (
    "## 2025年发展情况(测试用文本)\n\n"
    "2025年全年完成规上工业总产值216.6亿\n\n元,增长15.5%。全年完成电商交易额322亿元,增长15%。\n"
    "全年生猪饲养量108万头。入库科技型中小企业260\n\n家。\n"
)
NEW_SOURCE = {
    "title": "2025年发展情况(测试)",
    "publisher": "countybook tests",
    "date": "2026",
    "reliability": "medium",
    "note": "Sentences written for the end-to-end test.",
    "kind": "government_report",
    "publisher_zh": "countybook测试",
    "note_zh": "为端到端测试编写的句子。",
}


def _skip_reason() -> str | None:
    if not (paths.ROOT / "countybook" / "run" / "runner.py").exists():
        return "countybook/runner.py is not there yet, so the book cannot be rerun"
    if not list(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]*_*.ipynb")):
        return "notebooks/*.ipynb are not there yet, so there are no chapters to rerun"
    return None


def _command(copy: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COUNTYBOOK_DATA"}
    done = subprocess.run(
        [sys.executable, "-m", "countybook", *args], cwd=copy, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _outputs(notebook: Path) -> str:
    """Everything a chapter displays, as text: its outputs and the markdown cells the page keeps (a
    section's heading is a markdown cell, removed with its section when the section shows nothing)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    parts = []
    for cell in cells:
        if cell["cell_type"] == "markdown" and "remove-cell" not in cell.get("metadata", {}).get("tags", []):
            parts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            for key in ("text/html", "text/markdown", "text/plain"):
                value = output.get("data", {}).get(key)
                if value:
                    parts.append("".join(value) if isinstance(value, list) else value)
            if "text" in output:
                parts.append("".join(output["text"]))
    return "\n".join(parts)


def _fingerprint(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _repo_copy(tmp_path: Path, templates: list[str]) -> Path:
    """A copy of the repository to run extract, add and run on, so data/ here is never touched; its
    notebooks/ keeps only the templates the test reads (each further chapter is one more execution)."""
    copy = tmp_path / "repo"
    shutil.copytree(
        paths.ROOT,
        copy,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".git", "_build", ".pytest_cache", "__pycache__", ".countybook-tmp*", ".ipynb_checkpoints"
        ),
    )
    for template in (copy / "notebooks").glob("*.ipynb"):
        if template.stem not in templates:
            template.unlink()
    return copy


def _catalogue(lang: str) -> dict:
    import yaml

    return yaml.safe_load(
        (paths.ROOT / "countybook" / "render" / "catalogues" / f"{lang}.yml").read_text(encoding="utf-8")
    )


def _complete_source(sources: Path, fields: dict) -> list[dict]:
    """The maintainer's review step: fill in the source template extract wrote; returns the template's rows."""
    with sources.open(encoding="utf-8", newline="") as stream:
        template = list(csv.DictReader(stream))
    with sources.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(template[0]))
        writer.writeheader()
        writer.writerow({**template[0], **fields})
    return template


@pytest.mark.slow
def test_next_year_end_to_end(tmp_path):
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    repo_data = _fingerprint(paths.ROOT / "data")
    copy = _repo_copy(
        tmp_path, ["01_industry_investment", "02_agriculture", "04_business_reform_innovation", "07_methods"]
    )
    report = tmp_path / "report_2025.txt"
    report.write_text(REPORT_2025, encoding="utf-8")
    review = tmp_path / "review.csv"

    # 1. Extract: candidates for review, a template for the new source, the rest listed.
    _command(copy, "extract", str(report), "--year", "2025", "--source-id", "test_report_2025", "--out", str(review))
    with review.open(encoding="utf-8", newline="") as stream:
        rows = {row["indicator"]: row for row in csv.DictReader(stream)}
    assert {k: (v["value"], v["unit"], v["yoy_pct"]) for k, v in rows.items()} == {
        "industrial_output_above_scale": ("216.6", "亿元", "15.5"),
        "ecommerce_transaction_volume": ("322", "亿元", "15"),
        "hogs_raised": ("108", "万头", ""),
        "tech_smes_registered": ("260", "家", ""),
    }

    # 2. Review: the maintainer completes the new source's row.
    sources = tmp_path / "review.sources.csv"
    assert [row["id"] for row in _complete_source(sources, NEW_SOURCE)] == ["test_report_2025"]

    # 3. Add into the copy's data/.
    _command(copy, "add", str(review), "--source-file", str(sources))
    assert _fingerprint(paths.ROOT / "data") == repo_data

    # 4. Rerun the book for 2025 in the copy (English: what is asserted; the bulletin test runs both).
    _command(copy, "run", "--year", "2025", "--lang", "en", "--jobs", "1")
    chapters = copy / "book" / "chapters"
    industry = _outputs(chapters / "01_industry_investment.ipynb")
    assert "216.6" in industry and "+15.5%" in industry
    # Growth computed against 2024 where no rate is published: 108 / 105 and 260 / 242.
    agriculture = _outputs(chapters / "02_agriculture.ipynb")
    assert "108" in agriculture and f"{(108 / 105 - 1) * 100:+.1f}%" in agriculture
    innovation = _outputs(chapters / "04_business_reform_innovation.ipynb")
    assert "260" in innovation and f"{(260 / 242 - 1) * 100:+.1f}%" in innovation
    # And the published rates checked against the levels of 2024 on the methods page.
    methods = _outputs(chapters / "07_methods.ipynb")
    assert "industrial_output_above_scale" in methods
    assert f"{(216.6 / 187.5 - 1) * 100:+.1f}%" in methods
    assert f"{(322 / 280 - 1) * 100:+.1f}%" in methods
    assert "test_report_2025" in methods or NEW_SOURCE["title"] in methods


BULLETIN_2025 = Path(__file__).parent / "fixtures" / "extract" / "bulletin_guanyun_2025_written_for_test.txt"
BULLETIN_SOURCE = {
    "title": "灌云县2025年统计公报(测试用文本)",
    "publisher": "countybook tests",
    "date": "2026",
    "reliability": "medium",
    "note": "Bulletin-style text written for the end-to-end test.",
    "kind": "statistical_bulletin",
    "publisher_zh": "countybook测试",
    "note_zh": "为端到端测试编写的公报体文本。",
}


@pytest.mark.slow
def test_bulletin_end_to_end_shows_economy_at_a_glance(tmp_path):
    """A statistical bulletin → extract → add → run: the overview gains "Economy at a glance"."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    repo_data = _fingerprint(paths.ROOT / "data")
    copy = _repo_copy(tmp_path, ["00_overview", "01_industry_investment"])
    review = tmp_path / "review.csv"
    _command(
        copy,
        "extract",
        str(BULLETIN_2025),
        "--year",
        "2025",
        "--source-id",
        "guanyun_bulletin_2025_test",
        "--out",
        str(review),
    )
    with review.open(encoding="utf-8", newline="") as stream:
        rows = {row["indicator"]: row for row in csv.DictReader(stream)}
    # A few of the bulletin's figures, typed from the fixture by hand (test_extract checks them all).
    assert (rows["gdp"]["value"], rows["gdp"]["yoy_pct"], rows["gdp"]["price_basis"]) == ("486.2", "6.1", "comparable")
    assert (rows["fixed_asset_investment"]["value"], rows["fixed_asset_investment"]["yoy_pct"]) == ("", "5.3")

    sources = tmp_path / "review.sources.csv"
    _complete_source(sources, BULLETIN_SOURCE)
    _command(copy, "add", str(review), "--source-file", str(sources))
    assert _fingerprint(paths.ROOT / "data") == repo_data

    _command(copy, "run", "--year", "2025", "--jobs", "1")
    chapters = copy / "book" / "chapters"
    overview = _outputs(chapters / "00_overview.ipynb")
    assert "Economy at a glance" in overview
    assert "486.2" in overview and "48.62 billion yuan" in overview
    assert f"{68.5 / (68.5 + 201.4 + 216.3) * 100:.1f}%" in overview  # derived structure of GDP
    cells = json.loads((chapters / "00_overview.ipynb").read_text(encoding="utf-8"))["cells"]
    glance = next(c for c in cells if "page.economy_at_a_glance()" in "".join(c["source"]))
    assert any("image/png" in output.get("data", {}) for output in glance["outputs"])
    # A growth-only figure is among the growth rates of its chapter, never a level.
    industry = _outputs(chapters / "01_industry_investment.ipynb")
    assert "+5.3%" in industry and "level not published (growth only)" in industry
    # Every edition runs for the new year: the Chinese one gains the section too, in its own words.
    zh_overview = _outputs(paths.chapters_dir("zh", copy / "book") / "00_overview.ipynb")
    assert _catalogue("zh")["heading.economy"] in zh_overview and "486.2" in zh_overview


def test_year_without_the_aggregates_shows_no_glance():
    """The committed 2024 edition (no bulletin figures) says nothing about the economy at a glance."""
    overview = _outputs(paths.BOOK_DIR / "chapters" / "00_overview.ipynb")
    assert "Economy at a glance" not in overview
