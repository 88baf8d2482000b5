/** The check every Camunda-side finding belongs to (docs/codes.md groups codes by check). */
export const CAMUNDA_CHECK_ID = 'camunda';
export const CAMUNDA_CHECK_TITLE = 'Camunda 8: components, their ServiceAccounts and AWS settings';
