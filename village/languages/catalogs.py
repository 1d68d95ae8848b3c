"""Where the gettext catalogs live: one per component (the shared templates, and each app)."""

from collections.abc import Iterator
from pathlib import Path


def catalog_roots(package_dir: Path) -> list[Path]:
    """Folders that own a `locale/` catalog: the package root (shared templates) and each app."""
    roots = [package_dir]
    roots += sorted(p.parent for p in package_dir.glob("*/locale") if p.is_dir())
    return roots


def catalog_files(package_dir: Path) -> Iterator[Path]:
    yield from sorted(package_dir.glob("locale/*/LC_MESSAGES/*.po"))
    yield from sorted(package_dir.glob("*/locale/*/LC_MESSAGES/*.po"))
