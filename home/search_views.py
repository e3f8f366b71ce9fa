"""The results page of the search box in the top bar (templates/viewflow/base_page.html):
`/search/?q=…` shows the first rows of each group (home.search); `&group=units` or
`&group=requests` shows every match of that group a page at a time (keyset, tracking.keyset);
people are listed in full by the employee list with the same words (its "xem tất cả")."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from tracking.keyset import paginate

from . import search

GROUP_TITLES = {
    search.PEOPLE: lambda: _("Cán bộ"),
    search.UNITS: lambda: _("Đơn vị"),
    search.REQUESTS: lambda: _("Yêu cầu thay đổi"),
}


@login_required
def search_page(request):
    raw = request.GET.get("q", "")
    query = search.clean_query(raw)
    error = ""
    if raw.strip() and not query:
        error = _("Từ khoá tìm kiếm không hợp lệ.")
    elif len(raw) > search.MAX_QUERY:
        error = _("Từ khoá dài quá %(n)s ký tự; chỉ tìm theo %(n)s ký tự đầu.") % {"n": search.MAX_QUERY}
    group = request.GET.get("group", "")
    context = {"query": query, "error": error, "groups": [], "group": "", "page": None}
    if group in (search.UNITS, search.REQUESTS) and query:
        finder = search.FINDERS[group]
        context["group"] = group
        context["group_title"] = GROUP_TITLES[group]()
        context["page"] = paginate(finder(user=request.user, query=query), request.GET, per_page=50)
    elif group and group not in search.GROUPS:
        context["error"] = _("Nhóm kết quả không hợp lệ; đang hiển thị mọi nhóm.")
    if not context["group"]:
        groups = search.search_all(user=request.user, query=query)
        for found in groups:
            found.title = GROUP_TITLES[found.key]()
        context["groups"] = groups
    return render(request, "home/search.html", context)
