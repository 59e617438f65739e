# Copyright 2026 EFFECT CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "EFFECT CRM Mail Merge",
    "summary": "Letter campaigns to filtered customers: Word letters printed in one batch, "
    "e-mails, responses and questionnaires",
    "version": "19.0.1.2.0",
    "category": "Sales/CRM",
    "website": "https://github.com/effect-crm/effect-crm",
    "author": "EFFECT CRM",
    "maintainers": ["effect-crm"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["effect_crm", "survey"],
    "data": [
        # access rights before record rules
        "security/ir.model.access.csv",
        "security/effect_crm_mailmerge_security.xml",
        "data/effect_crm_mailmerge_data.xml",
        "views/effect_crm_mailmerge_campaign_views.xml",
        "views/effect_crm_mailmerge_recipient_views.xml",
        # menus last: they reference the actions above
        "views/effect_crm_mailmerge_menus.xml",
    ],
    "demo": ["demo/effect_crm_mailmerge_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "effect_crm_mailmerge/static/tests/tours/*.js",
        ],
    },
}
