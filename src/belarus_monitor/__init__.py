"""Belarus Monitor: sourced data on Belarus' legal cooperation and repression.

Import as ``import belarus_monitor as bm``. The public names below are loaded on
first use, so that importing the package is cheap (the command line starts fast) and
loading the data never imports matplotlib; the charts live in
:mod:`belarus_monitor.charts`.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.2.0"

#: Public name -> module that defines it (a module name maps to the module itself).
_EXPORTS = {
    "Dataset": "dataset",
    "open": "dataset",
    "UnknownCountryError": "countries",
    "counterpart_name": "countries",
    "country_name": "countries",
    "normalise_country": "countries",
    "suggest_countries": "countries",
    "expand_group": "groups",
    "group_membership": "groups",
    "groups_of": "groups",
    "DataValidationError": "load",
    "load_cases": "load",
    "load_eu_alignment": "load",
    "load_group_members": "load",
    "load_groups": "load",
    "load_political_prisoners": "load",
    "load_prisoner_releases": "load",
    "load_requests": "load",
    "load_sanctions_regimes": "load",
    "load_sources": "load",
    "load_table": "load",
    "load_unfriendly_states": "load",
    "Rate": "metrics",
    "claims_for_country": "metrics",
    "fulfilment_rate": "metrics",
    "fulfilment_rates": "metrics",
    "list_differences": "metrics",
    "prisoner_trend": "metrics",
    "prisoners_series": "metrics",
    "share_of_group": "metrics",
    "in_date_range": "metrics",
    "metrics": "metrics",
    "Problem": "validation",
    "validate": "validation",
    "charts": "charts",
    "explore": "explore",
    "export": "export",
    "profile": "profile",
    "provenance": "provenance",
    "report": "report",
    "sources": "sources",
    "diff": "diff",
    "stories": "stories",
    "vocabulary": "vocabulary",
    "label": "vocabulary",
    "in_words": "vocabulary",
    "build": "build",
    "files": "files",
    "pages": "pages",
    "text": "text",
    "tables": "tables",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'belarus_monitor' has no attribute {name!r}")
    module = importlib.import_module(f".{module_name}", __name__)
    value = module if name == module_name else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
