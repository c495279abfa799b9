"""Read the Data Package descriptor: the one place where the schema is written.

``data/datapackage.json`` (a Frictionless Data Package) names every table, its fields,
their types and constraints, the primary and foreign keys, and the project's own
consistency checks (under ``x-belarus-monitor-checks``). This module only reads it;
:mod:`belarus_monitor.validation` checks the CSV files against it and
:mod:`belarus_monitor.load` turns them into typed DataFrames.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import config

CHECKS_KEY = "x-belarus-monitor-checks"


@dataclass(frozen=True)
class Field:
    """One column of a table, as the descriptor declares it."""

    name: str
    type: str
    description: str = ""
    constraints: dict[str, Any] = field(default_factory=dict)
    vocabulary: str | None = None

    @property
    def required(self) -> bool:
        """Whether an empty cell is an error."""
        return bool(self.constraints.get("required", False))

    @property
    def enum(self) -> list[str] | None:
        """The closed set of allowed values, if any."""
        return self.constraints.get("enum")


@dataclass(frozen=True)
class Resource:
    """One table of the package."""

    name: str
    path: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict[str, Any], ...]
    checks: dict[str, Any]

    @property
    def field_names(self) -> list[str]:
        """Column names in their declared order."""
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        """Return the field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.path} has no field {name!r}")


@dataclass(frozen=True)
class Package:
    """The whole descriptor."""

    path: Path
    name: str
    title: str
    version: str
    descriptor: dict[str, Any]
    resources: tuple[Resource, ...]

    def resource(self, name: str) -> Resource:
        """Return the table called ``name``."""
        for r in self.resources:
            if r.name == name:
                return r
        known = ", ".join(r.name for r in self.resources)
        raise KeyError(f"{self.path}: no resource {name!r} (known: {known})")


def _parse(path: Path, descriptor: dict[str, Any]) -> Package:
    resources = []
    for res in descriptor["resources"]:
        schema = res["schema"]
        fields = tuple(
            Field(f["name"], f.get("type", "string"), f.get("description", ""),
                  dict(f.get("constraints", {})), f.get("x-vocabulary"))
            for f in schema["fields"]
        )
        pk = schema.get("primaryKey", [])
        resources.append(Resource(
            name=res["name"], path=res["path"], title=res.get("title", res["name"]),
            description=res.get("description", ""), fields=fields,
            primary_key=tuple([pk] if isinstance(pk, str) else pk),
            foreign_keys=tuple(schema.get("foreignKeys", [])),
            checks=dict(res.get(CHECKS_KEY, {})),
        ))
    return Package(path, descriptor.get("name", ""), descriptor.get("title", ""),
                   descriptor.get("version", ""), descriptor, tuple(resources))


@lru_cache(maxsize=8)
def _read_package(path: Path, mtime_ns: int) -> Package:
    with path.open(encoding="utf-8") as fh:
        return _parse(path, json.load(fh))


def read_package(data_dir: str | Path | None = None) -> Package:
    """Read ``datapackage.json`` from a data directory.

    Parameters
    ----------
    data_dir
        Directory holding ``datapackage.json`` and the CSV files; the project's
        ``data/`` by default.

    Returns
    -------
    Package
        The parsed descriptor.

    Raises
    ------
    FileNotFoundError
        If the directory has no descriptor.
    """
    path = (config.data_dir(data_dir) / config.DESCRIPTOR_NAME).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"{path}: data package descriptor not found")
    return _read_package(path, path.stat().st_mtime_ns)
