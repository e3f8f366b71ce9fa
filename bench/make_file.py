"""Write an import file of N made-up employees, each with five sub-records (two work periods,
a salary change, an evaluation, a parent), streamed with openpyxl write_only.

    DEBUG=1 DATABASE_URL=... .venv/bin/python bench/make_file.py --employees 100000 --out var/bench/ho-so-100000.xlsx

Needs a migrated database only for the salary table (coefficients must agree with it) and the
template's labels. Every row is valid; CCCDs are unique and agree with sex and birth year.
"""

import argparse
import datetime
import os
import random
import resource
import sys
import time
from pathlib import Path

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = {
    "male": ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thành"],
    "female": ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng"],
}
GIVEN = {
    "male": [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Hải",
        "Hùng",
        "Khánh",
        "Long",
        "Nam",
        "Phong",
        "Quân",
        "Sơn",
        "Tuấn",
        "Việt",
    ],
    "female": [
        "Anh",
        "Chi",
        "Dung",
        "Hà",
        "Hạnh",
        "Hoa",
        "Hương",
        "Lan",
        "Linh",
        "Mai",
        "Phương",
        "Thảo",
        "Trang",
        "Yến",
    ],
}
PROVINCES = [
    (1, "Hà Nội"),
    (31, "Hải Phòng"),
    (36, "Nam Định"),
    (38, "Thanh Hoá"),
    (40, "Nghệ An"),
    (48, "Đà Nẵng"),
    (79, "TP. Hồ Chí Minh"),
    (92, "Cần Thơ"),
]
RANKS = ["01.003", "06.038", "01.002", "06.031", "01.004"]
MAJORS = ["Kinh tế", "Tài chính – Ngân hàng", "Kế toán", "Luật", "Quản trị kinh doanh", "Công nghệ thông tin"]
RATINGS = ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ"]


