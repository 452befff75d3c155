"""Alt text for chart images, written from the chart's data by the kernel, placed by the runner.

The kernel can attach the text only to the image output's metadata; myst-nb reads alt text only
from the cell's metadata (mystnb.image.alt). `move_alt_text` moves it across after execution.
Kept free of heavy imports: the runner calls it in the main process.
"""

from __future__ import annotations

ALT_METADATA_KEY = "countybook_alt"


def move_alt_text(notebook: dict) -> None:
    """Give each chart image its alt text: myst-nb reads alt only from the cell's metadata
    (mystnb.image.alt), while the kernel can only attach it to the output. Called by the runner."""
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            alt = output.get("metadata", {}).get("image/png", {}).pop(ALT_METADATA_KEY, None)
            if alt is None:
                continue
            if not output["metadata"]["image/png"]:
                del output["metadata"]["image/png"]
            cell.setdefault("metadata", {}).setdefault("mystnb", {}).setdefault("image", {})["alt"] = alt
