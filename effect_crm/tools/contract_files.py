"""Checks and fingerprints of the files uploaded as contract versions."""

import functools
import hashlib
import io
import zipfile

# Office Open XML documents are zip packages: a file with one of these extensions
# that is not such a package is damaged (or misnamed) and is refused.
OFFICE_OPEN_XML = {
    ".docx": "word/",
    ".docm": "word/",
    ".xlsx": "xl/",
    ".pptx": "ppt/",
}

EMPTY = "empty"
DAMAGED = "damaged"
TOO_LARGE = "too_large"


class FileBytes(bytes):
    """The bytes of a file given to a version's ``create`` as they are, where binary
    fields take base64: server code that holds the file (a save from Word, a merged
    template) spares a base64 round trip of megabytes. No RPC value is of this type.

    Its checksum is computed once, however many times it is asked for (a save from Word
    compares it with the latest version's, then the version stores it)."""

    @functools.cached_property
    def sha256(self):
        return hashlib.sha256(self).hexdigest()


def sha256_hex(data):
    """The SHA-256 checksum of ``data`` (bytes), as 64 hexadecimal characters."""
    if isinstance(data, FileBytes):
        return data.sha256
    return hashlib.sha256(data or b"").hexdigest()


def extension(file_name):
    name = (file_name or "").strip().lower()
    dot = name.rfind(".")
    return name[dot:] if dot > 0 else ""


def check_upload(file_name, data, max_size=None):
    """Why an uploaded file cannot become a version, or ``None`` when it can.

    Returns ``EMPTY`` for no content, ``TOO_LARGE`` over ``max_size`` bytes, and
    ``DAMAGED`` for a .docx/.xlsx/.pptx that is not a readable Office package.
    """
    if not data:
        return EMPTY
    if max_size and len(data) > max_size:
        return TOO_LARGE
    folder = OFFICE_OPEN_XML.get(extension(file_name))
    if folder:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = package.namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            return DAMAGED
        if "[Content_Types].xml" not in names or not any(n.startswith(folder) for n in names):
            return DAMAGED
    return None
