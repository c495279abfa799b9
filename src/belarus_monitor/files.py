"""Writing files safely: atomic writes, all-or-nothing directories, output checks, a lock.

Everything the project writes goes through here. A file is written to a temporary
file created exclusively (``O_EXCL``, an unpredictable name, never following a
symlink) in the target's directory, then renamed onto the target, so that a reader
sees the old file or the new one, never half of one; a symlink planted at the
target's name is replaced, not followed. A directory of files (a CSV or JSON export)
is written into a temporary folder, then its files are moved in; nothing the project
did not write is ever removed or replaced. Output directories are checked before
anything is written: never the project's ``notebooks/``, ``data/`` or ``src/``, nor
the data directory being read, nor ``/``; a folder that holds files of someone else
is refused.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from belarus_monitor import config
from belarus_monitor.errors import BelarusMonitorError
from belarus_monitor.text import excerpt


class OutputError(BelarusMonitorError, ValueError):
    """An output location that must not or cannot be written; names it and why."""


def _umask_mode(mode: int = 0o666) -> int:
    umask = os.umask(0)
    os.umask(umask)
    return mode & ~umask


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "wb", **kwargs: Any) -> Iterator[Any]:
    """Open a new temporary file beside ``path``; rename it onto ``path`` on success.

    Parameters
    ----------
    path
        The file to (re)place.
    mode
        ``"wb"`` or ``"w"`` (text; ``encoding`` and ``newline`` may be given).
    **kwargs
        Passed to :func:`os.fdopen`.

    Yields
    ------
    file object
        Write to it; on an exception the temporary file is removed and ``path`` is
        left as it was.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
        os.chmod(tmp, _umask_mode())  # mkstemp's 0600 is too private for a report
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_open`).

    Parameters
    ----------
    path
        The file to (re)place.
    data
        Its new content.
    """
    with atomic_open(path, "wb") as fh:
        fh.write(data)


def atomic_write_many(files: dict[Path, bytes]) -> None:
    """Write several files so that either all are replaced or none is.

    Every file is first written in full to a temporary file beside its target; only
    when all are written (a full disk fails here, before anything is replaced) are
    they renamed into place, one atomic rename each.

    Parameters
    ----------
    files
        ``{path: content}``.

    Raises
    ------
    OSError
        If a file cannot be written; every temporary file is removed and every
        target left as it was.
    """
    done: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            done.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
            os.chmod(tmp, _umask_mode())
    except BaseException:
        for tmp, _ in done:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    for tmp, path in done:
        os.replace(tmp, path)


#: The record an export leaves in its folder: the files it wrote and their SHA-256.
EXPORT_RECORD = ".belarus-monitor-export.json"
#: Files a folder may hold and still count as empty (a placeholder kept in git).
PLACEHOLDERS = frozenset({".gitkeep"})


def sha256_file(path: str | os.PathLike[str]) -> str | None:
    """SHA-256 of a regular file (not a symlink, device or folder), or None.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    str or None
        64 lower-case hex digits; None when it is not a regular file or cannot be read.
    """
    import hashlib
    import stat

    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def _plain_name(name: object) -> bool:
    """A file name of this folder alone: no separator, not hidden, not . or .."""
    return (
        isinstance(name, str)
        and 0 < len(name) <= 255
        and "/" not in name
        and "\\" not in name
        and "\0" not in name
        and not name.startswith(".")
    )


def export_record(path: Path) -> dict[str, str] | None:
    """The files an earlier export wrote into ``path`` (``{name: sha256}``), or None.

    None when the folder holds no record of ours, or one of the wrong shape (the
    record is untrusted input like any other file in the folder).
    """
    import json

    record = path / EXPORT_RECORD
    try:
        if record.is_symlink() or not record.is_file() or record.stat().st_size > 1_000_000:
            return None
        value = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = value.get("files") if isinstance(value, dict) else None
    if not isinstance(files, dict) or not all(
        _plain_name(k) and isinstance(v, str) and len(v) == 64 for k, v in files.items()
    ):
        return None
    return files


def _foreign(path: Path, ours: Iterable[str] = ()) -> list[str]:
    """Names in ``path`` that are not placeholders nor among ``ours`` (a few)."""
    keep = PLACEHOLDERS | set(ours)
    names = []
    with os.scandir(path) as it:
        for entry in it:
            if entry.name not in keep:
                names.append(entry.name)
                if len(names) >= 3:
                    break
    return names


def claim_export_directory(path: Path, option: str = "--out") -> dict[str, str]:
    """Check that an export may write into ``path``; return what it wrote there before.

    A directory export writes into a new folder, an empty one, or one an earlier export
    wrote (it holds :data:`EXPORT_RECORD`). Any other folder is refused before anything
    is written: an export never removes or replaces what it did not write.

    Returns
    -------
    dict
        ``{file name: sha256}`` of the earlier export's files (empty for a new folder).

    Raises
    ------
    OutputError
        If ``path`` is a file, or a folder with files this project did not write.
    """
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise OutputError(f"{option} {excerpt(str(path), 120)}: expected a directory, found a file")
    if not path.exists():
        return {}
    record = export_record(path)
    if record is not None:
        return record
    foreign = _foreign(path)
    if foreign:
        raise OutputError(
            f"{option} {excerpt(str(path), 120)}: the folder holds files an export did not "
            f"write (such as {excerpt(foreign[0], 60)}); choose a new or empty folder "
            "(nothing was written)"
        )
    return {}


@contextlib.contextmanager
def export_directory(path: str | os.PathLike[str], option: str = "--out") -> Iterator[Path]:
    """Fill a temporary folder, then move its files into ``path``; touch nothing else.

    Parameters
    ----------
    path
        The export's folder: new, empty, or written by an earlier export (see
        :func:`claim_export_directory`); its parent must exist.
    option
        The parameter's name, for messages.

    Yields
    ------
    Path
        A temporary folder inside ``path`` to write the files into. On an exception it
        is removed and ``path`` keeps its old content. On success its files are renamed
        into ``path`` one by one (each rename atomic), then the record of what was
        written; a file the earlier export wrote and this one did not is removed only
        if its bytes are still those recorded. Nothing else in ``path`` is touched.
    """
    import json

    path = Path(path)
    before = claim_export_directory(path, option)
    created = not path.exists()
    path.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=path, prefix=".export-", suffix=".tmp"))
    try:
        yield tmp
        names = sorted(p.name for p in tmp.iterdir())
        record = {"written_by": "belarus-monitor export", "files": {}}
        for name in names:
            digest = sha256_file(tmp / name)
            if digest is None or not _plain_name(name):
                raise OutputError(f"{option}: {excerpt(name)} is not a file an export writes")
            record["files"][name] = digest
        for name in names:
            os.chmod(tmp / name, _umask_mode())
            os.replace(tmp / name, path / name)
        atomic_write(path / EXPORT_RECORD, (json.dumps(record, indent=1) + "\n").encode())
        for name, digest in before.items():
            if name not in record["files"] and sha256_file(path / name) == digest:
                with contextlib.suppress(OSError):
                    (path / name).unlink()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):
                path.rmdir()  # only if still empty
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


#: Files whose presence makes a folder one that builds write into.
BUILD_MARKS = (".belarus-monitor.lock", ".build-cache.json")


def claim_reports_directory(path: Path, option: str = "--out") -> None:
    """Refuse a folder with files that no build wrote (a build writes only into its own).

    A build writes into a new or empty folder, the project's ``reports/``, or a folder
    an earlier build wrote (it holds the build's lock file, cache or a manifest).

    Raises
    ------
    OutputError
        Naming the folder and one foreign file.
    """
    if not path.is_dir() or path.resolve() == config.REPORTS_DIR.resolve():
        return
    if any((path / m).exists() for m in BUILD_MARKS) or next(path.glob("*.build.json"), None):
        return
    foreign = _foreign(path)
    if foreign:
        raise OutputError(
            f"{option} {excerpt(str(path), 120)}: the folder holds files no build wrote "
            f"(such as {excerpt(foreign[0], 60)}); choose a new or empty folder for the reports"
        )


def protected_dirs(data_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """The directories no output may be written into.

    Parameters
    ----------
    data_dir
        The data directory being read, if any (protected too).
    """
    dirs = [config.NOTEBOOKS_DIR, config.DATA_DIR, config.PACKAGE_DIR.parent]
    if data_dir is not None:
        dirs.append(Path(data_dir))
    return [d.resolve() for d in dirs]


def check_output_dir(
    out: str | os.PathLike[str],
    option: str = "--out",
    data_dir: str | os.PathLike[str] | None = None,
    create: bool = True,
    own: bool = True,
) -> Path:
    """Check that ``out`` is a directory the project may write into, and create it.

    Parameters
    ----------
    out
        The output directory.
    option
        The parameter's name, for messages.
    data_dir
        The data directory being read (never written into).
    create
        Create the directory (and its parents) if missing.
    own
        The directory is the output's own (reports, an export); False for the
        directory that is to hold an output file or directory, which may be the
        project's root.

    Returns
    -------
    Path
        The resolved directory.

    Raises
    ------
    OutputError
        If ``out`` is ``/`` or the project's root, is inside the project's notebooks,
        data or source, or inside the data directory being read; is a file; or cannot
        be looked at, created or written (a name too long, a loop of links).
    """
    try:
        return _check_output_dir(out, option, data_dir, create, own)
    except (OSError, RuntimeError) as exc:
        why = getattr(exc, "strerror", None) or "a loop of links"
        raise OutputError(
            f"{option} {excerpt(str(out), 120)}: expected a usable directory ({why})"
        ) from None


def _check_output_dir(
    out: str | os.PathLike[str],
    option: str = "--out",
    data_dir: str | os.PathLike[str] | None = None,
    create: bool = True,
    own: bool = True,
) -> Path:
    """:func:`check_output_dir` without the mapping of OS errors."""
    path = Path(out).expanduser()
    resolved = path.resolve()
    for d in protected_dirs(data_dir):
        if resolved == d or d in resolved.parents:
            raise OutputError(
                f"{option} {excerpt(str(path), 120)}: expected a directory outside "
                f"{d} (sources and data are never overwritten)"
            )
    if resolved == Path(resolved.anchor) or (own and resolved == config.PROJECT_ROOT.resolve()):
        raise OutputError(
            f"{option} {excerpt(str(path), 120)}: expected a directory of its own, "
            "not the file system's root or the project's root"
        )
    if resolved.exists() and not resolved.is_dir():
        raise OutputError(f"{option} {excerpt(str(path), 120)}: expected a directory, found a file")
    if create:
        try:
            resolved.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"{option} {excerpt(str(path), 120)}: cannot create the directory ({exc.strerror})"
            ) from None
        if not os.access(resolved, os.W_OK | os.X_OK):
            raise OutputError(f"{option} {excerpt(str(path), 120)}: the directory is not writable")
    return resolved


class Lock:
    """An exclusive lock on a directory, so that two builds never write into one folder.

    Parameters
    ----------
    directory
        The directory to lock; the lock file ``.belarus-monitor.lock`` lives in it.
    """

    NAME = ".belarus-monitor.lock"

    def __init__(self, directory: str | os.PathLike[str]):
        self.path = Path(directory) / self.NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise :class:`OutputError` saying who holds it."""
        import fcntl

        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            raise OutputError(
                f"{self.path.parent}: cannot create the lock file ({exc.strerror})"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _lock_holder(fd)
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                who = f" (process {holder})" if holder else ""
                raise OutputError(
                    f"{self.path.parent}: another build is writing into this "
                    f"directory{who}; wait for it to finish or choose "
                    "another --out"
                ) from None
            raise
        # Nothing is written into the file: a build with nothing to do changes no file.
        # Who holds the lock is asked of the system (:func:`_lock_holder`).
        self._fd = fd

    def release(self) -> None:
        """Release the lock (the file stays; it is empty of meaning without a holder)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Lock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _lock_holder(fd: int) -> int | None:
    """The process holding a ``flock`` on the open file, from ``/proc/locks`` (Linux)."""
    st = os.fstat(fd)
    device = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as fh:
            lines = fh.read(1_000_000).splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split()
        if "->" in parts:  # a process waiting for the lock, not holding it
            continue
        if len(parts) >= 6 and parts[1] == "FLOCK" and parts[5] == device:
            return int(parts[4]) if parts[4].isdigit() else None
    return None


def remove_stale_temporaries(directory: Path, patterns: Iterable[str] = (".*.tmp",)) -> None:
    """Remove temporary files and directories left by an interrupted run.

    Only call this while holding the directory's :class:`Lock`.
    """
    for pattern in patterns:
        for p in directory.glob(pattern):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    p.unlink()


__all__ = [
    "Lock",
    "OutputError",
    "atomic_open",
    "atomic_write",
    "atomic_write_many",
    "check_output_dir",
    "claim_export_directory",
    "claim_reports_directory",
    "export_directory",
    "sha256_file",
    "protected_dirs",
    "remove_stale_temporaries",
]
