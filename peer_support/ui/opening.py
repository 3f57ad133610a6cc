"""Open the data folder in a thread while the GUI thread loads Qt and the window (no Qt here)."""

from __future__ import annotations

import threading


class Opening:
    """Opens the data folder in a thread; the thread's SQLite connections stay its own (storage/db.py)."""

    def __init__(self, data_dir) -> None:
        self.context = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(data_dir,), name="peer-support-open", daemon=True)
        self._thread.start()

    def _run(self, data_dir) -> None:
        from peer_support.context import open_context

        try:
            self.context = open_context(data_dir)
        except BaseException as exc:  # handed to the GUI thread (ui/app.py)
            self.error = exc

    def done(self, timeout: float) -> bool:
        self._thread.join(max(0.0, timeout))
        return not self._thread.is_alive()
