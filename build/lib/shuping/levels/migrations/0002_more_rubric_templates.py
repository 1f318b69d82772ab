from django.db import migrations


def install(apps, schema_editor):
    """Ship the 两新 (非公企业、社会组织) and 园区 templates added to rubric_defaults."""
    from shuping.campaigns.rubric_defaults import install_default_templates

    install_default_templates(apps.get_model("campaigns", "RubricTemplate"), apps.get_model("campaigns", "TemplateIndicator"))


class Migration(migrations.Migration):
    dependencies = [("levels", "0001_initial"), ("campaigns", "0002_default_rubric_templates")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
