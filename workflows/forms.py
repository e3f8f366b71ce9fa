"""Forms for proposing, deciding and reworking a change request.

ChangeSetForm edits one root object (an employee, a unit, an inspection plan…) and the
child rows under it in one page, and turns what the officer changed into the operations of
one change request: applied together, or not at all.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.forms.models import modelform_factory, modelformset_factory
from django.utils.choices import BlankChoiceIterator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tracking import rowkinds
from tracking.dates import DateField
from tracking.validators import no_control_characters
from units.forms import ModelFormSet

from . import changesets
from .models import Decision

# A reason or a comment goes into every history row and the request page; a page of text is plenty.
REASON_MAX_LENGTH = 2000


def _date_fields(model, fields):
    return {name: DateField for name in fields if isinstance(model._meta.get_field(name), models.DateField)}


@dataclass(frozen=True)
class Child:
    """Rows of `model` under the root, linked by the FK `parent`."""

    model: type
    parent: str
    # (root, rows_of) -> values of a row offered ready to fill in, or None; rows_of(model): the
    # root's rows of a child model, as the page reads them (no query of its own)
    offer: Callable | None = None
    help: str = ""

    @property
    def fields(self):
        return self.model.EDITABLE_FIELDS

    @property
    def prefix(self):
        return self.model._meta.model_name


class ChangeSetForm:
    """The root's fields, one formset per child kind, and the reason; yields operations."""

    def __init__(
        self,
        data=None,
        *,
        root_model,
        root=None,
        root_fields,
        children=(),
        fixed=None,
        proposed=None,
        reason="",
        ref=None,
        field_querysets=None,
    ):
        self.root_model, self.root, self.root_fields = root_model, root, tuple(root_fields)
        self.children = list(children)
        self.fixed = fixed or {}  # values set by the page, not the user (e.g. the hiring unit)
        self.ref = ref
        proposed = proposed or []
        root_initial, child_initial = self._initial_from(proposed)
        RootForm = _root_form_class(root_model, tuple(self.root_fields))
        instance = copy.copy(root) if root is not None else root_model(**self._fixed_attrs(root_model, self.fixed))
        self.root_form = RootForm(data, instance=instance, initial=root_initial, prefix="root", original=root)
        for name, queryset in (field_querysets or {}).items():
            if name in self.root_form.fields:
                self.root_form.fields[name].queryset = queryset
        self.formsets = []
        present = self._kinds_present(root) if data is None else None
        querysets = {
            child.model: child.model._default_manager.filter(**{child.parent: root})
            if root is not None and (present is None or child.prefix in present)
            else child.model._default_manager.none()
            for child in self.children
        }

        def rows_of(model):
            # The formset's own queryset, evaluated: the page shows the rows it reads here.
            queryset = querysets.get(model)
            return list(queryset) if queryset is not None else list(model._default_manager.filter(employee=root))

        for child in self.children:
            proposed_rows = child_initial[child.prefix]["create"]
            FormSet = _row_formset_class(child.model, tuple(child.fields), max(1, len(proposed_rows)))
            # The offer is made when the page is shown; posted, the row counts as changed against
            # the values the page showed (sent back as hidden initial values), not an offer
            # computed again: no second computation, and what the officer saw is what counts.
            offered = (
                child.offer(root, rows_of)
                if child.offer and root is not None and not proposed_rows and data is None
                else None
            )
            initial = proposed_rows or ([offered] if offered else [])
            formset = FormSet(data, queryset=querysets[child.model], prefix=child.prefix, initial=initial)
            if child.offer:
                _compare_with_shown_offer(formset, child, offered)
            # A row proposed earlier (rework) stays proposed unless ticked for removal, even when
            # sent back untouched; an offered row counts only once the officer changes it.
            for form in formset.extra_forms[: len(proposed_rows)]:
                form.empty_permitted = False
                form.proposed = True
            for form in formset.initial_forms:
                changes = child_initial[child.prefix]["update"].get(form.instance.pk)
                if changes:
                    form.initial.update(changes)
                if form.instance.pk in child_initial[child.prefix]["delete"]:
                    form.initial["DELETE"] = True
            formset.child = child
            formset.title = child.model._meta.verbose_name_plural
            formset.help = child.help
            self.formsets.append(formset)
        self.reason_form = ReasonForm(data, initial={"reason": reason})

    def _kinds_present(self, root) -> set | None:
        """The prefixes of the child kinds the root has rows of, as the root was read (a person's
        page: records.access) or asked in one statement (an EXISTS per kind), so a page shown (not
        posted) reads only the kinds it has rows of, not one query per kind. None: read every
        kind (no root, or a single kind)."""
        if root is None or len(self.children) < 2:
            return None
        children = [(child.model, child.parent) for child in self.children]
        present = rowkinds.kinds_present(root, children)
        if present is not None:
            return present
        flags = rowkinds.kinds_flags(children)
        row = self.root_model._default_manager.filter(pk=root.pk).annotate(**flags).only("pk").first()
        return rowkinds.kinds_present(row, children) if row is not None else set()

    @staticmethod
    def _fixed_attrs(model, fixed):
        """Fixed values that are fields of the model (a new unit's parent is not: the tree places it)."""
        names = {f.name for f in model._meta.get_fields()}
        return {
            model._meta.get_field(name).attname: getattr(value, "pk", value)
            for name, value in fixed.items()
            if name in names
        }

    def _initial_from(self, proposed):
        """Form initial values from a returned request's operations, so rework starts from them."""
        root_label = changesets.label_of(self.root_model)
        root_initial = {}
        child_initial = {c.prefix: {"create": [], "update": {}, "delete": set()} for c in self.children}
        by_label = {changesets.label_of(c.model): c for c in self.children}
        for op in proposed:
            model = changesets.spec_for(op["model"]).model
            values = {
                k: v
                for k, v in changesets.python_values(model, op.get("values") or {}).items()
                if not (isinstance(v, str) and v.startswith("$"))
            }
            if op["model"] == root_label:
                root_initial.update(values)
            elif op["model"] in by_label:
                slot = child_initial[by_label[op["model"]].prefix]
                if op["action"] == changesets.CREATE:
                    slot["create"].append(values)
                elif op["action"] == changesets.UPDATE:
                    slot["update"][op["pk"]] = values
                else:
                    slot["delete"].add(op["pk"])
        return root_initial, child_initial

    def is_valid(self) -> bool:
        valid = self.root_form.is_valid()
        valid = self.reason_form.is_valid() and valid
        for formset in self.formsets:
            valid = formset.is_valid() and valid
        if not valid and self.reason_form.is_bound and not getattr(self, "_summarised", False):
            # Errors sit next to their fields, some in closed sections or far down the page:
            # the top of the page always says that nothing was sent, and how many.
            self._summarised = True
            count = self.error_count()
            self.reason_form.add_error(
                None,
                ngettext(
                    "Chưa gửi được: có %(n)s lỗi, xem các ô được đánh dấu bên dưới.",
                    "Chưa gửi được: có %(n)s lỗi, xem các ô được đánh dấu bên dưới.",
                    count,
                )
                % {"n": count},
            )
        return valid

    def error_count(self) -> int:
        """Errors on the page: the root's fields, every row and table, the reason."""
        count = sum(len(e) for e in self.root_form.errors.values()) + sum(
            len(e) for e in self.reason_form.errors.values()
        )
        return count + sum(formset.total_error_count() for formset in self.formsets)

    @property
    def reason(self) -> str:
        return self.reason_form.cleaned_data["reason"]

    def operations(self) -> list[dict]:
        ops = []
        values = {name: self.root_form.cleaned_data[name] for name in self.root_fields}
        parent_value = None
        if self.root is None:
            ops.append(changesets.make_create(self.root_model, {**values, **self.fixed}, ref=self.ref))
            parent_value = f"${self.ref}"
        else:
            update = changesets.make_update(self.root, values)
            if update:
                ops.append(update)
            parent_value = self.root.pk
        for formset in self.formsets:
            child = formset.child
            for form in formset.forms:
                instance = form.instance
                if instance.pk and form.cleaned_data.get("DELETE"):
                    ops.append(changesets.make_delete(child.model._default_manager.get(pk=instance.pk)))
                    continue
                if not (form.has_changed() or getattr(form, "proposed", False)) or form.cleaned_data.get("DELETE"):
                    continue
                row = {name: form.cleaned_data.get(name) for name in child.fields}
                if instance.pk:
                    update = changesets.make_update(child.model._default_manager.get(pk=instance.pk), row)
                    if update:
                        ops.append(update)
                else:
                    ops.append(changesets.make_create(child.model, {**row, child.parent: parent_value}))
        return ops

    def add_error(self, message):
        self.reason_form.add_error(None, message)

    @property
    def non_field_errors(self):
        return self.reason_form.non_field_errors()


