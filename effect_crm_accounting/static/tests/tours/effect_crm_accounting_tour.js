import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * A salesperson who may see receivables finds a customer with overdue invoices,
 * reads what it owes by age, then wins a prospect and hands it off to accounting
 * with the missing items shown first.
 */
registry.category("web_tour.tours").add("effect_crm_accounting_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("crm.crm_menu_root"),
        {
            trigger: 'button[data-menu-xmlid="effect_crm.menu_effect_crm_customers_root"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="effect_crm_accounting.menu_effect_crm_overdue_customers"]',
            run: "click",
        },
        {
            trigger: ".o_data_row:contains(Tour Khách Nợ) .o_data_cell:contains(1,234.00)",
        },
        {
            trigger: ".o_data_row:contains(Tour Khách Nợ) .o_data_cell",
            run: "click",
        },
        {
            trigger: ".o_notebook .nav-link:contains(Receivables)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=effect_amount_31_60]:contains(1,234.00)",
        },
        {
            trigger: ".o_field_widget[name=effect_receivable_ids] .o_data_row:contains(31-60)",
        },
        // win a prospect: the dialog shows what accounting still needs
        {
            trigger: 'button[data-menu-xmlid="effect_crm.menu_effect_crm_customers_root"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="effect_crm.menu_effect_crm_customers"]',
            run: "click",
        },
        {
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains(Tour Khách Tiềm Năng) .o_data_cell",
            run: "click",
        },
        {
            trigger: "button[name=action_effect_handoff_wizard]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=checklist_html] li:contains(Payment terms) .fa-times",
        },
        {
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Thanh toán 30 ngày",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Customer)",
        },
        {
            trigger: ".o_field_widget[name=effect_handoff_state]:contains(Incomplete)",
        },
    ],
});
