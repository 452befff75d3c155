"""Traditional to simplified Chinese, position for position, for matching text written either way.

Reports and reprints (a Hong Kong or Taiwan mirror, a traditional-character repost) may print
億元 for 亿元. Matching and quote checks run on the simplified form; quotes keep the source's text.
"""

from __future__ import annotations

from functools import lru_cache

# Full-width digits, point, percent sign and clause punctuation (how most reports are typeset) read
# as their ASCII forms, one character for one.
FULL_WIDTH = str.maketrans("０１２３４５６７８９．％，；：！？（）", "0123456789.%,;:!?()")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters to simplified and full-width digits to ASCII, keeping every character's position."""
    converter = _converter()
    converted = converter.convert(text)
    if len(converted) != len(text):
        # A phrase conversion changed the length: convert character by character instead.
        converted = "".join(c2 if len(c2 := converter.convert(c)) == 1 else c for c in text)
    return converted.translate(FULL_WIDTH)
