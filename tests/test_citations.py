"""Citations (countybook/render/citations.py): source titles with their English rendering, quotes, the
list of sources with each copy inside its original, and where each benchmark comes from."""

from __future__ import annotations

import html
import re

import pytest

from countybook import paths
from countybook.data import load, source_kinds
from countybook.render import citations
from countybook.render.edition import Edition
from countybook.render.messages import say

DATA = paths.ROOT / "data"


@pytest.fixture(scope="module")
def ds():
    return load(DATA)


def test_source_anchors_exist_on_the_sources_table(ds):
    listing = citations.sources(ds, edition=Edition("en", 2024)).data
    for source in set(ds.figures["source"]):
        assert f'id="source-{source}"' in listing


def test_zh_sources_show_the_chinese_note(ds):
    chinese = citations.sources(ds, edition=Edition("zh", 2024)).data
    english = citations.sources(ds, edition=Edition("en", 2024)).data
    for note_zh in ds.sources["note_zh"]:
        assert citations._sources_named(html.escape(note_zh, quote=False), ds.sources) in chinese
    assert "Newspaper feature written with county correspondents" in english
    assert "Newspaper feature" not in chinese


def test_zh_sources_name_no_record_by_its_id(ds):
    """A Chinese reader meets a source by its title: no id after the entry, nor in a note naming another source."""
    chinese = citations.sources(ds, edition=Edition("zh", 2024)).data
    readable = re.sub(r'(href|id)="[^"]*"|https?://[^\s<]+', " ", chinese)
    assert not re.findall(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", readable)
    named = [note for note in ds.sources["note_zh"] if re.search(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", str(note))]
    assert named, "no note names another source by id any more: pick another case"
    assert "《<span lang=" in citations._sources_named(named[0], ds.sources)
    assert re.search(
        r"<code>[a-z0-9_]+</code>", citations.sources(ds, edition=Edition("en", 2024)).data
    )  # the English edition keeps the ids


def test_sources_name_the_publisher_in_the_page_language_and_mark_titles_with_their_language(ds):
    chinese, english = (
        citations.sources(ds, edition=Edition("zh", 2024)).data,
        citations.sources(ds, edition=Edition("en", 2024)).data,
    )
    for r in ds.sources.itertuples():
        title = f'<span class="source-title" lang="{r.language}">{html.escape(r.title)}</span>'
        # The English edition follows a Chinese title with the book's translation; the Chinese one does not.
        translated = (
            f' <span class="translation" lang="en">{html.escape(say("translation.title", "en", text=r.title_en))}'
            "</span>"
            if r.title_en
            else ""
        )
        assert f"<strong>{title}</strong> — {html.escape(r.publisher_zh)}" in chinese
        assert f"<strong>{title}{translated}</strong> — {html.escape(r.publisher)}" in english
    assert "Xinhua via People&#x27;s Daily Online" not in chinese and "新华社（经人民网转载）" not in english
    assert (
        '<strong><span class="source-title" lang="en">China&#x27;s foreign trade hits new high in 2024</span></strong>'
    ) in english


def test_a_blank_chinese_publisher_falls_back_to_the_recorded_one(ds):
    import dataclasses

    sources = ds.sources.copy()
    sources.loc[sources["id"] == "xdkb_2025_guanyun_development", "publisher_zh"] = ""
    chinese = citations.sources(dataclasses.replace(ds, sources=sources), edition=Edition("zh", 2024)).data
    assert "— 现代快报 (Modern Express)，2025" in chinese


def test_the_list_of_sources_marks_the_benchmark_sources_the_overview_counts(ds):
    from countybook.render import context

    marked = citations.sources(ds, edition=Edition("en", 2024)).data.count('benchmark" id="source-')
    assert marked == len(citations.benchmark_source_ids(ds)) > len(citations.benchmark_source_ids(ds, 2024))
    said = context.about_sources(ds, 2024, edition=Edition("en", 2024))
    counted = say("count.sources", "en", count=len(citations.benchmark_source_ids(ds, 2024)))
    assert f"come from {counted} (of the {marked} benchmark sources" in said


def test_each_benchmark_row_names_its_original_and_mirrors_only_as_the_copy_read(ds):
    """Issue 18, item 5: the original publication in its column, the repost or mirror only under "read at"."""
    for lang in ("en", "zh"):
        page = citations.benchmark_sources(ds, Edition(lang, 2024)).data
        rows = re.findall(r"<tr><td>.*?</tr>", page)
        assert len(rows) == len(ds.benchmarks)
        for row in rows:
            cells = re.findall(r"<td>(.*?)</td>", row)
            original, rank, _read_at = cells[3], cells[4], cells[5]
            assert 'class="source-title"' in original and rank in {
                say(f"tier.{t}", lang) for t in source_kinds.TIER_ORDER
            }
            for mirror in ("7263355.com", "gsdjw.com", "auto-ty.com", "futunn", "wxredian", "llqcyx"):
                assert mirror not in original
        assert say("source.secondary", lang) in page and say("source.read_original", lang) in page
    english = citations.benchmark_sources(ds, Edition("en", 2024)).data
    grain = re.findall(r"<td>(.*?)</td>", next(r for r in re.findall(r"<tr><td>.*?</tr>", english) if "70650" in r))
    assert "国家统计局关于2024年粮食产量数据的公告" in grain[3] and "gsdjw.com" not in grain[3]
    assert "gsdjw.com" in grain[5]  # the repost read, named as such
    assert "Book&#x27;s translation: “China&#x27;s total grain output in 2024 was 70650" in grain[6]


def test_the_list_of_sources_holds_each_copy_inside_its_original(ds):
    page = citations.sources(ds, Edition("en", 2024)).data
    original = page.index('id="source-nbs_2024_grain_output_announcement"')
    copy = page.index('id="source-peoples_daily_2024_grain_output_2024"')
    assert original < copy < page.index('<div class="source-entry', original + 1)
    assert '<div class="source-copy used" id="source-peoples_daily_2024_grain_output_2024">' in page
    assert page.count('class="source-entry') + page.count('class="source-copy') == len(ds.sources)
    assert say("source.tier", "en", tier=say("tier.departmental_release", "en")) in page


def test_an_original_read_only_in_copies_says_its_official_address_was_not_found(ds):
    page = citations.sources(ds, Edition("en", 2024)).data
    entry = page[
        page.index('id="source-nbs_2024_grain_output_announcement"') : page.index(
            'id="source-peoples_daily_2024_grain_output_2024"'
        )
    ]
    assert say("source.no_official_address", "en") in entry and say("source.no_address", "en") not in entry
    article = page[page.index('id="source-xdkb_2025_guanyun_development"') :]
    assert say("source.no_address", "en") in article[: article.index("</p>")]
