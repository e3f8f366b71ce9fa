"""The notification centre: my notifications (all or unread, keyset pages), marking them read,
and my preferences (email per kind, language)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tracking.keyset import paginate

from . import language, services
from .models import Delivery, Kind, Notification, NotificationSettings
from .texts import describe


@login_required
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    rows = Notification.objects.filter(recipient_id=request.user.pk).order_by("-created_at", "-pk")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    page = paginate(rows, request.GET)
    for notification in page:
        notification.text = describe(notification)
    return render(request, "notifications/list.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def mark_read(request):
    """Mark one notification (`id`) or all of mine read; back where the user was."""
    ids = request.POST.getlist("id")
    try:
        ids = [int(i) for i in ids] if ids else None
    except ValueError:
        ids = []
    services.mark_read(request.user, ids)
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "notifications:index")


class SettingsForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Ngôn ngữ của thư và trang"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[f"delivery_{kind}"] = forms.ChoiceField(label=label, choices=Delivery.choices)


@login_required
def notification_settings(request):
    current = NotificationSettings.objects.filter(user_id=request.user.pk).first() or NotificationSettings(
        user_id=request.user.pk, language=settings.LANGUAGE_CODE
    )
    initial = {"language": current.language, **{f"delivery_{k}": current.delivery_for(k) for k in Kind.values}}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        current.language = form.cleaned_data["language"]
        current.deliveries = {k: form.cleaned_data[f"delivery_{k}"] for k in Kind.values}
        current.save()
        request.session[language.SESSION_KEY] = current.language
        messages.success(request, _("Đã lưu tuỳ chọn thông báo."))
        response = redirect("notifications:settings")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, current.language, samesite="Lax")
        return response
    return render(request, "notifications/settings.html", {"form": form})