def dmy(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


class People:
    """Person n, the same every time it is asked for (each sheet asks again, so nothing is kept)."""

    def __init__(self, unit_name: str):
        from records.models.salary import coefficients_for

        self.unit_name = unit_name
        self.coefficients = {code: coefficients_for(code, datetime.date(2020, 1, 1)) for code in RANKS}

    def facts(self, n: int) -> dict:
        rng = random.Random(n)
        sex = "male" if rng.random() < 0.5 else "female"
        born = datetime.date(1965 + rng.randrange(26), 1 + rng.randrange(12), 1 + rng.randrange(28))
        province, place = rng.choice(PROVINCES)
        recruited = datetime.date(born.year + 22 + rng.randrange(8), 1 + rng.randrange(12), 1)
        moved = datetime.date(recruited.year + 1 + rng.randrange(5), 1 + rng.randrange(12), 1)  # by 2025 at the latest
        rank = rng.choice(RANKS)
        step = 1 + rng.randrange(len(self.coefficients[rank]))
        return {
            "n": n,
            "rng": rng,
            "sex": sex,
            "born": born,
            "place": place,
            "cccd": f"{province:03d}{(0 if sex == 'male' else 1)}{born.year % 100:02d}{n:06d}",
            "name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}",
            "recruited": recruited,
            "moved": moved,
            "rank": rank,
            "step": step,
            "coefficient": self.coefficients[rank][step - 1],
            "salary_date": datetime.date(2019 + rng.randrange(5), 1 + rng.randrange(12), 1),
        }

    def employee(self, n: int) -> dict:
        f = self.facts(n)
        rng = f["rng"]
        return {
            "citizen_id": f["cccd"],
            "full_name": f["name"],
            "date_of_birth": dmy(f["born"]),
            "sex": "Nam" if f["sex"] == "male" else "Nữ",
            "place_of_birth": f["place"],
            "home_town": f["place"],
            "ethnicity": "Kinh",
            "religion": "Không",
            "permanent_address": f"Số {rng.randrange(1, 300)} đường {rng.choice(GIVEN['male'])}, {f['place']}",
            "current_address": f"Số {rng.randrange(1, 300)} phố {rng.choice(GIVEN['female'])}, {f['place']}",
            "citizen_id_issue_date": dmy(datetime.date(2021, 1 + rng.randrange(12), 1 + rng.randrange(28))),
            "citizen_id_issue_place": "Cục Cảnh sát QLHC về TTXH",
            "social_insurance_number": f"{rng.randrange(10**9, 10**10)}",
            "recruitment_date": dmy(f["recruited"]),
            "recruiting_agency": self.unit_name,
            "main_duties": "Quản lý thuế",
            "rank_code": f["rank"],
            "salary_step": f["step"],
            "salary_coefficient": str(f["coefficient"]),
            "salary_effective_date": dmy(f["salary_date"]),
            "qualification": "Đại học",
            "major": rng.choice(MAJORS),
            "political_theory": rng.choice(["Sơ cấp", "Trung cấp", "Cao cấp"]),
            "state_management": "Chuyên viên",
            "foreign_language": "Tiếng Anh B1",
            "it_skill": "Ứng dụng CNTT cơ bản",
            "employment_status": "Công chức",
        }

    def work(self, n: int) -> list[dict]:
        f = self.facts(n)
        return [
            {
                "citizen_id": f["cccd"],
                "start_date": dmy(f["recruited"]),
                "end_date": dmy(f["moved"] - datetime.timedelta(days=1)),
                "organisation": f"Chi cục Thuế {f['place']}",
                "title": "Chuyên viên",
                "decision_number": f"{n}/QĐ-TD",
            },
            {
                "citizen_id": f["cccd"],
                "start_date": dmy(f["moved"]),
                "organisation": self.unit_name,
                "title": "Chuyên viên",
                "decision_number": f"{n}/QĐ-ĐĐ",
                "decision_date": dmy(f["moved"] - datetime.timedelta(days=15)),
            },
        ]

    def salary(self, n: int) -> dict:
        f = self.facts(n)
        return {
            "citizen_id": f["cccd"],
            "effective_date": dmy(f["salary_date"]),
            "rank_code": f["rank"],
            "salary_step": f["step"],
            "salary_coefficient": str(f["coefficient"]),
            "decision_number": f"{n}/QĐ-NL",
        }

    def evaluation(self, n: int) -> dict:
        f = self.facts(n)
        return {"citizen_id": f["cccd"], "year": 2024, "rating": f["rng"].choice(RATINGS)}

    def parent(self, n: int) -> dict:
        f = self.facts(n)
        return {
            "citizen_id": f["cccd"],
            "relation": "Bố",
            "full_name": f"{f['name'].split()[0]} Văn {f['rng'].choice(GIVEN['male'])}",
            "birth_year": f["born"].year - 25 - f["rng"].randrange(8),
            "details": f"Nghỉ hưu, {f['place']}",
        }


def write_file(path: Path, employees: int, *, unit_name: str = "Chi cục Thuế khu vực thử tải") -> Path:
    """Stream the file to `path`; nothing but the current row is held."""
    from records.models import Employee, Evaluation, FamilyMember, SalaryHistory, WorkHistory
    from workflows.imports import build_workbook

    people = People(unit_name)
    count = range(employees)
    rows = {
        Employee: (people.employee(n) for n in count),
        WorkHistory: (row for n in count for row in people.work(n)),
        SalaryHistory: (people.salary(n) for n in count),
        Evaluation: (people.evaluation(n) for n in count),
        FamilyMember: (people.parent(n) for n in count),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(rows=rows, write_only=True).save(path)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    started = time.monotonic()
    write_file(args.out, args.employees)
    print(
        f"generate: {args.employees} employees, {5 * args.employees} sub-records → {args.out} "
        f"({args.out.stat().st_size / 2**20:.1f} MiB) in {time.monotonic() - started:.1f} s, "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
