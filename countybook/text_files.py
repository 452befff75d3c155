"""Text and YAML files read safely, every failure one Problem naming the file and the line.

Without pandas on purpose: the message catalogues are read through here, by the notebooks and by
the book build's extensions, which would otherwise import the whole data stack (half a second in
each of a build's two processes). countybook.data.read adds CSV files and the YAML models.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import yaml

from .errors import DataError, Problem

WHOLE_FILE = "(file)"
# data/indicators.yml, the largest YAML file, holds a few dozen KB. The limit keeps a mistaken or
# hostile file (a huge generated one, say) from costing memory and minutes before it is refused.
MAX_YAML_BYTES = 1_000_000


def read_text(path: Path, label: str) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(label, None, WHOLE_FILE, "file is missing")]) from None
    except IsADirectoryError:
        raise DataError([Problem(label, None, WHOLE_FILE, "is a folder, not a file")]) from None
    except OSError as err:
        raise DataError([Problem(label, None, WHOLE_FILE, f"cannot be read: {err.strerror or err}")]) from None
    try:
        # utf-8-sig drops the byte-order mark that spreadsheet programs write.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            [Problem(label, line, WHOLE_FILE, f"not UTF-8 text (byte {err.start}); save the file as UTF-8")]
        ) from None


class _SafeLoader(yaml.composer.Composer, yaml.CSafeLoader):
    """yaml.safe_load's loader without anchors, aliases and duplicate keys.

    Aliases let a few hundred bytes expand into billions of nodes (a "billion laughs" bomb); data/
    has no use for them. A duplicate key silently keeps only its last value.

    libyaml (CSafeLoader's parser) scans and parses, seven times faster than PyYAML's own scanner,
    which every chapter's kernel otherwise spends most of its time in; the nodes are still composed
    by PyYAML's Composer (listed first, so its methods win over libyaml's composer), where the
    checks below see each event.
    """

    def __init__(self, stream):
        yaml.CSafeLoader.__init__(self, stream)
        yaml.composer.Composer.__init__(self)

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (& and *) are not allowed in data/", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, (str, int, float, bool)) or key is None:
                    if key in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key '{key}'", key_node.start_mark
                        )
                    seen.add(key)
        return super().construct_mapping(node, deep=deep)


@functools.lru_cache(maxsize=64)
def _parsed(text: str):
    """The text parsed, remembered by the text itself: every load() of a copy of data/ reads the same
    dozen files, and composing nodes in Python is most of the time reading one takes (an error is
    raised anew each time, not remembered)."""
    loader = _SafeLoader(text)  # what yaml.load does, typed as this loader
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def parse_yaml(path: Path, label: str):
    """The parsed file, read safely: no anchors or aliases, no duplicate keys, at most MAX_YAML_BYTES."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_text reports a missing file
    if size > MAX_YAML_BYTES:
        raise DataError(
            [
                Problem(
                    label,
                    None,
                    WHOLE_FILE,
                    f"file is {size:,} bytes; a YAML file in data/ may hold at most {MAX_YAML_BYTES:,}",
                )
            ]
        )
    text = read_text(path, label)
    try:
        # A copy: a caller changing what it is given must not change what the next caller gets.
        content = copy.deepcopy(_parsed(text))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise DataError([Problem(label, row, WHOLE_FILE, f"malformed YAML: {reason}")]) from None
    except RecursionError:
        raise DataError([Problem(label, None, WHOLE_FILE, "malformed YAML: nested too deeply")]) from None
    return content
