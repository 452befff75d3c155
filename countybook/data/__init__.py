"""Stage 1 of the flow: data/ read, validated and derived (load, schemas, derive, cross-checks)."""

from .load import (
    FIGURE_COLUMNS,
    FILES,
    MILESTONE_COLUMNS,
    PROJECT_COLUMNS,
    SOURCE_COLUMNS,
    Dataset,
    load,
    validate,
)

__all__ = (
    "FIGURE_COLUMNS",
    "FILES",
    "MILESTONE_COLUMNS",
    "PROJECT_COLUMNS",
    "SOURCE_COLUMNS",
    "Dataset",
    "load",
    "validate",
)
