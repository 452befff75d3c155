"""The book's own Chinese words, for the search index of an edition that segments Chinese (jieba).

jieba's general dictionary cuts 规上工业总产值 into 规上 / 工业 / 总产值, so a reader typing
规上工业 finds nothing: the search matches whole index terms, or terms that contain the query.
With the registry's names and aliases and the glossary's terms as a user dictionary, each name
is also indexed whole, and any part of it a reader types is found. The file is written beside
each edition's chapters by the runner and named by `html_search_options: dict` in the Chinese
book's _config.yml.
"""

from __future__ import annotations

import re
from pathlib import Path

FILE_NAME = "search-words.txt"
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def words(ds) -> list[str]:
    """Every run of Chinese characters in an indicator's name or alias or a glossary term."""
    texts = list(ds.indicators["name_zh"]) + [alias for aliases in ds.indicators["aliases"] for alias in aliases or []]
    texts += list(ds.glossary["term_zh"])
    return sorted({run for text in texts for run in _HAN.findall(str(text)) if len(run) > 1})


def write(ds, folder: Path) -> Path:
    """jieba's user-dictionary format: one word per line (its frequency is then chosen so that
    the word is kept whole)."""
    path = Path(folder) / FILE_NAME
    path.write_text("".join(f"{word}\n" for word in words(ds)), encoding="utf-8")
    return path
