"""Jindianzi: community golden-idea competitions from first idea to public summary."""

__version__ = "0.1.0"
