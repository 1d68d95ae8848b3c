"""Reading an uploaded roster safely: size first, then zip paths, then text encodings."""

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings

from village.families.roster.problems import Problem

ZIP_MAGIC = b"PK\x03\x04"


class RosterFileError(Exception):
    """The upload cannot be read at all; nothing is imported."""

    def __init__(self, problems: list[Problem]):
        super().__init__(", ".join(p.code for p in problems))
        self.problems = problems


@dataclass
class RosterFile:
    name: str  # lower-case base name, e.g. "users.csv"
    text: str


def max_upload_bytes() -> int:
    return settings.VILLAGE_ROSTER_MAX_UPLOAD_MB * 1024 * 1024


def check_size(size: int) -> None:
    if size > max_upload_bytes():
        raise RosterFileError(
            [Problem("too_large", params={"limit": settings.VILLAGE_ROSTER_MAX_UPLOAD_MB})]
        )


def decode(data: bytes, name: str) -> str:
    """UTF-8 with or without BOM, else Windows-1252; anything else is refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        raise RosterFileError([Problem("encoding", file=name)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise RosterFileError([Problem("encoding", file=name)]) from None


def _is_unsafe(member: str) -> bool:
    member = member.replace("\\", "/")
    normal = posixpath.normpath(member)
    return member.startswith("/") or normal.startswith("..") or ":" in member.split("/")[0]


def _from_zip(data: bytes, name: str) -> list[RosterFile]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        # A broken central directory surfaces as any of these.
        raise RosterFileError([Problem("not_csv_or_zip", file=name)]) from None
    unsafe = [m.filename for m in members if _is_unsafe(m.filename)]
    if unsafe:
        raise RosterFileError(
            [Problem("unsafe_path", file=name, params={"path": p}) for p in unsafe]
        )
    # A zip bomb is refused by its declared sizes before anything is inflated.
    check_size(sum(m.file_size for m in members))
    files = []
    for member in members:
        base = posixpath.basename(member.filename.replace("\\", "/")).lower()
        if member.is_dir() or not base.endswith(".csv") or member.filename.startswith("__MACOSX"):
            continue
        files.append(RosterFile(base, decode(_unpack(archive, member, base), base)))
    if not files:
        raise RosterFileError([Problem("not_csv_or_zip", file=name)])
    return files


def _unpack(archive: zipfile.ZipFile, member: zipfile.ZipInfo, base: str) -> bytes:
    """A member's bytes; every way a member can fail to unpack becomes a reason, not a crash."""
    if member.flag_bits & 0x1:
        raise RosterFileError([Problem("zip_encrypted", file=base, params={"file": base})])
    try:
        return archive.read(member)
    except RuntimeError:  # encrypted, though the flag said otherwise
        raise RosterFileError(
            [Problem("zip_encrypted", file=base, params={"file": base})]
        ) from None
    except NotImplementedError:  # a compression method zipfile lacks (deflate64, …)
        raise RosterFileError(
            [Problem("zip_unsupported", file=base, params={"file": base})]
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError):
        # A CRC mismatch, a corrupt deflate stream, a truncated member.
        raise RosterFileError([Problem("zip_damaged", file=base, params={"file": base})]) from None


def read_upload(parts: list[tuple[str, bytes]]) -> dict[str, str]:
    """The CSV texts of an upload (one zip, or one or more CSV files), by lower-case base name.
    Sizes must have been checked with `check_size` before the bytes were read."""
    files: list[RosterFile] = []
    for name, data in parts:
        if data.startswith(ZIP_MAGIC):
            files.extend(_from_zip(data, name))
        elif name.lower().endswith((".csv", ".txt")):
            files.append(RosterFile(posixpath.basename(name).lower(), decode(data, name)))
        else:
            raise RosterFileError([Problem("not_csv_or_zip", file=name)])
    # Two files of one name (a zip holding users.csv twice, the last one empty) would hide
    # one of them: refused, never guessed.
    names = [f.name for f in files]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise RosterFileError(
            [Problem("duplicate_file", file=n, params={"file": n}) for n in twice]
        )
    return {f.name: f.text for f in files}
