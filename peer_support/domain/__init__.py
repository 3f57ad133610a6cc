"""Frozen dataclasses, enums and pure rules. No I/O, no Qt."""
