"""Load data/ into typed frames, validated against the declared schemas.

`load()` is the only way the rest of the library reads data: it either returns a consistent
Dataset or raises one DataError listing every problem as file, row, field and message.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .. import paths
from ..data_files import data_hash
from ..errors import MAX_SHOWN_PER_FILE, DataError, Problem
from . import benchmark_schemas, schemas, series, translations, yaml_models
from .read import WHOLE_FILE, read_csv, read_yaml, read_yaml_list
from .units import as_text, convert

# Each file's columns are declared once: a CSV file's by its pandera schema, a YAML file's by its
# pydantic model (yaml_models.py). These names are derived from there for the modules that write files.
FIGURE_COLUMNS = tuple(schemas.declared_columns(schemas.figures_schema()))
# price_basis came later: a figures file (or review file) written before it still reads, as blank.
OPTIONAL_FIGURE_COLUMNS = tuple(schemas.declared_columns(schemas.figures_schema(), required=False))
SOURCE_COLUMNS = tuple(schemas.declared_columns(schemas.sources_schema()))
PROJECT_COLUMNS = tuple(schemas.declared_columns(schemas.projects_schema()))
MILESTONE_COLUMNS = tuple(schemas.declared_columns(schemas.milestones_schema()))
BENCHMARK_COLUMNS = tuple(schemas.declared_columns(benchmark_schemas.benchmarks_schema()))

FILES = paths.DATA_FILES


@dataclass
class Dataset:
    themes: pd.DataFrame
    units: dict
    qualifiers: pd.DataFrame
    stages: pd.DataFrame
    indicators: pd.DataFrame
    scopes: pd.DataFrame
    ratios: pd.DataFrame
    sources: pd.DataFrame
    figures: pd.DataFrame
    projects: pd.DataFrame
    milestones: pd.DataFrame
    # The context layer: areas Guanyun is compared with, their figures, the indicators only they
    # publish (kept out of `indicators`, so chapters never list them as Guanyun's) and the declared
    # comparable concept pairs.
    areas: pd.DataFrame = field(default_factory=pd.DataFrame)
    benchmarks: pd.DataFrame = field(default_factory=pd.DataFrame)
    benchmark_indicators: pd.DataFrame = field(default_factory=pd.DataFrame)
    comparisons: pd.DataFrame = field(default_factory=pd.DataFrame)
    glossary: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Chapters compare a year with the years just before it; older figures (the gazetteer's, under
    # other boundaries and concepts) appear only on the long-view page (data/long_view.yml).
    chapters_from: int = 0
    # The book's English rendering of each Chinese quote (data/quotes_en.csv), keyed by the quote.
    quote_translations: dict = field(default_factory=dict)
    # What is worked out from the frames again and again (the figures joined with the registry, a
    # figure by indicator and year), each kept with the frames it was made from: see remembered().
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def all_indicators(self) -> pd.DataFrame:
        """Guanyun's registry and the benchmark-only indicators together."""
        return pd.concat([self.indicators, self.benchmark_indicators], ignore_index=True)

    def years(self) -> list[int]:
        """Years the book can run for: each holds a published figure from chapters_from on (older
        figures, the gazetteer's, are the long view's context, not a year of their own)."""
        return sorted(int(year) for year in self.figures["year"].unique() if year >= self.chapters_from)

    def latest_year(self) -> int:
        return self.years()[-1]


def remembered(ds: Dataset, name: str, sources: tuple, make):
    """make(), worked out once per Dataset and kept in ds.memo with the frames it was made from
    (sources): a Dataset given another frame (dataclasses.replace) works it out again. Frames are
    not edited in place after loading; a caller's edits of what it is given stay its own (pandas
    copies on write)."""
    kept = ds.memo.get(name)
    if kept is not None and len(kept[0]) == len(sources) and all(a is b for a, b in zip(kept[0], sources)):
        return kept[1]
    value = make()
    ds.memo[name] = (sources, value)
    return value


