"""Each demo account (README "Demo accounts") lands on a home page that suits its role: the
officer on their work, the approver on the queue and the figures, the inspector on the figures
and the access log, the viewer on the figures, the administrators on their pages."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse


@pytest.fixture(autouse=True)
def demo_mode(settings):
    settings.DEMO_MODE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


CHARTS = 5
# username: (texts the page shows, texts it does not, number of charts)
LANDINGS = {
    "canbo.kv1": (["Việc đang chờ tôi xử lý", "Việc đến hạn của đơn vị", "Yêu cầu tôi đã gửi"], ["Số liệu đơn vị"], 0),
    "lanhdao.kv1": (["Yêu cầu chờ tôi phê duyệt", "Số liệu đơn vị", "Sử dụng biên chế theo đơn vị"], [], CHARTS),
    "tccb.cucthue": (["Yêu cầu chờ tôi phê duyệt", "Số liệu đơn vị"], [], CHARTS),
    "xem.bo": (["Số liệu đơn vị", "nghỉ hưu trong 12 tháng tới"], ["Yêu cầu chờ tôi phê duyệt"], CHARTS),
    "thanhtra.cucthue": (["Số liệu đơn vị", reverse("records:access-log")], ["Yêu cầu chờ tôi phê duyệt"], CHARTS),
    "thanhtra.bo": (["Số liệu đơn vị", reverse("records:access-log")], [], CHARTS),
    "quantri.bo": ([reverse("units:grant-list"), reverse("policy:index")], ["Số liệu đơn vị"], 0),
    "admin": ([reverse("admin:index")], ["Số liệu đơn vị"], 0),
}


@pytest.mark.django_db
def test_each_demo_account_lands_on_a_home_page_for_its_role(client):
    call_command("load_demo", stdout=io.StringIO())
    for username, (shown, hidden, charts) in LANDINGS.items():
        client.force_login(get_user_model().objects.get(username=username))
        response = client.get("/", follow=True)
        assert response.status_code == 200, username
        assert response.redirect_chain[-1][0].endswith(reverse("home:index")), username
        html = response.content.decode()
        for text in shown:
            assert text in html, f"{username}: {text!r} missing"
        for text in hidden:
            assert text not in html, f"{username}: {text!r} shown"
        assert len(re.findall(r"<svg\b[^>]*qlcb-chart__svg", html)) == charts, username
