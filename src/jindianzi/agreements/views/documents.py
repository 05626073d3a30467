"""The agreement's printable document."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse

from ..models import Agreement
from ..pdf import agreement_pdf_bytes


@login_required
def agreement_pdf(request, code):
    """The agreement as a PDF, for whoever may see the agreement (its parties, funders and staff over it)."""
    agreement = Agreement.objects.select_related("edition__district", "project__street").filter(code=code).first()
    if agreement is None:
        raise Http404
    if not request.user.has_perm("agreements.view_agreement", agreement):
        raise PermissionDenied
    response = HttpResponse(agreement_pdf_bytes(agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{agreement.code}.pdf"'
    return response
