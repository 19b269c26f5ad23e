/** The voucher statuses for the browser (db/enums.ts is not imported by routes' components). */
export { VOUCHER_STATUSES, type VoucherStatus } from '../../../db/enums.js'
