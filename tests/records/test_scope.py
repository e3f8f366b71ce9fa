"""Who sees which records: own unit for officers, subtrees read-only for upper units."""

from django.urls import reverse


def listed(client, **params):
    response = client.get(reverse("records:employee-list"), params)
    assert response.status_code == 200
    return {e.full_name for e in response.context["page"]}


def test_officer_sees_only_own_unit(client, people, employee_kv1, employee_kv2):
    client.force_login(people["canbo_kv1"])
    assert listed(client) == {"Nguyễn Văn An"}


def test_upper_unit_viewer_sees_subtree_read_only(client, people, employee_kv1, employee_kv2):
    client.force_login(people["xem_cuc"])
    assert listed(client) == {"Nguyễn Văn An", "Trần Thị Bình"}
    page = client.get(reverse("records:employee-detail", args=[employee_kv1.pk])).content.decode()
    assert "Bạn chỉ được xem hồ sơ này" in page
    assert reverse("records:employee-propose", args=[employee_kv1.pk]) not in page


def test_other_branch_sees_nothing(client, people, employee_kv1, employee_kv2):
    client.force_login(people["canbo_kb"])
    assert listed(client) == set()
    assert client.get(reverse("records:employee-detail", args=[employee_kv2.pk])).status_code == 404


def test_user_without_grants_sees_nothing(client, people, employee_kv1):
    client.force_login(people["nobody"])
    assert listed(client) == set()
    assert client.get(reverse("records:employee-detail", args=[employee_kv1.pk])).status_code == 404


def test_search_by_name_and_citizen_id(client, people, employee_kv1, employee_kv2):
    client.force_login(people["xem_cuc"])
    assert listed(client, q="bình") == {"Trần Thị Bình"}
    # An upper-unit viewer does not see CCCDs, so cannot search by them either.
    assert listed(client, q="001085000001") == set()
    for username in ("canbo_kv1", "thanhtra_cuc"):
        client.force_login(people[username])
        assert listed(client, q="001085000001") == {"Nguyễn Văn An"}


def test_anonymous_is_sent_to_login(client, employee_kv1):
    response = client.get(reverse("records:employee-list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_pages_are_vietnamese_by_default(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    page = client.get(reverse("records:employee-list")).content.decode()
    assert "Danh sách cán bộ" in page
    assert 'lang="vi"' in page or "Tìm theo họ tên" in page


def test_login_page_is_vietnamese(client):
    page = client.get("/accounts/login/").content.decode()
    assert "<title>Đăng nhập — Quản lý cán bộ</title>" in page
    assert "Tên đăng nhập" in page


def test_sidebar_names_people_family_name_first(client, people):
    user = people["canbo_kv1"]
    user.first_name, user.last_name = "Nhung", "Nguyễn Thị Hồng"
    user.save()
    client.force_login(user)
    assert "Nguyễn Thị Hồng Nhung" in client.get(reverse("records:employee-list")).content.decode()


def test_english_is_switchable(client, people):
    client.force_login(people["canbo_kv1"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("records:employee-list")).content.decode()
    assert "Employee list" in page
    assert "Danh sách cán bộ" not in page
