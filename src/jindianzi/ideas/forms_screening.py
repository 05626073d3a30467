"""Forms of the optimisation stage: the screening queue, decisions, research notes, revisions.

They only parse what people type; the services in ``services.py`` apply the rules.
"""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jindianzi.editions.models import Category

from .models import Channel
from .selectors import default_screening_edition, editions_for_screening, screening_communities
from .workflow import SCREENING_DECISIONS, IdeaState

WAITING = "waiting"
ANY_STATE = "all"
# "Waiting" is the queue: new ideas and ideas resubmitted after an improvement (both are “submitted”).
WAITING_STATES = (IdeaState.SUBMITTED,)
REASON_LIMIT = 1000
BULK_LIMIT = 200

DECISION_LABELS = {
    "shortlist": _("Shortlist: select it for further work"),
    "request_improvement": _("Ask the proposer to improve it"),
    "decline": _("Decline: do not take it forward"),
}
REASON_HELP = _("Required. The proposer, the idea's followers and the public read it on the idea's page: "
                "write in plain words, without names or phone numbers. Keep internal remarks for the research notes.")


class ScreeningFilterForm(forms.Form):
    """The workbench's filters. Every choice is limited to the user's own districts and communities."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("words or a tracking code")}))
    state = forms.ChoiceField(label=_("Status"), required=False)
    edition = forms.ChoiceField(label=_("Edition"), required=False)
    community = forms.ModelChoiceField(label=_("Community"), required=False, queryset=None)
    category = forms.ModelChoiceField(label=_("Service category"), required=False, queryset=Category.objects.none())
    channel = forms.ChoiceField(label=_("Received"), required=False)
    older_than = forms.IntegerField(label=_("Older than (days)"), required=False, min_value=0,
                                    max_value=3650, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.editions = editions_for_screening(user)
        self.fields["edition"].choices = [(e.slug, e.name) for e in self.editions]
        self.fields["edition"].initial = self.default_edition and self.default_edition.slug
        self.fields["community"].queryset = screening_communities(user)
        self.fields["community"].label_from_instance = lambda a: f"{a.parent.name} · {a.name}"
        edition = self._chosen_edition()
        self.fields["category"].queryset = (Category.objects.filter(edition=edition) if edition
                                            else Category.objects.none())
        self.fields["category"].label_from_instance = lambda c: c.label
        for name in ("community", "category"):
            self.fields[name].empty_label = _("All")
        self.fields["state"].choices = [(WAITING, _("Waiting for a decision")), (ANY_STATE, _("All"))] \
            + IdeaState.choices
        self.fields["state"].initial = WAITING
        self.fields["channel"].choices = [("", _("All"))] + Channel.choices

    MORE_FILTERS = ("community", "category", "channel", "older_than", "edition")

    @property
    def more_filters_used(self) -> bool:
        """Whether the folded filters hold a choice or an error (then they are shown unfolded)."""
        if not self.is_bound:
            return False
        default = self.default_edition.slug if self.default_edition else ""
        chosen = {name: self.data.get(name) for name in self.MORE_FILTERS}
        chosen["edition"] = "" if chosen["edition"] in ("", None, default) else chosen["edition"]
        return any(chosen.values()) or any(self[name].errors for name in self.MORE_FILTERS)

    @property
    def default_edition(self):
        return default_screening_edition(self.editions)

    def _chosen_edition(self):
        slug = self.data.get("edition") if self.is_bound else None
        return next((e for e in self.editions if e.slug == slug), None) or self.default_edition

    def clean_edition(self):
        slug = self.cleaned_data.get("edition")
        return next((e for e in self.editions if e.slug == slug), None)

    def filters(self) -> dict:
        """Keyword arguments for ``ideas_for_screening``; the defaults when the form is not valid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        state = data.get("state") or WAITING
        older_than = data.get("older_than")
        return {
            "edition": data.get("edition") or self.default_edition,
            "community": data.get("community"),
            "category": data.get("category"),
            "states": WAITING_STATES if state == WAITING else (None if state == ANY_STATE else (state,)),
            "channel": data.get("channel") or "",
            "submitted_before": timezone.now() - timedelta(days=older_than) if older_than else None,
            "text": data.get("q") or "",
        }


class DecisionForm(forms.Form):
    """One screening decision on one idea; only the decisions the idea's state allows are offered."""

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), max_length=REASON_LIMIT, help_text=REASON_HELP,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, state: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (name, DECISION_LABELS[name]) for name, transition in SCREENING_DECISIONS.items()
            if state is None or state in transition.sources
        ]
        self.fields["reason"].error_messages["required"] = _("Please give a reason; the proposer will read it.")
        self.fields["decision"].error_messages["required"] = _("Please choose a decision.")

    @property
    def has_choices(self) -> bool:
        return bool(self.fields["decision"].choices)


class TrackingCodesField(forms.MultipleChoiceField):
    """Ticked tracking codes. Any code is accepted here: unknown ones are reported one by one after the decision."""

    def valid_value(self, value):
        return True


class BulkDecisionForm(DecisionForm):
    """The same decision for the ideas ticked on the workbench."""

    ideas = TrackingCodesField(label=_("Ideas"), widget=forms.MultipleHiddenInput,
                               error_messages={"required": _("Tick at least one idea.")})

    def clean_ideas(self):
        codes = list(dict.fromkeys(code.strip().upper() for code in self.cleaned_data["ideas"] if code.strip()))
        if len(codes) > BULK_LIMIT:
            raise forms.ValidationError(_("Decide at most %(limit)s ideas at once.") % {"limit": BULK_LIMIT})
        return codes


class NoteForm(forms.Form):
    text = forms.CharField(label=_("New research note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = _("The note is empty.")


class RevisionForm(forms.Form):
    """The idea's text, prefilled with the current version, and a few words on what changed."""

    title = forms.CharField(label=_("Title"), max_length=80)
    problem = forms.CharField(label=_("What is the problem?"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 5}))
    proposal = forms.CharField(label=_("What do you propose?"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 7}))
    beneficiaries = forms.CharField(label=_("Who benefits, and about how many people?"), max_length=200)
    estimated_budget = forms.DecimalField(label=_("Rough budget (yuan)"), min_value=Decimal("0.01"),
                                          max_digits=14, decimal_places=2,
                                          widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    note = forms.CharField(label=_("What did you change?"), max_length=200, required=False,
                           help_text=_("A few words, for example: added the number of people and a cheaper plan."))

    @classmethod
    def for_idea(cls, idea, data=None):
        initial = {name: getattr(idea, name)
                   for name in ("title", "problem", "proposal", "beneficiaries", "estimated_budget")}
        form = cls(data, initial=initial)
        if idea.edition.max_budget_per_idea:
            form.fields["estimated_budget"].help_text = _("At most %(max)s yuan.") % {
                "max": f"{idea.edition.max_budget_per_idea:,.0f}"}
        return form
