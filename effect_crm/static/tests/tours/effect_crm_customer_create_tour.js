import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * A salesperson creates a customer from the Customers menu (the Salesperson field left
 * empty), then adds a contact person on its Contacts tab.
 */
registry.category("web_tour.tours").add("effect_crm_customer_create_tour", {
    url: "/odoo/effect-customers",
    steps: () => [
        {
            trigger: ".o_control_panel_main_buttons button.o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name] input, .o_form_view .o_field_widget[name=name] textarea",
            run: "edit Tour Công ty Mới",
        },
        ...stepUtils.saveForm(),
        {
            trigger: ".o_form_view .o_breadcrumb .active:contains(Tour Công ty Mới)",
        },
        {
            trigger: ".o_notebook .nav-link:contains(Contacts)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=child_ids] .o-kanban-button-new, .o_field_widget[name=child_ids] button:contains(Add)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=name] input, .modal .o_field_widget[name=name] textarea",
            run: "edit Chị Tour Liên Hệ",
        },
        {
            trigger: ".modal .o_form_button_save, .modal button:contains(Save & Close)",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: ".o_field_widget[name=child_ids]:contains(Chị Tour Liên Hệ)",
        },
        ...stepUtils.saveForm(),
    ],
});
