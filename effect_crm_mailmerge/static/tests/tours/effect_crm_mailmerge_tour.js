import { registry } from "@web/core/registry";

const CAMPAIGN = "Thư cảm ơn khách hàng (tour)";
const CUSTOMER = "Công ty CP Thử Nghiệm Hà Nội";

registry.category("web_tour.tours").add("effect_crm_mailmerge_campaign", {
    steps: () => [
        {
            content: "Open the draft campaign",
            trigger: `.o_data_row td:contains(${CAMPAIGN})`,
            run: "click",
        },
        {
            content: "The filter shows how many customers match, before anything is made",
            trigger: ".o_field_widget[name=match_count]:contains(2)",
        },
        {
            content: "A sample of them",
            trigger: `.o_field_widget[name=sample_partner_ids]:contains(${CUSTOMER})`,
        },
        {
            content: "Launch: the recipients are frozen",
            trigger: ".o_form_statusbar button[name=action_launch]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Launched)",
        },
        {
            content: "The recipients tab lists them",
            trigger: ".o_notebook_headers a[name=recipients]",
            run: "click",
        },
        {
            trigger: `.o_field_widget[name=recipient_ids] .o_data_row:contains(${CUSTOMER})`,
        },
        {
            content: "Generate: only scheduled, the letters are made in background",
            trigger: ".o_form_statusbar button[name=action_generate]",
            run: "click",
        },
        {
            trigger: ".o_notification:contains(Generation scheduled)",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Generating)",
        },
    ],
});

registry.category("web_tour.tours").add("effect_crm_mailmerge_responses", {
    steps: () => [
        {
            content: "The responses list opens on the letters without an answer",
            trigger: ".o_facet_value:contains(No Answer)",
        },
        {
            content: "Edit the customer's line",
            trigger: `.o_data_row:contains(${CUSTOMER}) td[name=response_status]`,
            run: "click",
        },
        {
            content: "Type the response",
            trigger: ".o_selected_row .o_field_widget[name=response_status] input",
            run: "edit Quotation",
        },
        {
            trigger: ".o_select_menu_item:contains(Asked for a Quotation)",
            run: "click",
        },
        {
            trigger: ".o_selected_row .o_field_widget[name=next_summary] input",
            run: "edit Gửi báo giá 20 bộ",
        },
        {
            content: "Enter saves the line and goes to the next one",
            trigger: ".o_selected_row .o_field_widget[name=next_summary] input",
            run: "press Enter",
        },
        {
            trigger: `.o_data_row:not(.o_selected_row):contains(${CUSTOMER}) td[name=response_status]:contains(Asked for a Quotation)`,
        },
    ],
});
