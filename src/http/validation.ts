// Turns zod failures into the API's 422 answer: one entry per bad field.
import type { Response } from 'express';
import type { z } from 'zod';

export interface FieldIssue { field: string; message: string }

export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
}

/** Parses `input` or answers 422 and returns undefined. */
export function parseOr422<T>(schema: z.ZodType<T>, input: unknown, res: Response): T | undefined {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  res.status(422).json({ error: 'invalid', issues: fieldIssues(result.error) });
  return undefined;
}
