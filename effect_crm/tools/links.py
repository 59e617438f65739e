"""Classify the links a salesperson keeps on a customer document.

Links point at files on a disk or a network share, or at web pages. The server
never reads or serves what they point at: it only classifies the text so the
web client can show it (copyable) and, for web addresses only, clickable.
"""

import re

LINK_KINDS = ("url", "unc", "path")

# Schemes a browser may open from a click without risk to the page itself.
CLICKABLE_SCHEMES = ("http", "https", "ftp", "ftps", "mailto")

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_DRIVE_RE = re.compile(r"^[A-Za-z]:[\\/]")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def normalize_link(value):
    """Return the link stripped of surrounding blanks (``""`` for none)."""
    return (value or "").strip()


def classify_link(value):
    """Return ``"url"``, ``"unc"``, ``"path"`` or ``False`` for a link.

    - ``\\\\server\\share\\file``, ``//server/share`` and ``smb://`` are network (UNC) paths;
    - ``C:\\dir\\file``, ``/home/file``, ``~/file`` and ``file://`` are file paths;
    - any other ``scheme:`` text is a URL;
    - anything else (a bare word, a relative path, control characters) is not a link.
    """
    value = normalize_link(value)
    if not value or _CONTROL_RE.search(value):
        return False
    if value.startswith(("\\\\", "//")):
        return "unc"
    if _DRIVE_RE.match(value) or value.startswith(("/", "~")):
        return "path"
    match = _SCHEME_RE.match(value)
    if not match or len(value) == len(match.group(0)):
        return False
    scheme = match.group(1).lower()
    if scheme == "file":
        return "path"
    if scheme == "smb":
        return "unc"
    return "url"


def clickable_url(value):
    """Return the link when a browser may open it from a click, else ``False``.

    Only web and mail addresses qualify; ``javascript:``, ``data:`` and file or
    network paths never become clickable.
    """
    value = normalize_link(value)
    if classify_link(value) != "url":
        return False
    scheme = _SCHEME_RE.match(value).group(1).lower()
    return value if scheme in CLICKABLE_SCHEMES else False
