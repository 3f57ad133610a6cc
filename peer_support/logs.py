"""The app's log file, for details a user never needs to read but we do."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

LOG_FILE = "peer-support.log"


def log_exception(data_dir: Path) -> Path:
    """Append the exception being handled to the log; returns the log's path."""
    path = data_dir / LOG_FILE
    try:
        with path.open("a", encoding="utf-8") as log_file:
            log_file.write(traceback.format_exc())
    except OSError:
        logging.getLogger(__name__).exception("could not write the log")
    return path
