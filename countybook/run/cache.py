"""Content-hash cache behind `python -m countybook run` ("Fast rebuilds").

A notebook is executed again unless every input of its last successful execution is unchanged:

* template   - the bytes of notebooks/NN_*.ipynb;
* parameters - the papermill parameters, i.e. {"year": Y, "lang": L};
* data       - every file of data/ that the loader and the pages read (the *.yml and *.csv files
  at its top, the written analysis analysis/**/*.md), as one hash over relative paths and
  contents; anything else there (an editor's swap file, `add`'s hidden temporary files, a stray
  download) changes nothing;
* library    - every countybook/**/*.py (every stage folder), as one hash;
* catalogue  - the edition's own message catalogue (countybook/render/catalogues/<lang>.yml),
  which the library hash leaves out (it is not *.py), so a change to the Chinese words
  re-executes only the Chinese edition;
* environment - Python version, kernel name and the installed version of every distribution
  pinned in requirements.txt (a pinned package moving changes outputs too; a package installed
  only on one machine does not), never the interpreter's path;
* runner     - RUNNER_VERSION of countybook.run.runner, bumped when post-processing changes;

and the previous edition still holds the executed notebook with the recorded output hash (a
hand-edited or deleted chapter is executed again, never trusted).

Why data/ is tracked as a whole: every notebook calls countybook.data.load(), which reads and
cross-validates all of data/ (figures name indicators, indicators name themes and units,
everything names sources), so any data file can change any notebook's output, including turning
it into a DataError. Finer tracking was considered and rejected: recording which indicators or
themes a notebook touches would need either instrumenting pandas access inside the kernel
(misses derived look-ups such as ratios, coverage and the overview's all-theme tables) or
parsing notebook code (misses anything computed). Neither is reliable, and a stale chapter is
worse than a slow one. So editing one data row re-executes every chapter; with parallel kernels
that costs one full run, and rebuilds with untouched data skip everything.

Hashes are of contents and relative paths, never modification times or where the repository
or the interpreter lives: a fresh clone's first run reuses the committed edition. Likewise: `touch`, a checkout that rewrites identical
files, or an edit that is reverted costs nothing.

The manifest lives beside the executed notebooks (book/chapters/.runner-cache.json) and is
swapped in together with them, so it always describes exactly the edition in place. Besides
one entry per notebook it records the edition as a whole (the shared inputs above and the hash
of every other file, i.e. the CSV downloads), so an unchanged rerun is recognised from hashes
alone: no data loading, no pandas, no kernel (runner.unchanged_edition). The year needs no
check then: the parameters and the data are the ones the edition in place was checked against.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from .. import paths

MANIFEST_NAME = ".runner-cache.json"
MANIFEST_FORMAT = 1


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def bytes_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tree_hash(folder: Path, pattern: str = "*", exclude: tuple[str, ...] = ()) -> str:
    """One hash over every file below folder matching pattern: relative path and contents.

    Files below a folder whose name matches one of the exclude patterns are left out (as is
    __pycache__).
    """
    from fnmatch import fnmatch

    folder = Path(folder)
    digest = hashlib.sha256()
    excluded = ("__pycache__", *exclude)
    files = sorted(
        path
        for path in folder.rglob(pattern)
        if path.is_file()
        and not any(fnmatch(part, pattern_) for part in path.relative_to(folder).parts[:-1] for pattern_ in excluded)
    )
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(file_hash(path).encode("ascii") + b"\n")
    return digest.hexdigest()


def parameters_key(parameters: dict) -> str:
    return json.dumps(parameters, sort_keys=True, ensure_ascii=False)


def environment_hash(kernel_name: str, requirements: Path | None = None) -> str:
    """Python version, kernel name and the installed version of every distribution pinned in
    requirements.txt (the lock a machine is set up from; every one, when there is none).

    Only the pinned distributions count: a package the book never imports, installed on one
    machine and not on another (a fresh virtual environment holds exactly the lock), must not make
    that machine re-execute a committed edition. A pinned one at another version, or missing, does.
    Versions are read from the names of the *.dist-info / *.egg-info folders in the interpreter's
    site-packages (they carry name and version): a directory listing instead of parsing every
    METADATA file. Neither the working folder nor the interpreter's path counts.
    """
    import platform

    installed = installed_versions()
    pinned = pinned_names(requirements or paths.ROOT / "requirements.txt")
    chosen = sorted(installed) if pinned is None else sorted(pinned)
    lines = [f"{name}=={installed.get(name, 'absent')}" for name in chosen]
    # The version, not sys.version (it names the compiler and build date of this interpreter).
    text = "\n".join([platform.python_implementation(), platform.python_version(), kernel_name, *lines])
    return bytes_hash(text.encode("utf-8"))


def normalized(name: str) -> str:
    """A distribution's name as packaging compares names (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_versions() -> dict[str, str]:
    """{normalized name: version} of the distributions in this interpreter's site-packages."""
    import site
    import sysconfig

    folders = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    versions: dict[str, str] = {}
    for entry in sorted(folders):
        try:
            with os.scandir(entry) as listing:
                for item in listing:
                    stem, dot, kind = item.name.rpartition(".")
                    if dot and kind in ("dist-info", "egg-info") and "-" in stem:
                        name, _, version = stem.partition("-")
                        versions[normalized(name)] = version.split("-")[0]
        except OSError:
            continue
    return versions


def pinned_names(requirements: Path) -> set[str] | None:
    """Normalized names pinned with == in a requirements file; None if there is no such file."""
    try:
        text = requirements.read_text(encoding="utf-8")
    except OSError:
        return None
    pins = (re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==", line) for line in text.splitlines())
    return {normalized(match.group(1)) for match in pins if match}


def _read(folder: Path) -> dict:
    try:
        manifest = json.loads((Path(folder) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        return {}
    return manifest


def read_manifest(folder: Path) -> dict[str, dict]:
    """Entries of the manifest in folder, by notebook file name; {} when absent or unreadable."""
    notebooks = _read(folder).get("notebooks")
    return notebooks if isinstance(notebooks, dict) else {}


def read_edition(folder: Path) -> dict:
    """The manifest's edition record: {"inputs": shared inputs, "files": {path: hash}} of the
    edition's other files (the downloads); {} when absent (older manifests) or unreadable."""
    edition = _read(folder).get("edition")
    return edition if isinstance(edition, dict) else {}


def manifest_text(entries: dict[str, dict], edition: dict | None = None) -> str:
    """Stable JSON layout, so an unchanged edition writes an identical manifest."""
    manifest = {"format": MANIFEST_FORMAT, "notebooks": entries}
    if edition is not None:
        manifest["edition"] = edition
    return json.dumps(manifest, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def reusable(entry: dict | None, inputs: dict, previous_file: Path) -> bool:
    """True when the previous edition's notebook was made from exactly these inputs and is intact."""
    if not entry or entry.get("inputs") != inputs:
        return False
    try:
        return file_hash(previous_file) == entry.get("output")
    except OSError:
        return False
