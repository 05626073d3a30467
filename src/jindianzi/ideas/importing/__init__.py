"""Importing paper ideas from an Excel workbook (.xlsx).

A community worker downloads the template (:func:`build_template`), types the
paper forms into it, uploads it (:func:`idea_import_upload`), reviews every
problem row by row, and then imports nothing (:func:`idea_import_discard`) or
the valid rows (:func:`idea_import_commit`).

The rules an idea must meet live in ``services.py`` and are not repeated here:
each row is checked by calling :func:`idea_record_on_paper` inside a savepoint
that is always rolled back, so the review lists exactly what the real import
would refuse. This package adds only what belongs to spreadsheets: reading
cells, finding communities, categories and organisations by name, and
spotting likely duplicates before anything is imported.

The modules, each depending only on those above it:

- ``limits``: how much one upload may hold (settings may change it);
- ``columns``: the columns, their headers and aliases, the words for yes, no and
  the kind of proposer, the example row;
- ``communities``: an edition's communities by the names a file uses;
- ``workbook``: an uploaded .xlsx read into a :class:`~.workbook.Sheet`, or ImportRefused;
- ``rows``: one row read and checked against the service;
- ``duplicates``: rows that look like an idea already recorded, or an earlier row;
- ``report``: the review of a whole file, and its problems as sentences;
- ``services``: the changes (upload, commit, discard); ``selectors``: the reads;
- ``template``: the downloadable template (uses only limits, columns and communities).

Other code imports from here, not from the modules.
"""

from .columns import COLUMNS
from .duplicates import title_similarity
from .report import duplicate_line, problem_line, rows_to_import
from .selectors import communities_for_import, editions_for_import, imports_of
from .services import ImportOutdated, idea_import_commit, idea_import_discard, idea_import_upload
from .template import build_template
from .workbook import ImportRefused

__all__ = [
    "COLUMNS", "ImportOutdated", "ImportRefused", "build_template", "communities_for_import", "duplicate_line",
    "editions_for_import", "idea_import_commit", "idea_import_discard", "idea_import_upload", "imports_of",
    "problem_line", "rows_to_import", "title_similarity",
]
