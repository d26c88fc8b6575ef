"""The create-form guard moved to the shared lists app, and the permissions of phone
connections are created from the registry (accounts.roles): this app keeps no model."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("phone_connections", "0001_initial")]

    operations = [
        migrations.DeleteModel(name="CreateSubmission"),
        migrations.DeleteModel(name="PhoneConnectionAccess"),
    ]
