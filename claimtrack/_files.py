"""Writing whole files so that a reader never sees half of one."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["write_bytes_atomically", "write_text_atomically"]


def write_text_atomically(path: str | os.PathLike[str], text: str) -> Path:
    """Replace the file at *path* with *text* (UTF-8), all at once.

    The text goes to a new file beside the target (so that :func:`os.replace` is
    atomic), created with the mode :func:`open` would give it (0o666 less the umask),
    flushed and ``fsync``-ed, then moved over the target.  If anything fails the
    target is as it was and the temporary file is removed.

    Returns:
        The target path.
    """
    return write_bytes_atomically(path, text.encode("utf-8"))


def write_bytes_atomically(path: str | os.PathLike[str], data: bytes) -> Path:
    """Replace the file at *path* with *data*, all at once (as :func:`write_text_atomically`).

    Returns:
        The target path.
    """
    import secrets  # here, not at the top: hashlib is slow to import, and rarely needed

    target = Path(path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target
