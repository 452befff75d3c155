"""What an executed notebook must hold before it may enter an edition (step 4 of a run)."""

from __future__ import annotations

from pathlib import Path

from .plan import Failure

INJECTED_TAG = "injected-parameters"
FIGURE_TEXT = "<Figure size"  # matplotlib's text/plain repr of a Figure
PNG = "image/png"


def verify(nb, template: Path, parameters: dict) -> list[Failure]:
    """One Failure per fault of an executed notebook; [] when it may enter the edition.

    * every figure displayed has its image: a display whose text/plain is a matplotlib Figure
      repr without an image/png beside it is a lost chart (a non-inline backend such as Agg, or
      an image format switched off). This rule needs no list of chart cells, so it holds for
      any chart method a chapter calls, including ones added later;
    * no error output and nothing on stderr (a warning in a chapter is a fault to fix, and with
      a non-interactive backend plt.show() warns there);
    * papermill injected exactly the run's parameters.
    Cells are numbered like the template's, as in a rejected run.
    """
    failures = []
    injected = [cell for cell in nb.cells if INJECTED_TAG in cell.get("metadata", {}).get("tags", [])]
    recorded = nb.metadata.get("papermill", {}).get("parameters")
    if len(injected) != 1 or recorded != parameters:
        failures.append(
            Failure(template.name, None, f"parameters are {recorded!r}, expected {parameters!r} in one injected cell")
        )
    injected_at = injected_position(template)  # the template read once, not once per cell
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        where = template_index(injected_at, index)
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error":
                failures.append(
                    Failure(
                        template.name,
                        where,
                        first_line(f"error output: {output.get('ename', '')}: {output.get('evalue', '')}"),
                    )
                )
            elif kind == "stream" and output.get("name") == "stderr":
                failures.append(
                    Failure(
                        template.name,
                        where,
                        "wrote to stderr: " + first_line("".join(output.get("text", "")) or "(empty)"),
                    )
                )
            elif kind in ("display_data", "execute_result"):
                data = output.get("data", {})
                if "".join(data.get("text/plain", "")).startswith(FIGURE_TEXT) and PNG not in data:
                    failures.append(
                        Failure(
                            template.name,
                            where,
                            "chart lost: a figure was displayed without its PNG image "
                            "(is a non-inline matplotlib backend set?)",
                        )
                    )
    return failures


def count_charts(nb) -> int:
    return sum(PNG in output.get("data", {}) for cell in nb.cells for output in cell.get("outputs", []))


def first_line(text: str) -> str:
    lines = [line for line in str(text).splitlines() if line.strip()]
    return lines[0].strip() if lines else str(text)


def template_cell_index(template: Path, executed_index: int) -> int | None:
    """Map a cell index of the executed notebook back to the template (minus the injected cell)."""
    return template_index(injected_position(template), executed_index)


def injected_position(template: Path) -> int:
    """Where papermill puts the injected parameters cell: right after the template's parameters cell."""
    import nbformat

    nb = nbformat.read(str(template), as_version=4)
    for index, cell in enumerate(nb.cells):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            return index + 1
    return 0


def template_index(injected: int, executed_index: int) -> int | None:
    if executed_index == injected:
        return None  # the injected parameters cell itself
    return executed_index - 1 if executed_index > injected else executed_index
