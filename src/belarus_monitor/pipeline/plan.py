"""Planning a build: the command line's selection and parameters turned into jobs."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from belarus_monitor.pipeline.cache import _memo_get, _memo_put, library_hash
from belarus_monitor.pipeline.jobs import (
    COUNTRY_PARAMETERS,
    BuildError,
    Job,
    available_notebooks,
    is_profile,
    notebook_parameters,
    notebook_spec,
    profile_notebooks,
)
from belarus_monitor.text import excerpt


def check_parameters(
    name: str, given: dict[str, str], data_dir: str | None = None
) -> dict[str, Any]:
    """Type and check ``-P name=value`` parameters against a notebook's declaration.

    Parameters
    ----------
    name
        The notebook.
    given
        Parameter names and their values as typed on the command line.
    data_dir
        The data directory, for parameters that name something in the data.

    Returns
    -------
    dict
        The values converted to the declared types (a country normalised to its code,
        a list from comma-separated text).

    Raises
    ------
    BuildError
        For an unknown parameter or a value of the wrong type, naming the notebook's
        parameters and what was expected.
    """
    import datetime as dt

    from belarus_monitor.data.countries import (
        UnknownCountryError,
        normalise_country,
        suggest_countries,
    )

    spec = notebook_spec(name)
    declared = {p.name: p for p in spec.parameters} if spec else {}
    settable = [p for p in declared if p != "data_dir"]
    out: dict[str, Any] = {}
    for key, raw in given.items():
        p = declared.get(key)
        if p is None or key == "data_dir":
            raise BuildError(
                f"-P {key}: {name} has no such parameter; its parameters are "
                + "; ".join(f"{n} ({declared[n].help})" for n in settable)
            )
        where = f"-P {key}={excerpt(raw)}"
        if key in COUNTRY_PARAMETERS:
            if raw == "" and p.default == "":
                out[key] = ""
                continue
            try:
                out[key] = normalise_country(raw)
            except UnknownCountryError:
                hint = suggest_countries(raw)
                raise BuildError(
                    f"{where}: expected a country (ISO code or English name)"
                    + (f"; did you mean {', '.join(hint)}?" if hint else "")
                ) from None
        elif p.type.startswith("list"):
            out[key] = [v.strip() for v in raw.split(",") if v.strip()]
        elif p.type == "int":
            if not re.fullmatch(r"-?[0-9]{1,9}", raw):
                raise BuildError(f"{where}: expected a whole number ({p.help})")
            out[key] = int(raw)
        elif p.type == "bool":
            if raw not in ("true", "false"):
                raise BuildError(f"{where}: expected true or false ({p.help})")
            out[key] = raw == "true"
        else:
            if "YYYY-MM-DD" in p.help and raw:
                try:
                    dt.date.fromisoformat(raw)
                    assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw)
                except (ValueError, AssertionError):
                    raise BuildError(f"{where}: expected a date as YYYY-MM-DD") from None
            out[key] = raw
        allowed = _allowed_values(key, data_dir)
        values = out[key] if isinstance(out[key], list) else [out[key]]
        bad = [v for v in values if allowed is not None and v and v not in allowed]
        if bad:
            raise BuildError(
                f"{where}: {excerpt(bad[0])} is not known; expected one of "
                + ", ".join(sorted(allowed))
            )
    return out


def _allowed_values(name: str, data_dir: str | None) -> set[str] | None:
    """The values the data allows for a parameter, where it names something in the data."""
    if name == "estimators":
        from belarus_monitor.data.load import load_political_prisoners

        return set(load_political_prisoners(data_dir)["estimator"])
    if name in ("list_a", "list_b"):
        from belarus_monitor.data.load import load_groups

        g = load_groups(data_dir)
        return set(g.loc[g["kind"] == "unfriendly_list", "group_id"])
    return None


def _countries_in_data(data_dir: str | None, data_hash: str, out: Path | None = None) -> list[str]:
    """Countries that appear in the data, remembered per data checksum (see :func:`_memo`)."""
    key = f"countries:{data_hash}:{library_hash()}"
    codes = _memo_get(key)
    if not (
        isinstance(codes, list)
        and all(isinstance(c, str) and re.fullmatch("[A-Z]{2}", c) for c in codes)
    ):
        from belarus_monitor.analysis.profile import countries_in_data
        from belarus_monitor.data.dataset import open as open_dataset

        codes = countries_in_data(open_dataset(data_dir))
        _memo_put(key, codes)
    return list(codes)


def plan(
    countries: list[str] | None = None,
    notebooks: list[str] | None = None,
    data_dir: str | None = None,
    out: str | Path | None = None,
    check_only: bool = False,
    parameters: dict[str, str] | None = None,
) -> list[Job]:
    """Turn the command-line selection into jobs, validating every parameter first.

    Parameters
    ----------
    countries
        Countries as codes or names; with no ``notebooks``, their profiles are built.
    notebooks
        Notebook names; with no ``countries``, default parameters (every country's
        profile for ``country_profile``).
    data_dir
        Data directory passed to the notebooks.
    out
        Output directory, where the list of countries in the data is cached.
    check_only
        Check the parameters only, without reading the data; return no jobs.
    parameters
        ``-P name=value`` pairs for the one notebook named in ``notebooks``.

    Raises
    ------
    BuildError
        For an unknown notebook or country, naming it and suggesting valid ones.
    """
    from belarus_monitor.data.countries import (
        UnknownCountryError,
        normalise_country,
        suggest_countries,
    )
    from belarus_monitor.data.provenance import dataset_checksum

    known = available_notebooks()
    for nb in notebooks or []:
        if nb not in known:
            raise BuildError(
                f"--notebook {excerpt(nb)}: no such report notebook; "
                f"expected one of {', '.join(known)}"
            )
    codes: list[str] = []
    for c in countries or []:
        try:
            codes.append(normalise_country(c))
        except UnknownCountryError as exc:
            hint = exc.suggestions or suggest_countries(c)
            raise BuildError(
                f"--country {excerpt(c)}: unknown country; expected an ISO 3166-1 "
                "code or an English name" + (f"; did you mean {', '.join(hint)}?" if hint else "")
            ) from None
    codes = list(dict.fromkeys(codes))
    typed: dict[str, Any] = {}
    if parameters:
        if not notebooks or len(notebooks) != 1:
            raise BuildError("-P: name exactly one notebook with --notebook to set its parameters")
        typed = check_parameters(notebooks[0], parameters, data_dir)
    if check_only:
        for nb in notebooks or (profile_notebooks() if codes else []):
            declared = notebook_parameters(nb)
            if codes and not any(p in declared for p in COUNTRY_PARAMETERS):
                raise BuildError(
                    f"--country: the notebook {excerpt(nb)} takes no country; its "
                    f"parameters are {', '.join(declared) or 'none'}"
                )
        return []
    extra = {"data_dir": str(Path(data_dir).resolve())} if data_dir else {}
    chosen = notebooks or (profile_notebooks() if codes else available_notebooks())
    jobs: list[Job] = []
    for nb in chosen:
        declared = notebook_parameters(nb)
        cparam = next((p for p in COUNTRY_PARAMETERS if p in declared), None)
        if codes and cparam is None:
            raise BuildError(
                f"--country: the notebook {excerpt(nb)} takes no country; its "
                f"parameters are {', '.join(declared) or 'none'}"
            )
        targets: list[str | None] = list(codes)
        if not codes and is_profile(nb):
            outdir = Path(out) if out else None
            targets = list(_countries_in_data(data_dir, dataset_checksum(data_dir), outdir))
        elif not codes:
            targets = [None]
        if typed:
            targets = [None] if not codes else targets
            if codes and cparam in typed:
                raise BuildError(
                    f"-P {cparam} and --country both name a country; give it once "
                    f"(--country {codes[0]} or -P {cparam}={codes[0]})"
                )
        for code in targets:
            params = {**extra, **typed}
            if code and cparam:
                params[cparam] = code
            elif is_profile(nb) and not code and not (cparam and typed.get(cparam)):
                continue
            stem = f"{nb}_{code}" if code and cparam else nb
            if typed.keys() == {cparam} and cparam:  # only the country: named as --country
                stem = f"{nb}_{typed[cparam]}"
            elif typed:
                stem = _stem_for(nb, {k: v for k, v in params.items() if k != "data_dir"})
            jobs.append(Job(nb, tuple(sorted(params.items())), stem))
    return _check_unique_stems(list(dict.fromkeys(jobs)))


def _check_unique_stems(jobs: list[Job]) -> list[Job]:
    """The jobs, if no two of them would write the same files; else a :class:`BuildError`."""
    stems: dict[str, Job] = {}
    for j in jobs:
        if stems.setdefault(j.stem, j) != j:
            raise BuildError(
                f"two reports would be written as {j.stem!r}: "
                f"{stems[j.stem].describe()} and {j.describe()}"
            )
    return jobs


def _stem_for(notebook: str, typed: dict[str, Any]) -> str:
    """A file name for a report with explicit parameters: readable and unique."""
    parts = []
    for k, v in sorted(typed.items()):
        text = ",".join(map(str, v)) if isinstance(v, list) else str(v)
        parts.append(re.sub(r"[^A-Za-z0-9]+", "-", f"{k}-{text}").strip("-")[:40])
    digest = hashlib.sha256(json.dumps(typed, sort_keys=True).encode()).hexdigest()[:8]
    return f"{notebook}_{'_'.join(parts)}_{digest}"
