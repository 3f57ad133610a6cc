"""Shared widgets that several areas reuse (MoneyEdit, ...)."""
