import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// The quotation of the tests is named EFFTOUR01; its revisions EFFTOUR01-R2, -R3.
const QUOTE = "EFFTOUR01";

function changeFirstLineQuantity(quantity) {
    return [
        {
            content: "Edit the quantity of the first line",
            trigger: ".o_field_widget[name=order_line] .o_data_row:first-child .o_field_cell[name=product_uom_qty]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=order_line] .o_selected_row .o_field_widget[name=product_uom_qty] input",
            run: `edit ${quantity} && press Tab`,
        },
        ...stepUtils.saveForm(),
    ];
}

function newRevision(number) {
    return [
        {
            content: `Make revision R${number}: the sent one is kept as it is`,
            trigger: ".o_form_view button[name=action_effect_new_revision]",
            run: "click",
        },
        {
            trigger: `.o_form_view .oe_title:contains("${QUOTE}-R${number}")`,
        },
        {
            trigger: ".o_field_widget[name=effect_customer_status]:contains(Not Sent)",
        },
    ];
}

function markSent() {
    return [
        {
            content: "The salesperson sends this revision (handed over in person)",
            trigger: ".o_form_view button[name=action_effect_mark_sent]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=effect_customer_status]:contains(Sent)",
        },
    ];
}

registry.category("web_tour.tours").add("effect_crm_quote_revisions_tour", {
    steps: () => [
        {
            content: "Send the quotation by email",
            trigger: ".o_form_view button[name=action_quotation_send]:enabled",
            run: "click",
        },
        {
            trigger: ".modal .btn.o_mail_send",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: ".o_field_widget[name=effect_customer_status]:contains(Sent)",
        },
        {
            content: "A sent quotation is kept as sent: its lines are read-only",
            trigger: ".o_form_view .alert-info:contains(New Revision)",
        },
        ...newRevision(2),
        ...changeFirstLineQuantity(32),
        ...markSent(),
        ...newRevision(3),
        ...changeFirstLineQuantity(35),
        ...markSent(),
        {
            content: "Compare the revisions",
            trigger: ".o_form_view button[name=action_effect_compare_revisions]",
            run: "click",
        },
        {
            trigger: `.modal .o_field_widget[name=order_a_id] input`,
            run: `edit ${QUOTE}`,
        },
        {
            content: "Compare R1 (the first quotation) with R3",
            trigger: `.o-autocomplete--dropdown-menu .dropdown-item:contains("${QUOTE}"):not(:contains("-R"))`,
            run: "click",
        },
        {
            trigger: ".modal button[name=action_compare]",
            run: "click",
        },
        {
            content: "The quantity went from 30 to 35",
            trigger: ".modal .o_data_row:contains(Quantity):contains(30):contains(35)",
        },
        {
            trigger: ".modal .o_data_row:contains(Total)",
        },
        {
            trigger: ".modal .modal-footer button:contains(Close)",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});

function uploadVersion(fileName, text) {
    return [
        {
            content: `Upload ${fileName} as a new version`,
            trigger: ".o_form_view button[name=action_upload_version]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=file] input[type=file]:not(:visible)",
            run() {
                const input = document.querySelector(".modal .o_field_widget[name=file] input[type=file]");
                const transfer = new DataTransfer();
                transfer.items.add(new File([text], fileName, { type: "application/pdf" }));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            trigger: ".modal .o_field_widget[name=file] .o_clear_file_button",
        },
        {
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: `edit ${fileName}`,
        },
        {
            content: "The dialog's buttons say what they do: Upload, Cancel (not Save/Discard)",
            trigger: ".modal:not(:has(.o_form_button_save)) .modal-footer:contains(Cancel) button.btn-primary:contains(Upload)",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: `.o_field_widget[name=version_ids] .o_data_row:contains("${fileName}")`,
        },
    ];
}

registry.category("web_tour.tours").add("effect_crm_contract_tour", {
    steps: () => [
        {
            content: "The customer accepted R3: make the contract",
            trigger: ".o_field_widget[name=effect_customer_status]:contains(Accepted)",
        },
        {
            trigger: ".o_form_view button[name=action_effect_create_contract]",
            run: "click",
        },
        {
            content: "The contract's subject is its big title",
            trigger: `.o_form_view .oe_title h1 .o_field_widget[name=title] input`,
            run: "edit Hợp đồng EFFTOUR",
        },
        ...stepUtils.saveForm(),
        {
            content: "The number sits under the title",
            trigger: ".o_form_view .oe_title h1 + .o_field_widget[name=name]",
        },
        ...uploadVersion("hop-dong-v1.pdf", "%PDF-1.4 version 1"),
        ...uploadVersion("hop-dong-v2.pdf", "%PDF-1.4 version 2"),
        {
            content: "Mark the second version final",
            trigger: '.o_field_widget[name=version_ids] .o_data_row:contains("hop-dong-v2") button[name=action_mark_final]',
            run: "click",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: '.o_field_widget[name=version_ids] .o_data_row:contains("hop-dong-v2") .badge:contains(Final)',
        },
        {
            content: "A final version cannot be changed: no button to change it is offered",
            trigger: '.o_field_widget[name=version_ids] .o_data_row:contains("hop-dong-v2"):not(:has(button[name=action_mark_final])):not(:has(button[name=action_unlock]))',
        },
        {
            content: "The contract is signed",
            trigger: ".o_form_view button[name=action_sign]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Signed)",
        },
    ],
});

registry.category("web_tour.tours").add("effect_crm_contract_filter_tour", {
    steps: () => [
        {
            content: "Contracts over 5,000 USD",
            trigger: ".o_searchview_input",
            run: "edit 5000 USD",
        },
        {
            trigger: '.o_searchview_autocomplete .o-dropdown-item:contains("Value Over")',
            run: "click",
        },
        {
            trigger: '.o_searchview_facet:contains("5000 USD")',
        },
        {
            content: "The contract of 4,000 USD is left out (the list was filtered)",
            trigger: '.o_list_view:not(:has(.o_data_row:contains("EFFSMALL")))',
        },
        {
            trigger: '.o_list_view .o_data_row:contains("Hợp đồng EFFTOUR")',
        },
        {
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Signed this quarter",
            trigger: '.o_filter_menu .o_menu_item:contains("Signed This Quarter")',
            run: "click",
        },
        {
            trigger: '.o_searchview_facet:contains("Signed This Quarter")',
        },
        {
            content: "The contract signed last quarter is left out",
            trigger: '.o_list_view:not(:has(.o_data_row:contains("EFFOLD")))',
        },
        {
            trigger: '.o_list_view .o_data_row:contains("Hợp đồng EFFTOUR")',
        },
    ],
});
