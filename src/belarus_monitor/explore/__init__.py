"""Explore the data in JupyterLab: one country's claims, charts and tables, live.

``view`` computes what the explorer shows for a selection; ``widgets`` is the live
explorer (:func:`build_explorer`).
"""

from belarus_monitor.explore.view import (
    CLAIM_COLUMNS,
    claims_html,
    country_claims,
    explorer_countries,
    explorer_view,
    resolve_country,
    second_edition_html,
)
from belarus_monitor.explore.widgets import Explorer, build_explorer

__all__ = [
    "CLAIM_COLUMNS",
    "Explorer",
    "build_explorer",
    "claims_html",
    "country_claims",
    "explorer_countries",
    "explorer_view",
    "resolve_country",
    "second_edition_html",
]
