"""Hybrid logical clock stamps.

A stamp is ``<millis>.<counter>.<device>`` with fixed-width numbers, so stamps
compare correctly as text and the device id breaks ties. The clock never goes
backwards even if the wall clock does, and it moves past any stamp received
from another laptop, so later edits always sort later; but never further than
``max_ahead`` past this laptop's own clock, so one laptop whose clock is a
year ahead cannot drag every other laptop's clock with it.
"""

from __future__ import annotations

from dataclasses import dataclass

MILLIS_WIDTH = 15
COUNTER_WIDTH = 6


def format_stamp(millis: int, counter: int, device_id: str) -> str:
    return f"{millis:0{MILLIS_WIDTH}d}.{counter:0{COUNTER_WIDTH}d}.{device_id}"


def parse_stamp(stamp: str) -> tuple[int, int, str]:
    millis, counter, device_id = stamp.split(".", 2)
    return int(millis), int(counter), device_id


@dataclass
class HybridClock:
    millis: int = 0
    counter: int = 0

    def tick(self, wall_millis: int) -> tuple[int, int]:
        """A new local event."""
        if wall_millis > self.millis:
            self.millis, self.counter = wall_millis, 0
        else:
            self.counter += 1
        return self.millis, self.counter

    def observe(self, stamp: str, wall_millis: int, max_ahead: int | None = None) -> bool:
        """Move past a stamp received from another laptop, at most ``max_ahead`` millis
        past ``wall_millis``. Returns False when the stamp was beyond that bound."""
        remote_millis, remote_counter, _ = parse_stamp(stamp)
        within = max_ahead is None or remote_millis <= wall_millis + max_ahead
        if max_ahead is not None and not within:
            remote_millis, remote_counter = wall_millis + max_ahead, 0
        top = max(self.millis, remote_millis, wall_millis)
        if top == self.millis == remote_millis:
            self.counter = max(self.counter, remote_counter) + 1
        elif top == self.millis:
            self.counter += 1
        elif top == remote_millis:
            self.counter = remote_counter + 1
        else:
            self.counter = 0
        self.millis = top
        return within