# Files longer than this are validated a block of rows at a time, stopping once a block brings
# the file's problems to MAX_SHOWN_PER_FILE: a 50 MB figures.csv of pasted duplicates then costs
# seconds, not minutes and gigabytes of failure cases. The book's files are far below it, so they
# are always checked whole.
BLOCK_ROWS = 5000


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, label: str) -> list[Problem]:
    """Problems of frame against schema, each naming row and field; bounded for long files.

    A long file is checked block by block first; checks across rows (duplicates, unique ids)
    then see only one block, so once every block passes the whole file is checked again.
    """
    if len(frame) <= BLOCK_ROWS:
        return _validate_whole(frame, schema, label)
    problems: list[Problem] = []
    for start in range(0, len(frame), BLOCK_ROWS):
        problems += _validate_whole(frame.iloc[start : start + BLOCK_ROWS], schema, label)
        end = min(start + BLOCK_ROWS, len(frame))
        if len(problems) >= MAX_SHOWN_PER_FILE and end < len(frame):
            first_unchecked, last = frame.index[end], frame.index[-1]
            problems.append(
                Problem(
                    label,
                    None,
                    WHOLE_FILE,
                    f"checking stopped after {len(problems):,} problems in rows up to "
                    f"{frame.index[end - 1]}; rows {first_unchecked}-{last} were not checked",
                )
            )
            return problems
    return problems or _validate_whole(frame, schema, label)


def _validate_whole(frame: pd.DataFrame, schema: pa.DataFrameSchema, label: str) -> list[Problem]:
    """Run a schema lazily and translate each failure into a Problem naming row and field."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        problems = []
        for case in errors.failure_cases.itertuples():
            field, message = _field_and_message(case)
            row = int(case.index) if pd.notna(case.index) else None
            problems.append(Problem(label, row, field, message))
        return list(dict.fromkeys(problems))  # a wide check fails once per column of the same row
    return []


def _field_and_message(case) -> tuple[str, str]:
    check = str(case.check)
    if "|" in check:
        field, message = check.split("|", 1)
        return field, message
    if check == "column_in_dataframe":
        return str(case.failure_case), "column is missing"
    if check == "field_uniqueness":
        return str(case.column), f"'{case.failure_case}' is not unique"
    if check.startswith(("coerce_dtype", "dtype")):
        return str(case.column), f"'{case.failure_case}' has the wrong type ({check})"
    shown = case.failure_case
    return str(case.column), f"{check} (found '{shown}')"


def load(data_dir: Path | str | None = None) -> Dataset:
    """Read and validate all of data/; raise DataError naming every problem.

    Data read before with the same bytes in every data file (data_files.data_hash), in this folder
    or any other, gives a copy of what was read then: each chapter's page calls load(), a book's
    kernel runs a dozen chapters, and a run's copy of data/ holds the bytes of the original.
    """
    folder = Path(data_dir) if data_dir is not None else paths.data_dir()
    paths.check_data_folder(folder, str(folder))
    try:
        fingerprint = data_hash(folder)
    except OSError:
        return _load(folder)  # a file that cannot be read: _load names it
    # A deep copy: a caller changing its frames must not change what the next caller gets.
    return copy.deepcopy(_load_once(fingerprint, _Copy(folder)))


def forget_loaded() -> None:
    """Forget the remembered datasets: for a caller that changed the rules in this process (a test
    registering a YAML model); a process started afresh reads the rules in force anyway."""
    _load_once.cache_clear()


@dataclass(frozen=True)
class _Copy:
    """A folder holding the bytes of a fingerprint. Every copy is equal to every other (the folder
    takes no part in comparing or hashing), so _load_once remembers by the bytes alone: what _load
    makes of a folder depends only on its files' names and contents, which the fingerprint covers."""

    folder: Path = field(compare=False)


@functools.lru_cache(maxsize=4)
def _load_once(fingerprint: str, copy_of: _Copy) -> Dataset:
    """_load, remembered by contents (a failed load raises and is not remembered)."""
    return _load(copy_of.folder)


