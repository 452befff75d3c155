"""Sphinx extension: the book in several languages, one Jupyter Book per language.

The default (English) edition is book/; every folder book/<lang>/ holding its own _config.yml and
_toc.yml is another edition (book/zh/). This extension

* puts a language switch at the top of every page, linking the same page in each other edition
  (the editions share page names: their tocs list the same files);
* when the default edition has been built (`jupyter-book build book/`), builds each other
  edition into <html>/<lang>/ — so one command builds them all and the switch's relative links
  resolve — with the same -W, -n and --keep-going. An edition's _config.yml holds only what
  differs (language, search language, title, paths); the shared settings come from the
  top-level _config.yml, merged under it;
* refuses to start when the editions are not one set (the same year, made from the same data:
  countybook.run.edition_set), an edition's folder lacks its _config.yml or _toc.yml, or a
  message catalogue does not parse (one line instead of a traceback on every page), and
  removes the site of a language whose folder is gone, so nothing stale stays published;
* removes the pages of documents that are gone (Sphinx leaves their HTML behind);
* gives each edition its own folder of executed notebooks (myst-nb puts them beside the output
  folder, which for <html>/<lang>/ is inside the default edition's site);
* resolves the search dictionary (html_search_options: dict) against the edition's folder, not
  the folder the build runs in, and fails when it is missing: without it Chinese search loses
  the book's own words silently.

The language names come from the library's message catalogues (language.name).
Run as a script (`python editions.py SRC OUT DOCTREES [-W] [-n] [--keep-going]`) it builds one
edition; the build-finished hook calls it in a fresh process, because Sphinx keeps per-process
state (translations, registered directives) that must not leak from one language to the other.
"""

from __future__ import annotations

import html
import posixpath
import subprocess
import sys
from pathlib import Path

CONFIG = "_config.yml"
TOC = "_toc.yml"


def edition_folders(default_srcdir: Path) -> dict[str, Path]:
    """lang -> book folder of every edition besides the default one."""
    return {
        folder.name: folder
        for folder in sorted(Path(default_srcdir).iterdir())
        if folder.is_dir() and (folder / CONFIG).is_file() and (folder / TOC).is_file()
    }


def _check_edition_set(app) -> None:
    """The default edition's build starts only with editions that form one set."""
    if app.config.countybook_edition:
        return
    from sphinx.errors import ConfigError

    from countybook.run import build, edition_set

    problem = edition_set.problem(Path(app.srcdir))
    if problem:
        raise ConfigError(problem)
    for lang, folder in edition_folders(Path(app.srcdir)).items():
        # Checked again when that edition's build starts; here it fails before any page is built.
        options = _edition_config(folder).get("sphinx", {}).get("config", {}).get("html_search_options")
        _search_dictionary(folder, options, lang)
    try:
        build.check_catalogues()  # every page's words come from them: one broken fails every page
    except build.BuildRefused as err:
        raise ConfigError(str(err)) from None


def _resolve_search_dictionary(app, config) -> None:
    options = config.html_search_options
    dictionary = _search_dictionary(Path(app.srcdir), options, config.countybook_edition or "en")
    if dictionary is not None:
        config.html_search_options = {**options, "dict": str(dictionary)}


def _search_dictionary(edition_dir: Path, options, lang: str) -> Path | None:
    """An edition's search dictionary (html_search_options: dict) found from its folder, if it
    names one; ConfigError when the file is missing."""
    if not isinstance(options, dict) or not options.get("dict"):
        return None
    from sphinx.errors import ConfigError

    dictionary = Path(edition_dir) / options["dict"]  # an absolute path stays as it is
    if not dictionary.is_file():
        raise ConfigError(
            f"{dictionary} (html_search_options: dict) is missing: run "
            f"`python -m countybook run --year <year> --lang {lang}`"
        )
    return dictionary


def _own_executed_notebooks(app) -> None:
    """Another edition's executed notebooks beside its doctrees, not inside the default site."""
    edition = app.config.countybook_edition
    config = getattr(app.env, "mystnb_config", None)
    if not edition or config is None:
        return
    folder = Path(app.doctreedir).parent / "jupyter_execute" / edition
    app.env.mystnb_config = config.copy(output_folder=str(folder.resolve()))


def remove_pages_of_gone_documents(outdir: Path, documents: set[str], editions: set[str]) -> list[Path]:
    """HTML pages (and their sources) in outdir's folders whose document is no longer in the book."""
    outdir = Path(outdir)
    removed = []
    for page in sorted(outdir.rglob("*.html")):
        relative = page.relative_to(outdir)
        top = relative.parts[0]
        if len(relative.parts) < 2 or top.startswith("_") or top in editions:
            continue  # the site's own pages (index, search, genindex) and the other editions
        if relative.with_suffix("").as_posix() not in documents:
            page.unlink()
            removed.append(page)
            for source in (outdir / "_sources" / relative.parent).glob(f"{relative.stem}.*"):
                source.unlink()
    return removed


