"""How much one upload may hold."""

from django.conf import settings

# Limits that keep one upload a few seconds of work. Settings may lower or raise them.
DEFAULT_MAX_ROWS = 1000
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# A small .xlsx can unpack to gigabytes (a "zip bomb"); refuse before openpyxl reads it.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024


def max_rows() -> int:
    return getattr(settings, "JINDIANZI_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def max_bytes() -> int:
    return getattr(settings, "JINDIANZI_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
