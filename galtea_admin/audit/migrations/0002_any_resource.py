"""Change records name any resource: object type, id and label. Every existing record was
a phone connection's; its values (and its before → after changes) are kept as they are."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RenameField("changerecord", "connection_id", "object_id"),
        migrations.RenameField("changerecord", "connection_name", "object_label"),
        migrations.AlterField("changerecord", "object_id", models.CharField(max_length=128)),
        migrations.AddField(
            "changerecord",
            "object_type",
            models.CharField(default="phone_connections", max_length=50),
            preserve_default=False,
        ),
        migrations.AddIndex(
            "changerecord",
            models.Index(
                fields=["object_type", "object_id"], name="audit_chang_object__00ead5_idx"
            ),
        ),
    ]
