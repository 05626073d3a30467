"""Changes: keep an upload for review, then import its valid rows, or nothing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jindianzi.core.audit import audit

from ..models import Idea, IdeaImport, ImportStatus
from .report import check_sheet, rows_to_import
from .rows import Lookups, Row, record_row
from .workbook import Sheet, read_sheet


class ImportOutdated(ValidationError):
    """The data changed between review and import; the worker must look again."""


def _require_importer(actor) -> None:
    if actor is None or not actor.has_perm("ideas.import_ideas"):
        raise PermissionDenied(_("Only community workers can import ideas."))


@transaction.atomic
def idea_import_upload(*, actor, edition, upload) -> IdeaImport:
    """Read and check an uploaded workbook and keep it for review. Imports nothing yet.

    ``upload`` is a file object with ``name`` and ``size`` (a Django upload, or
    ``django.core.files.File`` around an open file). A file that cannot be read
    raises ImportRefused and stores nothing.
    """
    _require_importer(actor)
    sheet = read_sheet(upload)
    _rows, report = check_sheet(actor=actor, edition=edition, sheet=sheet)
    record = IdeaImport.objects.create(
        edition=edition, uploaded_by=actor, original_filename=_file_name(upload),
        rows_sealed=sheet.to_json(), report=report,
    )
    audit(actor=actor, action="idea_import.upload", target=record,
          after={"file": record.original_filename, "rows": report["total"], "invalid": len(report["invalid"]),
                 "duplicates": len(report["duplicates"])})
    return record


def _file_name(upload) -> str:
    name = str(getattr(upload, "name", "") or "upload.xlsx").replace("\\", "/").rsplit("/", 1)[-1]
    return name[:255]


def _decision_lock(actor, record: IdeaImport) -> IdeaImport:
    """The import, locked so that a second click waits for the first and then finds it decided."""
    record = IdeaImport.objects.select_for_update().get(pk=record.pk)
    if record.status != ImportStatus.PENDING:
        raise ValidationError(_("This file was already dealt with (%(status)s); nothing more was imported.")
                              % {"status": record.get_status_display()})
    if actor is None or not actor.has_perm("ideas.decide_import", record):
        raise PermissionDenied(_("Only the person who uploaded this file can decide what to import."))
    return record


def idea_import_commit(*, actor, record: IdeaImport, skip_duplicates: bool = True) -> list[Idea]:
    """Import the valid rows (without the likely duplicates unless asked), all or nothing.

    The rows are checked again first. If the result differs from what the worker
    reviewed (someone imported the same ideas meanwhile, the collection closed),
    nothing is imported, the report is updated and ImportOutdated is raised.
    """
    with transaction.atomic():
        record = _decision_lock(actor, record)
        reviewed = rows_to_import(record.report, skip_duplicates=skip_duplicates)
        rows, report = check_sheet(actor=actor, edition=record.edition, sheet=Sheet.from_json(record.rows_sealed))
        outdated = rows_to_import(report, skip_duplicates=skip_duplicates) != reviewed
        if outdated:
            record.report = report
            record.save(update_fields=["report"])
        else:
            if not reviewed:
                raise ValidationError(_("There are no valid rows to import."))
            ideas = _commit_rows(actor, record, rows, reviewed, report)
    if outdated:
        raise ImportOutdated(_("Something changed since you looked at this file. Nothing was imported; "
                               "please check the rows again."))
    return ideas


def _commit_rows(actor, record: IdeaImport, rows: dict[int, Row], numbers: list[int], report: dict) -> list[Idea]:
    lookups = Lookups(edition=record.edition, actor=actor)
    ideas = [record_row(lookups, rows[number]) for number in numbers]
    report["created"] = [{"row": n, "code": idea.tracking_code, "title": idea.title}
                         for n, idea in zip(numbers, ideas)]
    report["skipped"] = [n for n in report["valid"] if n not in set(numbers)]
    # The residents' details now live in the ideas; the upload need not keep a copy.
    record.report, record.rows_sealed = report, ""
    record.status, record.committed_at = ImportStatus.COMMITTED, timezone.now()
    record.save(update_fields=["report", "rows_sealed", "status", "committed_at"])
    audit(actor=actor, action="idea_import.commit", target=record,
          after={"created": [c["code"] for c in report["created"]], "skipped": report["skipped"]})
    return ideas


@transaction.atomic
def idea_import_discard(*, actor, record: IdeaImport) -> IdeaImport:
    """Import nothing from this file, and forget the residents' details it held."""
    record = _decision_lock(actor, record)
    record.status, record.committed_at, record.rows_sealed = ImportStatus.DISCARDED, timezone.now(), ""
    record.save(update_fields=["status", "committed_at", "rows_sealed"])
    audit(actor=actor, action="idea_import.discard", target=record, after={"status": record.status})
    return record
