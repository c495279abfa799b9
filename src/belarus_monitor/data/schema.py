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

from belarus_monitor import config
from belarus_monitor.errors import BelarusMonitorError

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

    @property
    def directory(self) -> Path:
        """The data directory (where the descriptor is)."""
        return self.path.parent

    def file(self, res: Resource) -> Path:
        """The checked path of a resource's file.

        Raises
        ------
        DescriptorError
            If the file is not a regular file inside the data directory.
        """
        path = self.directory / res.path
        why = regular_file(path, self.directory)
        if why:
            raise DescriptorError([DescriptorProblem(f"resource {res.name}: path", why)])
        return path

    def resource(self, name: str) -> Resource:
        """Return the table called ``name``."""
        for r in self.resources:
            if r.name == name:
                return r
        known = ", ".join(r.name for r in self.resources)
        raise KeyError(f"{self.path}: no resource {name!r} (known: {known})")


#: Field types the project reads; any other type in a descriptor is an error.
FIELD_TYPES = ("string", "integer", "number", "boolean", "date")
#: The largest descriptor read (bytes).
MAX_DESCRIPTOR_BYTES = 5_000_000
_CONSTRAINT_KEYS = {
    "required",
    "unique",
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
}


@dataclass(frozen=True)
class DescriptorProblem:
    """One thing wrong with ``datapackage.json``: where (a JSON path) and what was expected."""

    where: str
    expected: str
    value: str | None = None

    def __str__(self) -> str:
        from belarus_monitor.text import excerpt

        val = f": got {excerpt(self.value)}" if self.value is not None else ""
        return f"{config.DESCRIPTOR_NAME}: {self.where}{val}; expected {self.expected}"


