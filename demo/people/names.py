"""Names and places of the demo people: family, middle and given names, provinces (CCCD codes),
streets, schools, duties; and the drawing of a name and a CCCD."""

from datetime import date

from records.models import Employee

from ..draws import weighted

# --- Names and places -------------------------------------------------------------------
FAMILY_NAMES = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 4),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 1),
    ("Ngô", 1),
    ("Dương", 1),
    ("Lý", 1),
]
MALE, FEMALE = Employee.Sex.MALE, Employee.Sex.FEMALE
MIDDLE_NAMES = {
    MALE: ["Văn", "Văn", "Hữu", "Minh", "Đức", "Thanh", "Quang", "Ngọc", "Công", "Xuân", "Duy", "Mạnh"],
    FEMALE: ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Thùy", "Kim", "Phương", "Hồng", "Diệu"],
}
GIVEN_NAMES = {
    MALE: [
        "Hùng",
        "Dũng",
        "Tuấn",
        "Minh",
        "Nam",
        "Long",
        "Hải",
        "Sơn",
        "Thắng",
        "Quang",
        "Khoa",
        "Phong",
        "Bình",
        "Cường",
        "Đạt",
        "Hiếu",
        "Trung",
        "Toàn",
        "Vinh",
        "Thành",
        "Tùng",
        "Kiên",
        "Lâm",
        "Quân",
        "Huy",
        "Khánh",
        "Phúc",
        "Tâm",
        "Đông",
        "Hưng",
    ],
    FEMALE: [
        "Lan",
        "Hương",
        "Hoa",
        "Mai",
        "Linh",
        "Trang",
        "Hằng",
        "Ngọc",
        "Thảo",
        "Phương",
        "Nga",
        "Yến",
        "Hà",
        "Thủy",
        "Vân",
        "Hạnh",
        "Huyền",
        "Loan",
        "Dung",
        "Nhung",
        "Oanh",
        "Trinh",
        "Vy",
        "Anh",
        "Giang",
        "Quỳnh",
        "Liên",
        "Hiền",
        "Thư",
        "Châu",
    ],
}
# Province codes of the CCCD (Thông tư 59/2021/TT-BCA, phụ lục I), weighted to the north,
# with the province (before the 2025 mergers: births were registered then) and some districts.
PROVINCE_CODES = [
    "001",
    "001",
    "001",
    "022",
    "024",
    "026",
    "027",
    "030",
    "031",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "040",
    "042",
    "046",
    "048",
    "052",
    "074",
    "075",
    "079",
    "079",
    "083",
    "087",
    "092",
]
PROVINCES = {
    "001": (
        "thành phố Hà Nội",
        ["huyện Đông Anh", "huyện Thanh Trì", "huyện Sóc Sơn", "quận Đống Đa", "huyện Ba Vì", "huyện Thường Tín"],
    ),
    "022": ("tỉnh Quảng Ninh", ["thành phố Hạ Long", "thành phố Uông Bí", "thị xã Đông Triều"]),
    "024": ("tỉnh Bắc Giang", ["huyện Lạng Giang", "huyện Việt Yên", "huyện Yên Dũng"]),
    "026": ("tỉnh Vĩnh Phúc", ["huyện Yên Lạc", "huyện Vĩnh Tường", "thành phố Vĩnh Yên"]),
    "027": ("tỉnh Bắc Ninh", ["huyện Tiên Du", "thị xã Thuận Thành", "huyện Gia Bình"]),
    "030": ("tỉnh Hải Dương", ["huyện Gia Lộc", "huyện Cẩm Giàng", "huyện Thanh Miện"]),
    "031": ("thành phố Hải Phòng", ["huyện Thủy Nguyên", "huyện An Lão", "huyện Tiên Lãng"]),
    "033": ("tỉnh Hưng Yên", ["huyện Văn Lâm", "huyện Khoái Châu", "huyện Tiên Lữ"]),
    "034": ("tỉnh Thái Bình", ["huyện Vũ Thư", "huyện Kiến Xương", "huyện Quỳnh Phụ"]),
    "035": ("tỉnh Hà Nam", ["huyện Bình Lục", "huyện Thanh Liêm", "huyện Lý Nhân"]),
    "036": ("tỉnh Nam Định", ["huyện Hải Hậu", "huyện Ý Yên", "huyện Giao Thủy"]),
    "037": ("tỉnh Ninh Bình", ["huyện Gia Viễn", "huyện Kim Sơn", "huyện Yên Khánh"]),
    "038": ("tỉnh Thanh Hóa", ["huyện Hoằng Hóa", "huyện Nông Cống", "huyện Thọ Xuân"]),
    "040": ("tỉnh Nghệ An", ["huyện Diễn Châu", "huyện Nghi Lộc", "huyện Đô Lương"]),
    "042": ("tỉnh Hà Tĩnh", ["huyện Can Lộc", "huyện Đức Thọ", "huyện Thạch Hà"]),
    "046": ("tỉnh Thừa Thiên Huế", ["huyện Phú Vang", "thị xã Hương Thủy", "huyện Quảng Điền"]),
    "048": ("thành phố Đà Nẵng", ["quận Hải Châu", "huyện Hòa Vang", "quận Sơn Trà"]),
    "052": ("tỉnh Bình Định", ["huyện Phù Cát", "thị xã An Nhơn", "huyện Tuy Phước"]),
    "074": ("tỉnh Bình Dương", ["thành phố Thủ Dầu Một", "thị xã Bến Cát", "huyện Phú Giáo"]),
    "075": ("tỉnh Đồng Nai", ["thành phố Biên Hòa", "huyện Long Thành", "huyện Trảng Bom"]),
    "079": ("Thành phố Hồ Chí Minh", ["Quận 1", "quận Bình Thạnh", "quận Gò Vấp", "huyện Củ Chi", "quận Tân Bình"]),
    "083": ("tỉnh Bến Tre", ["huyện Mỏ Cày Nam", "huyện Châu Thành", "huyện Ba Tri"]),
    "087": ("tỉnh Đồng Tháp", ["huyện Cao Lãnh", "thành phố Sa Đéc", "huyện Lai Vung"]),
    "092": ("thành phố Cần Thơ", ["quận Ninh Kiều", "huyện Phong Điền", "quận Bình Thủy"]),
}
SOUTHERN_PROVINCES = {"074", "075", "079", "083", "087", "092"}
# Where people live now: (street, ward) in the two-level administration since 07/2025.
STREETS = {
    "hn": [
        ("phố Kim Mã", "Giảng Võ"),
        ("phố Đội Cấn", "Ngọc Hà"),
        ("phố Hàng Bông", "Hoàn Kiếm"),
        ("phố Chùa Bộc", "Kim Liên"),
        ("phố Tây Sơn", "Đống Đa"),
        ("đường Láng", "Láng"),
        ("phố Hào Nam", "Ô Chợ Dừa"),
        ("phố Huế", "Hai Bà Trưng"),
        ("phố Bạch Mai", "Bạch Mai"),
        ("phố Minh Khai", "Vĩnh Tuy"),
        ("phố Trần Duy Hưng", "Yên Hòa"),
        ("phố Hoàng Quốc Việt", "Nghĩa Đô"),
        ("đường Nguyễn Trãi", "Thanh Xuân"),
        ("phố Lạc Long Quân", "Tây Hồ"),
        ("đường Nguyễn Văn Cừ", "Bồ Đề"),
        ("phố Quang Trung", "Hà Đông"),
        ("đường Giải Phóng", "Hoàng Mai"),
        ("đường Hồ Tùng Mậu", "Từ Liêm"),
    ],
    "hcm": [
        ("đường Lê Thánh Tôn", "Sài Gòn"),
        ("đường Nguyễn Trãi", "Bến Thành"),
        ("đường Hai Bà Trưng", "Tân Định"),
        ("đường Điện Biên Phủ", "Bình Thạnh"),
        ("đường Phan Đăng Lưu", "Gia Định"),
        ("đường Nguyễn Văn Trỗi", "Phú Nhuận"),
        ("đường Võ Văn Ngân", "Thủ Đức"),
        ("đường Trần Hưng Đạo", "Chợ Quán"),
        ("đường Nguyễn Thị Minh Khai", "Xuân Hòa"),
    ],
}
CITY_NAMES = {"hn": "thành phố Hà Nội", "hcm": "Thành phố Hồ Chí Minh"}
CITY_PROVINCE = {"hn": "001", "hcm": "079"}

