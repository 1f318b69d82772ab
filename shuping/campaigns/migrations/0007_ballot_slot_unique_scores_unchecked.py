# The ballot path's reads and writes no longer depend on PostgreSQL's statistics (issue 18):
# a ballot's slot is unique on its own, and score rows keep no foreign-key constraint.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0006_ballot_indexes_for_submissions'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='ballot',
            name='unique_ballot_slot',
        ),
        migrations.AddConstraint(
            model_name='ballot',
            constraint=models.UniqueConstraint(fields=('slot',), name='unique_ballot_slot'),
        ),
        migrations.AlterField(
            model_name='ballotscore',
            name='ballot',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='campaigns.ballot'),
        ),
    ]
