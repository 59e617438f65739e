import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

// The test prepares the contract, a Word template and, as an attachment named
// effect-tour-edited.docx, the document as the customer sent it back edited.
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

registry.category("web_tour.tours").add("effect_crm_word_template_tour", {
    steps: () => [
        {
            content: "Make the first version of the contract from the template",
            trigger: ".o_form_view button[name=action_create_from_template]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=template_id] input:value(Hợp đồng mua bán)",
        },
        {
            trigger: ".modal button[name=action_create_version]",
            run: "click",
        },
        {
            content: "Version 1 is the merged Word document",
            trigger: '.o_field_widget[name=version_ids] .o_data_row:contains("Hợp đồng mua bán.docx")',
        },
        {
            content: "The version can be opened in Word from the browser",
            trigger: ".o_form_view button[name=action_edit_in_word]",
        },
        {
            content: "Upload the document the customer edited",
            trigger: ".o_form_view button[name=action_upload_version]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=file] input[type=file]:not(:visible)",
            async run() {
                const [attachment] = await rpc("/web/dataset/call_kw/ir.attachment/search_read", {
                    model: "ir.attachment",
                    method: "search_read",
                    args: [[["name", "=", "effect-tour-edited.docx"]], ["datas"]],
                    kwargs: {},
                });
                const bytes = Uint8Array.from(atob(attachment.datas), (c) => c.charCodeAt(0));
                const input = document.querySelector(".modal .o_field_widget[name=file] input[type=file]");
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], "hop-dong-khach-sua.docx", { type: DOCX }));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            trigger: ".modal .o_field_widget[name=file] .o_clear_file_button",
        },
        {
            content: "The dialog's own button says what it does",
            trigger: ".modal .modal-footer button.btn-primary:contains(Upload)",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Version 2 is there and disagrees with the database",
            trigger: '.o_field_widget[name=version_ids] .o_data_row:contains("hop-dong-khach-sua.docx")',
        },
        {
            trigger: ".alert-warning:contains(disagrees with the database)",
        },
        {
            trigger: ".o_notebook .nav-link[name=differences]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=difference_html]:contains(9.999.000)",
        },
        {
            content: "Take the document's value into the contract",
            trigger: ".o_form_view button[name=action_apply_document_values]",
            run: "click",
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: ".o-mail-Message:contains(Values of version 2 taken into the contract)",
        },
    ],
});
