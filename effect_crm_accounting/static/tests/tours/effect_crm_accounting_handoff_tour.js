/** @odoo-module **/
/* The accountant's day: a hand-off that misses payment terms, completed from the list;
   then the customers who owe. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("effect_crm_accounting_handoff_tour", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button:enabled",
            run: "click",
        },
        {
            content: "Open the Invoicing app",
            trigger: '.o_app[data-menu-xmlid="account.menu_finance"]',
            run: "click",
        },
        {
            content: "Open the Customers menu",
            trigger: 'button[data-menu-xmlid="account.menu_finance_receivables"]',
            run: "click",
        },
        {
            content: "Open the customer hand-offs",
            trigger: 'a[data-menu-xmlid="effect_crm_accounting.menu_effect_crm_accounting_handoffs"]',
            run: "click",
        },
        {
            content: "The new customer's hand-off misses its payment terms",
            trigger: ".o_data_row:contains(Tour Khách Mới):contains(Payment terms) .o_data_cell",
            run: "click",
        },
        {
            content: "Complete its accounting side",
            trigger: ".o_form_view button[name=action_effect_complete]",
            run: "click",
        },
        {
            content: "Choose the payment terms",
            trigger: ".modal .o_field_widget[name=property_payment_term_id] input",
            run: "edit 30",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(30 Days)",
            run: "click",
        },
        {
            content: "Save the accounting information",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The hand-off is complete",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Complete)",
        },
        {
            content: "Then the receivables: open the Customers menu",
            trigger: 'button[data-menu-xmlid="account.menu_finance_receivables"]',
            run: "click",
        },
        {
            content: "Open the overdue customers",
            trigger: 'a[data-menu-xmlid="effect_crm_accounting.menu_effect_crm_accounting_overdue"]',
            run: "click",
        },
        {
            content: "The customer who owes for 40 days is listed",
            trigger: ".o_data_row:contains(Tour Khách Nợ Kế Toán) .o_data_cell",
            run: "click",
        },
        {
            content: "Its aging shows the overdue invoice",
            trigger: ".o_notebook .nav-link:contains(Receivables)",
            run: "click",
        },
        {
            content: "The invoice number is not cut",
            trigger: ".o_field_widget[name=effect_receivable_ids] .o_data_row:contains(31-60) td[name=move_name]",
            run() {
                if (this.anchor.scrollWidth > this.anchor.clientWidth + 1) {
                    throw new Error(`the invoice number is cut: ${this.anchor.textContent}`);
                }
            },
        },
    ],
});