def _load(folder: Path) -> Dataset:
    def locate(key):
        return folder / FILES[key], f"{folder.name}/{FILES[key]}"

    problems: list[Problem] = []

    def attempt(reader, *args):
        try:
            return reader(*args)
        except DataError as err:
            problems.extend(err.problems)
            return None

    def entries(key):
        """A YAML list file as a frame, its optional fields present as columns (blank where left out)."""
        required, optional = yaml_models.fields_of(FILES[key])
        frame = attempt(read_yaml_list, *locate(key), list(required))
        if frame is None:
            return None
        frame = frame.reindex(columns=[*frame.columns, *[c for c in optional if c not in frame.columns]])
        return frame.astype(object).where(frame.notna(), None) if optional else frame

    themes, qualifiers, stages = entries("themes"), entries("qualifiers"), entries("stages")
    units = attempt(read_yaml, *locate("units"))
    indicators, scopes, ratios = entries("indicators"), entries("scopes"), entries("ratios")
    sources = attempt(read_csv, *locate("sources"), SOURCE_COLUMNS)
    figures = attempt(read_figures, *locate("figures"))
    projects = attempt(read_csv, *locate("projects"), PROJECT_COLUMNS)
    milestones = attempt(read_csv, *locate("milestones"), MILESTONE_COLUMNS)
    areas = entries("areas")
    benchmarks = attempt(read_csv, *locate("benchmarks"), BENCHMARK_COLUMNS)
    comparisons, glossary = entries("comparisons"), entries("glossary")
    quote_translations = attempt(translations.read, folder)
    if units is not None and not isinstance(units, dict):
        problems.append(Problem(locate("units")[1], None, WHOLE_FILE, "expected a mapping of unit: {en: …}"))
    # Every other YAML file in data/ (one another part of the book reads itself, such as a
    # glossary): read safely and checked against its model if one is registered.
    read_here = set(FILES.values())
    for other in sorted(folder.glob("*.yml")):
        # A hidden file is an editor's or a writer's temporary copy (.figures.yml.swp, .units.yml), not data.
        if other.name not in read_here and not other.name.startswith("."):
            attempt(read_yaml, other, f"{folder.name}/{other.name}")
    if problems:
        raise DataError(problems)

    theme_ids = list(themes["id"])
    benchmark_only = _benchmark_only(indicators)
    problems += benchmark_only_problems(indicators, benchmark_only, locate("indicators")[1])
    indicator_ids = list(indicators.loc[~benchmark_only, "id"])
    used_sources = list(sources.loc[sources["status"] == "used", "id"])
    checks = [
        (themes, schemas.themes_schema(), "themes"),
        (scopes, schemas.scopes_schema(), "scopes"),
        (indicators, schemas.indicators_schema(theme_ids, units, list(scopes["id"])), "indicators"),
        (ratios, schemas.ratios_schema(theme_ids, indicator_ids), "ratios"),
        (sources, schemas.sources_schema(), "sources"),
        (
            figures,
            schemas.figures_schema(
                indicators[~benchmark_only], units, list(qualifiers["id"]), used_sources, set(ratios["denominator"])
            ),
            "figures",
        ),
        (projects, schemas.projects_schema(theme_ids, list(stages["id"]), units, used_sources), "projects"),
        (milestones, schemas.milestones_schema(theme_ids, used_sources), "milestones"),
        (areas, benchmark_schemas.areas_schema(), "areas"),
        (
            benchmarks,
            benchmark_schemas.benchmarks_schema(
                dict(zip(indicators["id"], indicators["unit"])), units, list(qualifiers["id"]), used_sources, areas
            ),
            "benchmarks",
        ),
        (comparisons, benchmark_schemas.comparisons_schema(list(indicators["id"])), "comparisons"),
        (glossary, benchmark_schemas.glossary_schema(), "glossary"),
    ]
    if quote_translations is not None:
        problems += validate(
            quote_translations, schemas.quote_translations_schema(), f"{folder.name}/{translations.FILE}"
        )
    for frame, schema, key in checks:
        if key == "benchmarks" and any(p.file == locate("areas")[1] for p in problems):
            continue  # checked against broken areas, every benchmark row would repeat the areas' problem
        problems += validate(frame, schema, locate(key)[1])
    problems += [
        Problem(locate("sources")[1], int(row), "copy_of", schemas.COPY_OF_RULE)
        for row in schemas.copy_of_problem_rows(sources)
    ]
    misplaced = _figures_with_benchmark_only(figures, indicators[benchmark_only], locate("figures")[1])
    # One line per mistake: the specific reason replaces the schema's generic 'unknown indicator id'.
    problems = [p for p in problems if (p.file, p.row, p.field) not in {(m.file, m.row, m.field) for m in misplaced}]
    problems += misplaced
    if (folder / "long_view.yml").exists():
        # The long view's series and breaks name indicators and sources: checked like any reference.
        problems += series.problems(series.read_definitions(folder), indicators["id"], used_sources)
    if problems:
        raise DataError(problems)

    return Dataset(
        themes=themes.sort_values("order").reset_index(drop=True),
        units=units,
        qualifiers=qualifiers.reset_index(drop=True),
        stages=stages.sort_values("order").reset_index(drop=True),
        indicators=indicators[~benchmark_only].drop(columns="benchmark_only", errors="ignore").reset_index(drop=True),
        scopes=scopes.reset_index(drop=True),
        ratios=ratios.astype({"factor": float}).reset_index(drop=True),
        sources=sources.reset_index(drop=True),
        figures=_in_registry_units(_typed_figures(figures), indicators, units),
        projects=_typed_projects(projects),
        milestones=milestones.astype({"year": float}).astype({"year": int}).reset_index(drop=True),
        areas=areas.reset_index(drop=True),
        benchmarks=_typed_figures(benchmarks),
        benchmark_indicators=indicators[benchmark_only].reset_index(drop=True),
        comparisons=comparisons.reset_index(drop=True),
        glossary=glossary.reset_index(drop=True),
        chapters_from=series.read_definitions(folder).chapters_from if (folder / "long_view.yml").exists() else 0,
        quote_translations=translations.as_mapping(quote_translations),
    )


