from django.core.management.base import BaseCommand, CommandError

from jindianzi.core.audit import chain_verify


class Command(BaseCommand):
    help = ("Walk the audit trail's hash chain from the first record. Exit 0 when it is intact; otherwise name "
            "the first record that was altered, removed or inserted and exit 1.")

    def handle(self, *args, **options):
        report = chain_verify()
        if report.intact:
            self.stdout.write(f"Audit chain intact: {report.records:,} records, the last is number {report.last_seq}.")
            return
        broken = report.broken
        where = f"record {broken.seq}" + (f" (id {broken.record_id})" if broken.record_id is not None else "")
        raise CommandError(f"Audit chain broken at {where}: {broken.problem}. {broken.detail}.", returncode=1)
