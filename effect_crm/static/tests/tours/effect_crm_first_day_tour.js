import { registry } from "@web/core/registry";

/**
 * A Vietnamese salesperson's first day (issue 14): what the screen shows at 1440 px.
 */

function fitsIn(element, what) {
    if (element.scrollWidth > element.clientWidth + 1) {
        throw new Error(`${what} is cut: ${element.scrollWidth}px in ${element.clientWidth}px`);
    }
}

registry.category("web_tour.tours").add("effect_crm_first_day_agenda", {
    url: "/odoo",
    steps: () => [
        {
            content: "After login a salesperson lands in the agenda",
            trigger: ".o_action_manager .o_effect_agenda_kanban .o_kanban_renderer",
        },
        {
            content: "The fifth column (later, where year-ahead actions go) is on screen",
            trigger: ".o_effect_agenda_kanban .o_kanban_group:nth-child(5) .o_kanban_record",
            run() {
                const column = this.anchor.closest(".o_kanban_group");
                const right = column.getBoundingClientRect().right;
                const width = document.documentElement.clientWidth;
                if (right > width + 1) {
                    throw new Error(`the fifth agenda column ends at ${right}px of ${width}px`);
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("effect_crm_first_day_customers", {
    url: "/odoo/effect-customers",
    steps: () => [
        {
            content: "Stage badges are not cut: prospect and customer read differently",
            trigger: ".o_data_row:contains(Tour Tiềm Năng) td[name=effect_stage] .badge",
            run() {
                fitsIn(this.anchor, "the stage badge");
            },
        },
        {
            trigger: ".o_data_row:contains(Tour Tiềm Năng) td[name=complete_name]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "A salesperson is not offered to define customer attributes",
            trigger: ".o-dropdown--menu:has(.o-dropdown-item):not(:has(.o-dropdown-item .fa-cogs))",
        },
    ],
});

registry.category("web_tour.tours").add("effect_crm_first_day_contracts", {
    url: "/odoo/effect-contracts",
    steps: () => [
        {
            content: "Contract numbers are not cut",
            trigger: ".o_data_row:contains(Tour hợp đồng) td[name=name]",
            run() {
                fitsIn(this.anchor, "the contract number");
            },
        },
    ],
});

registry.category("web_tour.tours").add("effect_crm_first_day_replaced_revision", {
    steps: () => [
        {
            content: "A replaced revision cannot be confirmed nor marked received",
            trigger:
                ".o_form_view .o_statusbar_buttons:has(button[name=action_effect_compare_revisions])" +
                ":not(:has(button[name=action_confirm]))" +
                ":not(:has(button[name=action_effect_mark_received]))",
        },
        {
            trigger: ".o_notebook .nav-link[name=effect_revisions]",
            run: "click",
        },
        {
            content: "The revisions tab does not add up the totals of the revisions",
            trigger: ".o_field_widget[name=effect_revision_ids] .o_data_row:nth-child(2)",
            run() {
                const table = this.anchor.closest("table");
                const footer = table.querySelector("tfoot");
                if (footer && /\d/.test(footer.textContent)) {
                    throw new Error(`the revisions are summed: ${footer.textContent.trim()}`);
                }
            },
        },
    ],
});
