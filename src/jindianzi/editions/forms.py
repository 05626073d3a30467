from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from jindianzi.organizations.models import Organization, OrganizationKind

from .models import SCHEDULED_PHASES, PhaseKind

FUNDING_KINDS = [OrganizationKind.COMMUNITY_FOUNDATION, OrganizationKind.FINANCE_BUREAU,
                 OrganizationKind.CIVIL_AFFAIRS_BUREAU, OrganizationKind.ENTERPRISE]


class EditionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("For example: 红山区第二届社区金点子提案大赛"))
    slug = forms.SlugField(label=_("Short name for links"), max_length=60,
                           help_text=_("Latin letters, digits and dashes, for example hongshan-2018."))
    max_budget_per_idea = forms.DecimalField(label=_("Maximum budget per idea (yuan)"), required=False,
                                             min_value=Decimal("0.01"), max_digits=14, decimal_places=2)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if districts is not None:
            self.fields["district"] = forms.ModelChoiceField(label=_("District"), queryset=districts)
            self.order_fields(["district", "name", "slug"])


class CategoryForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=40)
    name_en = forms.CharField(label=_("Name (English)"), max_length=60)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=999, initial=0)


class FundingRowForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Funder"), required=False,
                                          queryset=Organization.objects.filter(kind__in=FUNDING_KINDS))
    percent = forms.DecimalField(label=_("Share (%)"), required=False, min_value=Decimal("0.01"),
                                 max_value=Decimal("100"), max_digits=6, decimal_places=2)


FundingFormSet = forms.formset_factory(FundingRowForm, extra=2, max_num=8)


class PhaseDatesForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in SCHEDULED_PHASES:
            label = PhaseKind(kind).label
            # A date input takes ISO dates whatever the language; the localised "2018/03/01" shows as empty.
            self.fields[f"{kind}_start"] = forms.DateField(
                label=_("%(phase)s starts") % {"phase": label}, required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
            self.fields[f"{kind}_end"] = forms.DateField(
                label=_("%(phase)s ends") % {"phase": label}, required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def dates(self) -> dict:
        return {k: (self.cleaned_data[f"{k}_start"], self.cleaned_data[f"{k}_end"]) for k in SCHEDULED_PHASES}
