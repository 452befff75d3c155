"""countybook.render.alt_text: alt text moves from the image output to the cell's mystnb options."""

from __future__ import annotations

from countybook.render.alt_text import ALT_METADATA_KEY, move_alt_text


def _notebook(output_metadata: dict) -> dict:
    return {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {"tags": ["remove-input"]},
                "outputs": [
                    {"output_type": "display_data", "data": {"image/png": "iVBOR"}, "metadata": output_metadata}
                ],
            }
        ]
    }


def test_alt_text_becomes_the_cells_image_option():
    nb = _notebook({"image/png": {ALT_METADATA_KEY: "Bar chart of annual flows: A 1; B 2; C 3."}})
    move_alt_text(nb)
    cell = nb["cells"][0]
    assert cell["metadata"]["mystnb"]["image"]["alt"] == "Bar chart of annual flows: A 1; B 2; C 3."
    assert cell["metadata"]["tags"] == ["remove-input"]
    assert "image/png" not in cell["outputs"][0]["metadata"]  # nothing left behind


def test_other_image_metadata_is_kept():
    nb = _notebook({"image/png": {ALT_METADATA_KEY: "x", "width": 900}})
    move_alt_text(nb)
    assert nb["cells"][0]["outputs"][0]["metadata"] == {"image/png": {"width": 900}}


def test_a_cell_without_alt_text_is_left_alone():
    nb = _notebook({})
    move_alt_text(nb)
    assert "mystnb" not in nb["cells"][0]["metadata"]
