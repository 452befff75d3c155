"""countybook.data.yaml_models: the shape of each YAML file in data/, and registering a new one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from countybook import paths
from countybook.data import benchmark_schemas, load, schemas, yaml_models
from countybook.data.load import forget_loaded
from countybook.errors import DataError


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", folder)
    return folder


def _problems(folder: Path):
    with pytest.raises(DataError) as caught:
        load(folder)
    return {(p.file, p.row, p.field) for p in caught.value.problems}, caught.value


def test_the_data_as_committed_has_its_shape():
    for name in yaml_models.adapters():
        path = paths.ROOT / "data" / name
        if path.exists():
            import yaml

            assert yaml_models.shape_problems(name, yaml.safe_load(path.read_text(encoding="utf-8")), name) == []


def test_a_number_is_not_text_nor_text_a_flag():
    problems = yaml_models.shape_problems("units.yml", {"亿元": {"en": 100, "whole": "yes"}}, "data/units.yml")
    assert {(p.row, p.field) for p in problems} == {(None, "亿元.en"), (None, "亿元.whole")}


def test_an_unknown_field_in_a_fixed_layout_is_a_typo():
    entry = {"id": "signed", "order": 1, "zh": "签约", "en": "Signed", "odrer": 2}
    (problem,) = yaml_models.shape_problems("stages.yml", [entry], "data/stages.yml")
    assert (problem.row, problem.field) == (1, "odrer") and problem.message.startswith("unknown field")


def test_the_indicator_shape_takes_the_registry_semantics_and_planned_fields():
    entry = {
        "id": "gdp",
        "theme": "economy",
        "name_zh": "地区生产总值",
        "name_en": "GDP",
        "unit": "亿元",
        "kind": "money",
        "description": "Gross domestic product.",
        "aliases": ["地区生产总值", "GDP"],
        "measure": "annual_flow",
        "price_basis": "current",
        "scope": "above_scale_industry",
        "headline": 1,
        "a_field_planned_later": "free text",
    }
    assert yaml_models.shape_problems("indicators.yml", [entry], "data/indicators.yml") == []
    wrong = {**entry, "headline": "first", "measure": ["annual_flow"]}
    assert {(p.row, p.field) for p in yaml_models.shape_problems("indicators.yml", [wrong], "x")} == {
        (1, "headline"),
        (1, "measure"),
    }


def test_a_planned_yaml_file_passes_until_it_registers_a_model(data, monkeypatch):
    (data / "planned_for_later.yml").write_text("- {term: 规上工业, en: 7}\n", encoding="utf-8")
    assert len(load(data).figures) > 0  # unknown file: read safely, shape not checked

    class Term(yaml_models.Fixed):
        term: str
        en: str

    # The one line a new file needs, in SHAPES; the validators are built from it on first use.
    monkeypatch.setattr(yaml_models, "SHAPES", (*yaml_models.SHAPES, ("planned_for_later.yml", list[Term])))
    yaml_models.adapters.cache_clear()
    forget_loaded()
    try:
        found, _ = _problems(data)
    finally:
        monkeypatch.undo()
        yaml_models.adapters.cache_clear()
        forget_loaded()
    assert found == {("data/planned_for_later.yml", 1, "en")}


def test_every_yaml_file_of_the_data_has_a_model():
    assert {path.name for path in (paths.ROOT / "data").glob("*.yml")} <= set(yaml_models.adapters())


@pytest.mark.parametrize(
    "file_name, schema",
    [
        ("themes.yml", schemas.themes_schema()),
        ("scopes.yml", schemas.scopes_schema()),
        ("indicators.yml", schemas.indicators_schema([], {})),
        ("ratios.yml", schemas.ratios_schema([], [])),
        ("areas.yml", benchmark_schemas.areas_schema()),
        ("comparisons.yml", benchmark_schemas.comparisons_schema([])),
        ("glossary.yml", benchmark_schemas.glossary_schema()),
    ],
)
def test_the_value_checks_name_only_fields_the_model_declares(file_name, schema):
    # The model is the one declaration of a YAML file's fields (load fills its optional ones as blank
    # columns); a pandera column it does not declare would be a second list drifting from it.
    required, optional = yaml_models.fields_of(file_name)
    assert set(schemas.declared_columns(schema)) <= set(required) | set(optional)
