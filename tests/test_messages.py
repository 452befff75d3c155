"""countybook.render.messages: every catalogue holds every key of every other, with the same placeholders;
every template fills in every language; plural messages read right for 0, 1, 2 and many (English words,
Chinese figures); Chinese templates hold no English and use full-width punctuation; every key the render
code and the notebooks ask for exists; every source kind is named and explained."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from countybook import paths
from countybook.data import schemas
from countybook.data.source_kinds import SOURCE_KINDS
from countybook.render import catalogue_check, messages

LANGUAGES = messages.languages()
DEFAULT = messages.DEFAULT_LANGUAGE
FORMS = catalogue_check.FORMS
PLURALS = [key for key, template in messages.catalogue("en").items() if isinstance(template, dict)]

PLACEHOLDER_EXCEPTIONS = catalogue_check.PLACEHOLDER_EXCEPTIONS

# Latin-letter words a Chinese page may carry: abbreviations a Chinese statistical text writes in Latin letters.
ZH_ALLOWED_WORDS = {"GDP", "CSV", "PDF", "bp", "pp", "pandas", "seaborn", "matplotlib"}  # software names


# --- helpers --------------------------------------------------------------------------------------
forms, fields, placeholders = catalogue_check.forms, catalogue_check.fields, catalogue_check.placeholders


def catalogue_problems(catalogues, exceptions=None) -> list[str]:
    return [
        f"{lang}: {key!r} {message}"
        for lang, key, message in catalogue_check.catalogue_problems(catalogues, exceptions=exceptions)
    ]


def sample(name: str, spec: str, lang: str):
    """A value for a placeholder: a number where the template formats one; a benchmark comparison's rate
    in the language's own form (+1.5%, 增长1.5%); a bare `pct` unsigned (a share, a growth after its verb),
    another rate signed."""
    if spec:
        return 1234.5
    if name.endswith("_growth"):
        return messages.say("context.growth_up", lang, value=1.5, size=1.5, printed="1.5")
    if name == "pct":
        return "1.5"
    return "+1.5%" if re.search(r"growth|pct|change", name) else "X"


def filled(form: str, lang: str = DEFAULT) -> str:
    return form.format(**{name: sample(name, spec, lang) for _, name, spec in fields(form) if name is not None})


# A doubled brace must be MyST markup: a role {download}`…` or a directive ```{tableofcontents}.
MYST_BRACES = re.compile(r"\{\w+\}(?=`)|(?<=```)\{\w+\}")
ROLE = re.compile(r"\{\{\w+\}\}`([^`<]*?)\s*(?:<[^<>`]*>)?`")
CODE = re.compile(r"`[^`]*`")
TAG = re.compile(r"<[^<>]*>")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
FIELD = re.compile(r"\{[^{}]*\}")
CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"


def prose(form: str) -> str:
    """A Chinese template's words: role titles kept; role targets, code, HTML tags, link targets and
    placeholders removed."""
    words = ROLE.sub(lambda m: m.group(1), form)
    words = re.sub(r"```(\{\{\w+\}\})?", "", words)
    for pattern in (CODE, TAG, LINK_TARGET, FIELD):
        words = pattern.sub("", words)
    return words


def all_templates(lang: str):
    for key, template in messages.catalogue(lang).items():
        for form in forms(template):
            yield key, form


def used_keys() -> set[str]:
    """Every key the render code asks for by name, and every page text the notebooks name."""
    used = set()
    for module in (paths.ROOT / "countybook").rglob("*.py"):
        used |= set(re.findall(r'say\(\s*"([a-z_.]+)"', module.read_text(encoding="utf-8")))
    for notebook in (paths.ROOT / "notebooks").glob("*.ipynb"):
        used |= set(re.findall(r"\{\{\s*(page\.[a-z_.]+)\s*\}\}", notebook.read_text(encoding="utf-8")))
    # say("investment_basis." + basis): a family built from data, checked by FAMILIES below.
    return {key for key in used if not key.endswith(".")}


# --- completeness ---------------------------------------------------------------------------------
def test_there_is_an_english_and_a_chinese_catalogue():
    assert LANGUAGES[0] == DEFAULT and "zh" in LANGUAGES


def test_every_catalogue_has_every_key_with_the_same_placeholders():
    assert catalogue_problems(dict(messages.catalogues().items())) == []


def test_the_chinese_keys_follow_the_english_order():
    """Same order, so the two files can be read side by side."""
    assert list(messages.catalogue("zh")) == list(messages.catalogue(DEFAULT))


def test_the_comparison_reports_a_missing_key_both_ways():
    en = {"a.b": "{x} and {y}", "c": {"one": "one c", "other": "{n} cs"}}
    assert catalogue_problems({"en": en, "zh": en}) == []
    problems = catalogue_problems({"en": en, "zh": {"a.b": "{x}和{y}"}})
    assert problems == ["zh: 'c' is missing (it is in en.yml)"]
    problems = catalogue_problems({"en": {"a.b": "{x} and {y}"}, "zh": {"a.b": "{x}和{y}", "extra": "多"}})
    assert problems == ["en: 'extra' is missing (it is in zh.yml)"]


def test_the_comparison_reports_placeholders_and_plural_shapes():
    en = {"a": "{x} and {y}", "c": {"zero": "no cs", "one": "one c", "other": "{n} cs"}}
    assert catalogue_problems({"en": en, "zh": {"a": "{x}和{z}", "c": {"other": "{n}个"}}}) == [
        "zh: 'a' fills ['x', 'z'], expected ['x', 'y'] (the placeholders of en.yml)"
    ]
    assert catalogue_problems({"en": en, "zh": {"a": "{x}和{y}", "c": "{n}个"}}) == [
        "zh: 'c' is a str, in en.yml a dict"
    ]
    assert catalogue_problems({"en": en, "zh": {"a": "{x}和{y}", "c": {"zero": "无"}}}) == [
        "zh: 'c' needs an 'other' form and only zero, one, two, other"
    ]
    # A declared difference is allowed, and only that one.
    declared = {("zh", "a"): ({"y"}, set())}
    assert catalogue_problems({"en": en, "zh": {"a": "{x}", "c": {"other": "{n}个"}}}, exceptions=declared) == []


def test_a_catalogue_file_missing_a_key_is_reported(tmp_path, monkeypatch):
    """The whole path: YAML files in a catalogue folder, read by messages, compared by the helper."""
    (tmp_path / "en.yml").write_text('greeting: "Hello {name}"\nfarewell: Goodbye\n', encoding="utf-8")
    (tmp_path / "zh.yml").write_text('greeting: "{name}，你好"\n', encoding="utf-8")
    monkeypatch.setattr(messages, "CATALOGUE_DIR", tmp_path)
    messages.catalogue.cache_clear()
    try:
        assert messages.languages() == ("en", "zh")
        assert catalogue_problems(dict(messages.catalogues().items()), exceptions={}) == [
            "zh: 'farewell' is missing (it is in en.yml)"
        ]
        with pytest.raises(KeyError):
            messages.say("farewell", "zh")
    finally:
        messages.catalogue.cache_clear()


def test_every_placeholder_exception_is_still_needed():
    """A declared difference whose key is gone, or whose template no longer differs, is stale."""
    for (lang, key), (left_out, added) in PLACEHOLDER_EXCEPTIONS.items():
        reference, template = messages.catalogue(DEFAULT)[key], messages.catalogue(lang)[key]
        assert left_out <= placeholders(reference) and not added & placeholders(reference), (lang, key)
        assert placeholders(template) != placeholders(reference), (lang, key)


# --- every template fills -------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_fills_without_stray_braces(lang):
    for key, form in all_templates(lang):
        try:
            parsed = fields(form)
        except ValueError as err:  # a single brace
            pytest.fail(f"{lang} {key!r}: {err}")
        for _, name, _ in parsed:
            assert name is None or re.fullmatch(r"[a-z_]+", name), (lang, key, name)
        text = filled(form, lang)
        literal = "".join(part for part, _, _ in parsed)
        # The only braces left are those the template doubled, and each of those is MyST markup.
        assert text.count("{") == literal.count("{") and text.count("}") == literal.count("}"), (lang, key)
        assert "{" not in MYST_BRACES.sub("", literal) and "}" not in MYST_BRACES.sub("", literal), (lang, key)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_renders_its_markdown_emphasis(lang):
    """**bold** and *italic* must open and close: beside Chinese punctuation a closing ** followed by a
    character does not (CommonMark's flanking rules), and the page would show the asterisks."""
    md = MarkdownIt("commonmark")
    for key, form in all_templates(lang):
        if "*" not in form or TAG.search(form):
            continue
        html = md.render(filled(form, lang))
        assert "*" not in html, (lang, key, html)


def test_the_emphasis_check_can_fail():
    md = MarkdownIt("commonmark")
    assert "*" in md.render("**资料来源。**每项数据") and "*" not in md.render("**资料来源**：每项数据")


def test_the_myst_markup_of_each_page_is_kept_in_every_language():
    """Headings, download roles and directives are the page's structure; only their words are translated."""

    def structure(form: str) -> list[str]:
        headings = re.findall(r"^#+ ", form, re.M)
        roles = re.findall(r"\{\{\w+\}\}`[^`]*<([^<>`]*)>`", form)
        return headings + roles + re.findall(r"```\{\{\w+\}\}", form)

    for key, template in messages.catalogue(DEFAULT).items():
        if not key.startswith("page."):
            continue
        for lang in LANGUAGES:
            assert structure(messages.catalogue(lang)[key]) == structure(template), (lang, key)


# --- plurals --------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", PLURALS)
@pytest.mark.parametrize("count", [0, 1, 2, 12, 1234])
def test_plural_messages_agree_with_their_count(key, count):
    sentence = messages.say(key, count=count, lang="en")
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
    assert messages.say("count.milestones", count=1, lang="en") == "one milestone"
    assert messages.say("count.milestones", count=2, lang="en") == "two milestones"
    assert messages.say("count.milestones", count=0, lang="en") == "no milestones"
    assert messages.say("count.milestones", count=11, lang="en") == "11 milestones"


def test_a_plural_message_without_a_count_is_refused():
    with pytest.raises(ValueError):
        messages.say("count.milestones", lang="en")
    with pytest.raises(ValueError):
        messages.say("count.milestones", "zh")


@pytest.mark.parametrize("key", PLURALS)
@pytest.mark.parametrize("count", [0, 1, 2, 12, 1234])
def test_chinese_plural_messages_write_the_count_as_a_figure(key, count):
    """Chinese has one form: the count as a figure (1,234项), or a 无/没有 form for none."""
    sentence = messages.say(key, "zh", count=count, **dict.fromkeys(placeholders(messages.catalogue("zh")[key]), "甲"))
    assert not re.search(r"[A-Za-z{}]", sentence), sentence
    if count == 0:
        assert re.search(r"无|没有|(?<![\d,.])0(?![\d,.])", sentence), sentence
    else:
        assert re.search(rf"(?<![\d,.]){count:,}(?![\d,.])", sentence), sentence


def test_chinese_counts_read_naturally():
    assert messages.say("count.milestones", "zh", count=0) == "无重要进展"
    assert messages.say("count.milestones", "zh", count=1) == "1项重要进展"
    assert messages.say("count.figures", "zh", count=12) == "已公布数据12项"
    assert messages.number_word(3, "zh") == "3"


# --- Chinese templates ----------------------------------------------------------------------------
def test_the_chinese_catalogue_settings():
    zh = messages.catalogue("zh")
    assert zh["language.name"] == "中文" and zh["number.words"] == []
    assert zh["number.style"] == "published"
    assert zh["list.and"] == "和" and zh["list.comma"] == "、"


def test_chinese_templates_hold_no_english():
    for key, form in all_templates("zh"):
        if key == "number.style":
            continue  # a setting, not words
        left = re.sub(r"[A-Za-z]+", lambda m: "" if m.group(0) in ZH_ALLOWED_WORDS else m.group(0), prose(form))
        assert not re.search(r"[A-Za-z]", left), (key, left)


def test_the_english_check_sees_english_outside_markup():
    assert re.search(r"[A-Za-z]", prose("{{download}}`all figures <downloads/figures.csv>`"))
    assert not re.search(r"[A-Za-z]", prose("{{download}}`全部数据 <downloads/figures.csv>` `data/units.yml` {name}"))


def test_chinese_templates_use_full_width_punctuation_and_no_spaces():
    """，。；：（）in Chinese prose; no space between Chinese and a number or a value."""
    for key, form in all_templates("zh"):
        words = prose(form)
        assert not re.search(r"[,;:()!?\"]", words), (key, words)
        assert not re.search(r"\.(?!\d)", words.replace("...", "")), (key, words)
        spaced = ROLE.sub("", form)
        assert not re.search(rf"[{CJK}][ \t]+[\d{{]|[\d}}][ \t]+[{CJK}]", spaced), (key, form)


def test_the_punctuation_check_can_fail():
    assert re.search(r"[,;:()!?\"]", prose("{year}年(推算)"))
    assert re.search(rf"[{CJK}][ \t]+[\d{{]", "增长 {pct}")


# --- keys the code asks for -----------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_the_render_code_asks_for_is_in_every_catalogue(lang):
    """A key typed wrongly in code or a notebook, or missing from a new language, fails here, not mid-build."""
    used = used_keys()
    assert used, "no say(...) call found: the pattern is out of date"
    assert any(key.startswith("page.") for key in used), "no {{ page.… }} cell found: the pattern is out of date"
    assert used <= set(messages.catalogue(lang)), sorted(used - set(messages.catalogue(lang)))


# Keys built from data values (say(f"measure.{row['measure']}")): one per allowed value.
FAMILIES = [
    ("measure.", schemas.MEASURES),
    ("measure_name.", schemas.MEASURES),
    ("measure_label.", schemas.MEASURES),
    ("price_basis_label.", schemas.PRICE_BASES),
    ("level.", schemas.MILESTONE_LEVELS),
    ("milestone_type.", schemas.MILESTONE_TYPES),
    ("investment_basis.", schemas.INVESTMENT_BASIS),
    ("ratio_type.", schemas.RATIO_TYPES),
    ("reliability.", schemas.RELIABILITY),
    ("kind.", SOURCE_KINDS),
    ("kinds.", SOURCE_KINDS),
    ("meaning.", SOURCE_KINDS),
]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("prefix,values", FAMILIES, ids=[prefix for prefix, _ in FAMILIES])
def test_every_key_built_from_data_exists(lang, prefix, values):
    assert [v for v in values if prefix + v not in messages.catalogue(lang)] == []


@pytest.mark.parametrize("kind", SOURCE_KINDS)
def test_every_source_kind_is_named_explained_and_counted(kind):
    assert messages.say(f"kind.{kind}", lang="en").startswith(("a ", "an "))
    assert messages.say(f"meaning.{kind}", lang="en")
    assert messages.say(f"kinds.{kind}", count=3, lang="en").startswith("three ")
    assert messages.say(f"kind.{kind}", "zh") and messages.say(f"meaning.{kind}", "zh").endswith("。")
    assert "3" in messages.say(f"kinds.{kind}", "zh", count=3)
