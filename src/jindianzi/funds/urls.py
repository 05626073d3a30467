from django.urls import path

from .views import balances, disbursements, expenses

app_name = "funds"
urlpatterns = [
    path("staff/funds/", balances.balances, name="balances"),
    path("staff/funds/commitments/<slug:slug>/", balances.commitments, name="commitments"),
    path("staff/funds/disbursements/", disbursements.queue, name="disbursements"),
    path("staff/funds/disbursements/<int:pk>/", disbursements.detail, name="disbursement"),
    path("staff/funds/disbursements/<int:pk>/approve/<int:share>/", disbursements.approve, name="approve"),
    path("staff/funds/disbursements/<int:pk>/pay/<int:share>/", disbursements.pay, name="pay"),
    path("staff/funds/disbursements/<int:pk>/return/", disbursements.return_request, name="return"),
    path("staff/agreements/<slug:code>/request/<int:instalment>/", disbursements.request, name="request"),
    path("staff/agreements/<slug:code>/expenses/", expenses.expense_list, name="expenses"),
    path("staff/funds/expenses/", expenses.queue, name="expense_queue"),
    path("staff/funds/expenses/<int:pk>/review/", expenses.review, name="expense_review"),
    path("staff/funds/receipts/<int:pk>/", expenses.receipt, name="receipt"),
]
