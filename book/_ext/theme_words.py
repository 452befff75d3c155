"""Sphinx extension: the words of the theme and of Sphinx itself (search box, buttons, tooltips,
"link to this heading") in the edition's language.

Sphinx, pydata-sphinx-theme, sphinx-book-theme and myst-nb leave some of the words a reader meets
untranslated in Simplified Chinese ("Color mode", "Link to this heading"), give a Taiwan form
("列印成 PDF" for "Print to PDF"), or print English without gettext at all ("Toggle primary
sidebar", myst-nb's "Toggle hidden content"). These words are declared once, in the library's
message catalogues under `ui.*`: the English catalogue holds each as the theme writes it (its
gettext message id), the other catalogues its translation. This extension

* puts them in front of the gettext catalogues the templates and Sphinx read ('sphinx' and
  sphinx-book-theme's 'booktheme'), so they win where a theme's own translation is missing or
  off, and leave every other message to the theme;
* sets the configuration values that hold words (the search box's text, sphinx-togglebutton's
  hints);
* writes myst-nb's collapsed-code toggle with a translated label.

book/_templates/ holds the theme components that print English without gettext, rewritten to
call it. In the English edition every word maps to itself, so nothing changes there.
"""

from __future__ import annotations

import gettext
from html import escape

PREFIX = "ui."


def theme_words(lang: str) -> dict[str, str]:
    """English message id -> the words in lang, for every `ui.*` message of the catalogues."""
    from countybook.render.messages import DEFAULT_LANGUAGE, catalogue

    english = catalogue(DEFAULT_LANGUAGE)
    words = catalogue(lang)
    return {english[key]: words[key] for key in english if key.startswith(PREFIX)}


class ThemeWords(gettext.NullTranslations):
    """A gettext catalogue holding the book's translations of the theme's words; every other
    message goes on to the theme's own catalogue (the fallback)."""

    def __init__(self, words: dict[str, str], fallback: gettext.NullTranslations | None):
        super().__init__()
        self._words = words
        if fallback is not None:
            self.add_fallback(fallback)

    def gettext(self, message):
        if message in self._words:
            return self._words[message]
        return super().gettext(message)


def _edition_language(app) -> str:
    from countybook.render.messages import DEFAULT_LANGUAGE

    return getattr(app.config, "countybook_edition", "") or DEFAULT_LANGUAGE


def _set_configured_words(app, config) -> None:
    words = theme_words(_edition_language(app))
    options = dict(config.html_theme_options or {})
    search = options.get("search_bar_text")
    if search in words:  # jupyter-book's "Search this book..."
        options["search_bar_text"] = words[search]
        config.html_theme_options = options
    for name in ("togglebutton_hint", "togglebutton_hint_hide"):
        if name in config:
            setattr(config, name, words.get(str(getattr(config, name)), getattr(config, name)))


def _install_catalogues(app) -> None:
    from sphinx import locale

    words = theme_words(_edition_language(app))
    for catalog in ("sphinx", "booktheme"):
        key = ("general", catalog)
        ours = ThemeWords(words, locale.translators.get(key))
        locale.translators[key] = ours
        if catalog == "sphinx":
            app.translator = ours
            templates = getattr(app.builder, "templates", None)
            environment = getattr(templates, "environment", None)
            if environment is not None:  # the Jinja templates were given the old catalogue at builder init
                environment.install_gettext_translations(ours)


def _visit_hidden_code(self, node):
    """myst_nb.sphinx_.visit_HideCellInput, with its toggle's label through gettext."""
    from sphinx.locale import _

    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n')
    self.body.append(f'<summary aria-label="{escape(_("Toggle hidden content"))}">\n')
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def setup(app):
    from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput

    app.connect("config-inited", _set_configured_words, priority=900)
    app.connect("builder-inited", _install_catalogues)
    app.add_node(HideCodeCellNode, override=True, html=(_visit_hidden_code, depart_HideCellInput))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
