import { registry } from "@web/core/registry";

/**
 * A salesperson edits a customer's phone while another user changes it and saves
 * first: the save is refused with a message naming the other user, the salesperson's
 * edit stays in the form; reloading the page shows the other user's change.
 * The other user (login "tour_concur_other") saves through Odoo's external API, as
 * another browser would, without the count: that save is always accepted.
 */
async function otherUserSaves(customerName, phone) {
    const call = async (service, method, args) => {
        const response = await fetch("/jsonrpc", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({
                jsonrpc: "2.0",
                method: "call",
                params: { service, method, args },
            }),
        });
        const payload = await response.json();
        if (payload.error) {
            throw new Error(JSON.stringify(payload.error));
        }
        return payload.result;
    };
    const db = odoo.info.db;
    const login = "tour_concur_other";
    const uid = await call("common", "login", [db, login, login]);
    const execute = (model, method, args) =>
        call("object", "execute_kw", [db, uid, login, model, method, args]);
    const ids = await execute("res.partner", "search", [[["name", "=", customerName]]]);
    await execute("res.partner", "write", [ids, { phone }]);
}

registry.category("web_tour.tours").add("effect_crm_concurrency_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_breadcrumb .active:contains(Tour Khách Đồng Thời)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=phone] input",
            run: "edit 0901 111 111",
        },
        {
            content: "another user saves the same customer first",
            trigger: ".o_form_view .o_form_button_save",
            run: () => otherUserSaves("Tour Khách Đồng Thời", "0902 222 222"),
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "the save is refused with who changed the customer",
            trigger: ".modal:contains(was changed by Tour Other User):contains(reload the page)",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the salesperson's edit is still in the form",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name=phone] input:value(0901 111 111)",
        },
        {
            trigger: ".o_form_view .o_form_button_cancel",
            run: "click",
        },
        {
            content: "discarded: back to what the salesperson had loaded",
            trigger: ".o_form_view .o_field_widget[name=phone] input:value(0900 000 000)",
        },
        {
            content: "the salesperson reloads the page, as the message says",
            trigger: ".o_form_view .o_field_widget[name=phone] input:value(0900 000 000)",
            run: () => window.location.reload(),
            expectUnloadPage: true,
        },
        {
            content: "reloaded: the form shows the other user's change",
            trigger: ".o_form_view .o_field_widget[name=phone] input:value(0902 222 222)",
        },
    ],
});
