import json

from django.core.management.base import BaseCommand, CommandError

from jindianzi.editions.models import Edition
from jindianzi.reports.selectors import edition_figures


class Command(BaseCommand):
    help = "Print an edition's figures, computed from the database now."

    def add_arguments(self, parser):
        parser.add_argument("--edition", required=True, help="the edition's short name (slug)")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, edition, format, **options):
        found = Edition.objects.select_related("district").filter(slug=edition).first()
        if found is None:
            known = ", ".join(Edition.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No edition {edition!r}. Editions: {known}")
        self.stdout.write(json.dumps(edition_figures(found), ensure_ascii=False, indent=2))
