import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { FieldError } from './errors.js';

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * Turns untrusted plain JSON into a validated DTO instance, or the list of field errors.
 * Both apps call this with the same classes, so an HTTP request and a message from another
 * service are held to one rule set. Unknown properties are dropped, not refused: Chatwoot
 * clients send more than we read.
 */
export function validatePayload<T extends object>(cls: ClassConstructor<T>, plain: unknown): Validated<T> {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    return { ok: false, errors: [{ field: 'body', message: 'must be a JSON object', code: 'isObject' }] };
  }
  // Before anything walks the value recursively: JSON.parse builds any depth, a recursive walk does not survive it.
  const deep = pathTooDeep(plain, '', 0, MAX_JSON_DEPTH + MAX_DTO_NESTING);
  if (deep !== null) return { ok: false, errors: [tooDeep(deep)] };
  const forbidden = pathWithForbiddenKey(plain, '');
  if (forbidden !== null) {
    return { ok: false, errors: [{ field: forbidden, message: 'keys named __proto__ or constructor are not allowed', code: 'forbiddenKey' }] };
  }
  const nul = pathWithNul(plain, '');
  if (nul !== null) {
    return { ok: false, errors: [{ field: nul || 'body', message: 'text must not contain the NUL character (\\u0000)', code: 'noNulCharacter' }] };
  }
  const instance = nullsToDefaults(plainToInstance(cls, plain));
  const nested = pathTooDeep(instance, '', 0, MAX_JSON_DEPTH);
  if (nested !== null) return { ok: false, errors: [tooDeep(nested)] };
  const problems = validateSync(instance, { whitelist: true, forbidUnknownValues: true, validationError: { target: false, value: false } });
  if (problems.length === 0) return { ok: true, value: instance };
  return { ok: false, errors: flatten(problems) };
}

/**
 * How deep objects and arrays may nest inside a request: `{"custom_attributes": {"a": [1]}}` is 2
 * levels deep. Request DTOs (the HTTP body or query, a message and the body or query it carries) are
 * not levels, so a body has the same limit over HTTP and inside a message.
 */
export const MAX_JSON_DEPTH = 32;
/** The DTOs a payload can nest (message → body → message), allowed for in the check on the raw JSON. */
const MAX_DTO_NESTING = 3;

const tooDeep = (field: string): FieldError => ({
  field: field || 'body',
  message: `objects and arrays must not be nested more than ${MAX_JSON_DEPTH} levels deep`,
  code: 'maxDepth',
});

/**
 * Where a value nests more than `limit` levels deep (the property of the payload or of a nested DTO
 * that holds it: `custom_attributes`, `body.custom_attributes`), or null. Plain objects and arrays are
 * levels; DTO instances (after plainToInstance) are not. Recursion stops at the limit: safe on any input.
 */
function pathTooDeep(value: unknown, path: string, depth: number, limit: number): string | null {
  if (value === null || typeof value !== 'object') return null;
  const dto = isDtoInstance(value);
  const level = dto ? depth : depth + 1;
  if (level > limit) return path;
  for (const [key, child] of Object.entries(value)) {
    const childPath = dto || path === '' ? (path ? `${path}.${key}` : key) : path;
    const found = pathTooDeep(child, childPath, level, limit);
    if (found !== null) return found;
  }
  return null;
}

/**
 * The path of the first key named `__proto__` or `constructor`, or null. JSON.parse makes them plain
 * keys, but class-transformer fails on a free-form object with a `constructor` key (a 500, not a 400)
 * and drops both silently elsewhere; Fastify already refuses `__proto__` in an HTTP body. Refused
 * everywhere, so that HTTP and messages agree and no such key is ever stored.
 */
function pathWithForbiddenKey(value: unknown, path: string): string | null {
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const childPath = Array.isArray(value) ? path : path ? `${path}.${key}` : key;
    if (key === '__proto__' || key === 'constructor') return childPath;
    const found = pathWithForbiddenKey(child, childPath);
    if (found !== null) return found;
  }
  return null;
}

const BASIC_FIRST = ['isDefined', 'isObject', 'isString', 'isInt', 'isArray'];
const rank = (code: string) => {
  const i = BASIC_FIRST.indexOf(code);
  return i === -1 ? BASIC_FIRST.length : i;
};

function flatten(problems: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const p of problems) {
    const field = prefix + p.property;
    const constraints = Object.entries(p.constraints ?? {});
    if (constraints.length) {
      // One error per field, the most basic one: "must be a string" says more than "too long";
      // and nothing about the parts of a value that is wrong as a whole.
      const [code, message] = constraints.sort(([a], [b]) => rank(a) - rank(b))[0];
      out.push({ field, message, code });
    } else if (p.children?.length) {
      out.push(...flatten(p.children, `${field}.`));
    }
  }
  return out;
}

/**
 * JSON `null` for a DTO property means "not given": the property falls back to its default (or to
 * undefined), so that `{"sort_by": null}` sorts by default and `{"team_id": null}` sets no team.
 * Nested DTOs are walked too; free-form attribute objects (plain objects) are left as sent.
 */
function nullsToDefaults<T extends object>(instance: T): T {
  const defaults = new (instance.constructor as new () => Record<string, unknown>)();
  for (const [key, value] of Object.entries(instance)) {
    if (value === null) (instance as Record<string, unknown>)[key] = defaults[key];
    else if (isDtoInstance(value)) nullsToDefaults(value);
  }
  return instance;
}

const isDtoInstance = (value: unknown): value is object =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype;

/**
 * The path of the first string (or key) holding U+0000, which Postgres cannot store in text or jsonb;
 * null when there is none. Refused as malformed input rather than failing in the database.
 */
function pathWithNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    // An array element is reported as the array: `labels`, not `labels.1`.
    const childPath = Array.isArray(value) ? path : path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return childPath;
    const found = pathWithNul(child, childPath);
    if (found !== null) return found;
  }
  return null;
}
