"""Writing files safely: atomic writes, all-or-nothing directories, output checks, a lock.

Everything the project writes goes through here. A file is written to a temporary
file created exclusively (``O_EXCL``, an unpredictable name, never following a
symlink) in the target's directory, then renamed onto the target, so that a reader
sees the old file or the new one, never half of one; a symlink planted at the
target's name is replaced, not followed. A directory of files (a CSV or JSON export)
is written to a temporary directory and swapped in whole. Output directories are
checked before anything is written: never the project's ``notebooks/``, ``data/``
or ``src/``, nor the data directory being read, nor ``/``.
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

from . import config


class OutputError(ValueError):
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


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Fill a new temporary directory, then swap it in for ``path`` in one step.

    Parameters
    ----------
    path
        The directory to (re)place; its parent must exist.

    Yields
    ------
    Path
        The temporary directory to write into. On an exception it is removed and
        ``path`` keeps its old content; on success the old directory is replaced
        whole, so no file of an earlier export is left among the new ones.
    """
    path = Path(path)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    old: Path | None = None
    try:
        yield tmp
        os.chmod(tmp, _umask_mode(0o777))
        if path.is_symlink() or path.exists():
            old = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".old"))
            os.replace(path, old / "previous")
        os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and (old / "previous").exists() and not path.exists():
            os.replace(old / "previous", path)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


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
        data or source, or inside the data directory being read; is a file; or cannot be created or
        written.
    """
    path = Path(out).expanduser()
    resolved = path.resolve()
    for d in protected_dirs(data_dir):
        if resolved == d or d in resolved.parents:
            raise OutputError(
                f"{option} {str(path)!r}: expected a directory outside "
                f"{d} (sources and data are never overwritten)"
            )
    if resolved == Path(resolved.anchor) or (own and resolved == config.PROJECT_ROOT.resolve()):
        raise OutputError(
            f"{option} {str(path)!r}: expected a directory of its own, "
            "not the file system's root or the project's root"
        )
    if resolved.exists() and not resolved.is_dir():
        raise OutputError(f"{option} {str(path)!r}: expected a directory, found a file")
    if create:
        try:
            resolved.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"{option} {str(path)!r}: cannot create the directory ({exc.strerror})"
            ) from None
        if not os.access(resolved, os.W_OK | os.X_OK):
            raise OutputError(f"{option} {str(path)!r}: the directory is not writable")
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
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                who = f" (process {holder})" if holder.isdigit() else ""
                raise OutputError(
                    f"{self.path.parent}: another build is writing into this "
                    f"directory{who}; wait for it to finish or choose "
                    "another --out"
                ) from None
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
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
    "atomic_directory",
    "atomic_open",
    "atomic_write",
    "check_output_dir",
    "protected_dirs",
    "remove_stale_temporaries",
]
