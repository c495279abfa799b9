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
    "Dataset": "data.dataset",
    "open": "data.dataset",
    "BelarusMonitorError": "errors",
    "UnknownCountryError": "data.countries",
    "counterpart_name": "data.countries",
    "country_name": "data.countries",
    "normalise_country": "data.countries",
    "suggest_countries": "data.countries",
    "expand_group": "data.groups",
    "group_membership": "data.groups",
    "groups_of": "data.groups",
    "DataValidationError": "data.problems",
    "Problem": "data.problems",
    "validate": "data.validation",
    "load_cases": "data.load",
    "load_eu_alignment": "data.load",
    "load_group_members": "data.load",
    "load_groups": "data.load",
    "load_political_prisoners": "data.load",
    "load_prisoner_releases": "data.load",
    "load_requests": "data.load",
    "load_sanctions_regimes": "data.load",
    "load_sources": "data.load",
    "load_table": "data.load",
    "load_unfriendly_states": "data.load",
    "label": "data.vocabulary",
    "in_words": "data.vocabulary",
    "Rate": "analysis.metrics",
    "claims_for_country": "analysis.metrics",
    "fulfilment_rate": "analysis.metrics",
    "fulfilment_rates": "analysis.metrics",
    "list_differences": "analysis.metrics",
    "prisoner_trend": "analysis.metrics",
    "prisoners_series": "analysis.metrics",
    "share_of_group": "analysis.metrics",
    "in_date_range": "analysis.metrics",
}
#: Modules offered as attributes, by their short names (``bm.charts``, ``bm.report``).
_MODULES = {
    "data": "data",
    "analysis": "analysis",
    "words": "words",
    "figures": "figures",
    "pipeline": "pipeline",
    "site": "site",
    "charts": "figures",
    "maps": "figures.maps",
    "metrics": "analysis.metrics",
    "profile": "analysis.profile",
    "stories": "words.stories",
    "facts": "words.facts",
    "tables": "words.tables",
    "report": "site.report",
    "sources": "words.sources",
    "explore": "explore",
    "export": "data.export",
    "diff": "data.diff",
    "provenance": "data.provenance",
    "vocabulary": "data.vocabulary",
    "config": "config",
    "text": "text",
    "errors": "errors",
    "files": "files",
}

__all__ = sorted(_EXPORTS) + sorted(_MODULES) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        value = importlib.import_module(f".{_MODULES[name]}", __name__)
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    else:
        raise AttributeError(f"module 'belarus_monitor' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | set(_MODULES))
