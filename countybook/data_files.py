"""Which files of a data folder the book reads, and one content hash over them.

Light on purpose (no pandas): the runner's cache decides from this hash alone whether an edition
is up to date, and load() remembers what it read by it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

# What the loader reads at the top of data/ (countybook.data.load: FILES and every *.yml) and what
# the pages read below it (countybook.render.analysis: analysis/<year>/<page>.<lang>.md).
DATA_PATTERNS = ("*.yml", "*.csv", "analysis/**/*.md")


def data_files(data_dir: Path) -> list[Path]:
    """The files of data_dir an edition depends on; hidden files (temporary ones) are left out."""
    data_dir = Path(data_dir)
    found = {path for pattern in DATA_PATTERNS for path in data_dir.glob(pattern) if path.is_file()}
    return sorted(path for path in found if not any(part.startswith(".") for part in path.relative_to(data_dir).parts))


def data_hash(data_dir: Path) -> str:
    """One hash over relative path and contents of every file of data_files (OSError if one
    cannot be read)."""
    digest = hashlib.sha256()
    for path in data_files(data_dir):
        digest.update(path.relative_to(data_dir).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).hexdigest().encode("ascii") + b"\n")
    return digest.hexdigest()
