"""Sphinx extension: emit each page script once.

sphinx-thebe adds its inline configuration script (``const THEBE_JS_URL = ...``) at
env-before-read-docs (and sphinx-togglebutton its selector); Sphinx 7.4 then lists each twice in
every page's head, once with filename None and once with "", and the second copy raises
"Identifier 'THEBE_JS_URL' has already been declared" in the browser.
"""


def _unique_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # The copies differ only in filename None versus "" (both mean an inline script).
        key = (str(getattr(script, "filename", script) or ""), tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _unique_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
