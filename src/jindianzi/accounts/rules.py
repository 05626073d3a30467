import rules

rules.add_perm("accounts.view_own_account", rules.is_authenticated)
