"""Two years of inspection work in the demo: the plans of the Bộ and of Cục Thuế, their
inspections and follow-ups; found by plan (unit, year, title), inspection (plan, unit) and
follow-up (inspection, text), so a second run adds nothing."""

from datetime import date

from inspections.models import FollowUpAction, Inspection, InspectionPlan

# The Bộ plans through Vụ Tổ chức cán bộ; its plan is the Bộ's (units under it are in scope).
# (planner, year, title, decision number, decision date, description, inspections)
# inspection: (unit, scope, start, end, team, findings, conclusion number, conclusion date, follow-ups)
# follow-up: (text, deadline, status, completed on)
TEAM_BO = "\n".join(
    [
        "Trưởng đoàn: Ngô Văn Sơn, Vụ Tổ chức cán bộ",
        "Thành viên: Lê Thị Minh Hằng, Vụ Tổ chức cán bộ",
        "Thành viên: Trịnh Quốc Bảo, Thanh tra Bộ",
    ]
)
TEAM_CT = "\n".join(
    [
        "Trưởng đoàn: Võ Đức Thắng, Cục Thuế",
        "Thành viên: Phan Thị Thu Trang, Cục Thuế",
        "Thành viên: Đinh Văn Lộc, Cục Thuế",
    ]
)
OPEN, IN_PROGRESS, DONE, CANCELLED = (
    FollowUpAction.Status.OPEN,
    FollowUpAction.Status.IN_PROGRESS,
    FollowUpAction.Status.DONE,
    FollowUpAction.Status.CANCELLED,
)
INSPECTION_PLANS = [
    (
        "BTC",
        2025,
        "Kế hoạch kiểm tra công tác tổ chức cán bộ năm 2025",
        "512/QĐ-BTC",
        date(2025, 3, 20),
        "Vụ Tổ chức cán bộ chủ trì, phối hợp Thanh tra Bộ kiểm tra việc sắp xếp tổ chức bộ máy, bố trí công chức "
        "và thực hiện chỉ tiêu biên chế sau khi tổ chức lại hệ thống Thuế và Kho bạc Nhà nước.",
        [
            (
                "BTC.CT",
                "Việc sắp xếp, bố trí công chức sau tổ chức lại bộ máy; bổ nhiệm lãnh đạo cấp Chi cục; "
                "thực hiện chỉ tiêu biên chế năm 2025.",
                date(2025, 8, 4),
                date(2025, 8, 15),
                TEAM_BO,
                "Cơ bản thực hiện đúng quy định. Một số quyết định bổ nhiệm lại chưa đủ hồ sơ lấy phiếu tín nhiệm; "
                "hồ sơ của 12 công chức chưa cập nhật quá trình công tác sau sắp xếp.",
                "1850/KL-BTC",
                date(2025, 9, 10),
                [
                    (
                        "Bổ sung hồ sơ lấy phiếu tín nhiệm cho các trường hợp bổ nhiệm lại",
                        date(2025, 11, 30),
                        DONE,
                        date(2025, 11, 20),
                    ),
                    ("Cập nhật quá trình công tác sau sắp xếp cho 12 công chức", date(2025, 12, 31), IN_PROGRESS, None),
                ],
            ),
            (
                "BTC.KBNN.KV1",
                "Quản lý hồ sơ cán bộ; nâng bậc lương thường xuyên và trước thời hạn giai đoạn 2023–2025.",
                date(2025, 10, 6),
                date(2025, 10, 17),
                TEAM_BO,
                "Hai trường hợp nâng bậc lương trước thời hạn vượt tỷ lệ 10%; sổ theo dõi hồ sơ chưa ghi đủ biến động.",
                "2240/KL-BTC",
                date(2025, 11, 5),
                [
                    (
                        "Rà soát, điều chỉnh hai quyết định nâng bậc lương trước thời hạn vượt tỷ lệ",
                        date(2026, 1, 31),
                        OPEN,
                        None,
                    ),
                    ("Hoàn thiện sổ theo dõi biến động hồ sơ cán bộ", date(2026, 3, 31), DONE, date(2026, 3, 12)),
                ],
            ),
            (
                "BTC.KBNN",
                "Thực hiện quy định về đánh giá, xếp loại chất lượng công chức năm 2024.",
                date(2025, 11, 10),
                date(2025, 11, 14),
                TEAM_BO,
                "Tỷ lệ xếp loại hoàn thành xuất sắc nhiệm vụ đúng quy định; "
                "một số phiếu đánh giá thiếu chữ ký người đánh giá.",
                "2511/KL-BTC",
                date(2025, 12, 8),
                [("Bổ sung chữ ký trên các phiếu đánh giá còn thiếu", date(2026, 2, 28), DONE, date(2026, 2, 10))],
            ),
        ],
    ),
    (
        "BTC",
        2026,
        "Kế hoạch kiểm tra công tác tổ chức cán bộ năm 2026",
        "2790/QĐ-BTC",
        date(2025, 12, 22),
        "Kiểm tra công tác tuyển dụng, quản lý biên chế và hồ sơ cán bộ điện tử tại các đơn vị thuộc Bộ.",
        [
            (
                "BTC.CT.KV2",
                "Tuyển dụng công chức năm 2025; quản lý hồ sơ cán bộ điện tử.",
                date(2026, 3, 9),
                date(2026, 3, 20),
                TEAM_BO,
                "Tuyển dụng đúng quy trình; 8% hồ sơ điện tử chưa khớp với hồ sơ giấy về diễn biến lương.",
                "640/KL-BTC",
                date(2026, 4, 15),
                [
                    ("Đối chiếu, chỉnh lý diễn biến lương trên hồ sơ điện tử", date(2026, 6, 30), IN_PROGRESS, None),
                    ("Báo cáo kết quả khắc phục về Vụ Tổ chức cán bộ", date(2027, 3, 31), OPEN, None),
                ],
            ),
            (
                "BTC.KBNN.KV1",
                "Thực hiện chỉ tiêu biên chế và hợp đồng lao động năm 2026.",
                date(2026, 6, 15),
                None,
                TEAM_BO,
                "Đoàn đang làm việc tại đơn vị.",
                "",
                None,
                [],
            ),
        ],
    ),
    (
        "BTC.CT",
        2025,
        "Kế hoạch kiểm tra nội bộ ngành Thuế năm 2025",
        "75/QĐ-CT",
        date(2025, 3, 25),
        "Kiểm tra việc chấp hành quy trình quản lý thuế và quy định về công vụ tại các Chi cục Thuế khu vực.",
        [
            (
                "BTC.CT.KV1",
                "Quy trình kiểm tra thuế tại trụ sở người nộp thuế; chấp hành kỷ luật, kỷ cương hành chính.",
                date(2025, 6, 2),
                date(2025, 6, 13),
                TEAM_CT,
                "Ba cuộc kiểm tra kéo dài quá thời hạn; biên bản kiểm tra chưa đủ chữ ký.",
                "410/KL-CT",
                date(2025, 7, 4),
                [
                    (
                        "Chấn chỉnh việc kéo dài thời hạn kiểm tra tại trụ sở người nộp thuế",
                        date(2025, 9, 30),
                        DONE,
                        date(2025, 9, 25),
                    ),
                    ("Kiểm điểm trách nhiệm các đội kiểm tra có cuộc kiểm tra quá hạn", date(2025, 10, 31), OPEN, None),
                ],
            ),
            (
                "BTC.CT.KV2",
                "Quản lý nợ thuế và cưỡng chế nợ thuế; quản lý hồ sơ hoàn thuế.",
                date(2025, 9, 8),
                date(2025, 9, 19),
                TEAM_CT,
                "Nợ thuế quá hạn trên 90 ngày tăng 6%; một số hồ sơ hoàn thuế giải quyết chậm.",
                "655/KL-CT",
                date(2025, 10, 20),
                [
                    ("Xây dựng kế hoạch thu hồi nợ thuế quá hạn trên 90 ngày", date(2025, 12, 15), IN_PROGRESS, None),
                    ("Rà soát quy trình tiếp nhận hồ sơ hoàn thuế", date(2026, 1, 31), CANCELLED, None),
                ],
            ),
        ],
    ),
    (
        "BTC.CT",
        2026,
        "Kế hoạch kiểm tra nội bộ ngành Thuế năm 2026",
        "1520/QĐ-CT",
        date(2025, 12, 26),
        "Kiểm tra công tác quản lý hộ kinh doanh sau khi bỏ thuế khoán và việc thực hiện hoá đơn điện tử.",
        [
            (
                "BTC.CT.KV1",
                "Quản lý hộ kinh doanh chuyển sang kê khai; hoá đơn điện tử khởi tạo từ máy tính tiền.",
                date(2026, 4, 6),
                date(2026, 4, 17),
                TEAM_CT,
                "Đã chuyển đổi 94% hộ kinh doanh; chưa rà soát các hộ ngừng kinh doanh không khai báo.",
                "290/KL-CT",
                date(2026, 5, 12),
                [
                    ("Rà soát hộ kinh doanh ngừng hoạt động không khai báo", date(2026, 9, 30), OPEN, None),
                    (
                        "Cập nhật hồ sơ quản lý thuế của các hộ kinh doanh đã chuyển sang kê khai",
                        date(2027, 1, 15),
                        IN_PROGRESS,
                        None,
                    ),
                    (
                        "Tập huấn hoá đơn điện tử khởi tạo từ máy tính tiền cho công chức",
                        date(2026, 6, 30),
                        DONE,
                        date(2026, 6, 20),
                    ),
                ],
            ),
            (
                "BTC.CT.KV2",
                "Quản lý hộ kinh doanh chuyển sang kê khai tại địa bàn Thành phố Hồ Chí Minh.",
                date(2026, 6, 22),
                date(2026, 6, 30),
                TEAM_CT,
                "Đoàn đang tổng hợp kết quả kiểm tra.",
                "",
                None,
                [],
            ),
        ],
    ),
]


