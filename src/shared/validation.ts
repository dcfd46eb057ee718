/**
 * Parsing at the edge: every body or payload from outside goes through a zod schema once, and
 * failures become Discord's 50035 Invalid Form Body with per-field errors.
 */
import type { z } from 'zod';
import { invalidFormBody, type FieldError, type HearthError } from './errors.js';

/** Maps one zod issue to Discord's field error code and message. */
function toFieldError(issue: z.core.$ZodIssue, input: unknown): FieldError {
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined
        ? { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }
        : { code: `BASE_TYPE_${issue.expected.toUpperCase()}`, message: `Must be of type ${issue.expected}.` };
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? { code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${String(issue.minimum)} or more in length.` }
        : { code: 'NUMBER_TYPE_MIN', message: `Number must be greater than or equal to ${String(issue.minimum)}.` };
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array'
        ? { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${String(issue.maximum)} or fewer in length.` }
        : { code: 'NUMBER_TYPE_MAX', message: `Number must be less than or equal to ${String(issue.maximum)}.` };
    case 'invalid_value':
      return { code: 'BASE_TYPE_CHOICES', message: `Value must be one of ${issue.values.map(String).join(', ')}.` };
    default:
      return { code: 'BASE_TYPE_INVALID', message: issue.message };
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** The 50035 error for a failed parse. */
export function formBodyError(error: z.ZodError, input: unknown): HearthError {
  const fields: Record<string, FieldError[]> = {};
  for (const issue of error.issues) {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '_root';
    (fields[path] ??= []).push(toFieldError(issue, input));
  }
  return invalidFormBody(fields);
}

/** Parses `input` with `schema`, throwing a 50035 HearthError on failure. */
export function parseBody<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw formBodyError(result.error, input);
  return result.data;
}
