"""Small Sphinx fixes for the book.

- sphinx-thebe registers its inline configuration script on every read of the environment,
  so a page can carry it twice and the browser reports "THEBE_JS_URL has already been
  declared". The book does not use thebe; each page keeps one copy of every script.
- sphinx-book-theme leaves pydata-sphinx-theme's colour mode empty; pages start light.
- static/nnbook.css: wide display math scrolls in its own box, code wraps on narrow screens,
  and the offline demo players' buttons look like buttons.
"""
from pathlib import Path

STATIC = Path(__file__).parent / "static"


def deduplicate_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # An inline script may be registered with filename None once and '' the next time.
        key = (getattr(script, "filename", None) or "", tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def light_mode_by_default(app, pagename, templatename, context, doctree):
    """pydata-sphinx-theme reads ``default_mode`` from the page context, which
    sphinx-book-theme leaves empty; the browser then logs "invalid theme mode"."""
    context["default_mode"] = context.get("default_mode") or "light"


def add_book_css(app):
    app.config.html_static_path.append(str(STATIC))
    app.add_css_file("nnbook.css")


def setup(app):
    app.connect("builder-inited", add_book_css)
    # After the themes' own handlers (default priority 500) have filled the context.
    app.connect("html-page-context", deduplicate_scripts, priority=900)
    app.connect("html-page-context", light_mode_by_default, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
