"""The sections of a demo person's file that follow from their career: evaluations,
commendations and discipline, training, the form 2C fields, and the family."""

import random
from datetime import date, timedelta
from decimal import Decimal

from records.models import (
    Discipline,
    Employee,
    EmploymentContract,
    Evaluation,
    FamilyMember,
    NonCountedPeriod,
    Probation,
    RetirementDecision,
    Training,
)

from ..draws import age_on, between, decision_number, plus_months, plus_years, weighted
from ..organisation import ALLOWANCES, HEAD_TITLES, HEADS, SENIOR_LEADERS
from ..reference import EVALUATION_YEARS, REFERENCE_DATE, REORGANISATION
from .names import (
    CITY_NAMES,
    CITY_PROVINCE,
    DUTIES,
    FAMILY_NAMES,
    FEMALE,
    MALE,
    PERSONAL_HISTORY,
    PROVINCE_CODES,
    PROVINCES,
    SOUTHERN_PROVINCES,
    SPOUSE_JOBS,
    STREETS,
    STRENGTHS,
    UNIVERSITIES,
    person_name,
)


class PersonalFile:
    """The file sections of a Career (a mixin: it reads what the career steps drew)."""

    def _non_counted(self):
        """About one person in fifty took unpaid leave in the last two years (time not counted
        towards the salary step). Drawn from its own generator, so the other draws stay as they were."""
        rng = random.Random(f"non-counted-{self.citizen_id}")
        if rng.random() >= 0.02 or self.recruited > REFERENCE_DATE - timedelta(days=800):
            return []
        start = REFERENCE_DATE - timedelta(days=rng.randint(120, 700))
        end = start + timedelta(days=rng.randint(10, 75))
        return [
            {
                "kind": NonCountedPeriod.Kind.UNPAID_LEAVE,
                "start_date": start,
                "end_date": end,
                "note": "Nghỉ việc riêng không hưởng lương",
                "decision_number": decision_number(rng, self._issuer_on(start)),
                "decision_date": start - timedelta(days=7),
            }
        ]

    def _retirement_decisions(self):
        """About one in four of those a year or so from retirement (men 60, women 55 on the reference
        date) has a decision that moves it: a postponement for a serious illness (3 months, Decree
        170/2025 Art. 61(3)(b)) or an early retirement from 01/01/2027 (Decree 178/2024), both
        before their statutory month. Drawn from its own generator, as _non_counted."""
        rng = random.Random(f"retirement-{self.citizen_id}")
        window = 60 if self.sex == MALE else 55
        if age_on(self.born) != window or rng.random() >= 0.25:
            return []
        decided = REFERENCE_DATE - timedelta(days=rng.randint(10, 120))
        row = {
            "decision_number": decision_number(rng, self._issuer_on(decided)),
            "decision_date": decided,
        }
        if rng.random() < 0.5:
            return [
                {
                    **row,
                    "kind": RetirementDecision.Kind.POSTPONEMENT,
                    "ground": RetirementDecision.Ground.SERIOUS_ILLNESS,
                    "months": 3,
                    "legal_basis": "Nghị định 170/2025/NĐ-CP, Điều 61 khoản 3 điểm b",
                }
            ]
        return [
            {
                **row,
                "kind": RetirementDecision.Kind.EARLY_RETIREMENT,
                "retire_from": date(2027, 1, 1),
                "legal_basis": "Nghị định 178/2024/NĐ-CP (sửa đổi bởi Nghị định 67/2025/NĐ-CP), nghỉ hưu trước tuổi",
            }
        ]

    def _contracts(self):
        """A contract worker's current fixed-term labour contract, ending between 2 and 14 months
        after the reference date (so the due lists show some ending soon). Drawn from its own
        generator, so the other draws stay as they were."""
        if self.status != Employee.EmploymentStatus.CONTRACT:
            return []
        rng = random.Random(f"contract-{self.citizen_id}")
        end = plus_months(REFERENCE_DATE, rng.randint(2, 14)) - timedelta(days=rng.randint(0, 27))
        start = max(plus_months(end + timedelta(days=1), -rng.choice((12, 24, 36))), self.recruited)
        return [
            {
                "kind": EmploymentContract.Kind.FIXED_TERM,
                "number": f"{rng.randint(10, 480)}/{start.year}/HĐLĐ",
                "start_date": start,
                "end_date": end,
            }
        ]

    def _probations(self):
        """The probation of those recruited in the last 18 months before the reference date:
        tập sự for public employees, its end computed by the rules (12 months for a university
        degree); thử việc of 60 days, its end on file, for contract workers. Civil servants
        recruited since 01/07/2025 serve none (Law 80/2025, as the rule rows read it)."""
        if self.recruited < plus_months(REFERENCE_DATE, -18):
            return []
        if self.status == Employee.EmploymentStatus.PUBLIC_EMPLOYEE:
            return [
                {
                    "kind": Probation.Kind.PROBATION,
                    "start_date": self.recruited,
                    "note": "Tập sự theo quyết định tuyển dụng",
                }
            ]
        if self.status == Employee.EmploymentStatus.CONTRACT:
            end = self.recruited + timedelta(days=59)
            return [{"kind": Probation.Kind.TRIAL, "start_date": self.recruited, "end_date": end}]
        return []

    def _evaluations_and_awards(self):
        rng = self.rng
        self.evaluations, self.commendations, self.disciplines = [], [], []
        years = [y for y in EVALUATION_YEARS if self.recruited <= date(y, 6, 30)]  # 6+ months in the year
        disciplined = None
        if years and not self.is_leader and rng.random() < 0.03:
            disciplined = rng.choice(years)
            form = Discipline.Form.REPRIMAND if rng.random() < 0.7 else Discipline.Form.WARNING
            start = date(disciplined, rng.randint(3, 10), rng.randint(1, 28))
            self.disciplines.append(
                {
                    "form": form,
                    "reason": rng.choice(
                        [
                            "Chậm giải quyết hồ sơ hoàn thuế quá thời hạn quy định",
                            "Vi phạm quy định về bảo mật thông tin người nộp thuế",
                            "Thiếu trách nhiệm trong kiểm soát hồ sơ chi ngân sách",
                            "Vi phạm quy chế làm việc, nghỉ việc không có lý do",
                        ]
                    ),
                    "authority": self._head_title(start),
                    "effective_from": start,
                    "effective_to": plus_months(start, 12),
                    "decision_number": decision_number(rng, self._issuer_on(start)),
                    "decision_date": start,
                }
            )
        ratings = [
            (Evaluation.Rating.EXCELLENT, 14),
            (Evaluation.Rating.GOOD, 70),
            (Evaluation.Rating.ADEQUATE, 14),
            (Evaluation.Rating.FAILED, 2),
        ]
        comments = {
            Evaluation.Rating.EXCELLENT: "Hoàn thành vượt mức các nhiệm vụ được giao, có sáng kiến được áp dụng.",
            Evaluation.Rating.GOOD: "Hoàn thành tốt các nhiệm vụ được giao.",
            Evaluation.Rating.ADEQUATE: "Hoàn thành nhiệm vụ; còn chậm tiến độ ở một số việc.",
            Evaluation.Rating.FAILED: "Không hoàn thành một số nhiệm vụ trọng tâm được giao.",
        }
        if self.is_leader:  # a leader who failed would not have kept the post
            ratings = ratings[:3]
        for year in years:
            if year == disciplined:  # disciplined in the year: rated as not completing its tasks
                rating, comment = Evaluation.Rating.FAILED, "Bị xử lý kỷ luật trong năm đánh giá."
            else:
                rating = weighted(rng, ratings)
                comment = comments[rating]
            self.evaluations.append({"year": year, "rating": rating, "comment": comment})
            if rating == Evaluation.Rating.EXCELLENT and rng.random() < 0.8:
                self.commendations.append(
                    self._commendation(year, f"Giấy khen của {self._head_title(date(year, 12, 1))}")
                )
        earlier = self.recruited.year + 2
        if earlier <= EVALUATION_YEARS[0] - 1 and rng.random() < 0.35:
            year = rng.randint(earlier, EVALUATION_YEARS[0] - 1)
            self.commendations.insert(0, self._commendation(year, "Bằng khen của Bộ trưởng Bộ Tài chính", issuer="BTC"))

    def _commendation(self, year, form, issuer=None):
        decided = date(year, 12, self.rng.randint(18, 30))
        authority = form.split(" của ", 1)[1]
        return {
            "year": year,
            "form": form,
            "reason": f"Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm {year}",
            "authority": authority[0].upper() + authority[1:],
            "decision_number": decision_number(self.rng, issuer or self._issuer_on(decided)),
            "decision_date": decided,
        }

    def _head_title(self, day):
        """Who decided commendations and disciplines for this person on `day`."""
        return HEAD_TITLES[self.unit.code][0 if day >= REORGANISATION else 1]

    def _trainings(self):
        """Up to three rows: the degree, a master's, the state-management course of the rank
        (bồi dưỡng QLNN), then a political-theory course. The order of the steps matters: each
        draws from self.rng."""
        rng, last = self.rng, plus_months(REFERENCE_DATE, -1)
        rows = self.trainings
        group = self.scales.group(self.rank)
        self._master(rows, group)
        self._state_management_course(rows, group, last)
        self.political_theory = self._political_theory_level(group)
        if len(rows) < 3 and self.political_theory in (
            Employee.PoliticalTheory.ADVANCED,
            Employee.PoliticalTheory.INTERMEDIATE,
        ):
            self._political_theory_course(rows, last)
        rows[0].update(decision_number="", decision_date=None)  # studied before recruitment: no one sent them
        for row in rows[1:]:  # the agency sent them (quyết định cử đi học)
            row["decision_number"] = decision_number(rng, self._issuer_on(row["start_date"]))
            row["decision_date"] = row["start_date"] - timedelta(days=rng.randint(5, 25))
        rows.sort(key=lambda r: r["start_date"])
        return rows

    def _master(self, rows, group):
        """A master's degree, part-time, for some of the A-group ranks."""
        rng = self.rng
        master_share = {"A3.1": 0.5, "A2.1": 0.4, "A1": 0.15}.get(group, 0)
        if rng.random() >= master_share:
            return
        first = plus_years(self.recruited, 1)
        end = min(plus_years(self.recruited, 8), plus_years(REFERENCE_DATE, -3))
        if first >= end:
            return
        start = date(between(rng, first, end).year, 10, 15)
        rows.append(
            {
                "kind": Training.Kind.DEGREE,
                "name": f"Thạc sĩ {self.major}",
                "institution": rng.choice(UNIVERSITIES[self.unit.city]),
                "start_date": start,
                "end_date": date(start.year + 2, 6, 30),
                "mode": Training.Mode.PART_TIME,
                "certificate": "Bằng thạc sĩ",
            }
        )
        self.qualification = Employee.Qualification.MASTER

    def _state_management_course(self, rows, group, last):
        """The state-management course of the rank (bồi dưỡng QLNN), before the promotion to it."""
        self.state_management = Employee.StateManagement.NONE
        if group == "A3.1":
            course = ("QLNN ngạch chuyên viên cao cấp", Employee.StateManagement.SENIOR, "Học viện Hành chính Quốc gia")
            first, end = plus_months(self.promotions[-1], -20), plus_months(self.promotions[-1], -4)
        elif group == "A2.1":
            course = (
                "QLNN ngạch chuyên viên chính",
                Employee.StateManagement.PRINCIPAL,
                "Trường Bồi dưỡng cán bộ tài chính",
            )
            first, end = plus_months(self.promotions[-1], -18), plus_months(self.promotions[-1], -3)
        elif group == "A1" and self.status != Employee.EmploymentStatus.CONTRACT:
            course = (
                "QLNN ngạch chuyên viên",
                Employee.StateManagement.SPECIALIST,
                "Trường Bồi dưỡng cán bộ tài chính",
            )
            first, end = plus_months(self.recruited, 6), min(plus_years(self.recruited, 3), plus_months(last, -2))
        else:
            return
        if first >= end:
            return
        start = between(self.rng, max(first, self.recruited), end)
        rows.append(
            {
                "kind": Training.Kind.COURSE,
                "name": course[0],
                "institution": course[2],
                "start_date": start,
                "end_date": start + timedelta(days=56),
                "mode": Training.Mode.IN_SERVICE,
                "certificate": f"Chứng chỉ {course[0]}",
            }
        )
        self.state_management = course[1]

    def _political_theory_level(self, group):
        """Political theory (lý luận chính trị): advanced for senior leaders, intermediate for the
        other leaders and for some principal and senior specialists, elementary for some members
        of the Party."""
        rng = self.rng
        if self.is_leader:
            if self.position in SENIOR_LEADERS:
                return Employee.PoliticalTheory.ADVANCED
            return Employee.PoliticalTheory.INTERMEDIATE
        if group in ("A2.1", "A3.1") and rng.random() < 0.5:
            return Employee.PoliticalTheory.INTERMEDIATE
        if self.party_join and rng.random() < 0.5:
            return Employee.PoliticalTheory.ELEMENTARY
        return Employee.PoliticalTheory.NONE

    def _political_theory_course(self, rows, last):
        """The diploma course of an advanced or intermediate level, part-time."""
        advanced = self.political_theory == Employee.PoliticalTheory.ADVANCED
        if advanced:
            first = max(plus_years(self.recruited, 10), plus_years(self.born, 36))
        else:
            first = plus_years(self.recruited, 5)
        end = plus_months(last, -10 if advanced else -6)
        if first >= end:
            return
        start = between(self.rng, first, end)
        rows.append(
            {
                "kind": Training.Kind.DEGREE,  # a political-theory diploma is a degree (đào tạo)
                "name": "Cao cấp lý luận chính trị" if advanced else "Trung cấp lý luận chính trị – hành chính",
                "institution": "Học viện Chính trị khu vực I" if advanced else "Trường Chính trị tỉnh, thành phố",
                "start_date": start,
                "end_date": plus_months(start, 8 if advanced else 5),
                "mode": Training.Mode.PART_TIME,
                "certificate": "Bằng cao cấp lý luận chính trị" if advanced else "Bằng trung cấp lý luận chính trị",
            }
        )

    def _address(self):
        rng = self.rng
        street, ward = rng.choice(STREETS[self.unit.city])
        if self.unit.city == "hn" and rng.random() < 0.5:
            return f"Số {rng.randint(2, 60)}, ngõ {rng.randint(3, 250)} {street}, phường {ward}, {CITY_NAMES['hn']}"
        return f"Số {rng.randint(2, 420)} {street}, phường {ward}, {CITY_NAMES[self.unit.city]}"

    def _fields(self):
        rng, born = self.rng, self.born
        province_code = self.citizen_id[:3]
        province, districts = PROVINCES[province_code]
        place_of_birth = f"{rng.choice(districts)}, {province}"
        home_code = province_code if rng.random() < 0.7 else rng.choice(PROVINCE_CODES)
        home_province, home_districts = PROVINCES[home_code]
        self.home_town = f"{rng.choice(home_districts)}, {home_province}"
        current = self._address()
        permanent = current if rng.random() < 0.7 else self._address()
        southern = province_code in SOUTHERN_PROVINCES
        ethnicity = weighted(
            rng,
            [("Kinh", 92), ("Hoa", 3), ("Khmer", 3), ("Tày", 1), ("Mường", 1)]
            if southern
            else [("Kinh", 92), ("Tày", 3), ("Mường", 2), ("Thái", 2), ("Nùng", 1)],
        )
        religion = weighted(rng, [("Không", 85), ("Phật giáo", 8), ("Công giáo", 6), ("Cao Đài", 1 if southern else 0)])
        issued = between(rng, max(date(2021, 3, 1), plus_years(born, 14)), plus_months(REFERENCE_DATE, -1))
        issue_place = (
            "Bộ Công an" if issued >= date(2024, 7, 1) else "Cục Cảnh sát quản lý hành chính về trật tự xã hội"
        )
        if self.fresh_graduate:
            occupation = "Sinh viên mới tốt nghiệp"
        else:
            occupation = rng.choice(
                ["Nhân viên kế toán doanh nghiệp", "Nhân viên ngân hàng thương mại", "Nhân viên hợp đồng"]
            )
        if self.is_leader:
            field_of_work = rng.choice(DUTIES[self.unit.group]).lower()
            duties = "Phụ trách chung" if self.position in HEADS else f"Phụ trách lĩnh vực {field_of_work}"
        else:
            duties = rng.choice(DUTIES[self.unit.group])
        young = born.year >= 1985
        if young:
            language = rng.choice(["Tiếng Anh bậc 3 (B1)", "Tiếng Anh bậc 4 (B2)", "Tiếng Anh bậc 3 (B1)", "IELTS 6.5"])
            it_skill = rng.choice(["Ứng dụng CNTT cơ bản", "Ứng dụng CNTT nâng cao"])
        else:
            language = rng.choice(["Tiếng Anh trình độ B", "Tiếng Anh trình độ C", "Tiếng Pháp trình độ B"])
            it_skill = rng.choice(
                ["Tin học văn phòng trình độ B", "Tin học văn phòng trình độ A", "Ứng dụng CNTT cơ bản"]
            )
        military = {}
        if self.military:
            enlisted = date(born.year + 18, 2, rng.randint(10, 28))
            military = {
                "military_enlist_date": enlisted,
                "military_discharge_date": plus_months(enlisted, 24),
                "military_rank": rng.choice(["Trung sĩ", "Thượng sĩ"]),
            }
        male = self.sex == MALE
        policy = ""
        if born.year < 1975 and rng.random() < 0.05:
            policy = rng.choice(["Con liệt sĩ", "Con thương binh hạng 3/4"])
        return {
            "full_name": self.full_name,
            "date_of_birth": born,
            "sex": self.sex,
            "place_of_birth": place_of_birth,
            "home_town": self.home_town,
            "ethnicity": ethnicity,
            "religion": religion,
            "permanent_address": permanent,
            "current_address": current,
            "citizen_id": self.citizen_id,
            "citizen_id_issue_date": issued,
            "citizen_id_issue_place": issue_place,
            "social_insurance_number": f"{CITY_PROVINCE[self.unit.city][1:]}{rng.randrange(10**8):08d}",
            "occupation_at_recruitment": occupation,
            "recruitment_date": self.recruited,
            "recruiting_agency": self.recruiting_agency,
            "main_duties": duties,
            "rank_code": self.rank,
            "salary_step": self.step,
            "salary_coefficient": self.coefficient,
            "salary_effective_date": self.salary_effective_date,
            "position_allowance": ALLOWANCES.get((self.unit.code, self.position), Decimal("0")),
            "seniority_allowance_percent": self.seniority,
            "general_education": "12/12",
            "qualification": self.qualification,
            "major": self.major,
            "political_theory": self.political_theory,
            "state_management": self.state_management,
            "foreign_language": language,
            "it_skill": it_skill,
            "party_join_date": self.party_join,
            "party_official_date": self.party_official,
            "mass_organisation": self.mass_organisation,
            "mass_organisation_join_date": self.mass_joined,
            **military,
            "strengths": rng.choice(STRENGTHS[self.unit.group]) if rng.random() < 0.5 else "",
            "health_status": weighted(rng, [("Tốt", 70), ("Khá", 25), ("Bình thường", 5)]),
            "height_cm": rng.randint(160, 178) if male else rng.randint(150, 166),
            "weight_kg": rng.randint(55, 80) if male else rng.randint(43, 62),
            "blood_type": weighted(rng, [("O", 42), ("B", 30), ("A", 21), ("AB", 7)]),
            "policy_status": policy,
            "personal_history": PERSONAL_HISTORY,
            "employment_status": self.status,
        }

    def _family(self):
        """Parents, then a spouse and children, then the spouse's parents: 2 to 5 people."""
        rng, born, year = self.rng, self.born, REFERENCE_DATE.year
        town = self.home_town

        def parent(sex, family, gap, relation, side=FamilyMember.Side.OWN):
            birth_year = born.year - gap
            if year - birth_year > 78 and rng.random() < 0.6:
                details = f"Đã mất. Quê quán: {town}"
            elif year - birth_year >= 60:
                details = rng.choice(
                    [f"Hưu trí, trú tại {town}", f"Làm ruộng, trú tại {town}", f"Nội trợ, trú tại {town}"]
                )
            else:
                details = rng.choice([f"Kinh doanh tự do, trú tại {town}", f"Giáo viên, trú tại {town}"])
            return {
                "side": side,
                "relation": relation,
                "full_name": person_name(rng, sex, family),
                "birth_year": birth_year,
                "details": details,
            }

        father_family = self.family
        members = [
            parent(MALE, father_family, rng.randint(24, 34), "Bố"),
            parent(FEMALE, None, rng.randint(21, 30), "Mẹ"),
        ]
        married = self.age >= 25 and rng.random() < (0.9 if self.age >= 30 else 0.5)
        if married:
            spouse_sex = FEMALE if self.sex == MALE else MALE
            spouse_family = weighted(rng, FAMILY_NAMES)
            spouse_year = born.year + (rng.randint(-1, 5) if spouse_sex == FEMALE else rng.randint(-5, 1))
            members.append(
                {
                    "side": FamilyMember.Side.OWN,
                    "relation": "Vợ" if spouse_sex == FEMALE else "Chồng",
                    "full_name": person_name(rng, spouse_sex, spouse_family),
                    "birth_year": spouse_year,
                    "details": rng.choice(SPOUSE_JOBS) + f", trú tại {CITY_NAMES[self.unit.city]}",
                }
            )
            children_family = self.family if self.sex == MALE else spouse_family
            first_child = born.year + rng.randint(26, 31)
            for n in range(rng.randint(1, 2)):
                child_year = first_child + 3 * n
                if child_year > year or len(members) >= 5:
                    break
                sex = rng.choice([MALE, FEMALE])
                age = year - child_year
                details = "Sinh viên" if 18 <= age <= 22 else ("Học sinh" if age >= 6 else "Còn nhỏ")
                if age > 22:
                    details = "Nhân viên văn phòng"
                members.append(
                    {
                        "side": FamilyMember.Side.OWN,
                        "relation": "Con",
                        "full_name": person_name(rng, sex, children_family),
                        "birth_year": child_year,
                        "details": details,
                    }
                )
            if len(members) < 5 and rng.random() < 0.5:
                relation = "Bố vợ" if spouse_sex == FEMALE else "Bố chồng"
                members.append(parent(MALE, spouse_family, rng.randint(24, 34), relation, FamilyMember.Side.SPOUSE))
        return members[:5]
