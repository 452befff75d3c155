"""countybook/data/computed.py: the telling comparisons of data/computed.yml."""

from __future__ import annotations

import pytest

from countybook import paths
from countybook.data import computed, load
from countybook.errors import DataError


@pytest.fixture(scope="module")
def ds():
    return load()


def _entry(**overrides):
    entry = {
        "id": "probe",
        "theme": "agriculture",
        "type": "share",
        "name_en": "Probe",
        "name_zh": "探针",
        "inputs": {"a": "figure:grain_output", "b": "benchmark:china:grain_output"},
        "formula": "100 * a / b",
        "unit": "%",
        "decimals": 1,
        "caveat_en": "c",
        "caveat_zh": "c",
    }
    entry.update(overrides)
    return entry


def test_yield_against_china_is_computed_from_both_areas_output_and_sown_area(ds):
    frame = computed.computed_for(ds, 2024).set_index("id")
    figures = ds.figures[ds.figures["year"] == 2024].set_index("indicator")["value"]
    china = ds.benchmarks[(ds.benchmarks["area"] == "china") & (ds.benchmarks["year"] == 2024)].set_index("indicator")[
        "value"
    ]
    expected = 100 * (
        (figures["grain_output"] / figures["grain_sown_area"]) / (china["grain_output"] / china["grain_sown_area"]) - 1
    )
    assert frame.loc["grain_yield_above_china", "value"] == pytest.approx(expected)
    assert set(frame.loc["grain_yield_above_china", "sources"]) == {
        *ds.figures.loc[(ds.figures["indicator"] == "grain_output") & (ds.figures["year"] == 2024), "source"],
        *ds.benchmarks.loc[
            (ds.benchmarks["indicator"] == "grain_output")
            & (ds.benchmarks["area"] == "china")
            & (ds.benchmarks["year"] == 2024),
            "source",
        ],
    }


def test_formula_is_shown_with_the_inputs_as_printed(ds):
    row = computed.computed_for(ds, 2024).set_index("id").loc["key_project_investment_to_industrial_output"]
    assert row["formula_filled"] == "100 * [160.8亿元] / [187.5亿元]"


def test_inputs_of_different_units_enter_in_their_base_unit(ds):
    # China's online retail is printed in billion yuan, Guanyun's in 亿元: the share must not mix them.
    row = computed.computed_for(ds, 2024).set_index("id").loc["online_retail_share_of_china"]
    assert row["value"] == pytest.approx(100 * 78e8 / 15522.5e9)


def test_a_change_is_given_back_in_its_own_unit_and_marked_implied(ds):
    row = computed.computed_for(ds, 2024).set_index("id").loc["industrial_output_increase"]
    assert row["value"] == pytest.approx(187.5 - 187.5 / 1.155)
    assert row["implied"]


def test_a_previous_published_level_is_used_before_an_implied_one(ds):
    row = computed.computed_for(ds, 2024).set_index("id").loc["tech_smes_increase"]
    assert row["value"] == 242 - 214 and not row["implied"]


def test_a_comparison_is_absent_in_a_year_without_its_inputs(ds):
    assert computed.computed_for(ds, 2023).empty


@pytest.mark.parametrize(
    "formula, message",
    [
        ("__import__('os')", "may hold only"),
        ("a ** b", "may hold only"),
        ("a / c", "not an input"),
        ("a /", "not arithmetic"),
    ],
)
def test_a_formula_is_parsed_never_run(formula, message):
    with pytest.raises(computed.ComputeError, match=message):
        computed.evaluate_formula(formula, {"a": 1.0, "b": 2.0})


def test_division_by_zero_is_one_clear_error():
    with pytest.raises(computed.ComputeError, match="divides by zero"):
        computed.evaluate_formula("a / (b - b)", {"a": 1.0, "b": 2.0})


@pytest.mark.parametrize(
    "override, field",
    [
        ({"inputs": {"a": "figure:no_such_indicator"}, "formula": "a"}, "inputs"),
        ({"inputs": {"a": "benchmark:atlantis:grain_output"}, "formula": "a"}, "inputs"),
        ({"inputs": {"a": "rumour:grain_output"}, "formula": "a"}, "inputs"),
        ({"type": "vibe"}, "type"),
        ({"unit": "furlongs"}, "unit"),
        ({"theme": "astrology"}, "theme"),
        ({"formula": "100 * a / zzz"}, "formula"),
    ],
)
def test_bad_entries_are_named_by_row_and_field(ds, override, field):
    problems = computed.problems(ds, [_entry(**override)])
    assert [p.field for p in problems] == [field]
    assert problems[0].row == 1


def test_computed_for_refuses_bad_definitions_with_data_error(ds):
    with pytest.raises(DataError, match="row 1, field 'type'"):
        computed.computed_for(ds, 2024, entries=[_entry(type="vibe")])


def test_the_committed_definitions_are_valid(ds):
    assert computed.problems(ds) == []


def test_the_definitions_are_read_and_checked_once_per_dataset(monkeypatch):
    """A page resolves comparisons for each section: data/computed.yml is read and checked once for a
    Dataset, and a Dataset whose registry differs checks them again (a broken one still fails)."""
    from dataclasses import replace

    fresh = load(paths.data_dir())
    real = computed.definitions
    reads = []
    monkeypatch.setattr(computed, "definitions", lambda *args: reads.append(1) or real(*args))
    first = computed.computed_for(fresh, 2024)
    assert computed.computed_for(fresh, 2024).equals(first) and len(reads) == 1
    named = next(
        term.partition(":")[2] for entry in real() for term in entry["inputs"].values() if term.startswith("figure:")
    )
    without = replace(fresh, indicators=fresh.indicators[fresh.indicators["id"] != named])
    with pytest.raises(DataError, match=named):
        computed.computed_for(without, 2024)
    assert len(reads) == 2


def test_a_years_comparisons_are_worked_out_once_and_a_callers_edit_stays_its_own(monkeypatch):
    fresh = load(paths.data_dir())
    real = computed.resolve_term
    resolved = []
    monkeypatch.setattr(computed, "resolve_term", lambda *args: resolved.append(1) or real(*args))
    first = computed.computed_for(fresh, 2024)
    calls = len(resolved)
    assert calls > 0 and not first.empty
    first.loc[:, "value"] = -1.0
    again = computed.computed_for(fresh, 2024)
    assert len(resolved) == calls and (again["value"] != -1.0).all()
    computed.computed_for(fresh, 2023)  # another year is worked out for itself
    assert len(resolved) > calls
