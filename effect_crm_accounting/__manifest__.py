# Copyright 2026 EFFECT CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "EFFECT CRM Accounting",
    "summary": "Hand-off of won customers to accounting, receivables for salespeople, "
    "CRM data for accountants, collection follow-up",
    "version": "19.0.1.2.0",
    "category": "Sales/CRM",
    "website": "https://github.com/effect-crm/effect-crm",
    "author": "EFFECT CRM",
    "maintainers": ["effect-crm"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["effect_crm", "account"],
    "uninstall_hook": "uninstall_hook",
    "data": [
        # groups first: the access rights and record rules name them
        "security/effect_crm_accounting_groups.xml",
        "security/ir.model.access.csv",
        "security/effect_crm_accounting_security.xml",
        "data/effect_crm_accounting_data.xml",
        "views/effect_crm_handoff_views.xml",
        "views/effect_crm_receivable_views.xml",
        "views/effect_crm_collection_views.xml",
        "views/res_partner_views.xml",
        "views/effect_crm_interaction_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/effect_crm_handoff_wizard_views.xml",
        "wizards/effect_crm_handoff_complete_views.xml",
        # menus last: they reference the actions above
        "views/effect_crm_accounting_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "effect_crm_accounting/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/effect_crm_accounting_demo.xml",
    ],
}
