"""bin/screenshots takes the README's screenshots from a running server, in Chromium."""

import struct
import subprocess
import sys

from effect_env import REPO


def png_size(path):
    """Width and height of a PNG file, from its IHDR chunk."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_screenshots_of_the_agenda_and_the_dashboard(server, tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "bin" / "screenshots"), "agenda", "dashboard",
         "--url", server.url, "--db", server.dbname, "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("agenda", "dashboard"):
        assert png_size(tmp_path / f"{name}.png") == (1440, 900)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["agenda.png", "dashboard.png"]


def test_unknown_screenshot_is_refused():
    result = subprocess.run(
        [sys.executable, str(REPO / "bin" / "screenshots"), "nothing"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "unknown screenshots: nothing" in result.stderr
