"""How the data is made, in tables a reader can check: the methodology and corrections pages.

Everything here is read from the data package the report is built from: the words of
the qualifiers and publisher kinds (``vocabulary.csv``), the tables and what each
holds and the source policy (the descriptor), what was looked for and not found (each table's
``x-known-gaps``) and each edition's changes and corrections (``CHANGELOG.md``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset


def vocabulary_rows(ds: Dataset, domain: str) -> pd.DataFrame:
    """The codes of one closed list in words: ``word`` and ``meaning`` (the definition)."""
    rows = [
        {"word": label, "meaning": definition}
        for (d, _), (label, _, definition) in ds.vocabulary.items()
        if d == domain
    ]
    return pd.DataFrame(rows, columns=["word", "meaning"])


def publisher_kinds(ds: Dataset) -> pd.DataFrame:
    """Each kind of publisher with its meaning and how many sources of the data are of it."""
    counts = ds.sources["publisher_kind"].astype(str).value_counts()
    rows = []
    for (d, code), (label, _, definition) in ds.vocabulary.items():
        if d == "publisher_kind":
            rows.append({"word": label, "meaning": definition, "sources": int(counts.get(code, 0))})
    return pd.DataFrame(rows, columns=["word", "meaning", "sources"])


def source_policy(ds: Dataset) -> str:
    """The package's source policy (its descriptor's ``x-source-policy``) as a Markdown list.

    An empty string when the package states none; a rule that is not text is skipped.
    """
    rules = ds.package.descriptor.get("x-source-policy")
    if not isinstance(rules, list):
        return ""
    lines = [" ".join(r.split()) for r in rules if isinstance(r, str) and r.strip()]
    return "\n".join(f"- {line}" for line in lines)


def tables_in_data(ds: Dataset) -> pd.DataFrame:
    """Every table of the package by its title, with how many rows it has."""
    rows = [
        {"table": res.title or res.name.replace("_", " "), "rows": len(ds.table(res.name))}
        for res in ds.package.resources
        if res.name != "vocabulary"
    ]
    return pd.DataFrame(rows, columns=["table", "rows"])


def known_gaps(ds: Dataset) -> pd.DataFrame:
    """What was looked for and not found, table by table (each table's ``x-known-gaps``)."""
    rows = []
    for res in ds.package.resources:
        raw = next(
            (r for r in ds.package.descriptor.get("resources", []) if r.get("name") == res.name),
            {},
        )
        gaps = raw.get("x-known-gaps") if isinstance(raw, dict) else None
        for gap in gaps if isinstance(gaps, list) else []:
            if isinstance(gap, str) and gap.strip():
                rows.append({"table": res.title or res.name, "gap": gap.strip()})
    return pd.DataFrame(rows, columns=["table", "gap"])


def editions(ds: Dataset) -> list[tuple[str, str]]:
    """The data's changelog, edition by edition: ``[(heading, Markdown of its changes)]``.

    Newest first, as ``CHANGELOG.md`` of the data package writes them; an empty list
    when the package has no changelog. The text is the curators' (rendered with raw
    HTML escaped), with a table's code name given as its title and any other code
    name in words (``conflict_group``: "conflict group").
    """
    titles = {r.name: r.title or r.name for r in ds.package.resources}

    def words(
        m: re.Match,
    ) -> str:  # `named_cases` -> Named cases, `conflict_group` -> conflict group
        name = m.group(1)
        return titles.get(name, name.replace("_", " "))

    text = re.sub(r"`([A-Za-z_][A-Za-z0-9_.]*)`", words, ds.changelog)
    text = text.replace("`x-known-gaps`", "the known gaps")
    # Row ids ("(req-010)", "(rel-009 to rel-011)") are the curators' references: the
    # rows are in the downloads; a page says what changed in words.
    row_id = r"[a-z]{2,4}-(?:[a-z]{2}-)?[0-9]{3}"
    text = re.sub(rf"\s*\({row_id}(?:(?:\s*(?:to|and|,)\s*){row_id})*\)", "", text)
    parts = re.split(r"(?m)^## (.+)$", text)
    out = []
    for i in range(1, len(parts) - 1, 2):
        heading, changes = parts[i].strip(), parts[i + 1].strip()
        if changes:
            unreleased = heading.lower() == "unreleased"
            out.append(("Not yet in an edition" if unreleased else f"Edition {heading}", changes))
    return out


__all__ = [
    "editions",
    "known_gaps",
    "publisher_kinds",
    "source_policy",
    "tables_in_data",
    "vocabulary_rows",
]
