from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """群众提: a public, login-free page per county where residents report a problem with a
    village's party organisation; moderated before it becomes a problem (source 群众提)."""

    name = "shuping.intake"
    verbose_name = "群众反映"
    # Reached from the 工作台 (群众反映待审核) and the 单位报送 page: no menu item of its own.
