"""Executed notebooks made reproducible (step 5 of a run): same inputs, same bytes, same files.

Timestamps, durations and input/output paths are dropped, the injected-parameters cell gets
`remove-cell` and a fixed id, and a file whose bytes come out identical to the previous
edition's is that file (hard link), so its modification time does not change and an
incremental jupyter-book build does not read it again.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from .verify import INJECTED_TAG

REMOVE_TAG = "remove-cell"
HIDE_INPUT_TAG = "hide-input"
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "collapsed_timing")
VOLATILE_PAPERMILL_CELL = ("start_time", "end_time", "duration")
VOLATILE_PAPERMILL_NOTEBOOK = ("start_time", "end_time", "duration", "input_path", "output_path")


def postprocess(nb, template: Path):
    """Make an executed notebook reproducible: same inputs, same bytes."""
    with open(template, encoding="utf-8") as f:
        template_ids = {cell.get("id") for cell in json.load(f).get("cells", []) if cell.get("id")}

    for index, cell in enumerate(nb.cells):
        metadata = cell.setdefault("metadata", {})
        tags = list(metadata.get("tags", []))
        if INJECTED_TAG in tags:
            if REMOVE_TAG not in tags:
                tags.append(REMOVE_TAG)
            metadata["tags"] = tags
            if "id" in cell:
                cell["id"] = INJECTED_TAG if INJECTED_TAG not in template_ids else f"{INJECTED_TAG}-{index}"
        elif "id" in cell and cell["id"] not in template_ids:
            cell["id"] = f"cell-{index}"  # ids papermill or nbformat generated at random
        if HIDE_INPUT_TAG in tags and cell.get("cell_type") == "code" and not cell.get("outputs"):
            # A section with nothing to show this year (a chart with too few bars) would leave an
            # empty "show code" toggle on the page: the cell goes, as its output did.
            metadata["tags"] = [*tags, REMOVE_TAG]
        for key in VOLATILE_CELL_METADATA:
            metadata.pop(key, None)
        papermill_meta = metadata.get("papermill")
        if isinstance(papermill_meta, dict):
            for key in VOLATILE_PAPERMILL_CELL:
                papermill_meta.pop(key, None)

    papermill_meta = nb.metadata.get("papermill")
    if isinstance(papermill_meta, dict):
        for key in VOLATILE_PAPERMILL_NOTEBOOK:
            papermill_meta.pop(key, None)
    nb.metadata.pop("widgets", None)  # widget state holds random model ids
    from ..render.alt_text import move_alt_text
    from ..render.page_text import drop_empty_sections

    move_alt_text(nb)
    drop_empty_sections(nb)
    return nb


def write_notebook(nb, target: Path) -> None:
    import nbformat

    nbformat.write(nb, str(target))  # sorted keys, indent 1, trailing newline
    os.chmod(target, 0o644)


def keep_previous_if_identical(previous: Path, target: Path) -> None:
    """Reuse the previous edition's file when the bytes match, keeping its modification time."""
    try:
        same = previous.is_file() and previous.read_bytes() == target.read_bytes()
    except OSError:
        return
    if same:
        target.unlink()
        link_or_copy(previous, target)


def link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
        os.chmod(target, 0o644)
