# The unit users and builders are shared with tests/units (imported fixtures are registered here).
from tests.units.conftest import PNG, evidence_root, pushed_problem, responsibility_item, unit_users  # noqa: F401
