"""The activity log also records background jobs started, cancelled and resumed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_any_resource"),
    ]

    operations = [
        migrations.AlterField(
            model_name="changerecord",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Created"),
                    ("update", "Edited"),
                    ("delete", "Deleted"),
                    ("start", "Started"),
                    ("cancel", "Cancelled"),
                    ("resume", "Resumed"),
                ],
                max_length=10,
            ),
        ),
    ]
