"""book/_ext/editions.py: one book per language, a language switch on every page, and the other
editions built after the default one (the built result is checked in test_built_html and test_browser)."""

from __future__ import annotations

import importlib.util
import json
import posixpath

import pytest
import yaml
from conftest import jupyter_book, run_copy

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


def test_pages_of_gone_documents_are_removed_but_not_the_sites_own_or_other_editions(tmp_path):
    site = tmp_path / "html"
    pages = [
        "index.html",
        "search.html",
        "chapters/00_kept.html",
        "chapters/01_gone.html",
        "zh/chapters/01_gone.html",
        "_static/x.html",
        "_sources/chapters/01_gone.ipynb",
        "_sources/chapters/00_kept.ipynb",
    ]
    for page in pages:
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text("x", encoding="utf-8")
    removed = editions.remove_pages_of_gone_documents(site, {"index", "chapters/00_kept"}, {"zh"})
    assert removed == [site / "chapters" / "01_gone.html"]
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == sorted(
        set(pages) - {"chapters/01_gone.html", "_sources/chapters/01_gone.ipynb"}
    )


class _Config:
    def __init__(self, options, edition="zh"):
        self.html_search_options = options
        self.countybook_edition = edition


class _App:
    """What the extension's hooks read of Sphinx's app: the default edition's by default."""

    def __init__(self, srcdir, config=None):
        self.srcdir = str(srcdir)
        self.config = config or _Config(None, edition="")


def test_the_search_dictionary_is_found_from_the_editions_folder_not_the_cwd(tmp_path, monkeypatch):
    from sphinx.errors import ConfigError

    words = tmp_path / "book" / "zh" / "chapters" / "search-words.txt"
    words.parent.mkdir(parents=True)
    words.write_text("规上工业总产值\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "book")  # anywhere but the repository root
    config = _Config({"dict": "chapters/search-words.txt"})
    editions._resolve_search_dictionary(_App(tmp_path / "book" / "zh"), config)
    assert config.html_search_options["dict"] == str(words)
    words.unlink()
    with pytest.raises(ConfigError, match="search-words.txt .* is missing"):
        editions._resolve_search_dictionary(
            _App(tmp_path / "book" / "zh"), _Config({"dict": "chapters/search-words.txt"})
        )


def test_the_chinese_config_names_its_dictionary_relative_to_its_folder():
    own = yaml.safe_load((paths.BOOK_DIR / "zh" / "_config.yml").read_text(encoding="utf-8"))
    dictionary = own["sphinx"]["config"]["html_search_options"]["dict"]
    assert (paths.BOOK_DIR / "zh" / dictionary).is_file()


def _small_project(root):
    """Three fixture chapters in both editions, with the real config, extensions and styles."""
    import shutil

    fixtures = paths.ROOT / "tests" / "fixtures" / "notebooks"
    (root / "notebooks").mkdir(parents=True)
    for name, fixture in (("00_alpha", "00_alpha"), ("01_beta", "01_beta"), ("02_gamma", "01_beta")):
        shutil.copy(fixtures / f"{fixture}.ipynb", root / "notebooks" / f"{name}.ipynb")
    for name in ("data", "countybook"):
        shutil.copytree(paths.ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(paths.ROOT / "_config.yml", root / "_config.yml")
    for folder in ("_ext", "_static", "_templates"):
        shutil.copytree(paths.BOOK_DIR / folder, root / "book" / folder)
    (root / "book" / "zh").mkdir()
    shutil.copy(paths.BOOK_DIR / "zh" / "_config.yml", root / "book" / "zh" / "_config.yml")
    _write_tocs(root, ["00_alpha", "01_beta", "02_gamma"])


def _write_tocs(root, chapters):
    toc = "format: jb-book\nroot: chapters/00_alpha\nchapters:\n" + "".join(
        f"  - file: chapters/{name}\n" for name in chapters[1:]
    )
    for folder in (root / "book", root / "book" / "zh"):
        (folder / "_toc.yml").write_text(toc, encoding="utf-8")


def _run(root, year, lang):
    run_copy(root, year, lang)


def _build(root):
    import os
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(root), "COUNTYBOOK_DATA": str(root / "data")}
    return subprocess.run(
        [jupyter_book(), "build", str(root / "book")],
        cwd=root.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.slow
def test_a_direct_jupyter_book_build_publishes_one_set_of_editions(tmp_path):
    """`jupyter-book build <repo>/book` typed by a user in another folder than the repository root:
    each edition's own executed notebooks, the Chinese search words, the pages of a chapter
    deleted since an earlier build gone, and editions of two years refused."""
    root = tmp_path / "repo"
    _small_project(root)
    for lang in ("en", "zh"):
        _run(root, 2024, lang)
    html = root / "_build" / "html"
    # What an earlier build left of a chapter deleted since: its pages and sources in both sites
    # (Sphinx keeps a gone document's HTML; the extension removes it).
    gone = ["chapters/09_gone.html", "_sources/chapters/09_gone.ipynb"]
    for page in gone + [f"zh/{page}" for page in gone]:
        (html / page).parent.mkdir(parents=True, exist_ok=True)
        (html / page).write_text("an earlier build's page", encoding="utf-8")
    built = _build(root)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    executed = root / "_build" / "jupyter_execute"
    assert not (html / "jupyter_execute").exists()
    for lang, folder in (("en", executed), ("zh", executed / "zh")):
        nb = json.loads((folder / "chapters" / "01_beta.ipynb").read_text(encoding="utf-8"))
        assert nb["metadata"]["papermill"]["parameters"]["lang"] == lang
    for site in (html, html / "zh"):
        assert (site / "chapters" / "02_gamma.html").is_file()
        assert not [page for page in gone if (site / page).exists()], site

    # Without the search words the Chinese build fails instead of losing them silently, and
    # before the English edition's pages are built: the check that refuses a set of editions
    # (whose refusal a build shows below) refuses it.
    from sphinx.errors import ConfigError

    words = root / "book" / "zh" / "chapters" / "search-words.txt"
    saved = words.read_bytes()
    words.unlink()
    app = _App(root / "book")
    with pytest.raises(ConfigError, match="search-words.txt .* is missing: run .* --lang zh"):
        editions._check_edition_set(app)
    words.write_bytes(saved)
    editions._check_edition_set(app)

    # One edition rerun for another year: the build refuses, before any page, and names the rerun.
    _run(root, 2023, "en")
    built = _build(root)
    assert built.returncode != 0 and "writing output" not in built.stdout
    assert "run --year 2023 --lang zh" in built.stdout + built.stderr


def test_a_direct_build_refuses_a_catalogue_that_does_not_parse_in_one_line(tmp_path, monkeypatch):
    """`jupyter-book build book/` with a syntax error in zh.yml: one ConfigError line, before any page."""
    from sphinx.errors import ConfigError

    broken = tmp_path / "zh.yml"
    broken.write_text("language:\n  name: 中文\n  switch: [unclosed\n", encoding="utf-8")
    real = messages.catalogue_path
    monkeypatch.setattr(messages, "catalogue_path", lambda lang: broken if lang == "zh" else real(lang))
    with pytest.raises(ConfigError) as caught:
        editions._check_edition_set(_App(paths.BOOK_DIR))
    assert len(str(caught.value).splitlines()) == 1 and "zh.yml line" in str(caught.value)
