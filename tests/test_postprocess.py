"""countybook.run.postprocess: executed notebooks made reproducible."""

from __future__ import annotations


def test_a_collapsed_cell_that_showed_nothing_is_removed_from_the_page(tmp_path):
    """A hide-input cell whose section is empty this year would leave a bare "show code" toggle."""
    import nbformat

    from countybook.run.postprocess import postprocess

    nb = nbformat.v4.new_notebook()
    empty = nbformat.v4.new_code_cell("page.comparison_chart(2)", metadata={"tags": ["hide-input"]})
    shown = nbformat.v4.new_code_cell("page.ratios()", metadata={"tags": ["hide-input"]})
    shown.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": "## Derived ratios"})]
    removed_input = nbformat.v4.new_code_cell("page.findings()", metadata={"tags": ["remove-input"]})
    nb.cells = [empty, shown, removed_input]
    template = tmp_path / "template.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), template)
    tags = [cell.metadata["tags"] for cell in postprocess(nb, template).cells]
    assert tags == [["hide-input", "remove-cell"], ["hide-input"], ["remove-input"]]


def test_a_section_heading_whose_section_showed_nothing_leaves_with_it(tmp_path):
    """The template's `## {{ heading.… }}` cell goes when the section's cells printed nothing this year."""
    import nbformat

    from countybook.run.postprocess import postprocess

    nb = nbformat.v4.new_notebook()
    empty_heading = nbformat.v4.new_markdown_cell("## Growth")
    empty = nbformat.v4.new_code_cell("page.growth_chart()", metadata={"tags": ["hide-input"]})
    shown_heading = nbformat.v4.new_markdown_cell("## Derived ratios")
    shown = nbformat.v4.new_code_cell("page.ratios()", metadata={"tags": ["hide-input"]})
    shown.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<table></table>"})]
    nb.cells = [empty_heading, empty, shown_heading, shown]
    template = tmp_path / "template.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), template)
    cells = postprocess(nb, template).cells
    assert "remove-cell" in cells[0].metadata.get("tags", [])
    assert "remove-cell" not in cells[2].metadata.get("tags", [])
