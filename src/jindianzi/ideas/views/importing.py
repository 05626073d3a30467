"""Importing paper ideas from a spreadsheet: template, upload, review. The work is in ``ideas/importing/``."""

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jindianzi.editions.models import Edition

from ..importing import (
    build_template, communities_for_import, editions_for_import, idea_import_commit, idea_import_discard,
    idea_import_upload, imports_of, rows_to_import,
)
from ..models import IdeaImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    edition = forms.ModelChoiceField(label=gettext_lazy("Edition"), queryset=Edition.objects.none(),
                                     to_field_name="slug", empty_label=None)
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx)"),
        help_text=gettext_lazy("Fill in the template, one idea per row. Nothing is imported before you have "
                               "seen every problem and decided."),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )

    def __init__(self, *args, editions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = (Edition.objects.filter(pk__in=[e.pk for e in editions])
                                           .order_by("-created_at"))
        self.fields["edition"].initial = editions[0]


def _require_importer(user) -> None:
    if not user.has_perm("ideas.import_ideas"):
        raise PermissionDenied


@login_required
def upload(request):
    _require_importer(request.user)
    editions = editions_for_import(request.user)
    if not editions:
        return render(request, "ideas/not_collecting.html")
    form = UploadForm(request.POST or None, request.FILES or None, editions=editions)
    if request.method == "POST" and form.is_valid():
        try:
            record = idea_import_upload(actor=request.user, edition=form.cleaned_data["edition"],
                                        upload=form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            return redirect("ideas:import_review", pk=record.pk)
    return render(request, "ideas/import_upload.html", {
        "form": form, "editions": editions, "imports": imports_of(request.user)[:10],
    })


@login_required
def template(request):
    _require_importer(request.user)
    editions = editions_for_import(request.user)
    slug = request.GET.get("edition")
    edition = next((e for e in editions if e.slug == slug), None) if slug else next(iter(editions), None)
    if edition is None:
        raise Http404
    content = build_template(edition=edition, communities=communities_for_import(request.user, edition))
    return FileResponse(io.BytesIO(content), as_attachment=True, content_type=XLSX,
                        filename=f"金点子导入模板-{edition.slug}.xlsx")


@login_required
def review(request, pk):
    _require_importer(request.user)
    record = get_object_or_404(IdeaImport.objects.select_related("edition", "uploaded_by"), pk=pk)
    if not request.user.has_perm("ideas.view_import", record):
        raise Http404  # another community's file: not even its existence is shown
    if request.method == "POST":
        return _decide(request, record)
    report = record.report
    return render(request, "ideas/import_review.html", {
        "record": record, "report": report,
        "valid_count": len(report["valid"]), "invalid_count": len(report["invalid"]),
        "duplicate_count": len(report["duplicates"]),
        "importable_count": len(rows_to_import(report, skip_duplicates=True)),
        "created": report.get("created", []),
        "can_decide": request.user.has_perm("ideas.decide_import", record),
    })


def _decide(request, record):
    action = request.POST.get("action")
    if action not in ("commit", "discard"):
        return HttpResponseBadRequest()
    try:
        if action == "discard":
            idea_import_discard(actor=request.user, record=record)
            messages.success(request, _("Nothing was imported from this file."))
        else:
            ideas = idea_import_commit(actor=request.user, record=record,
                                       skip_duplicates=not request.POST.get("keep_duplicates"))
            messages.success(request, ngettext(
                "Imported %(count)s idea. Write its tracking code on the paper form.",
                "Imported %(count)s ideas. Write each tracking code on its paper form.", len(ideas),
            ) % {"count": len(ideas)})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("ideas:import_review", pk=record.pk)
