import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * A sales manager adds the customer attribute "Số chi nhánh" (number of branches)
 * on a customer form, fills it, then groups the customer list by it.
 */
registry.category("web_tour.tours").add("effect_crm_attribute_tour", {
    url: "/odoo/effect-customers",
    steps: () => [
        {
            trigger: ".o_data_row:contains(Tour Attribute Customer) .o_data_cell",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_breadcrumb .active:contains(Tour Attribute Customer)",
        },
        {
            trigger: ".o_form_view .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            trigger: ".o-dropdown-item:contains(Edit Properties)",
            run: "click",
        },
        {
            trigger: ".o_field_property_add button",
            run: "click",
        },
        {
            trigger: ".o_field_property_definition_header",
            run: "edit Số chi nhánh",
        },
        {
            trigger: ".o_field_property_definition_type input",
            run: "click",
        },
        {
            trigger: ".o_field_property_definition_type_menu .o-dropdown-item:contains(Integer)",
            run: "click",
        },
        {
            trigger: ".o_field_property_definition_type input:value(Integer)",
        },
        {
            // close the definition popover
            trigger: ".o_form_sheet .oe_title, .o_form_sheet h1",
            run: "click",
        },
        {
            trigger: ".o_property_field:contains(Số chi nhánh) input",
            run: "edit 7",
        },
        ...stepUtils.saveForm(),
        {
            trigger: ".o_breadcrumb a:contains(Customers)",
            run: "click",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_group_by_menu .o_menu_item:contains(Properties), .o_group_by_menu button:contains(Properties)",
            run: "click",
        },
        {
            trigger: ".o_group_by_menu .o_menu_item:contains(Số chi nhánh), .o_group_by_menu .o_item_option:contains(Số chi nhánh)",
            run: "click",
        },
        {
            trigger: ".o_group_name:contains(7)",
        },
    ],
});
