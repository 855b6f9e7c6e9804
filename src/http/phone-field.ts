// A phone number typed by a user: any common format in, E.164 out (US default region), or a 422 field issue.
import { z } from 'zod';
import { toE164 } from '../lib/phone.js';

export const PhoneFieldSchema = z
  .string()
  .trim()
  .min(1, 'Enter a phone number')
  .max(40)
  .transform((raw, ctx) => {
    const e164 = toE164(raw);
    if (e164) return e164;
    ctx.addIssue({ code: 'custom', message: 'Not a valid phone number (use the international format, e.g. +1 212 555 0147)' });
    return z.NEVER;
  });