class DescriptorError(BelarusMonitorError, ValueError):
    """The descriptor cannot be read or has the wrong shape; lists every problem."""

    def __init__(self, problems: list[DescriptorProblem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in {config.DESCRIPTOR_NAME}:\n{lines}")


def compile_pattern(pattern: str) -> Any:
    """Compile a descriptor pattern with RE2, which matches in linear time.

    RE2 has no backtracking, so no pattern can make validation hang. Lookarounds and
    back-references, which need backtracking, are refused.

    Raises
    ------
    ValueError
        If RE2 cannot compile the pattern.
    """
    import re2

    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        msg = (
            exc.args[0].decode("utf-8", "replace")
            if exc.args and isinstance(exc.args[0], bytes)
            else str(exc)
        )
        raise ValueError(msg) from None


def _check_field(where: str, f: Any, problems: list[DescriptorProblem]) -> Field | None:
    from belarus_monitor.text import excerpt

    if not isinstance(f, dict) or not isinstance(f.get("name"), str) or not f["name"]:
        problems.append(DescriptorProblem(where, "an object with a non-empty name"))
        return None
    ftype = f.get("type", "string")
    if ftype not in FIELD_TYPES:
        problems.append(
            DescriptorProblem(f"{where}.type", "one of " + ", ".join(FIELD_TYPES), str(ftype))
        )
        return None
    cons = f.get("constraints", {})
    if not isinstance(cons, dict):
        problems.append(DescriptorProblem(f"{where}.constraints", "an object"))
        return None
    bad = len(problems)
    for key, value in cons.items():
        at = f"{where}.constraints.{key}"
        if key not in _CONSTRAINT_KEYS:
            problems.append(
                DescriptorProblem(at, "a constraint of " + ", ".join(sorted(_CONSTRAINT_KEYS)))
            )
        elif key in ("required", "unique") and not isinstance(value, bool):
            problems.append(DescriptorProblem(at, "true or false", str(value)))
        elif key == "enum" and (
            not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value)
        ):
            problems.append(DescriptorProblem(at, "a non-empty list of strings"))
        elif key in ("minLength", "maxLength") and (
            not isinstance(value, int) or isinstance(value, bool) or value < 0
        ):
            problems.append(DescriptorProblem(at, "a whole number", str(value)))
        elif key == "pattern":
            if not isinstance(value, str):
                problems.append(DescriptorProblem(at, "a regular expression as a string"))
                continue
            try:
                compile_pattern(value)
            except ValueError as exc:
                problems.append(
                    DescriptorProblem(
                        at,
                        f"a regular expression RE2 accepts ({excerpt(str(exc), 60)})",
                        str(value),
                    )
                )
        elif key in ("minimum", "maximum"):
            import datetime as dt

            if ftype == "date":
                try:
                    dt.date.fromisoformat(value)
                except (TypeError, ValueError):
                    problems.append(DescriptorProblem(at, "a date as YYYY-MM-DD", str(value)))
            elif ftype in ("integer", "number"):
                if not isinstance(value, int | float) or isinstance(value, bool):
                    problems.append(DescriptorProblem(at, "a number", str(value)))
            else:
                problems.append(DescriptorProblem(at, f"no {key} on a {ftype} field"))
    vocab = f.get("x-vocabulary")
    if vocab is not None and not isinstance(vocab, str):
        problems.append(DescriptorProblem(f"{where}.x-vocabulary", "a domain name"))
        vocab = None
    if len(problems) > bad:
        return None
    desc = f.get("description", "")
    return Field(f["name"], ftype, desc if isinstance(desc, str) else "", dict(cons), vocab)


def _check_resource(
    i: int, res: Any, names: set[str], problems: list[DescriptorProblem]
) -> Resource | None:
    import re

    where = f"resources[{i}]"
    if not isinstance(res, dict):
        problems.append(DescriptorProblem(where, "an object"))
        return None
    name = res.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,63}", name):
        problems.append(
            DescriptorProblem(
                f"{where}.name", "a name of lower-case letters, digits, '_', '.' or '-'", str(name)
            )
        )
        return None
    where = f"resources[{i}] ({name})"
    if name in names:
        problems.append(DescriptorProblem(f"{where}.name", "a name no other resource has"))
        return None
    names.add(name)
    path = res.get("path")
    if not isinstance(path, str) or not re.fullmatch(
        r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,120}\.csv", path
    ):
        problems.append(
            DescriptorProblem(
                f"{where}.path",
                "the name of a .csv file in the data directory itself (no "
                "folder, no '..', not absolute)",
                str(path),
            )
        )
        return None
    schema = res.get("schema")
    if (
        not isinstance(schema, dict)
        or not isinstance(schema.get("fields"), list)
        or not schema["fields"]
    ):
        problems.append(
            DescriptorProblem(f"{where}.schema", "an object with a non-empty list of fields")
        )
        return None
    bad = len(problems)
    fields = [
        _check_field(f"{where}.schema.fields[{j}]", f, problems)
        for j, f in enumerate(schema["fields"])
    ]
    if len(problems) > bad:
        return None
    field_names = [f.name for f in fields if f]
    if len(set(field_names)) != len(field_names):
        problems.append(DescriptorProblem(f"{where}.schema.fields", "distinct field names"))
        return None
    pk = schema.get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else pk
    if not isinstance(pk, list) or not all(k in field_names for k in pk):
        problems.append(
            DescriptorProblem(f"{where}.schema.primaryKey", "field names of this resource")
        )
        return None
    fks = schema.get("foreignKeys", [])
    ok_fks = isinstance(fks, list)
    for fk in fks if ok_fks else []:
        ref = fk.get("reference") if isinstance(fk, dict) else None
        fk_fields = fk.get("fields") if isinstance(fk, dict) else None
        fk_fields = [fk_fields] if isinstance(fk_fields, str) else fk_fields
        if not (
            isinstance(ref, dict)
            and isinstance(fk_fields, list)
            and fk_fields
            and all(f in field_names for f in fk_fields)
            and isinstance(ref.get("resource"), str)
            and isinstance(ref.get("fields"), list | str)
        ):
            ok_fks = False
    if not ok_fks:
        problems.append(
            DescriptorProblem(
                f"{where}.schema.foreignKeys",
                "a list of {fields, reference: {resource, fields}} naming fields of this resource",
            )
        )
        return None
    checks = res.get(CHECKS_KEY, {})
    if not isinstance(checks, dict) or not _checks_ok(checks, field_names):
        problems.append(
            DescriptorProblem(f"{where}.{CHECKS_KEY}", "checks that name fields of this resource")
        )
        return None
    norm_fks = []
    for fk in fks:
        ref = dict(fk["reference"])
        if isinstance(ref["fields"], str):
            ref["fields"] = [ref["fields"]]
        f_list = [fk["fields"]] if isinstance(fk["fields"], str) else list(fk["fields"])
        norm_fks.append({"fields": f_list, "reference": ref})
    title = res.get("title", name)
    desc = res.get("description", "")
    return Resource(
        name=name,
        path=path,
        title=title if isinstance(title, str) else name,
        description=desc if isinstance(desc, str) else "",
        fields=tuple(f for f in fields if f),
        primary_key=tuple(pk),
        foreign_keys=tuple(norm_fks),
        checks=dict(checks),
    )


