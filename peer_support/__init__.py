"""Peer Support: offline-first desktop app for parent peer-support groups."""

__version__ = "0.1.0"
APP_NAME = "peer-support"
