import { Record } from "@web/model/relational_model/record";
import { patch } from "@web/core/utils/patch";

/**
 * A form that shows `effect_edit_version` (customers, quotations, contracts: see
 * effect.crm.concurrency.mixin) sends back the count it loaded with its changes, so
 * that the server refuses a save over a change another user made in between instead
 * of overwriting it. The field is read-only, so Odoo would not send it by itself.
 */
const EDIT_VERSION_FIELD = "effect_edit_version";

patch(Record.prototype, {
    _getChanges(changes = this._changes, options = {}) {
        const result = super._getChanges(changes, options);
        if (
            this.resId &&
            !options.withReadonly &&
            EDIT_VERSION_FIELD in this.activeFields &&
            Object.keys(result).some((fieldName) => fieldName !== "id")
        ) {
            result[EDIT_VERSION_FIELD] = this._values[EDIT_VERSION_FIELD];
        }
        return result;
    },
});
