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
#: Colour and marker of each estimator of political prisoners, by name, so that a
#: symbol keeps its meaning whatever the selection. Others get one from
#: :data:`FALLBACK_STYLES`, chosen from a hash of the name (see :func:`estimator_style`).
ESTIMATOR_STYLE: dict[str, tuple[str, str]] = {
    "Viasna": (COLORS["primary"], "o"),
    "Sviatlana Tsikhanouskaya (opposition)": (COLORS["secondary"], "s"),
    "Human rights defenders (unnamed, as reported by Pozirk)": (COLORS["positive"], "D"),
    "Opposition sources (unnamed, as reported by Pozirk)": (COLORS["negative"], "^"),
}
FALLBACK_STYLES: tuple[tuple[str, str], ...] = (
    ("#ca9161", "v"), ("#56b4e9", "P"), ("#fbafe4", "X"), ("#ece133", "h"),
    (COLORS["accent"], "<"), (COLORS["muted"], ">"),
)
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


def estimator_style(name: str) -> tuple[str, str]:
    """The colour and marker of an estimator of political prisoners.

    Parameters
    ----------
    name
        The estimator as it stands in the data.

    Returns
    -------
    tuple of str
        ``(colour, marker)``: from :data:`ESTIMATOR_STYLE`, else from
        :data:`FALLBACK_STYLES` by a stable hash of the name (the same in every
        session and whatever else is selected).
    """
    import hashlib

    if name in ESTIMATOR_STYLE:
        return ESTIMATOR_STYLE[name]
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return FALLBACK_STYLES[int.from_bytes(digest[:4], "big") % len(FALLBACK_STYLES)]


def qualified(value: float | int, qualifier: str | None) -> str:
    """Write a figure with its qualifier: ``qualified(24, "about") == "about 24"``."""
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return QUALIFIER_LABEL.get(qualifier or "exact", "") + number
