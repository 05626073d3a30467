"""``jindianzi import ideas FILE --edition SLUG --by LOGIN``: the upload page's work, for operators.

Every row is checked first and each bad row is printed as the review page shows
it. With a bad row nothing is imported (exit status 1) unless ``--valid-rows``
asks for the valid rows. Likely duplicates are left out unless
``--keep-duplicates``.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jindianzi.accounts.selectors import user_by_login
from jindianzi.editions.models import Edition
from jindianzi.ideas.importing import (
    duplicate_line, idea_import_commit, idea_import_discard, idea_import_upload, problem_line,
)


class Command(BaseCommand):
    help = "Import paper ideas from an .xlsx file made from the import template."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["ideas"], help="what to import")
        parser.add_argument("file", type=Path, help="the .xlsx file")
        parser.add_argument("--edition", required=True, help="the edition's short name (slug)")
        parser.add_argument("--by", required=True,
                            help="login (phone, e-mail or username) of the community worker recording the ideas")
        parser.add_argument("--valid-rows", action="store_true",
                            help="import the valid rows even when other rows have problems")
        parser.add_argument("--keep-duplicates", action="store_true",
                            help="also import rows that look like an idea already recorded")

    def handle(self, *args, file: Path, edition: str, by: str, valid_rows: bool, keep_duplicates: bool, **options):
        found = Edition.objects.select_related("district").filter(slug=edition).first()
        if found is None:
            known = ", ".join(Edition.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No edition {edition!r}. Editions: {known}")
        worker = user_by_login(by)
        if worker is None:
            raise CommandError(f"No account with the login {by!r}.")
        if not file.is_file():
            raise CommandError(f"No file {str(file)!r}.")
        with file.open("rb") as handle:
            try:
                record = idea_import_upload(actor=worker, edition=found, upload=File(handle, name=file.name))
            except (ValidationError, PermissionDenied) as exc:
                raise CommandError(" ".join(getattr(exc, "messages", None) or [str(exc)])) from None
        self._print_report(record.report)
        if record.report["invalid"] and not valid_rows:
            idea_import_discard(actor=worker, record=record)
            raise CommandError(_("%(count)s row(s) have problems; nothing was imported. Fix them, or pass "
                                 "--valid-rows to import only the valid rows.")
                               % {"count": len(record.report["invalid"])})
        try:
            ideas = idea_import_commit(actor=worker, record=record, skip_duplicates=not keep_duplicates)
        except ValidationError as exc:
            idea_import_discard(actor=worker, record=record)
            raise CommandError(" ".join(exc.messages)) from None
        record.refresh_from_db()
        for created in record.report["created"]:
            self.stdout.write(f"{created['row']}\t{created['code']}\t{created['title']}")
        self.stdout.write(self.style.SUCCESS(
            _("Imported %(count)s idea(s) into %(edition)s.") % {"count": len(ideas), "edition": found.name}))

    def _print_report(self, report: dict) -> None:
        for problem in report["problems"]:
            self.stdout.write(problem_line(problem))
        for duplicate in report["duplicates"]:
            self.stdout.write(duplicate_line(duplicate))
        self.stdout.write(_("Rows: %(total)s, valid: %(valid)s, with problems: %(invalid)s, likely duplicates: "
                            "%(duplicates)s.") % {"total": report["total"], "valid": len(report["valid"]),
                                                  "invalid": len(report["invalid"]),
                                                  "duplicates": len(report["duplicates"])})
