from django.db import migrations


def install(apps, schema_editor):
    from shuping.registers.defaults import install_default_facts

    install_default_facts(apps.get_model("registers", "Fact"), apps.get_model("registers", "ClaimRule"))


class Migration(migrations.Migration):
    dependencies = [("registers", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
