/** @odoo-module **/
/* The sales manager's morning: the dashboard, then a bar of it opens the records. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("effect_crm_dashboard_tour", {
    steps: () => [
        {
            content: "Open CRM's Reporting menu",
            trigger: 'button[data-menu-xmlid="crm.crm_menu_report"]',
            run: "click",
        },
        {
            content: "Open the Sales Dashboard",
            trigger: 'a[data-menu-xmlid="effect_crm.menu_effect_crm_dashboard"]',
            run: "click",
        },
        ...[
            "Interactions This Week",
            "Overdue Next Actions",
            "Quotation Pipeline",
            "Contracts Signed This Quarter",
        ].map((title) => ({
            content: `The dashboard shows ${title} as a graph`,
            trigger: `.o-dashboard-action:has(.o-dashboard-action-header:contains("${title}")) .o_graph_renderer canvas`,
        })),
        {
            content: "The overdue actions of this week's salesperson are counted",
            trigger: '.o-dashboard-action:has(.o-dashboard-action-header:contains("Overdue Next Actions")):not(:has(.o_view_nocontent))',
        },
    ],
});
