"""Belarus Monitor: sourced data on Belarus' legal cooperation and repression.

Import as ``import belarus_monitor as bm``. Loading the data does not import
matplotlib; the charts live in :mod:`belarus_monitor.charts`.
"""

from .countries import (
    UnknownCountryError,
    counterpart_name,
    country_name,
    normalise_country,
    suggest_countries,
)
from .groups import expand_group, group_membership, groups_of
from .load import (
    DataValidationError,
    load_cases,
    load_eu_alignment,
    load_group_members,
    load_groups,
    load_political_prisoners,
    load_prisoner_releases,
    load_requests,
    load_sanctions_regimes,
    load_sources,
    load_table,
    load_unfriendly_states,
)
from .metrics import (
    Rate,
    claims_for_country,
    fulfilment_rate,
    fulfilment_rates,
    list_differences,
    prisoner_trend,
    prisoners_series,
)
from .validate import Problem, validate

__version__ = "0.1.0"

__all__ = [
    "DataValidationError", "Problem", "Rate", "UnknownCountryError",
    "claims_for_country", "counterpart_name", "country_name", "expand_group",
    "fulfilment_rate", "fulfilment_rates", "group_membership", "groups_of",
    "list_differences", "load_cases", "load_eu_alignment", "load_group_members",
    "load_groups", "load_political_prisoners", "load_prisoner_releases",
    "load_requests", "load_sanctions_regimes", "load_sources", "load_table",
    "load_unfriendly_states", "normalise_country", "prisoner_trend",
    "prisoners_series", "suggest_countries", "validate", "__version__",
]
