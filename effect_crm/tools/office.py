"""Office documents to PDF with LibreOffice headless, where it is installed."""

import os
import shutil
import subprocess
import tempfile


class ConversionError(RuntimeError):
    """LibreOffice is missing, or could not convert the document."""


def soffice_path():
    """The LibreOffice program, or ``None`` when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(data, suffix=".docx", timeout=120):
    """The PDF of an Office document (bytes), made by LibreOffice headless.

    Each call uses its own LibreOffice profile, so conversions may run in parallel
    (several Odoo workers). Raises :class:`ConversionError`.
    """
    program = soffice_path()
    if not program:
        raise ConversionError("LibreOffice is not installed")
    with tempfile.TemporaryDirectory(prefix="effect_pdf_") as folder:
        source = os.path.join(folder, f"document{suffix}")
        with open(source, "wb") as stream:
            stream.write(data)
        command = [
            program,
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            folder,
            source,
        ]
        try:
            subprocess.run(command, check=True, timeout=timeout, capture_output=True)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
            raise ConversionError(str(error)) from None
        target = os.path.join(folder, "document.pdf")
        if not os.path.exists(target):
            raise ConversionError("LibreOffice produced no PDF")
        with open(target, "rb") as stream:
            return stream.read()
