// Plan id → features: the rule the workflow and the settings API read a location's plan through.
import { describe, expect, it } from 'vitest';
import { describePlan, featuresFor, parsePlansTable } from '../../src/workflow/plans.js';

const plans = parsePlansTable({
  'plan-starter': { name: 'Starter', features: { followUp: false, twilio: false, agencyAnalytics: false } },
  'plan-growth': { name: 'Growth', features: { agencyAnalytics: false } },
  'plan-pro': { name: 'Pro' },
});

describe('featuresFor', () => {
  it('when the plan is listed, then it grants exactly the features it does not withhold', () => {
    expect(featuresFor('plan-starter', plans)).toEqual({ features: { followUp: false, twilio: false, agencyAnalytics: false }, planKnown: true, planName: 'Starter' });
    expect(featuresFor('plan-growth', plans)).toEqual({ features: { followUp: true, twilio: true, agencyAnalytics: false }, planKnown: true, planName: 'Growth' });
    expect(featuresFor('plan-pro', plans).features).toEqual({ followUp: true, twilio: true, agencyAnalytics: true });
  });

  it('when the plan id is not listed, then every feature stays on and the plan is marked unknown', () => {
    expect(featuresFor('66a0419a0dffa47fb5f8b22f', plans)).toEqual({ features: { followUp: true, twilio: true, agencyAnalytics: true }, planKnown: false, planName: null });
  });

  it('when no plans are configured or the location has no plan id, then every feature is on', () => {
    for (const table of [undefined, {}]) expect(featuresFor('plan-starter', table).features).toEqual({ followUp: true, twilio: true, agencyAnalytics: true });
    expect(featuresFor(null, plans)).toMatchObject({ features: { followUp: true, twilio: true, agencyAnalytics: true }, planKnown: false });
  });

  it('when the plan id names an Object.prototype member, then it is still an unknown plan', () => {
    expect(featuresFor('constructor', plans).planKnown).toBe(false);
    expect(featuresFor('__proto__', plans).features.followUp).toBe(true);
  });

  it('when a feature changes in the result, then the plans table is not changed with it', () => {
    featuresFor('plan-starter', plans).features.followUp = true;
    expect(featuresFor('plan-starter', plans).features.followUp).toBe(false);
  });
});

describe('the plans table in app-manifest.json', () => {
  it('when a plan names a feature the app does not have, then the table is rejected', () => {
    expect(() => parsePlansTable({ p: { name: 'Typo', features: { followup: false } } })).toThrow();
    expect(() => parsePlansTable({ p: { features: {} } })).toThrow();
    expect(() => parsePlansTable({ p: { name: 'Bad', features: { twilio: 'no' } } })).toThrow();
  });

  it('when the manifest has no "plans" entry, then the table is empty', () => {
    expect(parsePlansTable(undefined)).toEqual({});
  });
});

describe('describePlan (the settings API view)', () => {
  it('when asked about a location plan, then it answers id, name, whether known, and features', () => {
    expect(describePlan('plan-starter', plans)).toEqual({ planId: 'plan-starter', planName: 'Starter', planKnown: true, features: { followUp: false, twilio: false, agencyAnalytics: false } });
    expect(describePlan(undefined, plans)).toMatchObject({ planId: null, planKnown: false });
  });
});
