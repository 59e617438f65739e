import { registry } from "@web/core/registry";

/**
 * Sets the window location to the URL of the action, as is: "Edit in Word" links are
 * ms-word:ofe|u|https://… and Odoo's act_url would rewrite the "|".
 */
function openLocation(env, action) {
    const url = action.params?.url || "";
    if (/^ms-word:of[ev]\|u\|https?:\/\//.test(url)) {
        window.location.href = url;
    }
}

registry.category("actions").add("effect_crm.open_location", openLocation);
