"""countybook.render.catalogue_check: what an edition needs of its catalogue is refused by `validate` and
before a run starts, each fault in one line naming file, line or key, and exit 1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from countybook import paths
from countybook.__main__ import main
from countybook.errors import DataError
from countybook.render import catalogue_check, messages
from countybook.run import runner


@pytest.fixture
def catalogues(tmp_path, monkeypatch) -> Path:
    """A copy of the catalogues the library reads instead of its own, for the test to break."""
    folder = tmp_path / "catalogues"
    shutil.copytree(messages.CATALOGUE_DIR, folder)
    monkeypatch.setattr(messages, "CATALOGUE_DIR", folder)
    messages.catalogue.cache_clear()
    yield folder
    messages.catalogue.cache_clear()


def set_line(path: Path, key: str, line: str) -> None:
    """Replace the line of a top-level key."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    (number,) = [n for n, text in enumerate(lines) if text.startswith(f"{key}:")]
    lines[number] = line + "\n"
    path.write_text("".join(lines), encoding="utf-8")


def validate_lines(capsys) -> tuple[int, list[str]]:
    code = main(["validate"])
    return code, capsys.readouterr().err.strip().splitlines()


def test_the_catalogues_as_committed_pass():
    assert catalogue_check.problems() == []


def test_a_yaml_syntax_error_is_one_line_with_its_line(catalogues, capsys):
    with (catalogues / "zh.yml").open("a", encoding="utf-8") as handle:
        handle.write("broken: [unclosed\n")
    code, lines = validate_lines(capsys)
    assert code == 1 and len(lines) == 1
    assert lines[0].startswith("zh.yml, row ") and "malformed YAML" in lines[0]


def test_a_missing_required_key_names_the_key(catalogues, capsys):
    text = (catalogues / "zh.yml").read_text(encoding="utf-8")
    (catalogues / "zh.yml").write_text(
        "".join(line for line in text.splitlines(keepends=True) if not line.startswith("language.name:")),
        encoding="utf-8",
    )
    code, lines = validate_lines(capsys)
    assert code == 1
    assert lines == ["zh.yml, whole file, field 'language.name': is missing (it is in en.yml)"]


def test_placeholders_that_differ_between_languages_are_refused(catalogues, capsys):
    set_line(catalogues / "zh.yml", "language.switch", 'language.switch: "{lang}阅读本页的其他语言版本"')
    code, lines = validate_lines(capsys)
    assert code == 1 and len(lines) == 1
    assert lines[0].startswith("zh.yml, row ") and "field 'language.switch': fills ['lang'], expected []" in lines[0]


def test_an_empty_extra_catalogue_is_refused(catalogues, capsys):
    (catalogues / "fr.yml").write_text("", encoding="utf-8")
    code, lines = validate_lines(capsys)
    assert code == 1
    assert lines == [
        "fr.yml, whole file, field '(file)': is empty or not a mapping of key: message; "
        "translate every key of the default catalogue, or remove the file"
    ]


def test_a_duplicate_key_is_refused_as_it_would_silently_keep_one_value(catalogues):
    with (catalogues / "en.yml").open("a", encoding="utf-8") as handle:
        handle.write("language.name: Anglais\n")
    (problem,) = catalogue_check.problems()
    assert problem.file == "en.yml" and "duplicate key 'language.name'" in problem.message


def test_a_run_refuses_a_broken_catalogue_before_it_loads_the_data(catalogues, tmp_path):
    set_line(catalogues / "zh.yml", "language.switch", 'language.switch: "{lang}阅读本页的其他语言版本"')
    with pytest.raises(DataError) as caught:
        runner.check_year(2024, tmp_path / "no data here")  # the catalogue is refused first
    assert [p.field for p in caught.value.problems] == ["language.switch"]


def test_the_catalogue_is_named_by_its_path_in_the_project():
    assert messages.catalogue_label(messages.catalogue_path("zh")) == "countybook/render/catalogues/zh.yml"
    assert (paths.ROOT / messages.catalogue_label(messages.catalogue_path("zh"))).is_file()
