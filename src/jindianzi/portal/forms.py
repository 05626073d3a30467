from django import forms
from django.utils.translation import gettext_lazy as _

from jindianzi.areas.models import Area, AreaKind
from jindianzi.editions.models import Category, Edition, PhaseKind
from jindianzi.ideas.workflow import IdeaState


class IdeaFilterForm(forms.Form):
    """Browse ideas by edition, street, community, category, state and text."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. 老年 食堂")}))
    edition = forms.ModelChoiceField(label=_("Edition"), queryset=Edition.objects.all(), required=False,
                                     to_field_name="slug")
    street = forms.ModelChoiceField(label=_("Street or town"), required=False,
                                    queryset=Area.objects.filter(kind__in=[AreaKind.STREET, AreaKind.TOWN]))
    community = forms.ModelChoiceField(label=_("Community"), required=False,
                                       queryset=Area.objects.filter(kind=AreaKind.COMMUNITY).select_related("parent"))
    category = forms.ModelChoiceField(label=_("Service category"), required=False, queryset=Category.objects.none())
    state = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + IdeaState.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        edition = self._chosen_edition()
        self.fields["edition"].initial = edition and edition.slug
        self.fields["category"].queryset = Category.objects.filter(edition=edition) if edition else Category.objects.none()
        self.fields["category"].label_from_instance = lambda c: c.label
        for name in ("street", "community", "category"):
            self.fields[name].empty_label = _("All")
        self.fields["community"].label_from_instance = lambda a: f"{a.parent.name} · {a.name}"

    def default_edition(self):
        # An edition still in preparation has no ideas yet; keep showing the one that is running.
        return Edition.objects.exclude(current_phase=PhaseKind.DRAFT).order_by("-created_at").first()

    def _chosen_edition(self):
        slug = self.data.get("edition") if self.is_bound else None
        return (Edition.objects.filter(slug=slug).first() if slug else None) or self.default_edition()

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "edition": data["edition"] or self.default_edition(),
            "street": data["street"], "community": data["community"], "category": data["category"],
            "state": data["state"], "text": data["q"],
        }


class TrackForm(forms.Form):
    not_found_message = _("No idea has this tracking code. Please check it and try again.")

    code = forms.CharField(label=_("Tracking code"), max_length=16,
                           widget=forms.TextInput(attrs={"placeholder": "JD……", "autocapitalize": "characters"}),
                           help_text=_("You got it when you submitted, for example JD7K3M9QPA."))
