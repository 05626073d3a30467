"""Forms parse what people type; the services decide whether it is allowed."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from jindianzi.areas.models import Area

from .services import MESSAGE_LIMIT, TEXT_LIMITS, PlanDraft
from .workflow import ProjectState


def parse_ids(values) -> tuple[list[int], list[str]]:
    """Idea numbers from ``?ideas=1,2,3`` or repeated ``?ideas=1&ideas=2``: (numbers, tokens that are not numbers)."""
    ids, bad = [], []
    for value in values:
        for token in str(value).replace("，", ",").split(","):
            token = token.strip()
            if not token:
                continue
            if token.isdigit() and int(token) not in ids:
                ids.append(int(token))
            elif not token.isdigit():
                bad.append(token)
    return ids, bad


def _category_field(field, edition) -> None:
    field.queryset = edition.categories.all()
    field.label_from_instance = lambda c: c.label
    field.empty_label = _("Please choose")


class IdeaPickerForm(forms.Form):
    """Filters over the shortlisted ideas waiting to be integrated."""

    community = forms.ModelChoiceField(label=_("Community"), queryset=Area.objects.none(), required=False,
                                       empty_label=_("All communities"))
    category = forms.ModelChoiceField(label=_("Service category"), queryset=None, required=False)
    q = forms.CharField(label=_("Words in the idea"), required=False, max_length=100)

    def __init__(self, *args, edition, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["community"].label_from_instance = lambda a: f"{a.parent.name} · {a.name}"
        _category_field(self.fields["category"], edition)
        self.fields["category"].empty_label = _("All categories")


class MergeForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=TEXT_LIMITS["title"])
    category = forms.ModelChoiceField(label=_("Service category"), queryset=None)
    street = forms.ModelChoiceField(label=_("Lead street"), queryset=Area.objects.none(), required=False,
                                    help_text=_("The ideas come from several streets: the project goes to this "
                                                "street's review."))
    summary = forms.CharField(label=_("Summary (optional)"), required=False, max_length=TEXT_LIMITS["summary"],
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, edition, streets, **kwargs):
        super().__init__(*args, **kwargs)
        _category_field(self.fields["category"], edition)
        if len(streets) > 1:
            self.fields["street"].queryset = Area.objects.filter(pk__in=[s.pk for s in streets])
            self.fields["street"].empty_label = _("The street most of the ideas come from")
        else:
            del self.fields["street"]


class StaffFilterForm(forms.Form):
    edition = forms.ModelChoiceField(label=_("Edition"), queryset=None, required=False, to_field_name="slug",
                                     empty_label=_("All editions"))
    state = forms.ChoiceField(label=_("Status"), required=False,
                              choices=[("", _("Any status"))] + list(ProjectState.choices))
    q = forms.CharField(label=_("Title or code"), required=False, max_length=100)

    def __init__(self, *args, editions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = editions


class AddIdeaForm(forms.Form):
    tracking_code = forms.CharField(label=_("Tracking code of the idea"), max_length=16,
                                    widget=forms.TextInput(attrs={"autocapitalize": "characters",
                                                                  "autocomplete": "off"}))


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=TEXT_LIMITS["title"])
    category = forms.ModelChoiceField(label=_("Service category"), queryset=None)
    summary = forms.CharField(label=_("Summary"), required=False, max_length=TEXT_LIMITS["summary"],
                              widget=forms.Textarea(attrs={"rows": 3}))
    objectives = forms.CharField(label=_("Objectives"), required=False, max_length=TEXT_LIMITS["objectives"],
                                 widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text=_("What will be different for residents when the project ends?"))
    target_groups = forms.CharField(label=_("Target groups"), required=False,
                                    max_length=TEXT_LIMITS["target_groups"],
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=_("For example: elderly people living alone in 老爷庙社区 and 花园社区"))
    expected_beneficiaries = forms.IntegerField(
        label=_("Expected beneficiaries (person-times)"), required=False, min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    planned_activities = forms.IntegerField(label=_("Planned number of activities"), required=False, min_value=0,
                                            widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        _category_field(self.fields["category"], edition)

    def draft(self, budget_lines) -> PlanDraft:
        return PlanDraft(budget_lines=budget_lines, **self.cleaned_data)


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=120, required=False)
    amount = forms.DecimalField(label=_("Amount (yuan)"), required=False, min_value=Decimal("0.01"),
                                max_digits=14, decimal_places=2,
                                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))

    def clean(self):
        data = super().clean()
        if data.get("DELETE"):
            return data
        item, amount = (data.get("item") or "").strip(), data.get("amount")
        if item and amount is None and "amount" not in self.errors:
            self.add_error("amount", _("Please enter the amount."))
        if amount is not None and not item:
            self.add_error("item", _("Please say what the money is for."))
        return data

    @property
    def line(self):
        data = self.cleaned_data
        if data.get("DELETE") or not ((data.get("item") or "").strip() or data.get("amount") is not None):
            return None
        return (data["item"], data["amount"])


BudgetFormSet = forms.formset_factory(BudgetLineForm, extra=1, can_delete=True, max_num=60, validate_max=True)


class OfferForm(forms.Form):
    organization = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(label=_("Message to the organisation (optional)"), required=False,
                              max_length=MESSAGE_LIMIT, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawOfferForm(forms.Form):
    reason = forms.CharField(label=_("Why? (optional; the organisation reads it)"), required=False,
                             max_length=MESSAGE_LIMIT)


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect,
                                 choices=[("accept", _("We accept to implement this project")),
                                          ("decline", _("We decline"))])
    reason = forms.CharField(label=_("Reason or comments"), required=False, max_length=MESSAGE_LIMIT,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Needed when you decline; the street office reads it."))

