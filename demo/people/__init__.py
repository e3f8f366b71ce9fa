"""The demo people: who they are and their whole personnel file, drawn from fixed seeds, so
person i is the same whatever the number asked for."""

import random
from datetime import date, timedelta

from records.models import Employee

from ..draws import weighted
from ..organisation import STAFF_POSITION, UNIT_SPECS
from ..reference import DEMO_SEED
from .career import Career, DemoPerson
from .names import BIRTH_FIRST, BIRTH_LAST, FAMILY_NAMES, FEMALE, GIVEN_NAMES, MALE, MIDDLE_NAMES, citizen_id_for
from .ranks import LEADERS, STAFF_RANKS, STAFF_UNITS, SalaryScales

__all__ = ["DemoPerson", "SalaryScales", "build_people"]


def build_people(count, scales, seed=DEMO_SEED):
    """The first `count` demo people; person i is the same whatever `count` is.

    The draws of one shared generator fix who a person is (name, birth, CCCD, unit, rank), in
    the same order as earlier versions of the loader, so the same CCCDs come out; the rest of
    the file is drawn from a generator seeded by the person's CCCD."""
    rng = random.Random(seed)
    taken = set()
    people = []
    span = (BIRTH_LAST - BIRTH_FIRST).days
    for index in range(count):
        leader = LEADERS[index] if index < len(LEADERS) else None
        sex = FEMALE if rng.random() < 0.55 else MALE
        if leader:
            # Leaders are older: born 1966–1982.
            born = BIRTH_FIRST + timedelta(days=rng.randrange((date(1982, 12, 31) - BIRTH_FIRST).days))
            unit_code, position, rank = leader
            status = Employee.EmploymentStatus.CIVIL_SERVANT
        else:
            born = BIRTH_FIRST + timedelta(days=rng.randrange(span + 1))
            unit_code = weighted(rng, STAFF_UNITS)
            roll = rng.random()
            if roll < 0.84:
                status = Employee.EmploymentStatus.CIVIL_SERVANT
            elif roll < 0.93:
                status = Employee.EmploymentStatus.PUBLIC_EMPLOYEE
            else:
                status = Employee.EmploymentStatus.CONTRACT
            if status == Employee.EmploymentStatus.CONTRACT:
                rank = "01.004"
            else:
                rank = weighted(rng, STAFF_RANKS[UNIT_SPECS[unit_code].group])
            position = STAFF_POSITION if scales.group(rank) != "B" and rng.random() < 0.4 else ""
        entry_jitter = rng.randint(-2, 3)
        family = weighted(rng, FAMILY_NAMES)
        middle = rng.choice(MIDDLE_NAMES[sex])
        given = rng.choice(GIVEN_NAMES[sex])
        citizen_id = citizen_id_for(rng, born, sex, taken)
        person = Career(
            random.Random(f"{seed}:{citizen_id}"),
            scales,
            full_name=f"{family} {middle} {given}",
            family=family,
            born=born,
            sex=sex,
            citizen_id=citizen_id,
            unit=UNIT_SPECS[unit_code],
            position=position,
            rank=rank,
            status=status,
            entry_jitter=entry_jitter,
        ).build()
        people.append(person)
    return people
