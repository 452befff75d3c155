"""What the tests of countybook.intake share: the committed registry, and extract on a small text."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from countybook import paths
from countybook.data import load
from countybook.intake.extract import extract

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
BULLETIN = FIXTURES / "bulletin_guanyun_2025_written_for_test.txt"


@pytest.fixture(scope="module")
def ds():
    return load(paths.ROOT / "data")


def run(ds, text, year=2025, source="test_source"):
    candidates, unassigned = extract(text, year, source, ds)
    return {row["indicator"]: row for row in candidates}, unassigned


def triples(found: dict) -> dict:
    return {k: (v["value"], v["unit"], v["qualifier"], v["yoy_pct"]) for k, v in found.items()}


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))
