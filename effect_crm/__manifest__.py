# Copyright 2026 EFFECT CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "EFFECT CRM",
    "summary": "Customer profiles, attributes, documents and the sales department's day",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/effect-crm/effect-crm",
    "author": "EFFECT CRM",
    "maintainers": ["effect-crm"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": True,
    "installable": True,
    "depends": ["crm", "sale_management", "base_vat"],
    "external_dependencies": {"python": ["python-stdnum"]},
    "data": [
        # access rights before record rules
        "security/ir.model.access.csv",
        "security/effect_crm_security.xml",
        "data/effect_crm_data.xml",
        "data/effect_crm_cron.xml",
        "views/res_partner_views.xml",
        "views/effect_crm_document_views.xml",
        "views/effect_crm_config_views.xml",
        "views/effect_crm_territory_views.xml",
        "data/effect_crm_contract_data.xml",
        "views/sale_order_views.xml",
        "views/effect_crm_promotion_views.xml",
        "views/effect_crm_contract_views.xml",
        "wizards/effect_crm_quote_compare_views.xml",
        "wizards/effect_crm_promotion_apply_views.xml",
        "data/effect_crm_interaction_data.xml",
        "views/effect_crm_interaction_views.xml",
        "views/effect_crm_agenda_views.xml",
        "views/effect_crm_customer_report_views.xml",
        "views/res_partner_interaction_views.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
        # menus last: they reference the actions above
        "views/effect_crm_menus.xml",
    ],
    "demo": [
        "demo/effect_crm_demo.xml",
        "demo/effect_crm_territory_demo.xml",
        "demo/effect_crm_contract_demo.xml",
        "demo/effect_crm_interaction_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "effect_crm/static/src/agenda_menu/*",
            "effect_crm/static/src/agenda/*",
        ],
        "web.assets_tests": [
            "effect_crm/static/tests/tours/*.js",
        ],
    },
}
