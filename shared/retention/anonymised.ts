/**
 * What stands where a tenant's name, address or notes stood once the retention period has passed
 * (AVG art. 5(1)(e)). Ids, dates and amounts stay, so KPIs and the books still add up.
 */
export const anonymisedMarker = '[geanonimiseerd]';

/** The retention job's name in audit_log and in the debtor history. */
export const retentionActor = 'retention-job';
