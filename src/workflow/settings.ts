// Per-location settings: the one zod schema shared by the workflow, the settings API and the page, plus patch/merge.
// To add a field, add it (with a .default) to LocationSettingsSchema; the patch schema is derived from it.
import { z } from 'zod';
import { isValidTimeZone, type BusinessHours } from './send-window.js';
import { DEFAULT_TEMPLATES, findUnknownVariables } from './templates.js';

export const MISSED_STATUSES = ['no-answer', 'busy', 'canceled', 'failed', 'voicemail'] as const;

const TemplateTextSchema = z
  .string()
  .min(1)
  .max(1600)
  .superRefine((text, ctx) => {
    for (const variable of findUnknownVariables(text)) {
      ctx.addIssue({ code: 'custom', message: `Unknown variable ${variable}` });
    }
  });

const template = (key: keyof typeof DEFAULT_TEMPLATES) => TemplateTextSchema.default(DEFAULT_TEMPLATES[key]);

export const TemplatesSchema = z
  .object({
    textBackInHours: template('textBackInHours'),
    textBackAfterHours: template('textBackAfterHours'),
    followUp: template('followUp'),
    help: template('help'),
    optOutConfirmation: template('optOutConfirmation'),
    optInConfirmation: template('optInConfirmation'),
  })
  .prefault({});

// abort: a malformed time skips the open < close comparison, so each mistake is reported once.
const TimeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Expected HH:MM (00:00–23:59)', abort: true });

export const DayHoursSchema = z
  .object({ open: TimeOfDaySchema, close: TimeOfDaySchema })
  .refine((day) => day.open < day.close, { message: 'open must be before close', path: ['close'] })
  .nullable();

const NINE_TO_FIVE = () => ({ open: '09:00', close: '17:00' });

const DateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Expected YYYY-MM-DD', abort: true })
  .refine((date) => {
    const parsed = new Date(`${date}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date);
  }, 'Not a calendar date');

export const BusinessHoursSchema = z
  .object({
    days: z
      .object({
        mon: DayHoursSchema.default(NINE_TO_FIVE),
        tue: DayHoursSchema.default(NINE_TO_FIVE),
        wed: DayHoursSchema.default(NINE_TO_FIVE),
        thu: DayHoursSchema.default(NINE_TO_FIVE),
        fri: DayHoursSchema.default(NINE_TO_FIVE),
        sat: DayHoursSchema.default(null),
        sun: DayHoursSchema.default(null),
      })
      .prefault({}),
    holidays: z.array(DateSchema).max(500).default(() => []),
  })
  .prefault({});

export const LocationSettingsSchema = z.object({
  enabled: z.boolean().default(true),
  templates: TemplatesSchema,
  followUp: z
    .object({
      enabled: z.boolean().default(true),
      delayMinutes: z.number().int().min(15).max(10_080).default(120),
    })
    .prefault({}),
  cooldownHours: z.number().int().min(0).max(720).default(24),
  missedStatuses: z.array(z.enum(MISSED_STATUSES)).min(1).default(() => [...MISSED_STATUSES]),
  businessHours: BusinessHoursSchema,
  /** null: use the location's HighLevel time zone. */
  timeZone: z.string().refine(isValidTimeZone, 'Unknown IANA time zone').nullable().default(null),
  textBackPolicy: z.enum(['respect-quiet-hours', 'send-immediately']).default('respect-quiet-hours'),
  /** Tag added to a contact who replies; '' adds none. */
  replyTag: z.string().trim().max(64).default('missed-call-replied'),
  sendOptOutConfirmation: z.boolean().default(true),
  /** The HELP reply and the opt-out confirmation carry the web opt-out page's link (at {{optout_link}}, else appended). */
  includeOptOutLink: z.boolean().default(false),
  /** The location's HighLevel setup already appends an opt-out line, so the app must not add a second. */
  highLevelAppendsOptOut: z.boolean().default(false),
  firstNameFallback: z.string().trim().max(40).default('there'),
  /** Who sends the location's texts: its HighLevel SMS setup, or a Twilio account (credentials: PUT provider). */
  provider: z.enum(['highlevel', 'twilio']).default('highlevel'),
  /** Look up a number's line type with Twilio before the first text to it, and skip landlines. */
  landlineCheck: z.boolean().default(false),
});

export type LocationSettings = z.infer<typeof LocationSettingsSchema>;
export type MissedStatus = (typeof MISSED_STATUSES)[number];

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
/** Every field optional at every depth; arrays are replaced whole. */
export type SettingsPatch = DeepPartial<LocationSettings>;

/**
 * The patch version of a schema: defaults dropped (a patch never injects values), objects strict and partial
 * at every depth. Object-level refinements (open < close) are checked again on the merged result.
 */
function toPatchSchema(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault) return toPatchSchema(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodNullable) return toPatchSchema(schema.unwrap() as z.ZodType).nullable();
  if (schema instanceof z.ZodObject) {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, field] of Object.entries(schema.shape)) shape[key] = toPatchSchema(field as z.ZodType).optional();
    return z.strictObject(shape);
  }
  return schema;
}

export const SettingsPatchSchema = toPatchSchema(LocationSettingsSchema) as z.ZodType<SettingsPatch>;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function deepMerge(base: unknown, patch: unknown): unknown {
  if (patch === undefined) return base;
  if (!isPlainObject(patch) || !isPlainObject(base)) return patch;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) merged[key] = deepMerge(base[key], value);
  return merged;
}

/** Applies a patch and re-validates the whole result; throws a ZodError (with field paths) when it is invalid. */
export function mergeSettings(current: LocationSettings, patch: SettingsPatch): LocationSettings {
  return LocationSettingsSchema.parse(deepMerge(current, patch));
}

export function defaultSettings(): LocationSettings {
  return LocationSettingsSchema.parse({});
}

// Compile-time guard: the schema's business hours are what send-window.ts works with.
type Assert<T extends true> = T;
export type BusinessHoursFit = Assert<LocationSettings['businessHours'] extends BusinessHours ? true : false>;
