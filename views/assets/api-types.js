// The API's JSON shapes (docs/briefs/api.md) as JSDoc typedefs for `npm run typecheck`; no page script loads this file.
// Fields the page reads defensively (`?? default`) are optional here, so the checker holds the page to that care.
// @ts-check

/** @typedef {{ field: string, message: string }} FieldIssue */
/**
 * An error answer: `{ error: 'invalid', issues }` for a 422, `{ error, message }` otherwise.
 * @typedef {{ error?: string, message?: string, issues?: FieldIssue[] }} ErrorBody
 */

/** @typedef {{ id: string, name: string, role: string }} User */
/** @typedef {{ token: string, expiresAt: number, locationId: string, user?: User | null }} LocationSessionAnswer */
/** @typedef {{ token: string, expiresAt: number, companyId: string, user?: User | null }} AgencySessionAnswer */
/** @typedef {{ scope: 'location', token: string, locationId: string, companyId: null, user: User | null }} LocationSession */
/** @typedef {{ scope: 'agency', token: string, locationId: null, companyId: string, user: User | null }} AgencySession */
/** @typedef {LocationSession | AgencySession} Session */

/** @typedef {'textBackInHours' | 'textBackAfterHours' | 'followUp' | 'help' | 'optOutConfirmation' | 'optInConfirmation'} TemplateKey */
/** @typedef {'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'} DayKey */
/**
 * A day's opening hours as "HH:MM", or null when closed all day.
 * @typedef {{ open: string, close: string } | null} DayHours
 */
/** @typedef {'respect-quiet-hours' | 'send-immediately'} TextBackPolicy */

/**
 * A location's settings as GET/PUT settings answer them (LocationSettings in src/workflow/settings.ts), limited to
 * the fields the page edits; the others pass through untouched.
 * @typedef {object} Settings
 * @property {boolean} enabled
 * @property {Record<string, string>} templates  keyed by TemplateKey
 * @property {{ enabled: boolean, delayMinutes: number }} followUp
 * @property {number} cooldownHours
 * @property {{ days: Record<DayKey, DayHours>, holidays: string[] }} businessHours
 * @property {string | null} timeZone
 * @property {TextBackPolicy} textBackPolicy
 */
/**
 * The same fields as PUT settings takes them and the agency defaults store them: every field optional at every
 * depth, arrays replaced whole (SettingsPatch in src/workflow/settings.ts).
 * @typedef {object} SettingsPatch
 * @property {boolean} [enabled]
 * @property {Record<string, string>} [templates]  keyed by TemplateKey
 * @property {{ enabled?: boolean, delayMinutes?: number }} [followUp]
 * @property {number} [cooldownHours]
 * @property {{ days?: Partial<Record<DayKey, DayHours>>, holidays?: string[] }} [businessHours]
 * @property {string | null} [timeZone]
 * @property {TextBackPolicy} [textBackPolicy]
 */

/** @typedef {{ followUp?: boolean, twilio?: boolean, agencyAnalytics?: boolean }} Features */
/**
 * GET settings' `location`.
 * @typedef {object} LocationInfo
 * @property {string} [id]
 * @property {string | null} [name]
 * @property {string | null} [timeZone]
 * @property {string} [status]
 * @property {boolean} [needsReconnect]
 * @property {string | null} [reconnectReason]
 * @property {string | null} [planId]
 * @property {boolean} [planKnown]
 * @property {Features} [features]
 */
/** @typedef {{ code: string, message?: string }} Warning */
/** @typedef {{ settings: Settings, location?: LocationInfo, warnings?: Warning[] }} SettingsAnswer */

/** @typedef {{ char: string, index: number, suggestion?: string }} Offender */
/** @typedef {{ encoding: string, units: number, segments: number, perSegment: number, offending?: Offender[] }} TextAnalysis */
/** @typedef {{ text: string, analysis: TextAnalysis, replaced?: string }} PreviewAnswer */
/** @typedef {{ status: string, text?: string }} TestMessageAnswer */

/** @typedef {{ missedCalls: number, texted: number, replied: number, followUpsSent: number, optOuts: number, failures: number }} Counts */
/** @typedef {Counts & { replyRate: number }} Totals */
/** @typedef {Counts & { date: string }} DayCounts */
/** @typedef {{ from: string, to: string, timeZone: string, totals: Totals, days: DayCounts[] }} StatsAnswer */

/**
 * @typedef {{ type: 'call', at: number, phone: string | null, callStatus: string, decision: string,
 *   textBack: { status: string, at: number, error: string | null } | null,
 *   followUp: { state: string, at: number | null } | null }} CallItem
 */
/** @typedef {{ type: 'reply', at: number, phone: string, meaning: string }} ReplyItem */
/**
 * @typedef {{ type: 'suppression', at: number, phone: string, action: 'suppress' | 'lift', source: string,
 *   reason: string | null }} SuppressionItem
 */
/** @typedef {CallItem | ReplyItem | SuppressionItem} ActivityItem */
/** @typedef {{ items?: ActivityItem[], nextCursor?: string | null }} ActivityPage */

/** @typedef {{ allowed: boolean, by?: string[], reason: string | null }} LiftVerdict */
/**
 * @typedef {{ phone: string, source: string, createdAt: number, sources?: { source: string, since: number }[],
 *   lift?: LiftVerdict }} OptOut
 */
/** @typedef {{ items?: OptOut[], total?: number }} OptOutPage */

/**
 * @typedef {{ locationId: string, name: string | null, enabled: boolean, status: string, needsReconnect: boolean,
 *   last7Days: { missedCalls: number, texted: number, replied: number } | null }} AgencyLocation
 */
/** @typedef {{ locations?: AgencyLocation[] }} AgencyLocationsAnswer */
/** @typedef {{ defaults?: SettingsPatch }} AgencyDefaultsAnswer */

export {};
