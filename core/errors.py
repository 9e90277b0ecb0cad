"""Errors the core raises on purpose. Each carries a one-line message fit to show a user."""
from __future__ import annotations


class CommonplaceError(Exception):
    """Base class: str(e) is a one-line, user-facing reason."""


class ImportFailed(CommonplaceError):
    """A source could not be imported; nothing was stored."""


class LibraryError(CommonplaceError):
    """The library cannot be opened or written (newer version, read-only, corrupt)."""


class NotFound(CommonplaceError):
    """An article or annotation id that does not exist."""


class LibraryDamaged(LibraryError):
    """The database file is corrupt: it is opened read-only until restored from a backup."""