def _checks_ok(checks: dict[str, Any], names: list[str]) -> bool:
    """Whether every check names fields of the resource.

    A check is a list of field names, a spec ``{role: field}``, or a list of specs.
    """

    def spec_ok(spec: Any) -> bool:
        if isinstance(spec, str):
            return spec in names
        if isinstance(spec, dict):
            return all(isinstance(c, str) and c in names for c in spec.values())
        return False

    return all(
        spec_ok(spec) or (isinstance(spec, list) and all(spec_ok(s) for s in spec))
        for spec in checks.values()
    )


def _parse(path: Path, descriptor: Any) -> Package:
    problems: list[DescriptorProblem] = []
    if not isinstance(descriptor, dict):
        raise DescriptorError([DescriptorProblem("the top level", "a JSON object")])
    raw = descriptor.get("resources")
    if not isinstance(raw, list) or not raw:
        raise DescriptorError([DescriptorProblem("resources", "a non-empty list")])
    names: set[str] = set()
    resources = [_check_resource(i, r, names, problems) for i, r in enumerate(raw)]
    by_name = {r.name: r for r in resources if r}
    for r in resources:
        for fk in r.foreign_keys if r else ():
            target = by_name.get(fk["reference"]["resource"] or r.name)
            if (
                target is None
                or not all(f in target.field_names for f in fk["reference"]["fields"])
                or len(fk["reference"]["fields"]) != len(fk["fields"])
            ):
                problems.append(
                    DescriptorProblem(
                        f"resource {r.name}: foreignKeys",
                        "a reference to fields of a resource of this package",
                    )
                )
    if problems:
        raise DescriptorError(problems)
    text = {
        k: (v if isinstance(v, str) else "")
        for k, v in (
            ("name", descriptor.get("name")),
            ("title", descriptor.get("title")),
            ("version", descriptor.get("version")),
        )
    }
    return Package(
        path,
        text["name"],
        text["title"],
        text["version"],
        descriptor,
        tuple(r for r in resources if r),
    )


@lru_cache(maxsize=8)
def _read_package(path: Path, stamp: tuple[int, int]) -> Package:
    data = path.read_bytes()
    try:
        descriptor = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise DescriptorError([DescriptorProblem("the file", "UTF-8 text")]) from None
    except json.JSONDecodeError as exc:
        raise DescriptorError(
            [DescriptorProblem(f"line {exc.lineno}, column {exc.colno}", f"valid JSON ({exc.msg})")]
        ) from None
    except RecursionError:
        raise DescriptorError([DescriptorProblem("the file", "JSON nested less deeply")]) from None
    return _parse(path, descriptor)


def regular_file(path: Path, data_dir: Path) -> str | None:
    """Why ``path`` may not be read as a data file, or None when it may.

    A data file must be a regular file (not a directory, device or pipe) whose real
    location, symlinks resolved, is inside the real data directory.
    """
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "a file that exists"
    root = data_dir.resolve()
    if root not in real.parents:
        return "a file inside the data directory (it leads outside it)"
    if not real.is_file():
        return "a regular file"
    return None


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
        If the directory or its descriptor does not exist.
    DescriptorError
        If the descriptor is not a regular file inside the directory, not JSON, or not
        of the shape the project reads; every problem is listed.
    """
    ddir = config.data_dir(data_dir)
    if not ddir.is_dir():
        raise FileNotFoundError(f"{ddir}: no such data directory")
    path = ddir / config.DESCRIPTOR_NAME
    if not path.exists() and not path.is_symlink():
        raise FileNotFoundError(f"{path}: data package descriptor not found")
    why = regular_file(path, ddir)
    if why:
        raise DescriptorError([DescriptorProblem("the file", why)])
    path = path.resolve()
    st = path.stat()
    if st.st_size > MAX_DESCRIPTOR_BYTES:
        raise DescriptorError(
            [DescriptorProblem("the file", f"at most {MAX_DESCRIPTOR_BYTES:,} bytes")]
        )
    return _read_package(path, (st.st_mtime_ns, st.st_size))
