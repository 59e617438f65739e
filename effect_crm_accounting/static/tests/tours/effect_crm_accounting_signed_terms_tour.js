import { registry } from "@web/core/registry";

// An accountant opens a contract whose signed version came from a Word template and
// reads its terms on the form, without Word and without changing anything.
registry.category("web_tour.tours").add("effect_crm_accounting_signed_terms_tour", {
    steps: () => [
        {
            content: "The contract form has the terms of the signed version",
            trigger: ".o_form_view .o_notebook .nav-link[name=signed_text]",
            run: "click",
        },
        {
            content: "The signed text is there to read",
            trigger: ".o_field_widget[name=signed_text]:contains(Điều 5. Bảo hành 12 tháng.)",
        },
        {
            content: "…read-only",
            trigger: ".o_field_widget[name=signed_text]:not(:has(textarea))",
        },
        {
            content: "…and the contract cannot be changed from the form",
            trigger: ".o_form_view .o_field_widget[name=title]:not(:has(input))",
        },
    ],
});
