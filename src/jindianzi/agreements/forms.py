"""Forms parse what people type; the services (``agreements.services``) decide whether it is allowed."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from jindianzi.areas.models import Area

from .services import REASON_LIMIT
from .workflow import AgreementState, Milestone, PartyRole

PERCENT = {"required": False, "min_value": Decimal("0"), "max_value": Decimal("100"), "max_digits": 6,
           "decimal_places": 2}


def _percent_widget():
    return forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0", "max": "100"})


def share_of(percent) -> Decimal:
    """A percentage typed by a person (60, 62.5) as the share the services take (0.6000, 0.6250)."""
    return (Decimal(percent or 0) / 100).quantize(Decimal("0.0001"))


class AgreementFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Status"), required=False,
                              choices=[("", _("Any status"))] + list(AgreementState.choices))
    street = forms.ModelChoiceField(label=_("Street"), queryset=Area.objects.none(), required=False,
                                    empty_label=_("All streets"))
    q = forms.CharField(label=_("Project, organisation or number"), required=False, max_length=100)

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets


class FrameworkForm(forms.Form):
    """The edition's five-party framework: who fills each role, and the instalment schedule."""

    civil_affairs = forms.ModelChoiceField(label=PartyRole.CIVIL_AFFAIRS.label, queryset=None, required=False,
                                           empty_label=_("Please choose"))
    foundation = forms.ModelChoiceField(label=PartyRole.FOUNDATION.label, queryset=None, required=False,
                                        empty_label=_("Please choose"))
    hub = forms.ModelMultipleChoiceField(
        label=PartyRole.HUB.label, queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or more: each project is hosted by the hub of its street where there is one."))
    support_centre = forms.ModelChoiceField(label=PartyRole.SUPPORT_CENTRE.label, queryset=None, required=False,
                                            empty_label=_("Please choose"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        for role, queryset in candidates.items():
            self.fields[role].queryset = queryset
        for milestone in Milestone:
            self.fields[f"percent_{milestone.value}"] = forms.DecimalField(
                label=_("%(milestone)s (%%)") % {"milestone": milestone.label}, widget=_percent_widget(), **PERCENT)

    def milestone_fields(self):
        return [self[f"percent_{m.value}"] for m in Milestone]

    def party_fields(self):
        return [self[role] for role in ("civil_affairs", "foundation", "hub", "support_centre")]

    def parties(self) -> dict:
        data = self.cleaned_data
        single = lambda value: [value] if value is not None else []  # noqa: E731
        return {PartyRole.CIVIL_AFFAIRS: single(data.get("civil_affairs")),
                PartyRole.FOUNDATION: single(data.get("foundation")),
                PartyRole.HUB: list(data.get("hub") or []),
                PartyRole.SUPPORT_CENTRE: single(data.get("support_centre"))}

    def schedule(self) -> list[tuple[str, Decimal]]:
        """The milestones given a percentage (a blank or 0 leaves the milestone out)."""
        return [(m.value, share_of(self.cleaned_data[f"percent_{m.value}"])) for m in Milestone
                if self.cleaned_data.get(f"percent_{m.value}")]


class AgreementForm(forms.Form):
    """Drawing up an agreement: the edition's funding split, or another one with the reason for it."""

    different_split = forms.BooleanField(label=_("Use a different funding split for this project"), required=False)
    split_reason = forms.CharField(
        label=_("Why this project's split differs from the edition's"), required=False, max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for a different split. It is kept in the agreement and its history."))

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = list(sources)
        for source in self.sources:
            self.fields[f"share_{source.pk}"] = forms.DecimalField(
                label=_("%(source)s (%%)") % {"source": source.organization.name},
                initial=(source.share * 100).quantize(Decimal("0.01")), widget=_percent_widget(), **PERCENT)

    def clean(self):
        data = super().clean()
        if not data.get("different_split"):
            # The edition's split is used: what is typed in the (folded) split fields does not matter.
            for source in self.sources:
                self.errors.pop(f"share_{source.pk}", None)
        return data

    @property
    def split_has_errors(self) -> bool:
        return any(name.startswith("share_") or name in ("split_reason", "different_split") for name in self.errors)

    def share_fields(self):
        return [self[f"share_{source.pk}"] for source in self.sources]

    def split(self):
        """None for the edition's split, else ``[(source, share), ...]`` as typed."""
        if not self.cleaned_data.get("different_split"):
            return None
        return [(source, share_of(self.cleaned_data.get(f"share_{source.pk}"))) for source in self.sources]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the agreement cancelled?"), required=False, max_length=REASON_LIMIT,
                             widget=forms.Textarea(attrs={"rows": 2}))


class MilestoneForm(forms.Form):
    note = forms.CharField(label=_("Note on the check (optional)"), required=False, max_length=REASON_LIMIT,
                           widget=forms.Textarea(attrs={"rows": 2}))
