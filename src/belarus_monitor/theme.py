"""The one chart style of the project: seaborn theme, colours, sizes, fonts.

Call :func:`apply_theme` once (the chart functions do it for you). The colours of the
estimators and of the qualifiers are fixed here so that every chart of every report
uses the same ones.
"""

from __future__ import annotations

#: Colour per role; from seaborn's colour-blind palette.
COLORS = {
    "primary": "#0173b2",      # Viasna, sent, official list
    "secondary": "#de8f05",    # fulfilled, other estimators
    "accent": "#d55e00",       # highlight (the country a report is about)
    "muted": "#949494",        # everything else
    "positive": "#029e73",
    "negative": "#cc78bc",
}
#: Fill per answer class of the map (maps.py); colour-blind-safe, "no data" light grey.
MAP_COLORS = {
    "fulfilled": COLORS["positive"],
    "suspended": "#56b4e9",
    "ignores": "#de8f05",
    "no_response": "#f0d867",
    "refused": COLORS["negative"],
    "mixed": "#ca9161",
    "no_data": "#e4e4e4",
    "belarus": "#555555",      # the requesting state itself
    "border": "#ffffff",
    "sea": "#ffffff",
    "marker": "#222222",       # list membership dot
}
#: Marker fill per qualifier: a filled marker is an exact figure, a hollow one is not.
QUALIFIER_FILLED = {"exact": True, "at_least": False, "more_than": False, "about": False}
QUALIFIER_LABEL = {"exact": "", "at_least": "at least ", "more_than": "more than ",
                   "about": "about "}
FIGSIZE = (8.0, 4.2)
DPI = 110
SOURCE_FONTSIZE = 7.5


def apply_theme() -> None:
    """Set the seaborn/matplotlib style used by every chart of the project."""
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind",
                  font="DejaVu Sans")
    mpl.rcParams.update({
        "figure.figsize": FIGSIZE,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "savefig.bbox": "tight",
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 9,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        # Reproducible SVG output, should anyone save one.
        "svg.hashsalt": "belarus-monitor",
        "svg.fonttype": "none",
        # Text from the data is text: "$5$" is never read as TeX.
        "text.parse_math": False,
    })


def qualified(value: float | int, qualifier: str | None) -> str:
    """Write a figure with its qualifier: ``qualified(24, "about") == "about 24"``."""
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return QUALIFIER_LABEL.get(qualifier or "exact", "") + number
