from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jindianzi.editions.models import Edition
from jindianzi.reports.exports import ideas_as_csv, ideas_as_json

FORMATS = {"csv": ideas_as_csv, "json": ideas_as_json}


class Command(BaseCommand):
    help = "Export an edition's ideas as open data (public fields only)."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["ideas"])
        parser.add_argument("--edition", required=True)
        parser.add_argument("--format", choices=sorted(FORMATS), default="csv")
        parser.add_argument("--output", help="file to write; standard output when omitted")

    def handle(self, *args, what, edition, format, output, **options):
        found = Edition.objects.filter(slug=edition).first()
        if found is None:
            raise CommandError(f"No edition {edition!r}.")
        text = FORMATS[format](found)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"written {output}")
        else:
            self.stdout.write(text, ending="")