def _remove_stale_output(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    editions = set()
    if not app.config.countybook_edition:
        import shutil

        from countybook.render.messages import DEFAULT_LANGUAGE, languages

        editions = {lang for lang in languages() if lang != DEFAULT_LANGUAGE}
        for lang in editions - set(edition_folders(Path(app.srcdir))):
            shutil.rmtree(Path(app.outdir) / lang, ignore_errors=True)  # a language no longer in the book
        # Where an older layout put another edition's executed notebooks.
        shutil.rmtree(Path(app.outdir) / "jupyter_execute", ignore_errors=True)
    remove_pages_of_gone_documents(Path(app.outdir), set(app.env.all_docs), editions)


def _default_srcdir(app) -> Path:
    srcdir = Path(app.srcdir)
    return srcdir.parent if app.config.countybook_edition else srcdir


def switch_targets(pagename: str, edition: str, default_lang: str, others: list[str]) -> list[tuple[str, str]]:
    """(lang, relative URL of the same page) for every edition but this one."""
    up = "../" * pagename.count("/")
    root = up + ("../" if edition else "")  # from this page to the default edition's root
    targets = [(default_lang, root)] if edition else []
    targets += [(lang, root + lang + "/") for lang in others if lang != edition]
    return [
        (lang, posixpath.normpath(prefix + pagename + ".html") if prefix else pagename + ".html")
        for lang, prefix in targets
    ]


def _add_language_switch(app, pagename, templatename, context, doctree):
    if "body" not in context or doctree is None:
        return
    from countybook.render.messages import DEFAULT_LANGUAGE, say

    this = app.config.countybook_edition or DEFAULT_LANGUAGE
    others = list(edition_folders(_default_srcdir(app)))
    links = [
        f'<a class="language-switch-link" href="{html.escape(url)}" hreflang="{lang}" lang="{lang}">'
        f"{html.escape(say('language.name', lang))}</a>"
        for lang, url in switch_targets(pagename, app.config.countybook_edition, DEFAULT_LANGUAGE, others)
    ]
    if links:
        label = html.escape(say("language.switch", this))
        context["body"] = (
            f'<nav class="language-switch" aria-label="{label}">{" · ".join(links)}</nav>\n' + context["body"]
        )


def _build_other_editions(app, exception):
    if exception is not None or app.config.countybook_edition or app.builder.format != "html":
        return
    from sphinx.errors import ExtensionError

    for lang, folder in edition_folders(Path(app.srcdir)).items():
        command = [
            sys.executable,
            __file__,
            str(folder),
            str(Path(app.outdir) / lang),
            str(Path(app.doctreedir).parent / f".doctrees-{lang}"),
        ]
        command += ["-W"] if app.warningiserror else []
        command += ["-n"] if app.config.nitpicky else []
        command += ["--keep-going"] if getattr(app, "keep_going", False) else []
        print(f"building the {lang} edition into {Path(app.outdir) / lang}", flush=True)
        if subprocess.call(command) != 0:
            raise ExtensionError(f"the {lang} edition ({folder}) failed to build; see its messages above")


def setup(app):
    # '' in the default edition; the language code in another (set in book/<lang>/_config.yml).
    app.add_config_value("countybook_edition", "", "html")
    app.connect("config-inited", _resolve_search_dictionary)
    app.connect("builder-inited", _check_edition_set, priority=400)
    app.connect("builder-inited", _own_executed_notebooks, priority=900)  # after myst-nb's own (500)
    app.connect("html-page-context", _add_language_switch)
    app.connect("build-finished", _remove_stale_output, priority=400)
    app.connect("build-finished", _build_other_editions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# --------------------------------------------------------------------------- one edition's build


def _merged(shared: dict, own: dict) -> dict:
    merged = dict(shared)
    for key, value in own.items():
        merged[key] = (
            _merged(shared[key], value) if isinstance(value, dict) and isinstance(shared.get(key), dict) else value
        )
    return merged


def _shared_config(edition_dir: Path) -> Path:
    """The top-level _config.yml: the nearest one above the edition's folder (as jupyter-book finds it)."""
    for folder in edition_dir.resolve().parents:
        if (folder / CONFIG).is_file():
            return folder / CONFIG
    raise FileNotFoundError(f"no {CONFIG} above {edition_dir}")


def _edition_config(edition_dir: Path) -> dict:
    """An edition's settings: its own _config.yml merged over the shared one."""
    import yaml

    shared = yaml.safe_load(_shared_config(edition_dir).read_text(encoding="utf-8"))
    own = yaml.safe_load((edition_dir / CONFIG).read_text(encoding="utf-8"))
    return _merged(shared, own)


def build_edition(
    edition_dir: Path, outdir: Path, doctreedir: Path, warningiserror: bool, nitpicky: bool, keep_going: bool
) -> int:
    import yaml
    from jupyter_book.sphinx import build_sphinx

    doctreedir.mkdir(parents=True, exist_ok=True)
    config = doctreedir / "_config.merged.yml"
    config.write_text(yaml.safe_dump(_edition_config(edition_dir), allow_unicode=True), encoding="utf-8")
    # What `jupyter-book build` itself passes for a book.
    overrides = {"external_toc_path": (edition_dir / TOC).as_posix(), "latex_individualpages": False}
    if nitpicky:
        overrides["nitpicky"] = True
    result = build_sphinx(
        edition_dir,
        outdir,
        noconfig=True,
        path_config=str(config),
        confoverrides=overrides,
        doctreedir=doctreedir,
        warningiserror=warningiserror,
        keep_going=keep_going,
    )
    if isinstance(result, Exception):
        print(f"{edition_dir}: {type(result).__name__}: {result}", file=sys.stderr)
        return 1
    return 0 if result == 0 else 1


if __name__ == "__main__":
    arguments = sys.argv[1:]
    flags = {flag for flag in arguments if flag.startswith("-")}
    source, output, doctrees = (Path(value) for value in arguments if not value.startswith("-"))
    sys.exit(build_edition(source, output, doctrees, "-W" in flags, "-n" in flags, "--keep-going" in flags))
