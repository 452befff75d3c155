"""countybook.render.messages: one catalogue per language, complete for every source kind."""
from __future__ import annotations

import re

import pytest

from countybook import paths
from countybook.data.schemas import SOURCE_KINDS
from countybook.render.messages import MESSAGES, say


def test_every_key_the_render_code_asks_for_is_in_every_catalogue():
    """A key typed wrongly in render code, or missing from a new language, fails here, not mid-build."""
    used = set()
    for module in (paths.ROOT / "countybook" / "render").glob("*.py"):
        used |= set(re.findall(r'say\("([a-z_.]+)"', module.read_text(encoding="utf-8")))
    assert used, "no say(...) call found: the pattern is out of date"
    for lang, catalogue in MESSAGES.items():
        assert used <= set(catalogue), (lang, sorted(used - set(catalogue)))


@pytest.mark.parametrize("kind", SOURCE_KINDS)
def test_every_source_kind_is_named_and_explained(kind):
    assert say(f"kind.{kind}").startswith(("a ", "an "))
    assert say(f"meaning.{kind}")


def test_say_fills_fields_and_a_missing_field_is_an_error():
    assert "2024" in say("context.chart_axis", year=2024)
    with pytest.raises(KeyError):
        say("context.chart_axis")
