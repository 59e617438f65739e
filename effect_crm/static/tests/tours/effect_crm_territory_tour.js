import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * A sales manager sets up territories for three provinces, then moves a
 * salesperson's customers to a colleague.
 */
function createTerritory(name, province, salesperson) {
    return [
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name] input",
            run: `edit ${name}`,
        },
        {
            trigger: ".o_field_widget[name=member_ids] input",
            run: `edit ${salesperson}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item:contains(${salesperson})`,
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=state_ids] input",
            run: `edit ${province}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item:contains(${province})`,
            run: "click",
        },
        {
            trigger: `.o_field_widget[name=state_ids] .o_tag:contains(${province})`,
        },
        ...stepUtils.saveForm(),
        {
            trigger: ".o_breadcrumb a:contains(Territories)",
            run: "click",
        },
        {
            trigger: `.o_data_row:contains(${name})`,
        },
    ];
}

registry.category("web_tour.tours").add("effect_crm_territory_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("crm.crm_menu_root"),
        {
            trigger: 'button[data-menu-xmlid="effect_crm.menu_effect_crm_customers_root"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="effect_crm.menu_effect_crm_territories"]',
            run: "click",
        },
        ...createTerritory("Tour Gia Lai", "Gia Lai", "Tour Salesperson A"),
        ...createTerritory("Tour Lai Châu", "Lai Châu", "Tour Salesperson A"),
        ...createTerritory("Tour Quảng Trị", "Quảng Trị", "Tour Salesperson B"),
        // the customers already there move into the new territories
        {
            trigger: ".o_data_row:contains(Tour Gia Lai) .o_data_cell",
            run: "click",
        },
        {
            trigger: "button[name=action_reapply_criteria]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
        {
            trigger: 'button[data-menu-xmlid="effect_crm.menu_effect_crm_customers_root"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="effect_crm.menu_effect_crm_reassignments"]',
            run: "click",
        },
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=from_user_id] input",
            run: "edit Tour Salesperson A",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Tour Salesperson A)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=to_user_id] input",
            run: "edit Tour Salesperson B",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Tour Salesperson B)",
            run: "click",
        },
        {
            trigger: "button[name=action_start]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
        {
            trigger: ".o_field_widget[name=moved_count]:contains(2)",
        },
    ],
});
