"""The one chart style of the project: seaborn theme, colours, sizes, fonts.

Call :func:`apply_theme` once (the chart functions do it for you). The colours of the
estimators and of the qualifiers are fixed here so that every chart of every report
uses the same ones.
"""

from __future__ import annotations

#: Colour per role; from seaborn's colour-blind palette.
COLORS = {
    "primary": "#0173b2",  # Viasna, sent, official list
    "secondary": "#de8f05",  # fulfilled, other estimators
    "accent": "#d55e00",  # highlight (the country a report is about)
    "muted": "#949494",  # everything else
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
    "belarus": "#555555",  # the requesting state itself
    "border": "#ffffff",
    "sea": "#ffffff",
    "marker": "#222222",  # list membership dot
}
FIGSIZE = (8.0, 4.2)
DPI = 110
SOURCE_FONTSIZE = 7.5


def apply_theme() -> None:
    """Set the seaborn/matplotlib style used by every chart of the project."""
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind", font="DejaVu Sans")
    mpl.rcParams.update(
        {
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
        }
    )


#: Colour and marker pairs, given out in order to the names of a series (estimators,
#: jurisdictions): the name the data uses most gets the first. Every pair is distinct.
STYLE_CYCLE: list[tuple[str, str]] = [
    (COLORS["primary"], "o"),
    (COLORS["accent"], "s"),
    (COLORS["secondary"], "^"),
    (COLORS["negative"], "v"),
    (COLORS["positive"], "P"),
    ("#56b4e9", "X"),
    ("#ca9161", "h"),
    ("#fbafe4", "D"),
    (COLORS["muted"], "p"),
    ("#029e73", "*"),
    (COLORS["accent"], "D"),
    (COLORS["secondary"], "<"),
    (COLORS["positive"], ">"),
    ("#56b4e9", "p"),
]
_SPARE_COLORS = [
    COLORS["secondary"],
    COLORS["positive"],
    COLORS["negative"],
    "#56b4e9",
    "#ca9161",
    "#fbafe4",
    COLORS["muted"],
]
_SPARE_MARKERS = ["d", "H", "8", "1", "2", "3", "4"]


def styles_for(names: list[str]) -> dict[str, tuple[str, str]]:
    """Colour and marker of each name, the same in every chart made from the same data.

    Parameters
    ----------
    names
        The names in the order they get styles (most used first, as
        :attr:`belarus_monitor.Dataset.estimators`).

    Returns
    -------
    dict
        ``{name: (colour, marker)}``: :data:`STYLE_CYCLE` in order, then a pair derived
        from the name itself.
    """
    out = dict(zip(names, STYLE_CYCLE, strict=False))
    for name in names[len(STYLE_CYCLE) :]:
        out[name] = _derived_style(name)
    return out


def _derived_style(name: str) -> tuple[str, str]:
    import zlib

    h = zlib.crc32(name.encode("utf-8"))
    return _SPARE_COLORS[h % len(_SPARE_COLORS)], _SPARE_MARKERS[(h // 7) % len(_SPARE_MARKERS)]


#: Marker and colour per kind of event of a named case.
CASE_EVENT_STYLE: dict[str, tuple[str, str]] = {
    "request": (COLORS["primary"], "o"),
    "detention": (COLORS["negative"], "s"),
    "court_decision": (COLORS["secondary"], "D"),
    "refusal": (COLORS["positive"], "X"),
    "release": ("#56b4e9", "^"),
    "handover": (COLORS["accent"], "v"),
    "interpol_action": ("#ca9161", "P"),
    "asylum": ("#029e73", "*"),
    "statement": (COLORS["muted"], "h"),
}

#: Colour and marker per measure of the releases table.
RELEASE_STYLE: dict[str, tuple[str, str]] = {
    "released": (COLORS["primary"], "o"),
    "pardoned": (COLORS["secondary"], "s"),
    "deported": (COLORS["positive"], "D"),
}


def estimator_style(name: str, styles: dict[str, tuple[str, str]] | None = None) -> tuple[str, str]:
    """Colour and marker of an estimator: from ``styles`` (the data's), else from its name.

    Parameters
    ----------
    name
        The estimator as written in ``political_prisoners.csv``.
    styles
        The data's styles (``styles_for(ds.estimators)``).

    Returns
    -------
    tuple of str
        A matplotlib colour and marker.
    """
    if styles and name in styles:
        return styles[name]
    return _derived_style(name)
