// Plans: which features a location's HighLevel plan includes, from the table in app-manifest.json under "plans".
import { z } from 'zod';

export const FEATURES = ['followUp', 'twilio', 'agencyAnalytics'] as const;
export type Feature = (typeof FEATURES)[number];
export type Features = Record<Feature, boolean>;

/**
 * One plan: `{ "name": "Starter", "features": { "followUp": false } }`. A feature the plan does not mention is
 * included, so a plan lists only what it withholds. Unknown feature names are rejected (a typo must not go unnoticed).
 */
export const PlanSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  features: z
    .strictObject({ followUp: z.boolean(), twilio: z.boolean(), agencyAnalytics: z.boolean() })
    .partial()
    .default({}),
});
export type Plan = z.infer<typeof PlanSchema>;

/** HighLevel plan id → plan. Empty (no plans configured): every location has every feature. */
export const PlansTableSchema = z.record(z.string().min(1).max(128), PlanSchema);
export type PlansTable = z.infer<typeof PlansTableSchema>;

export interface PlanFeatures {
  features: Features;
  /** The location's plan id is listed in the table (the settings page says "unknown plan" otherwise). */
  planKnown: boolean;
  planName: string | null;
}

const ALL_FEATURES: Features = Object.freeze({ followUp: true, twilio: true, agencyAnalytics: true });

/**
 * The features a plan id grants. A plan id the table does not list (or none at all) keeps every feature:
 * a missing or new plan must never switch a paying business's text-backs off.
 */
export function featuresFor(planId: string | null | undefined, plans: PlansTable | undefined): PlanFeatures {
  const plan = planId && plans && Object.hasOwn(plans, planId) ? plans[planId] : undefined;
  if (!plan) return { features: { ...ALL_FEATURES }, planKnown: false, planName: null };
  return { features: { ...ALL_FEATURES, ...plan.features }, planKnown: true, planName: plan.name };
}

/** What the settings API shows about a location's plan: `{ planId, planName, planKnown, features }`. */
export function describePlan(planId: string | null | undefined, plans: PlansTable | undefined): PlanFeatures & { planId: string | null } {
  return { planId: planId ?? null, ...featuresFor(planId, plans) };
}

/** Reads the manifest's "plans" value; throws a ZodError naming the bad entry (the app refuses to start then). */
export function parsePlansTable(value: unknown): PlansTable {
  return PlansTableSchema.parse(value ?? {});
}
