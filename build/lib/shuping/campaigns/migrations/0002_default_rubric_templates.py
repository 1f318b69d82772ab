from django.db import migrations


def install(apps, schema_editor):
    from shuping.campaigns.rubric_defaults import install_default_templates

    install_default_templates(apps.get_model("campaigns", "RubricTemplate"), apps.get_model("campaigns", "TemplateIndicator"))


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
