"""The audit trail becomes a hash chain: existing records are linked in the order they were written."""

from django.db import migrations, models


def link_existing(apps, schema_editor):
    from jindianzi.core.audit import GENESIS, record_hash

    AuditRecord = apps.get_model("core", "AuditRecord")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    previous, seq = GENESIS, 0
    for record in AuditRecord.objects.order_by("id").iterator(chunk_size=2000):
        seq += 1
        record.seq, record.previous_hash = seq, previous
        record.hash = record_hash(seq=seq, at=record.at, actor_id=record.actor_id, action=record.action,
                                  target_type=record.target_type, target_id=record.target_id, before=record.before,
                                  after=record.after, previous=previous)
        record.save(update_fields=["seq", "previous_hash", "hash"])
        previous = record.hash
    AuditChainHead.objects.create(pk=1, seq=seq, hash=previous)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
            ],
            options={"verbose_name": "audit chain head"},
        ),
        migrations.AddField("auditrecord", "seq", models.PositiveBigIntegerField(null=True,
                                                                                 verbose_name="position in the chain")),
        migrations.AddField("auditrecord", "previous_hash", models.CharField(
            default="", max_length=64, verbose_name="hash of the previous record"), preserve_default=False),
        migrations.AddField("auditrecord", "hash", models.CharField(default="", max_length=64, verbose_name="hash"),
                            preserve_default=False),
        migrations.RunPython(link_existing, migrations.RunPython.noop),
        migrations.AlterField("auditrecord", "seq", models.PositiveBigIntegerField(
            unique=True, verbose_name="position in the chain")),
        migrations.AlterModelOptions("auditrecord", options={
            "ordering": ["seq"], "verbose_name": "audit record", "verbose_name_plural": "audit records"}),
    ]
