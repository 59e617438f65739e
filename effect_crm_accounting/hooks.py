IMPLYING_READ_ALL = ("account.group_account_invoice", "account.group_account_readonly")


def uninstall_hook(env):
    """Accountants read the CRM through this addon: without it, they no longer do."""
    read_all = env.ref("effect_crm.group_crm_read_all", raise_if_not_found=False)
    if not read_all:
        return
    for xmlid in IMPLYING_READ_ALL:
        group = env.ref(xmlid, raise_if_not_found=False)
        if group and read_all in group.implied_ids:
            group.implied_ids -= read_all
