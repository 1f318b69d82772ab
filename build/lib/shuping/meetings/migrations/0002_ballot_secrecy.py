"""Ballot secrecy (issue 11): per-meeting ballot key, selector/verifier short codes, device binding.

Cards issued before this migration keep their QR token; their old 8-character code cannot be
converted (only its unsalted hash was stored) and stops working: reissue or use the QR code.
Upgrade between meetings, not during one: ballots cast before it used another slot scheme.
"""

import secrets

from django.db import migrations, models

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def fill(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Credential = apps.get_model("meetings", "Credential")
    for meeting in Meeting.objects.exclude(status="closed"):
        meeting.ballot_key = secrets.token_hex(32)
        meeting.save(update_fields=["ballot_key"])
    taken = set()
    for credential in Credential.objects.all():
        while True:
            selector = "".join(secrets.choice(ALPHABET) for _ in range(4))
            if selector not in taken:
                break
        taken.add(selector)
        credential.code_selector = selector
        credential.code_verifier_hash = "!"  # matches no code
        credential.save(update_fields=["code_selector", "code_verifier_hash"])


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [
        migrations.AddField("meeting", "ballot_key", models.CharField(blank=True, editable=False, max_length=64)),
        migrations.AddField("credential", "code_selector", models.CharField(max_length=8, null=True)),
        migrations.AddField("credential", "code_verifier_hash", models.CharField(default="!", max_length=200),
                            preserve_default=False),
        migrations.AddField("credential", "device_hash",
                            models.CharField(blank=True, max_length=64, null=True, unique=True)),
        migrations.AddField("credential", "cast_count", models.PositiveIntegerField(blank=True, null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField("credential", "code_selector", models.CharField(max_length=8, unique=True)),
        migrations.RemoveField("credential", "code_hash"),
        migrations.RemoveField("credential", "sealed_token"),
    ]
