"""The demo's escalation ladders: every level of the policy gets one, the unit leader's without
a rung to its own leadership."""

from demo.policy import add_escalation_ladders
from workflows.models import EscalationRung
from workflows.policy import Level, current_policy

Target = EscalationRung.Target


def test_every_level_gets_the_demo_ladder_once(db):
    policy = current_policy()
    add_escalation_ladders(policy)
    add_escalation_ladders(policy)  # a level that has a ladder keeps it
    rows = {(r.level, r.step): (r.after_working_days, r.target) for r in policy.escalation_rungs.all()}
    assert len(rows) == 2 + 3 * 4
    assert rows[(Level.UNIT_LEADER, 1)] == (2, Target.LEVEL_APPROVERS)
    assert rows[(Level.UNIT_LEADER, 2)] == (3, Target.PARENT_APPROVERS)
    assert [rows[(Level.PARENT_PERSONNEL, step)] for step in (1, 2, 3)] == [
        (2, Target.LEVEL_APPROVERS),
        (2, Target.LEADER),
        (3, Target.PARENT_APPROVERS),
    ]
