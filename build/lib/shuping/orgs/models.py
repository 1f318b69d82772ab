from django.conf import settings
from django.db import models

PATH_SEPARATOR = "/"


class UnitType(models.TextChoices):
    PROVINCE = "province", "省"
    PREFECTURE = "prefecture", "市/州"
    COUNTY = "county", "县/区"
    TOWNSHIP = "township", "乡镇"
    STREET = "street", "街道"
    PARK = "park", "园区"
    DEPARTMENT = "department", "部门"
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"
    BRANCH = "branch", "支部"
    ENTERPRISE = "enterprise", "企业"
    INSTITUTION = "institution", "事业单位"


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", "党委"
    WORKING_COMMITTEE = "working_committee", "党工委"
    LEADING_GROUP = "leading_group", "党组"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"


class Sector(models.TextChoices):
    RURAL = "rural", "农村"
    COMMUNITY = "community", "社区"
    ORGAN = "organ", "机关"
    STATE_ENTERPRISE = "state_enterprise", "国企"
    PRIVATE_ENTERPRISE = "private_enterprise", "非公企业"
    SOCIAL_ORGANISATION = "social_organisation", "社会组织"
    SCHOOL = "school", "学校"
    HOSPITAL = "hospital", "医院"
    PARK = "park", "园区"


class OrgQuerySet(models.QuerySet):
    def within_path(self, path: str):
        """Everything at or under `path`, as one range scan on the indexed path column.

        Paths look like "/1/5/23/"; every descendant starts with the same prefix, and
        replacing the final "/" by "0" (the next character up) gives the exclusive
        upper bound, so both SQLite and PostgreSQL can use the plain b-tree index.
        """
        return self.filter(path__gte=path, path__lt=path[:-1] + "0")

    def within_any(self, paths):
        paths = list(paths)
        if not paths:
            return self.none()
        condition = models.Q()
        for path in paths:
            condition |= models.Q(path__gte=path, path__lt=path[:-1] + "0")
        return self.filter(condition)


class Org(models.Model):
    """A party organisation in the tree (省/市/州 → 县/区 → 乡镇/街道/园区/部门 → 村/社区/支部)."""

    code = models.CharField("组织编码", max_length=64, unique=True)
    name = models.CharField("组织名称", max_length=200)
    parent = models.ForeignKey(
        "self", verbose_name="上级组织", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    unit_type = models.CharField("单位类别", max_length=20, choices=UnitType.choices)
    kind = models.CharField("组织类型", max_length=20, choices=OrgKind.choices)
    sector = models.CharField("领域", max_length=24, choices=Sector.choices, blank=True)
    member_count = models.PositiveIntegerField("党员人数", default=0)
    secretary = models.ForeignKey(
        "Person", verbose_name="书记", null=True, blank=True, on_delete=models.SET_NULL, related_name="led_orgs"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = OrgQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = "组织"
        verbose_name_plural = "组织"

    def __str__(self):
        return self.name

    def subtree(self):
        return Org.objects.within_path(self.path)

    def is_within(self, other: "Org") -> bool:
        return self.path.startswith(other.path)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part]

    def ancestors(self):
        """Ancestors from the root down, excluding self."""
        ids = self.ancestor_ids()[:-1]
        by_id = Org.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Person(models.Model):
    code = models.CharField("人员编号", max_length=64, unique=True)
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField("出生年份", null=True, blank=True)
    position = models.CharField("职务", max_length=100, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    orgs = models.ManyToManyField(Org, through="Membership", related_name="people", verbose_name="所属组织")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )

    class Meta:
        ordering = ["name", "code"]
        verbose_name = "人员"
        verbose_name_plural = "人员"

    def __str__(self):
        return self.name

    @property
    def masked_phone(self) -> str:
        if len(self.phone) >= 7:
            return self.phone[:3] + "*" * (len(self.phone) - 7) + self.phone[-4:]
        return "*" * len(self.phone)


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "org"], name="unique_membership")]

    def __str__(self):
        return f"{self.person} @ {self.org}"
