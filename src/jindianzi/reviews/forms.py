"""Forms parse what people type; the services (``services.py``, ``voting.py``) decide whether it is allowed."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jindianzi.core.money import MAX_DIGITS

from .models import MAX_POINTS
from .services import TEXT_LIMIT
from .workflow import Aggregation, BallotLimit, Outcome, PanelRole, VoteRule, VoteUse

MONEY = dict(max_digits=MAX_DIGITS, decimal_places=2)
UPLOAD_LIMIT = 10 * 1024 * 1024


def _money_widget():
    return forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"})


def _text_area(rows=3):
    return forms.Textarea(attrs={"rows": rows, "maxlength": TEXT_LIMIT})


def _upload(field_name: str):
    def clean(self):
        upload = self.cleaned_data[field_name]
        if upload.size > UPLOAD_LIMIT:
            raise forms.ValidationError(_("The file is larger than 10 MB; split it."))
        return upload
    return clean


# --- Rounds --------------------------------------------------------------------------------------------

class RoundForm(forms.Form):
    """A new street review round."""

    edition = forms.ModelChoiceField(label=_("Edition"), queryset=None, empty_label=None)
    street = forms.ModelChoiceField(label=_("Street or town"), queryset=None)
    budget_cap = forms.DecimalField(label=_("The street's budget for approved projects (yuan)"), min_value=0,
                                    widget=_money_widget(), **MONEY,
                                    help_text=_("Approved projects together can never cost more than this."))
    chair = forms.CharField(label=_("Chair (mobile number or e-mail address)"), required=False, max_length=120,
                            help_text=_("Leave empty to chair the round yourself. The chair must be an officer of "
                                        "the street or the district organiser."),
                            widget=forms.TextInput(attrs={"autocomplete": "off"}))
    aggregation = forms.ChoiceField(label=_("How the reviewers' scores are combined"), choices=Aggregation.choices,
                                    initial=Aggregation.MEAN, widget=forms.RadioSelect)
    scoring_ends_on = forms.DateField(label=_("Scoring ends on (optional)"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, editions, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = editions
        self.fields["street"].queryset = streets
        self.fields["street"].empty_label = _("Please choose")
        if len(streets) == 1:
            self.fields["street"].initial = streets[0].pk


class RoundSettingsForm(forms.Form):
    budget_cap = forms.DecimalField(label=_("The street's budget for approved projects (yuan)"), min_value=0,
                                    widget=_money_widget(), **MONEY)
    aggregation = forms.ChoiceField(label=_("How the reviewers' scores are combined"), choices=Aggregation.choices,
                                    widget=forms.RadioSelect)
    scoring_ends_on = forms.DateField(label=_("Scoring ends on (optional)"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))


class CriterionForm(forms.Form):
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=40, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=60, required=False)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, required=False,
                                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    guidance = forms.CharField(label=_("What to look for"), max_length=200, required=False)

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not ((data.get("name_zh") or "").strip() or (data.get("name_en") or "").strip() or data.get("weight"))

    def clean(self):
        data = super().clean()
        if data.get("DELETE") or self.errors:
            return data
        named = (data.get("name_zh") or "").strip() or (data.get("name_en") or "").strip()
        if named and not data.get("weight"):
            self.add_error("weight", _("Give the criterion a weight from 1 to 100."))
        return data


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True, max_num=20, validate_max=True)


# --- The panel and the assignments ------------------------------------------------------------------------

class PanelAddForm(forms.Form):
    login = forms.CharField(label=_("Mobile number or e-mail address of their account"), max_length=120,
                            widget=forms.TextInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("On the panel as"), choices=PanelRole.choices, initial=PanelRole.EXPERT,
                             widget=forms.RadioSelect)


class AssignForm(forms.Form):
    """Chosen reviewers × chosen projects; nothing chosen on a side means all of that side."""

    reviewers = forms.MultipleChoiceField(label=_("Reviewers"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    projects = forms.MultipleChoiceField(label=_("Projects"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, panel, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].choices = [(str(m.user_id), str(m.user)) for m in panel]
        self.fields["projects"].choices = [(str(p.pk), f"{p.code} {p.title}") for p in projects]


# --- Scoring ---------------------------------------------------------------------------------------------------

POINT_CHOICES = [(str(n), str(n)) for n in range(MAX_POINTS + 1)]


class ScoreForm(forms.Form):
    """One 0–10 choice per criterion of the rubric, and a comment."""

    comment = forms.CharField(label=_("Comment for the panel (optional)"), required=False, max_length=TEXT_LIMIT,
                              widget=_text_area(4))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        comment = self.fields.pop("comment")
        for criterion in self.criteria:
            self.fields[self.key(criterion)] = forms.ChoiceField(
                label=criterion.label, choices=POINT_CHOICES, widget=forms.RadioSelect,
                help_text=criterion.guidance,
                error_messages={"required": _("Give “%(criterion)s” a number of points from 0 to %(max)d.")
                                % {"criterion": criterion.label, "max": MAX_POINTS}})
        self.fields["comment"] = comment

    @staticmethod
    def key(criterion) -> str:
        return f"criterion_{criterion.pk}"

    def criterion_fields(self):
        return [(criterion, self[self.key(criterion)]) for criterion in self.criteria]

    def points(self) -> dict:
        return {c.pk: self.cleaned_data[self.key(c)] for c in self.criteria}


class ConflictForm(forms.Form):
    note = forms.CharField(label=_("What is the conflict of interest?"), max_length=300,
                           help_text=_("For example: “My sister leads the organisation that would implement it.” "
                                       "Your scores of this project will not count."),
                           widget=forms.Textarea(attrs={"rows": 2, "maxlength": 300}))


# --- Decisions ---------------------------------------------------------------------------------------------------

class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=pgettext_lazy("review", "Decision"), choices=Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason (public)"), max_length=TEXT_LIMIT, widget=_text_area(2))
    conditions = forms.CharField(label=_("Conditions (when approving with conditions; public)"), required=False,
                                 max_length=TEXT_LIMIT, widget=_text_area(2))
    override_reason = forms.CharField(label=_("Why you depart from the ranking"), required=False,
                                      max_length=TEXT_LIMIT, widget=_text_area(2))

    def __init__(self, *args, within_cap: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.within_cap = within_cap
        self.fields["override_reason"].help_text = (
            _("Needed if you reject it: the ranking puts it within the street's budget.") if within_cap
            else _("Needed if you approve it: the ranking puts it outside the street's budget."))


# --- The resident vote ----------------------------------------------------------------------------------------------

class VoteSettingsForm(forms.Form):
    rule = forms.ChoiceField(label=_("How the votes are turned into funded projects"), choices=VoteRule.choices,
                             widget=forms.RadioSelect, initial=VoteRule.EQUAL_SHARES,
                             help_text=_("Equal shares gives every group of residents projects in proportion to "
                                         "its size; most votes first lets the largest group take everything."))
    use = forms.ChoiceField(label=_("How the vote counts in the review"), choices=VoteUse.choices,
                            widget=forms.RadioSelect, initial=VoteUse.ADVISORY)
    weight = forms.IntegerField(label=_("Weight of the vote (%)"), required=False, min_value=0, max_value=100,
                                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                                help_text=_("Only when the vote counts as an input: 30 means 30 % vote, 70 % panel."))
    ballot_limit = forms.ChoiceField(label=_("Limit on each ballot"), choices=BallotLimit.choices,
                                     widget=forms.RadioSelect, initial=BallotLimit.COUNT)
    ballot_limit_value = forms.DecimalField(
        label=_("The limit (a number of projects, or yuan)"), required=False, min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}), **MONEY,
        help_text=_("Leave empty for no limit."))


class PabulibImportForm(forms.Form):
    file = forms.FileField(label=_("Pabulib file (.pb)"))
    clean_file = _upload("file")


class BallotForm(forms.Form):
    projects = forms.MultipleChoiceField(label=_("The projects you support"), required=False,
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = {str(p.pk): p for p in projects}
        self.fields["projects"].choices = [(key, p.title) for key, p in self.projects.items()]
        self.fields["projects"].error_messages["invalid_choice"] = _("One of the projects is not on this ballot.")

    def chosen(self) -> list:
        return [self.projects[key] for key in self.cleaned_data["projects"]]


# --- Who may vote -------------------------------------------------------------------------------------------------

class CensusForm(forms.Form):
    street = forms.ModelChoiceField(label=_("Street or town"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("Census list (CSV: community, mobile number)"),
                           help_text=_("One resident per row: the community's name, then the mobile number. A "
                                       "header row is allowed. Save Excel sheets as CSV (UTF-8 or GBK)."))
    clean_file = _upload("file")

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets


class VoterLookupForm(forms.Form):
    phone = forms.CharField(label=_("The resident's mobile number"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))


class VoterConfirmForm(forms.Form):
    phone = forms.CharField(widget=forms.HiddenInput, max_length=20)
    community = forms.ModelChoiceField(label=_("The community where they live"), queryset=None,
                                       empty_label=_("Please choose"))

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["community"].label_from_instance = lambda a: f"{a.parent.name} · {a.name}"
