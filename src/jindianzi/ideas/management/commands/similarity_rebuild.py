from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from jindianzi.editions.models import Edition
from jindianzi.ideas.similarity.tasks import edition_similarity_rebuild


class Command(BaseCommand):
    help = ("Rebuild the similar-ideas index of an edition (every idea's fingerprint and band keys) "
            "as a background task; with the default task backend it runs at once.")

    def add_arguments(self, parser):
        parser.add_argument("--edition", required=True, help="the edition's short name (slug)")

    def handle(self, *args, edition, **options):
        found = Edition.objects.filter(slug=edition).first()
        if found is None:
            raise CommandError(_("There is no edition “%(slug)s”.") % {"slug": edition})
        result = edition_similarity_rebuild.enqueue(found.pk)
        if result.status == TaskResultStatus.SUCCESSFUL:
            counts = result.return_value
            self.stdout.write(_("Rebuilt the similar-ideas index of %(edition)s: %(ideas)s ideas, %(bands)s band keys.")
                              % {"edition": found.name, "ideas": counts["ideas"], "bands": counts["bands"]})
        elif result.status == TaskResultStatus.FAILED:
            raise CommandError(_("The rebuild failed; see the log."))
        else:
            self.stdout.write(_("The rebuild of %(edition)s is queued (task %(id)s).")
                              % {"edition": found.name, "id": result.id})
