"""Stage 1 of the flow: data/ read, validated and derived (load, schemas, derive, cross-checks)."""
from .load import (FIGURE_COLUMNS, FILES, INDICATOR_COLUMNS, MILESTONE_COLUMNS, PROJECT_COLUMNS,  # noqa: F401
                   SOURCE_COLUMNS, Dataset, load, validate)
