"""book/_ext/editions.py: one book per language, a language switch on every page, and the other
editions built after the default one (the built result is checked in test_built_html and test_browser)."""
from __future__ import annotations

import importlib.util
import posixpath

import pytest
import yaml

from countybook import paths
from countybook.render import messages

spec = importlib.util.spec_from_file_location("editions", paths.BOOK_DIR / "_ext" / "editions.py")
editions = importlib.util.module_from_spec(spec)
spec.loader.exec_module(editions)

OTHER_LANGUAGES = [lang for lang in messages.languages() if lang != messages.DEFAULT_LANGUAGE]


def _toc_files(toc_path) -> list[str]:
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    return files


def test_every_catalogue_language_has_a_book_and_every_book_a_catalogue():
    assert sorted(editions.edition_folders(paths.BOOK_DIR)) == sorted(OTHER_LANGUAGES)


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_an_edition_lists_the_same_pages_as_the_default_book(lang):
    """The language switch links the same page name in the other edition: the tocs must agree."""
    assert _toc_files(paths.BOOK_DIR / lang / "_toc.yml") == _toc_files(paths.ROOT / "_toc.yml")


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_an_edition_config_names_its_language_and_reuses_the_shared_settings(lang):
    own = yaml.safe_load((paths.BOOK_DIR / lang / "_config.yml").read_text(encoding="utf-8"))
    shared = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    merged = editions._merged(shared, own)
    assert merged["sphinx"]["config"]["countybook_edition"] == lang
    assert merged["sphinx"]["config"]["language"].split("_")[0] == lang
    # Shared settings survive the merge: the extensions, execution off, the theme's default mode.
    assert merged["sphinx"]["local_extensions"] == shared["sphinx"]["local_extensions"]
    assert merged["execute"] == shared["execute"]
    assert merged["sphinx"]["config"]["html_context"] == shared["sphinx"]["config"]["html_context"]


@pytest.mark.parametrize("pagename", ["index", "chapters/00_overview", "chapters/sub/deep"])
def test_switch_links_resolve_to_the_same_page_in_the_other_edition(pagename):
    from_default = dict(editions.switch_targets(pagename, "", "en", ["zh"]))
    from_zh = dict(editions.switch_targets(pagename, "zh", "en", ["zh"]))
    assert set(from_default) == {"zh"} and set(from_zh) == {"en"}
    here = posixpath.dirname(pagename)
    # Resolve each relative link against the page's folder, with the zh edition at zh/.
    assert posixpath.normpath(posixpath.join(here, from_default["zh"])) == f"zh/{pagename}.html"
    assert posixpath.normpath(posixpath.join("zh", here, from_zh["en"])) == f"{pagename}.html"


def test_with_three_editions_each_links_both_others():
    targets = dict(editions.switch_targets("chapters/01_x", "zh", "en", ["fr", "zh"]))
    assert targets == {"en": "../../chapters/01_x.html", "fr": "../../fr/chapters/01_x.html"}


def test_merge_replaces_lists_and_merges_mappings():
    assert editions._merged({"a": {"b": 1, "c": [1]}, "d": 2}, {"a": {"c": [2]}}) == {"a": {"b": 1, "c": [2]}, "d": 2}


def test_a_folder_without_toc_is_not_an_edition(tmp_path):
    (tmp_path / "zh").mkdir()
    (tmp_path / "zh" / "_config.yml").write_text("title: x\n", encoding="utf-8")
    (tmp_path / "_static").mkdir()
    assert editions.edition_folders(tmp_path) == {}
    (tmp_path / "zh" / "_toc.yml").write_text("root: index\n", encoding="utf-8")
    assert list(editions.edition_folders(tmp_path)) == ["zh"]
