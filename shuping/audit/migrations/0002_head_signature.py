import hashlib
import hmac

from django.conf import settings
from django.db import migrations, models


def sign_existing_head(apps, schema_editor):
    # Same message as shuping.audit.services.head_mac; spelled out so the migration stays fixed.
    Head = apps.get_model("audit", "AuditChainHead")
    for head in Head.objects.all():
        message = f"shuping-audit-head:{head.last_seq}:{head.last_hash}".encode()
        head.mac = hmac.new(settings.SHUPING_AUDIT_KEY.encode(), message, hashlib.sha256).hexdigest()
        head.save(update_fields=["mac"])


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="mac",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(sign_existing_head, migrations.RunPython.noop),
    ]
