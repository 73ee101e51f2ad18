"""Model files on disk: paths checked, JSON read strictly, files replaced atomically.

Nothing here knows about networks: `nn._mlp` decides what a model file contains and checks it.

- `check_path`: a file name is a `str` or an `os.PathLike`; an int would be taken as a file descriptor.
- `read_json`: JSON with three more refusals than `json.load`: a key twice in one object (the last one would
  silently win), an integer of more digits than any float has, nesting deeper than Python's stack.
- `write_atomically`: the old file survives every failure (a full disk, a file-size limit, a killed process):
  the text goes to a temporary file in the same folder, is flushed and fsync'ed, then `os.replace` puts it
  in place in one step.
"""

from __future__ import annotations

import json
import os
import secrets
import stat

# A float has at most 309 integer digits (1.8e308); Python refuses int(text) beyond 640 digits when the
# limit of sys.set_int_max_str_digits is set to its lowest value.
MAX_INTEGER_DIGITS = 640


class _Malformed(ValueError):
    """What a hook of `json.loads` found wrong; `read_json` adds the file's name."""


def check_path(path, where: str, argument: str = "path") -> str | os.PathLike:
    """The path, if it is a `str` or an `os.PathLike`; TypeError otherwise (an int or a bool would be used
    as a file descriptor by `open`).

    Arguments:
        path: the value given for a file name.
        where: the function's name for the message, e.g. "MLP.save()".
        argument: the argument's name for the message.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{where}: {argument} must be a file name (a str or an os.PathLike such as "
                        f"pathlib.Path), got {path!r} ({type(path).__name__})")
    return path


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise _Malformed(f"the key {key!r} appears twice in one object (JSON readers would keep the last)")
        seen.add(key)
    return dict(pairs)


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        raise _Malformed(f"an integer of {digits} digits (a float has at most 309)")
    return int(text)


def read_json(path: str | os.PathLike, where: str) -> object:
    """The JSON content of the file at path; ValueError starting with `where` if the file is not UTF-8,
    not JSON, has a key twice in one object, an integer of more than 640 digits, or nests too deeply.

    Arguments:
        path: the file to read.
        where: the start of every message, e.g. "MLP file 'model.json'".
    """
    with open(path, "rb") as f:
        data = f.read()
    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=_unique_keys, parse_int=_bounded_int)
    except UnicodeDecodeError as e:
        raise ValueError(f"{where}: not UTF-8 text ({e})") from None
    except _Malformed as e:
        raise ValueError(f"{where}: {e}") from None
    except json.JSONDecodeError as e:
        raise ValueError(f"{where}: not valid JSON ({e})") from None
    except RecursionError:
        raise ValueError(f"{where}: JSON nested too deeply to read (a model file nests 3 levels)") from None


def write_atomically(path: str | os.PathLike, text: str) -> None:
    """Replace the file at path by one holding text (UTF-8), so that at every moment, whatever fails, the
    path holds either the old file or the complete new one.

    As `open(path, "w")`: a symbolic link is followed (its target is replaced), an existing file keeps its
    permissions, a new one gets 0o666 less the umask.

    Arguments:
        path: the file to write (its folder must exist).
        text: the new content.
    """
    path = os.path.realpath(path)
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # O_EXCL: never someone else's file
    try:
        if os.path.isfile(path):
            os.chmod(fd, stat.S_IMODE(os.stat(path).st_mode))
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())  # on the disk before it takes the old file's place
        os.replace(temporary, path)  # one step: the old file or the new one, never half of either
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder_fd)
        finally:
            os.close(folder_fd)
