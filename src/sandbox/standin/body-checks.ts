// Request-body validation in HighLevel's manner: every problem listed, 422 with `message` as an array.
import { apiError } from './http-io.js';

export type Body = Record<string, unknown>;

/** Collects problems; `throwIfAny` answers 422 with all of them at once, like HighLevel's validation pipe. */
export function createBodyChecks(body: Body) {
  const problems: string[] = [];

  function allowOnly(allowed: ReadonlySet<string>): void {
    for (const key of Object.keys(body)) {
      if (!allowed.has(key)) problems.push(`property ${key} should not exist`);
    }
  }

  function requiredString(key: string): string {
    const value = body[key];
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`${key} must be a string`, `${key} should not be empty`);
      return '';
    }
    return value;
  }

  function optionalString(key: string): string | undefined {
    const value = body[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      problems.push(`${key} must be a string`);
      return undefined;
    }
    return value;
  }

  function optionalBoolean(key: string): boolean | undefined {
    const value = body[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      problems.push(`${key} must be a boolean value`);
      return undefined;
    }
    return value;
  }

  function optionalStringArray(key: string): string[] | undefined {
    const value = body[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      problems.push(`each value in ${key} must be a string`);
      return undefined;
    }
    return value as string[];
  }

  function throwIfAny(): void {
    if (problems.length > 0) throw apiError(422, problems);
  }

  return { allowOnly, requiredString, optionalString, optionalBoolean, optionalStringArray, problems, throwIfAny };
}