def ensure_inspection_work(units, counts):
    """Adds the plans, inspections and follow-ups the database lacks; counts what it adds."""
    for planner, year, title, number, decided, description, inspections in INSPECTION_PLANS:
        plan = InspectionPlan.objects.filter(unit=units[planner], year=year, title=title).first()
        if plan is None:
            plan = InspectionPlan(
                unit=units[planner],
                year=year,
                title=title,
                decision_number=number,
                decision_date=decided,
                description=description,
            )
            plan.full_clean()
            plan.save()
            counts["plans"] += 1
        for code, scope, start, end, team, findings, conclusion, concluded, follow_ups in inspections:
            inspection = Inspection.objects.filter(plan=plan, inspected_unit=units[code]).first()
            if inspection is None:
                inspection = Inspection(
                    plan=plan,
                    inspected_unit=units[code],
                    scope=scope,
                    start_date=start,
                    end_date=end,
                    team=team,
                    findings=findings,
                    conclusion_number=conclusion,
                    conclusion_date=concluded,
                )
                inspection.full_clean()
                inspection.save()
                counts["inspections"] += 1
            existing = set(inspection.follow_ups.values_list("description", flat=True))
            for text, deadline, status, completed in follow_ups:
                if text in existing:
                    continue
                action = FollowUpAction(
                    inspection=inspection, description=text, deadline=deadline, status=status, completed_on=completed
                )
                action.full_clean()
                action.save()
                counts["follow_ups"] += 1
