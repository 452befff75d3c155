"""countybook.data.yaml_models: the shape of each YAML file in data/, and registering a new one."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from countybook import paths
from countybook.data import load, yaml_models
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
    for name in yaml_models.MODELS:
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
    entry = {"id": "gdp", "theme": "economy", "name_zh": "地区生产总值", "name_en": "GDP", "unit": "亿元",
             "kind": "money", "description": "Gross domestic product.", "aliases": ["地区生产总值", "GDP"],
             "measure": "annual_flow", "price_basis": "current", "scope": "above_scale_industry", "headline": 1,
             "a_field_planned_later": "free text"}
    assert yaml_models.shape_problems("indicators.yml", [entry], "data/indicators.yml") == []
    wrong = {**entry, "headline": "first", "measure": ["annual_flow"]}
    assert {(p.row, p.field) for p in yaml_models.shape_problems("indicators.yml", [wrong], "x")} == {
        (1, "headline"), (1, "measure")}


def test_a_planned_yaml_file_passes_until_it_registers_a_model(data, monkeypatch):
    (data / "timeline.yml").write_text("- {term: 规上工业, en: 7}\n", encoding="utf-8")
    assert len(load(data).figures) > 0  # unknown file: read safely, shape not checked

    class Term(yaml_models.Fixed):
        term: str
        en: str

    monkeypatch.setattr(yaml_models, "MODELS", dict(yaml_models.MODELS))
    yaml_models.register("timeline.yml", list[Term])  # the one line a new file needs
    found, _ = _problems(data)
    assert found == {("data/timeline.yml", 1, "en")}


def test_every_yaml_file_of_the_data_has_a_model():
    assert {path.name for path in (paths.ROOT / "data").glob("*.yml")} <= set(yaml_models.MODELS)


