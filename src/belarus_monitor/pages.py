"""HTML from templates that escape everything: the page, tables, provenance, the index.

Every piece of text that reaches a page goes through a Jinja2 template with
autoescaping, or through :func:`markdown_html`, which escapes raw HTML in Markdown.
A link is written only for an http(s) URL (:func:`belarus_monitor.text.safe_url`);
any other URL is shown as text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from . import __version__, config
from .text import link, safe_url

TEMPLATES = config.PACKAGE_DIR / "templates"


@lru_cache(maxsize=1)
def environment() -> Any:
    """The Jinja2 environment of the project's templates (autoescaping on)."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["link"] = lambda url, text: Markup(link(url, text))
    return env


def render(template: str, **context: Any) -> str:
    """Render one of the project's templates; every value is escaped unless it is Markup.

    Parameters
    ----------
    template
        File name in ``templates/`` (``"table.html.j2"``).
    **context
        The template's variables.
    """
    return environment().get_template(template).render(**context)


def trusted(markup: str) -> Any:
    """Mark HTML built by this library (from escaped parts) as safe to insert."""
    from markupsafe import Markup

    return Markup(markup)


def page(title: str, body: str, as_of: str | None = None) -> str:
    """Wrap an HTML fragment built by the library in the project's self-contained page.

    Parameters
    ----------
    title
        The page title (escaped); the PDF's footer repeats it on every page.
    body
        HTML built by the library from escaped parts.
    as_of
        The data's as-of date (``YYYY-MM-DD``); the PDF's footer then says
        "Data as of ..." on every page. None for no date.
    """
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    return render(
        "page.html.j2",
        title=title,
        body=trusted(body),
        css=trusted(css),
        version=__version__,
        as_of=as_of,
    )


@lru_cache(maxsize=1)
def _markdown() -> Any:
    import mistune

    class Renderer(mistune.HTMLRenderer):
        """Mistune's renderer, with links for http(s) only and no images."""

        def link(self, text: str, url: str, title: str | None = None) -> str:
            if safe_url(url) is None:
                return text
            return super().link(text, url, title)

        def image(self, text: str, url: str, title: str | None = None) -> str:
            return text

    return mistune.create_markdown(escape=True, renderer=Renderer(escape=True))


def markdown_html(text: str) -> str:
    """Markdown to HTML with every raw HTML tag escaped (shown, never run).

    Parameters
    ----------
    text
        Markdown; may hold text from the data.

    Returns
    -------
    str
        HTML in which ``<script>`` is ``&lt;script&gt;`` and only http(s) links exist.
    """
    return _markdown()(text)


__all__ = ["environment", "markdown_html", "page", "render", "trusted"]
