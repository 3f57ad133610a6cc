"""A reader that stops early (``peer-support families list | head -1``) is not an error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_closed_pipe_is_quiet_and_not_an_error(sample_dir):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "peer_support", "--data-dir", str(sample_dir), "families", "list"]
    listing = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    listing.stdout.close()  # the reader is gone before the first line is written
    _out, err = listing.communicate(timeout=120)
    assert listing.returncode == 0 and err == b""
