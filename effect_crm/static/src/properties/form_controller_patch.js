import { onWillStart } from "@odoo/owl";
import { user } from "@web/core/user";
import { patch } from "@web/core/utils/patch";
import { FormController } from "@web/views/form/form_controller";

/**
 * "Edit Properties" (the cog menu of a customer) defines customer attributes: only
 * those who may change the definitions (sales managers, administrators: the access
 * rights of properties.base.definition) see it. Salespeople still fill the values.
 */
patch(FormController.prototype, {
    setup() {
        super.setup(...arguments);
        this.effectCanDefineProperties = true;
        if (this.props.resModel === "res.partner") {
            onWillStart(async () => {
                this.effectCanDefineProperties = await user.checkAccessRight(
                    "properties.base.definition",
                    "write"
                );
            });
        }
    },

    getStaticActionMenuItems() {
        const items = super.getStaticActionMenuItems(...arguments);
        const editProperties = items.addPropertyFieldValue;
        if (editProperties) {
            const isAvailable = editProperties.isAvailable;
            editProperties.isAvailable = () => this.effectCanDefineProperties && isAvailable();
        }
        return items;
    },
});
