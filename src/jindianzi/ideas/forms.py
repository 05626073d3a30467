from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jindianzi.areas.models import Area, AreaKind

from .models import ProposerKind
from .services import IdeaDraft, proposer_kind_of


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


class IdeaForm(forms.Form):
    """What a resident fills in. The rules are checked by the service; this only parses."""

    community = forms.ModelChoiceField(label=_("Your community"), queryset=Area.objects.none())
    category = forms.ModelChoiceField(label=_("Service category"), queryset=None,
                                      help_text=_("Who the idea mainly serves."))
    title = forms.CharField(label=_("Title"), max_length=80,
                            help_text=_("One short sentence, for example: 为独居老人建立每日问候队"))
    problem = forms.CharField(label=_("What is the problem?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    proposal = forms.CharField(label=_("What do you propose?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))
    beneficiaries = forms.CharField(label=_("Who benefits, and about how many people?"), max_length=200)
    estimated_budget = forms.DecimalField(label=_("Rough budget (yuan)"), min_value=Decimal("0.01"),
                                          max_digits=14, decimal_places=2,
                                          widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    anonymous = forms.BooleanField(label=_("Do not show my name on public pages"), required=False)
    photos = MultiplePhotoField(label=_("Photos (optional)"), required=False)

    def __init__(self, *args, edition, communities=None, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.organizations = {str(org.pk): org for org in organizations}
        if self.organizations:
            # Staff of a social organisation or self-organisation may propose in its name.
            self.fields["proposed_as"] = forms.ChoiceField(
                label=_("Who proposes this idea?"), required=False,
                choices=[("", _("I do, as a resident"))] + [(pk, org.name) for pk, org in self.organizations.items()],
            )
            self.order_fields(["proposed_as"])
        if communities is None:
            communities = Area.objects.filter(kind=AreaKind.COMMUNITY, path__startswith=edition.district.path)
        communities = communities.select_related("parent").order_by("parent__name", "name")
        self.fields["community"].queryset = communities
        self.fields["community"].label_from_instance = lambda a: f"{a.parent.name} · {a.name}"
        self.fields["category"].queryset = edition.categories.all()
        self.fields["category"].label_from_instance = lambda c: c.label
        for name in ("community", "category"):
            self.fields[name].empty_label = _("Please choose")
        if len(communities) == 1:  # a community worker usually works in one community
            self.fields["community"].initial = communities[0].pk
        # Set per request: at class level it would be frozen in the language and limit of import time.
        self.fields["photos"].help_text = _("Up to %(n)s photos, JPEG, PNG or WebP.") % {
            "n": settings.JINDIANZI_PHOTOS_PER_IDEA}
        if edition.max_budget_per_idea:
            self.fields["estimated_budget"].help_text = _("At most %(max)s yuan.") % {"max": f"{edition.max_budget_per_idea:,.0f}"}

    def draft(self) -> IdeaDraft:
        data = self.cleaned_data
        organization = self.organizations.get(data.get("proposed_as") or "")
        return IdeaDraft(
            edition=self.edition, community=data["community"], category=data["category"],
            title=data["title"], problem=data["problem"], proposal=data["proposal"],
            beneficiaries=data["beneficiaries"], estimated_budget=data["estimated_budget"],
            proposer_kind=proposer_kind_of(organization) if organization else ProposerKind.RESIDENT,
            proposer_organization=organization, anonymous=data["anonymous"], photos=data["photos"],
        )


class PaperIdeaForm(IdeaForm):
    """A community worker types in a resident's paper form."""

    proposer_name = forms.CharField(label=_("Resident's name"), max_length=60)
    proposer_phone = forms.CharField(label=_("Resident's mobile number"), max_length=20, required=False,
                                     widget=forms.TextInput(attrs={"inputmode": "tel"}))
    consent = forms.BooleanField(
        label=_("The resident agreed that this idea and their contact details are recorded here."), required=False,
    )
    field_order = ["proposer_name", "proposer_phone", "community", "category", "title", "problem", "proposal",
                   "beneficiaries", "estimated_budget", "anonymous", "photos", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].label = _("Community")
        self.fields["anonymous"].label = _("The resident asked to stay anonymous on public pages")


def apply_service_errors(form: forms.Form, error) -> None:
    """Show a service's ValidationError on the form fields it names (or on top)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        for message in error.messages:
            form.add_error(None, message)
