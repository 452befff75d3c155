"""countybook.data.read: files to plain rows, numbered as a spreadsheet or editor shows them; every parse
failure is a DataError naming the file, the row and the field."""

from __future__ import annotations

import pytest

from countybook import paths
from countybook.data.read import WHOLE_FILE, read_csv, read_text, read_yaml, read_yaml_list
from countybook.errors import DataError, Problem

LABEL = "data/x.csv"


def write(tmp_path, text, name="x.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems_of(call, *args) -> set[tuple]:
    with pytest.raises(DataError) as caught:
        call(*args)
    return {(p.file, p.row, p.field) for p in caught.value.problems}


# --- read_text -------------------------------------------------------------------------------


def test_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xef\xbb\xbfa,b\n")
    assert read_text(path, LABEL) == "a,b\n"


def test_gbk_text_names_the_line_of_the_first_bad_byte(tmp_path):
    path = write(tmp_path, "a,b\n1,2\n3,灌云\n", encoding="gbk")
    with pytest.raises(DataError) as caught:
        read_text(path, LABEL)
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.field) == (LABEL, 3, WHOLE_FILE)
    assert "not UTF-8" in problem.message


def test_missing_file(tmp_path):
    assert problems_of(read_text, tmp_path / "absent.csv", LABEL) == {(LABEL, None, WHOLE_FILE)}


# --- read_csv --------------------------------------------------------------------------------


def test_rows_are_numbered_from_the_header_and_cells_are_stripped_text(tmp_path):
    path = write(tmp_path, "a,b\n 1 ,x\n\n2, y \n")
    frame = read_csv(path, LABEL, ["a", "b"])
    assert list(frame.index) == [2, 4]  # the blank line 3 is skipped but still counted
    assert frame.loc[2, "a"] == "1" and frame.loc[4, "b"] == "y"
    assert frame["a"].map(type).eq(str).all()


def test_extra_columns_are_kept_and_header_names_stripped(tmp_path):
    frame = read_csv(write(tmp_path, "a , b,extra\n1,2,3\n"), LABEL, ["a", "b"])
    assert list(frame.columns) == ["a", "b", "extra"]


def test_a_quoted_cell_may_span_lines_and_is_named_by_its_first_line(tmp_path):
    frame = read_csv(write(tmp_path, 'a,b\n1,"two\nlines"\n3,4\n'), LABEL, ["a", "b"])
    assert list(frame.index) == [2, 4]
    assert frame.loc[2, "b"] == "two\nlines"


@pytest.mark.parametrize(
    "text, row",
    [
        ('a,b\n1,2\n3,"open\n5,6\n7,8\n', 3),  # unclosed: runs to the end of the file
        ('a,b\n1,"open\n3,"x"\n', 2),  # unclosed, then closed by a later quote
        ('a,b\n1,"x"y\n', 2),  # text after a closing quote
        ('"a,b\n1,2\n', 1),  # in the header itself
    ],
)
def test_broken_quoting_names_the_row_where_it_starts(tmp_path, text, row):
    with pytest.raises(DataError) as caught:
        read_csv(write(tmp_path, text), LABEL, ["a", "b"])
    assert {(p.file, p.row, p.field) for p in caught.value.problems} == {(LABEL, row, "(row)")}
    assert "broken CSV quoting" in str(caught.value)


@pytest.mark.parametrize("text, row", [("a,b\n1,2\n3,4,5\n", 3), ("a,b\n1\n3,4\n", 2)])
def test_a_row_with_the_wrong_number_of_cells(tmp_path, text, row):
    with pytest.raises(DataError) as caught:
        read_csv(write(tmp_path, text), LABEL, ["a", "b"])
    [problem] = caught.value.problems
    assert (problem.row, problem.field) == (row, "(row)")
    assert "the header has 2" in problem.message


def test_missing_columns_are_each_named(tmp_path):
    assert problems_of(read_csv, write(tmp_path, "a\n1\n"), LABEL, ["a", "b", "c"]) == {
        (LABEL, 1, "b"),
        (LABEL, 1, "c"),
    }


@pytest.mark.parametrize("text", ["", "  \n\n"])
def test_an_empty_csv(tmp_path, text):
    assert problems_of(read_csv, write(tmp_path, text), LABEL, ["a"]) == {(LABEL, 1, "(header)")}


# --- read_yaml, read_yaml_list ----------------------------------------------------------------


def test_malformed_yaml_names_its_line(tmp_path):
    path = write(tmp_path, "- id: a\n  order: 1\n- id: b\n   order: 2\n", name="x.yml")
    with pytest.raises(DataError) as caught:
        read_yaml(path, "data/x.yml")
    assert caught.value.problems == [Problem("data/x.yml", 4, WHOLE_FILE, caught.value.problems[0].message)]
    assert caught.value.problems[0].message.startswith("malformed YAML")


def test_a_yaml_list_is_numbered_from_one(tmp_path):
    path = write(tmp_path, "# comment\n- {id: a, order: 1}\n- {id: b, order: 2, more: x}\n", name="x.yml")
    frame = read_yaml_list(path, "data/x.yml", ["id", "order"])
    assert list(frame.index) == [1, 2]
    assert list(frame["id"]) == ["a", "b"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a: 1\n", {(None, WHOLE_FILE)}),
        ("[]\n", {(None, WHOLE_FILE)}),
        ("", {(None, WHOLE_FILE)}),
        ("- {id: a, order: 1}\n- just text\n", {(2, "(entry)")}),
        ("- {id: a}\n- {order: 2}\n", {(1, "order"), (2, "id")}),
    ],
)
def test_a_bad_yaml_list(tmp_path, text, expected):
    path = write(tmp_path, text, name="x.yml")
    assert problems_of(read_yaml_list, path, "data/x.yml", ["id", "order"]) == {
        ("data/x.yml", row, field) for row, field in expected
    }


@pytest.mark.parametrize("name", sorted(path.name for path in paths.data_dir().glob("*.yml")))
def test_every_data_file_reads_as_pyyamls_own_safe_loader_reads_it(name):
    """read_yaml parses with libyaml and composes with PyYAML's composer (for its checks): the
    result must be what yaml.safe_load makes of the same file."""
    import yaml

    path = paths.data_dir() / name
    assert read_yaml(path, name) == yaml.safe_load(path.read_text(encoding="utf-8"))
