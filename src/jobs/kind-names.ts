// The job kinds' names, as stored in the jobs table's `kind` column: one tiny file that producers anywhere may import
// (the registry in registry.ts declares what each kind is). A stored name never changes: rows outlive releases.

/** A HighLevel webhook, stored by the intake and handled by the workflow. */
export const WEBHOOK_JOB = 'highlevel-event';
/** The text back to a missed caller (the workflow's JOB.textBack). */
export const TEXT_BACK_JOB = 'textback';
/** The follow-up after a text-back that got no answer (the workflow's JOB.followUp). */
export const FOLLOW_UP_JOB = 'followup';
/** A look at a location's recent calls for missed ones no webhook reported (the workflow's JOB.catchUp). */
export const CATCH_UP_JOB = 'catch-up';
/** A poll of HighLevel for the delivery status of a text sent through it. */
export const DELIVERY_CHECK_JOB = 'delivery-check';
/** A text that reached a location's Twilio number. */
export const TWILIO_INBOUND_JOB = 'twilio-inbound';
export const TOKEN_KEEPALIVE_JOB = 'token-keepalive';
export const RETENTION_JOB = 'retention';
export const BACKUP_JOB = 'backup';
/** A Twilio text (sent by the app, or a caller's) added to the contact's HighLevel conversation. */
export const CONVERSATION_POST_JOB = 'conversation-post';
/** The delivery status a HighLevel conversation message owes HighLevel, sent (retrying HighLevel's 403 window). */
export const CONVERSATION_STATUS_JOB = 'conversation-status';
/** A ProviderOutboundMessage: a message typed in the app's conversation channel, sent through Twilio or refused. */
export const PROVIDER_OUTBOUND_JOB = 'provider-outbound';
