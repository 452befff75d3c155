"""countybook.render.messages: every plural message reads right for 0, 1, 2 and many; every key the render
code asks for exists; every source kind is named and explained."""
from __future__ import annotations

import re

import pytest

from countybook import paths
from countybook.data.schemas import SOURCE_KINDS
from countybook.render import messages

PLURALS = [key for key, template in messages.CATALOGUES["en"].items() if isinstance(template, dict)]


@pytest.mark.parametrize("key", PLURALS)
@pytest.mark.parametrize("count", [0, 1, 2, 12, 1234])
def test_plural_messages_agree_with_their_count(key, count):
    sentence = messages.say(key, count=count)
    if count == 0:
        assert re.match(r"^no ", sentence), sentence
    elif count == 1:
        assert sentence.startswith("one "), sentence
    elif count == 2:
        assert sentence.startswith("two "), sentence
    else:
        assert sentence.startswith(f"{count:,} "), sentence
    assert "{" not in sentence


def test_one_takes_the_singular_noun():
    assert messages.say("count.milestones", count=1) == "one milestone"
    assert messages.say("count.milestones", count=2) == "two milestones"
    assert messages.say("count.milestones", count=0) == "no milestones"
    assert messages.say("count.milestones", count=11) == "11 milestones"


def test_a_plural_message_without_a_count_is_refused():
    with pytest.raises(ValueError):
        messages.say("count.milestones")


def test_every_template_fills_without_stray_braces():
    for key, template in messages.CATALOGUES["en"].items():
        if isinstance(template, list):
            continue
        forms = template.values() if isinstance(template, dict) else [template]
        for form in forms:
            names = set(re.findall(r"{(\w+)", form))
            filled = form.format(**{name: "X" for name in names})
            assert "{" not in filled and "}" not in filled, key


def test_every_key_the_render_code_asks_for_is_in_every_catalogue():
    """A key typed wrongly in render code, or missing from a new language, fails here, not mid-build."""
    used = set()
    for module in (paths.ROOT / "countybook" / "render").glob("*.py"):
        used |= set(re.findall(r'say\(\s*"([a-z_.]+)"', module.read_text(encoding="utf-8")))
    assert used, "no say(...) call found: the pattern is out of date"
    for lang, catalogue in messages.CATALOGUES.items():
        assert used <= set(catalogue), (lang, sorted(used - set(catalogue)))


@pytest.mark.parametrize("kind", SOURCE_KINDS)
def test_every_source_kind_is_named_explained_and_counted(kind):
    assert messages.say(f"kind.{kind}").startswith(("a ", "an "))
    assert messages.say(f"meaning.{kind}")
    assert messages.say(f"kinds.{kind}", count=3).startswith("three ")