def read_figures(path: Path, label: str) -> pd.DataFrame:
    """A figures CSV (data/figures.csv or a review file); optional columns missing are filled blank."""
    frame = read_csv(path, label, [c for c in FIGURE_COLUMNS if c not in OPTIONAL_FIGURE_COLUMNS])
    for column in OPTIONAL_FIGURE_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    return frame


def _benchmark_only(indicators: pd.DataFrame) -> pd.Series:
    flag = indicators["benchmark_only"] if "benchmark_only" in indicators else pd.Series(False, index=indicators.index)
    return flag.map(lambda v: v is True)


def benchmark_only_problems(indicators: pd.DataFrame, benchmark_only: pd.Series, label: str) -> list[Problem]:
    """`benchmark_only` is either absent or a YAML boolean; 'yes' or 'true' in quotes would silently count as no."""
    if "benchmark_only" not in indicators:
        return []
    wrong = indicators["benchmark_only"].map(lambda v: not (v is True or v is False or v is None or v != v))
    return [
        Problem(label, int(row), "benchmark_only", "must be true or false (unquoted)")
        for row in indicators.index[wrong]
    ]


def _figures_with_benchmark_only(figures: pd.DataFrame, benchmark_only: pd.DataFrame, label: str) -> list[Problem]:
    named = figures["indicator"].isin(set(benchmark_only["id"]))
    return [
        Problem(
            label,
            int(row),
            "indicator",
            "is a benchmark-only indicator: it describes other areas, "
            "not Guanyun (put the figure in data/benchmarks.csv, or register a Guanyun indicator)",
        )
        for row in figures.index[named]
    ]


def _number_or_nan(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column.replace("", None), errors="raise").astype(float)


def _typed_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures and benchmarks alike: the value as written kept beside the number."""
    typed = figures.reset_index(drop=True).copy()
    typed["value_text"] = typed["value"]
    typed["year"] = typed["year"].astype(float).astype(int)
    # A growth-only figure (the source gives the rate, not the level) has no value: NaN here.
    typed["value"] = _number_or_nan(typed["value"])
    typed["yoy_pct"] = _number_or_nan(typed["yoy_pct"])
    return typed


def _in_registry_units(figures: pd.DataFrame, indicators: pd.DataFrame, units: dict) -> pd.DataFrame:
    """Values published in another unit of the same measure (1.2 万人 for an indicator in 人) in the registry's unit.

    The conversion is exact (decimal arithmetic on the published digits), so every figure of an
    indicator can be compared and charted with the others; published_value and published_unit keep
    what the source printed (the quote holds it too).
    """
    figures["published_value"] = figures["value_text"]
    figures["published_unit"] = figures["unit"]
    registry_unit = figures["indicator"].map(dict(zip(indicators["id"], indicators["unit"])))
    for index in figures.index[(figures["unit"] != registry_unit) & (figures["value_text"] != "")]:
        published, target = figures.at[index, "unit"], registry_unit[index]
        converted = convert(figures.at[index, "value_text"], published, target, units)
        figures.at[index, "value_text"] = as_text(converted)
        figures.at[index, "value"] = float(converted)
        figures.at[index, "unit"] = target
    return figures


def _typed_projects(projects: pd.DataFrame) -> pd.DataFrame:
    typed = projects.reset_index(drop=True).copy()
    typed["year"] = typed["year"].astype(float).astype(int)
    typed["investment_text"] = typed["investment"]
    typed["investment"] = _number_or_nan(typed["investment"])
    return typed
