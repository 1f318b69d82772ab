from django.db import models


class SystemMark(models.Model):
    """A named fact about this installation that outlives a process: the version the database was last
    upgraded to, the last time a scheduled job ran. Read by `shuping doctor` and `shuping upgrade`."""

    name = models.CharField("名称", max_length=100, unique=True)
    value = models.CharField("值", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "系统标记"
        verbose_name_plural = "系统标记"

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
