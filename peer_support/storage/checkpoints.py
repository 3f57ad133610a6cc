"""WAL checkpoints off the commit path: taken by a background thread when writes pause.

In WAL mode every commit appends pages to the ``-wal`` file; a *checkpoint*
copies them back into the database file and fsyncs it. SQLite's automatic
checkpoint runs inside whichever COMMIT pushes the log past
``wal_autocheckpoint`` pages (default 1,000). A pack scan writes about 17
pages (the event, the pack, the action, its change-log row and their index
entries), so one scan in ~60 waited for a checkpoint of ~1,000 pages: many
times its own cost, at random, while the volunteer waits for the beep.

The app's connections raise that threshold to ``AUTOCHECKPOINT_PAGES`` and
this thread takes the checkpoints instead, PASSIVE, on its own connection (a
PASSIVE checkpoint never blocks a reader or a writer; a commit that comes
meanwhile only appends to the log):

- at the first pause of ``IDLE_SECONDS`` once ``BATCH_COMMITS`` commits are in
  the log. Not after every commit: the first commit after a checkpoint starts
  the log again and syncs its header, one extra fsync, so that is paid once per
  batch, not once per scan;
- after ``BURST_COMMITS`` commits without a pause (a scanner, ``packs deliver -``).
  Only a checkpoint that finishes before the next commit lets the log start
  again, so in a long burst without any pause the log grows until a commit
  takes it past ``AUTOCHECKPOINT_PAGES`` and checkpoints itself, finding most
  pages copied already. (Measured with benchmarks/packs_scan.py, back to back:
  SQLite's default of 1,000 pages put such a commit at p99, 10,000 does not.)
- after ``TIDY_SECONDS`` without any write, whatever the log holds.

Durability is unchanged: every commit still fsyncs the log (synchronous=FULL)
before it returns, and a checkpoint fsyncs the database file before the log is
reused. Closing the last connection checkpoints whatever is left (SQLite), so
the end of a command or of the app leaves no log behind.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable

IDLE_SECONDS = 0.1  # far shorter than the time between two scans by hand
BATCH_COMMITS = 20  # a pack scan writes ~17 pages: ~340 pages a checkpoint
# Tried 200 (fewer pages copied per scan: the process's CPU per scan 0.45 ms against 0.55): the
# check-ins of benchmarks/meetings_checkin.py, with the page's reads between them, got ~8% slower.
BURST_COMMITS = 40
TIDY_SECONDS = 30.0
# ~40 MB: reached only in a long burst of commits without a pause (the background checkpoints
# have then copied most pages, so that commit has little left to copy) or when the background
# thread cannot checkpoint.
AUTOCHECKPOINT_PAGES = 10_000

log = logging.getLogger(__name__)


class Checkpointer:
    """Call ``wrote()`` after each commit; ``stop()`` before the connections close."""

    def __init__(self, connect: Callable[[], sqlite3.Connection], *, idle: float = IDLE_SECONDS,
                 batch: int = BATCH_COMMITS, burst: int = BURST_COMMITS, tidy: float = TIDY_SECONDS) -> None:
        self._connect = connect
        self._idle = idle
        self._batch = batch
        self._burst = burst
        self._tidy = tidy
        self._wake = threading.Condition()
        self._pending = 0  # commits since the last checkpoint began
        self._last_write = 0.0
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.checkpoints = 0  # completed checkpoints (for tests and benchmarks)
        self.failures = 0

    def wrote(self) -> None:
        """A commit has returned: checkpoint after the next pause (cheap; never blocks on I/O).

        Most commits only count and stamp, without the lock: the thread is woken (under the lock)
        only when that changes what it waits for. Taking the lock after every scan cost more than
        the rest of this, mostly when the thread had just woken and held it. A count lost between
        two threads only moves a checkpoint by a commit; the thread reads both under the lock.
        """
        if self._stopping:
            return
        self._pending += 1
        self._last_write = time.monotonic()
        pending = self._pending
        if self._thread is not None and pending not in (1, self._batch) and pending < self._burst:
            return
        with self._wake:
            if self._stopping:
                return
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="wal-checkpoints", daemon=True)
                self._thread.start()
            else:
                self._wake.notify()  # the thread works out when the next checkpoint is due

    @property
    def alive(self) -> bool:
        """Whether the thread is running (it starts at the first commit, ends at ``stop``)."""
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        """Finish a checkpoint under way, close the thread's connection and end the thread."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _due(self) -> bool:
        """Wait (holding the condition) until a checkpoint is due; False when stopping."""
        while not self._stopping:
            if self._pending >= self._burst:
                break
            if self._pending == 0:
                self._wake.wait()
                continue
            pause = self._idle if self._pending >= self._batch else self._tidy
            left = self._last_write + pause - time.monotonic()
            if left <= 0:
                break
            self._wake.wait(left)
        if self._stopping:
            return False
        self._pending = 0
        return True

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        try:
            while True:
                with self._wake:
                    if not self._due():
                        return
                try:
                    if connection is None:
                        connection = self._connect()
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.checkpoints += 1
                except sqlite3.Error as exc:  # the commit's safety net (wal_autocheckpoint) still holds
                    self.failures += 1
                    if self.failures == 1:  # once: a full disk would otherwise fill the log file too
                        log.warning("background WAL checkpoint failed: %s", exc)
        finally:
            if connection is not None:
                connection.close()
