"""intake.table_rows: bulletin tables copied as text rows."""

from __future__ import annotations

import pytest
from intake_support import run  # the ds fixture comes from conftest's plugins
from intake_support import triples as _triples


def test_table_rows_written_as_text(ds):
    text = (
        "主要农产品产量\n指标 | 单位 | 绝对数 | 比上年增长(%)\n粮食 | 吨 | 848656 | 0.02\n"
        "油料 | 万吨 | 1.2 | -2.5\n蔬菜 | 万吨 | 60.1 | 3\n棉花 | 吨 | 120 | 1.0\n茶叶 | 吨 | 35 | 1.0\n"
    )
    found, unassigned = run(ds, text)
    # Grain in 吨 for an indicator the registry measures in 万吨: proposed as printed (load converts it).
    assert _triples(found) == {
        "grain_output": ("848656", "吨", "exact", "0.02"),
        "oil_crops_output": ("1.2", "万吨", "exact", "-2.5"),
        "vegetables_output": ("60.1", "万吨", "exact", "3"),
        "cotton_output": ("120", "吨", "exact", "1.0"),
    }
    assert found["oil_crops_output"]["quote"] == "油料 | 万吨 | 1.2 | -2.5"
    reasons = {row["value"]: row["reason"] for row in unassigned}
    assert "names no indicator" in reasons["35"]  # tea is not in the registry


def test_table_row_in_the_registry_unit_is_proposed(ds):
    found, _ = run(ds, "粮食 | 万吨 | 84.87 | 0.02\n")
    assert _triples(found) == {"grain_output": ("84.87", "万吨", "exact", "0.02")}


@pytest.mark.parametrize("row", ["油料\t万吨\t1.2\t-2.5", "油料｜万吨｜1.2｜-2.5", "| 油料 | 万吨 | 1.2 | -2.5 |"])
def test_table_rows_with_tabs_or_full_width_bars(ds, row):
    header = "| 指标 | 单位 | 绝对数 | 比上年增长(%) |" if row.startswith("|") else "指标\t单位\t绝对数\t比上年增长(%)"
    found, _ = run(ds, f"{header}\n{row}\n".replace("\t", "｜" if "｜" in row else "\t"))
    assert _triples(found) == {"oil_crops_output": ("1.2", "万吨", "exact", "-2.5")}
    assert found["oil_crops_output"]["quote"] == row.strip()