def _compare_with_shown_offer(formset, child, offered) -> None:
    """The offered row's fields carry the values shown (Django's hidden initial values), so a
    posted row left as offered proposes nothing. Posted, the fields whose shown values came
    back are compared with them; a row posted without them is compared with an empty row."""
    data = formset.data if formset.is_bound else None
    for form in formset.extra_forms:
        for name in child.fields:
            field = form.fields.get(name)
            if field is None:
                continue
            if data is None:
                field.show_hidden_initial = bool(offered)
            elif form.add_initial_prefix(name) in data:
                field.show_hidden_initial = True


def _instance_copy(obj):
    """copy.copy of a plain object (no __copy__, __reduce__ or __setstate__ of its own): a new
    instance with the same attributes, without copy's generic path (__reduce_ex__, _reconstruct)."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


def _atoms(choices) -> bool:
    """A list of (value, label) pairs of atoms (a lazy label's deepcopy is itself), no group's
    nested list: a shallow copy of it is what deepcopy makes."""
    atoms = (str, int, type(None), Promise)
    return type(choices) is list and all(
        type(choice) is tuple and all(isinstance(part, atoms) for part in choice) for choice in choices
    )


def _copyable_choices(choices) -> bool:
    """Choices whose deepcopy _choices_copy makes: a list of atoms, or the blank choice added to
    one (a model field's choices)."""
    if type(choices) is BlankChoiceIterator:
        return _atoms(choices.choices) and _atoms(choices.blank_choice)
    return _atoms(choices)


def _choices_copy(choices):
    """deepcopy of choices _copyable_choices accepted."""
    if type(choices) is list:
        return list(choices)
    copied = _instance_copy(choices)
    copied.choices, copied.blank_choice = list(choices.choices), list(choices.blank_choice)
    return copied


def _lightly_copyable(field) -> bool:
    """A field whose deepcopy (Django's Field, ChoiceField and Widget, ChoiceWidget __deepcopy__,
    no subclass of ours or Django's changing them) _field_copy makes the same."""
    plain_field = type(field).__deepcopy__ is forms.Field.__deepcopy__ or (
        type(field).__deepcopy__ is forms.ChoiceField.__deepcopy__ and _copyable_choices(field._choices)
    )
    widget = field.widget
    plain_widget = type(widget).__deepcopy__ is forms.Widget.__deepcopy__ or (
        type(widget).__deepcopy__ is forms.widgets.ChoiceWidget.__deepcopy__
        and type(widget.choices) in (list, BlankChoiceIterator)
    )
    return (
        plain_field
        and plain_widget
        and all(
            not hasattr(type(obj), "__slots__") and not hasattr(type(obj), "__setstate__") for obj in (field, widget)
        )
    )


def _field_copy(field, memo):
    """What Field.__deepcopy__ makes (its widget, attrs, error messages, validators and choices
    copied: the widget's choices shallowly, as ChoiceWidget's own copy does), for a field
    _lightly_copyable accepted (a form class's base field: checked once, when the class is made)."""
    result = _instance_copy(field)
    memo[id(field)] = result
    widget = _instance_copy(field.widget)
    widget.attrs = field.widget.attrs.copy()
    if isinstance(widget, forms.widgets.ChoiceWidget):
        choices = field.widget.choices
        widget.choices = list(choices) if type(choices) is list else _instance_copy(choices)
    memo[id(field.widget)] = widget
    result.widget = widget
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    if isinstance(field, forms.ChoiceField):
        result._choices = _choices_copy(field._choices)
    return result


class _LightlyCopiedFields(dict):
    """A form class's base_fields, which each form copies (BaseForm.__init__ deep-copies them):
    the plain fields (most of a record's page) copied as Django's __deepcopy__ copies them, without
    copy's generic path (issue 9: a person's change page makes about 300 fields per request, and
    copying them was a tenth of the page's time); any other field by Django's deepcopy."""

    def __init__(self, fields):
        super().__init__(fields)
        self.light = frozenset(name for name, field in fields.items() if _lightly_copyable(field))

    def __deepcopy__(self, memo):
        return {
            name: _field_copy(field, memo) if name in self.light else copy.deepcopy(field, memo)
            for name, field in self.items()
        }


def _lightly_copied(form_class):
    form_class.base_fields = _LightlyCopiedFields(form_class.base_fields)
    return form_class


# The form classes of a page are made once per process, not per request (a class per model and
# fields: building one asks every model field for its form field). Instances copy their fields.
@lru_cache(maxsize=256)
def _root_form_class(model, fields: tuple):
    return _lightly_copied(
        modelform_factory(model, form=RootModelForm, fields=fields, field_classes=_date_fields(model, fields))
    )


@lru_cache(maxsize=256)
def _row_formset_class(model, fields: tuple, extra: int):
    formset = modelformset_factory(
        model,
        formset=RowFormSet,
        fields=fields,
        field_classes=_date_fields(model, fields),
        extra=extra,
        can_delete=True,
    )
    _lightly_copied(formset.form)
    return formset


class RootModelForm(forms.ModelForm):
    """The root object's fields. Uniqueness is asked of the values the form changes: a value
    left as the row has it already holds in the database (as in changesets' apply)."""

    def __init__(self, *args, original=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.original = original

    def validate_unique(self):
        exclude = self._get_validation_exclusions()
        if self.original is not None:
            exclude |= {
                f.name
                for f in self.instance._meta.concrete_fields
                if f.value_from_object(self.original) == f.value_from_object(self.instance)
            }
        try:
            self.instance.validate_unique(exclude=exclude)
        except ValidationError as exc:
            self._update_errors(exc)


class _ReadRowField(forms.ModelChoiceField):
    """The hidden id of a posted row, found among the rows the formset has read (one query for
    all of them) instead of one query per row, as Django's own field does. An id that is not one
    of them (another record's row, a row deleted meanwhile) is an invalid choice."""

    def __init__(self, *args, find, **kwargs):
        super().__init__(*args, **kwargs)
        self.find = find

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            row = self.find(self.queryset.model._meta.pk.to_python(value))
        except ValidationError:
            row = None
        if row is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return row


class RowFormSet(ModelFormSet):
    """The rows of one child kind. A row posted as an existing one must be one of the page's
    rows: an id of another record's row, or of a row deleted meanwhile, is refused on that row
    (Django would otherwise treat it as a new row, or report it on a hidden field nobody sees)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self.model._meta.pk.name
        field = form.fields.get(name)
        if self.is_bound and isinstance(field, forms.ModelChoiceField):
            form.fields[name] = _ReadRowField(
                field.queryset, initial=field.initial, required=False, widget=field.widget, find=self._existing_object
            )

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.not_on_page = self.is_bound and i < self.initial_form_count() and form.instance.pk is None
        return form

    def clean(self):
        super().clean()
        for form in self.forms:
            hidden_errors = any(name in form.errors for name, field in form.fields.items() if field.widget.is_hidden)
            if (form.not_on_page or hidden_errors) and not self._should_delete_form(form):
                form.add_error(
                    None,
                    _(
                        "Dòng này không còn thuộc hồ sơ đang sửa (đã bị xoá, hoặc trang đã cũ); "
                        "hãy tải lại trang rồi nhập lại."
                    ),
                )


def reason_field(**kwargs) -> forms.CharField:
    """A free text that goes into history: bounded, no control characters."""
    validators = [no_control_characters, MaxLengthValidator(REASON_MAX_LENGTH)]
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_MAX_LENGTH}), validators=validators, **kwargs
    )


class ReasonForm(forms.Form):
    reason = reason_field(
        label=_("Lý do thay đổi"),
        help_text=_("Căn cứ, số quyết định… Người phê duyệt và thanh tra sẽ thấy nội dung này."),
        error_messages={"required": _("Phải nêu lý do thay đổi.")},
    )


class TransferForm(forms.Form):
    target_unit = forms.ModelChoiceField(label=_("Đơn vị tiếp nhận"), queryset=None)
    reason = ReasonForm.base_fields["reason"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_unit"].queryset = units


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
    )
    comment = reason_field(
        label=_("Ý kiến"),
        required=False,
        help_text=_("Bắt buộc khi trả lại hoặc từ chối."),
    )


class DueDraftForm(forms.Form):
    """What the officer completes on a pre-filled draft (workflows.due_work): the decision and
    the effective date; the step and coefficient come from the salary table."""

    decision_number = forms.CharField(
        label=_("Số quyết định"),
        max_length=64,
        validators=[no_control_characters],
        error_messages={"required": _("Phải nhập số quyết định.")},
    )
    decision_date = DateField(label=_("Ngày quyết định"), required=False)
    effective_date = DateField(
        label=_("Ngày hưởng"),
        error_messages={"required": _("Phải nhập ngày hưởng.")},
    )
    reason = ReasonForm.base_fields["reason"]


class DueDoneForm(forms.Form):
    """A deadline task (retirement notice or decision) marked done with its document."""

    reference = forms.CharField(
        label=_("Số văn bản đã ban hành"),
        max_length=128,
        validators=[no_control_characters],
        error_messages={"required": _("Phải nhập số văn bản đã ban hành.")},
    )
