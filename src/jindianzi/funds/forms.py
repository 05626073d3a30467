"""Forms parse what people type; the services (``funds.services``) decide whether it is allowed.

Amounts are taken as typed ("1,200.50", "1200元") and read by the services, which say what is wrong.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from jindianzi.ideas.forms import MultiplePhotoField

from .services import REFERENCE_LIMIT, TEXT_LIMIT


def amount_field(label, **kwargs):
    return forms.CharField(label=label, max_length=30, widget=forms.TextInput(attrs={
        "inputmode": "decimal", "autocomplete": "off"}), **kwargs)


class EditionForm(forms.Form):
    edition = forms.ModelChoiceField(label=_("Edition"), queryset=None, to_field_name="slug", required=False,
                                     empty_label=None)

    def __init__(self, *args, editions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = editions


class CommitmentForm(forms.Form):
    """Each funding source's committed total for the edition."""

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = list(sources)
        for source in self.sources:
            self.fields[f"source_{source.pk}"] = amount_field(
                _("%(source)s: committed total (yuan)") % {"source": source.organization.name}, required=False,
                initial=source.committed)

    def rows(self):
        return [(source, self[f"source_{source.pk}"]) for source in self.sources]

    def totals(self):
        """``(source, field name, typed total)`` for every source given a total."""
        for source in self.sources:
            name = f"source_{source.pk}"
            value = (self.cleaned_data.get(name) or "").strip()
            if value:
                yield source, name, value


class RequestForm(forms.Form):
    amount = amount_field(_("Amount (yuan)"), required=False,
                          help_text=_("Leave it as it is to ask for the whole instalment; the final instalment can "
                                      "be less, to settle what was really spent."))
    note = forms.CharField(label=_("Note for the funders (optional)"), required=False, max_length=TEXT_LIMIT,
                           widget=forms.Textarea(attrs={"rows": 2}))


class PayForm(forms.Form):
    reference = forms.CharField(label=_("Bank payment reference"), required=False, max_length=REFERENCE_LIMIT,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Why is the request returned? The organisation reads it."), required=False,
                             max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 2}))


class ExpenseForm(forms.Form):
    """What the organisation spent, against which budget line, with photos of the receipts."""

    line = forms.ModelChoiceField(label=_("Budget line"), queryset=None, empty_label=_("Please choose"))
    amount = amount_field(_("Amount (yuan)"))
    spent_on = forms.DateField(label=_("Date of the spending"),
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    description = forms.CharField(label=_("What was bought or paid"), max_length=200,
                                  help_text=_("For example: 问候卡印刷 500 张"))
    receipts = MultiplePhotoField(label=_("Photos of the receipts"), required=False,
                                  help_text=_("One or more photos of the invoice or receipt (发票/收据)."))

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines
        self.fields["line"].label_from_instance = lambda line: f"{line.item} · {line.amount:,.2f}"


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Your decision"), widget=forms.RadioSelect, choices=[
        ("approve", _("Approve the expense")), ("return", _("Return it to the organisation"))])
    reason = forms.CharField(label=_("Reason (needed to return it; the organisation reads it)"), required=False,
                             max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 2}))
