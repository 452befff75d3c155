"""Sphinx extension: the page titles the theme writes without escaping, escaped.

sphinx-book-theme puts a page's title as plain text (`title.astext()`) into its print header
(`<h1>{{ pagetitle }}</h1>`) and the root page's title into the sidebar (`{{ root_title }}`), both
unescaped: `astext()` undoes the escaping the library gives every string from data
(countybook.render.text.escape), so a theme title holding `<img src=x onerror=…>` would be markup
there. Escaped here, after the theme's own page-context hook.
"""

from __future__ import annotations

import html


def _escape_titles(app, pagename, templatename, context, doctree):
    for key in ("pagetitle", "root_title"):
        value = context.get(key)
        if isinstance(value, str) and not hasattr(value, "__html__"):  # Markup is escaped already
            context[key] = html.escape(value, quote=False)


def setup(app):
    app.connect("html-page-context", _escape_titles, priority=900)  # after the theme's (500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