MAJORS = {
    "tax": ["Tài chính – Ngân hàng", "Kế toán", "Kinh tế", "Luật Kinh tế", "Thuế"],
    "treasury": ["Kế toán", "Tài chính – Ngân hàng", "Kinh tế", "Kiểm toán"],
    "office": ["Quản trị nhân lực", "Luật", "Hành chính học", "Kinh tế"],
}
UNIVERSITIES = {
    "hn": [
        "Học viện Tài chính",
        "Trường Đại học Kinh tế Quốc dân",
        "Trường Đại học Luật Hà Nội",
        "Học viện Ngân hàng",
        "Học viện Hành chính Quốc gia",
    ],
    "hcm": [
        "Trường Đại học Kinh tế TP Hồ Chí Minh",
        "Trường Đại học Luật TP Hồ Chí Minh",
        "Trường Đại học Tài chính – Marketing",
        "Trường Đại học Ngân hàng TP Hồ Chí Minh",
    ],
}
COLLEGES = {"hn": "Trường Cao đẳng Tài chính – Quản trị kinh doanh", "hcm": "Trường Cao đẳng Kinh tế TP Hồ Chí Minh"}
DUTIES = {
    "tax": [
        "Kiểm tra thuế doanh nghiệp",
        "Quản lý nợ và cưỡng chế nợ thuế",
        "Tuyên truyền, hỗ trợ người nộp thuế",
        "Kê khai và kế toán thuế",
        "Quản lý hộ kinh doanh, cá nhân",
        "Thanh tra – kiểm tra hoàn thuế",
    ],
    "treasury": [
        "Kiểm soát chi ngân sách nhà nước",
        "Kế toán nhà nước",
        "Thanh toán và điều hành vốn",
        "Tổng hợp, báo cáo",
    ],
    "office": [
        "Quản lý biên chế, tiền lương",
        "Tuyển dụng, đào tạo, bồi dưỡng",
        "Bảo vệ chính trị nội bộ",
        "Quản lý hồ sơ cán bộ",
    ],
}
STRENGTHS = {
    "tax": ["Kiểm tra thuế", "Phân tích báo cáo tài chính doanh nghiệp", "Ứng dụng hoá đơn điện tử"],
    "treasury": ["Kế toán ngân sách", "Kiểm soát chi", "Tổng hợp số liệu"],
    "office": ["Tổ chức cán bộ", "Soạn thảo văn bản quy phạm", "Tổng hợp, tham mưu"],
}
SPOUSE_JOBS = [
    "Giáo viên trường THCS",
    "Nhân viên ngân hàng",
    "Bác sĩ bệnh viện đa khoa",
    "Kế toán doanh nghiệp",
    "Công chức UBND phường",
]
PERSONAL_HISTORY = (
    "Bản thân không bị bắt, bị tù; không tham gia hoặc có quan hệ với tổ chức chính trị, "
    "kinh tế, xã hội nào ở nước ngoài."
)
BIRTH_FIRST = date(1966, 1, 1)
BIRTH_LAST = date(2000, 12, 31)


def citizen_id_for(rng, born, sex, taken):
    """CCCD: province (3) · century/sex (1) · year of birth (2) · random (6)."""
    century = 0 if born.year < 2000 else 2
    sex_digit = century + (1 if sex == FEMALE else 0)
    while True:
        value = f"{rng.choice(PROVINCE_CODES)}{sex_digit}{born.year % 100:02d}{rng.randrange(10**6):06d}"
        if value not in taken:
            taken.add(value)
            return value


def person_name(rng, sex, family=None):
    family = family or weighted(rng, FAMILY_NAMES)
    return f"{family} {rng.choice(MIDDLE_NAMES[sex])} {rng.choice(GIVEN_NAMES[sex])}"
