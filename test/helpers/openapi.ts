// Checks outgoing HighLevel requests against the official OpenAPI specs, and records what reached nock interceptors.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type nock from 'nock';

export interface OutgoingRequest {
  method: string;
  /** Path, optionally with query string; a full URL is accepted too. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, a JSON string, or a form-encoded string. */
  body?: unknown;
}
export interface RecordedRequest extends OutgoingRequest {
  url: string;
}
export interface OpenApiChecker {
  /** Problems found, each prefixed by the operation ("POST /conversations/messages: …"); empty when conforming. */
  check(req: OutgoingRequest): string[];
  /** The OAuth scopes the matched operation's security requirement names (empty when none or no match). */
  scopesFor(method: string, path: string): string[];
}
export interface OpenApiCheckerOptions {
  specDir?: string;
  /** "METHOD /template" → top-level body fields whose `required` the checker ignores. */
  relaxRequired?: Record<string, string[]>;
  /** "METHOD /template" → top-level body field → the values the spec means but mistypes (checked instead of its type). */
  errata?: Record<string, Record<string, readonly string[]>>;
}

/**
 * The newest conversations spec marks `subType` (typed object, example "Email") and `status` required on send; older
 * versions and HighLevel's own SDK send only type + contactId, and REFERENCE.md says to send the minimal body.
 */
export const DEFAULT_RELAXED_REQUIRED: Record<string, string[]> = {
  'POST /conversations/messages': ['subType', 'status'],
};

/**
 * "Add a message" types `direction` as an object while its own default ("outbound") and example (["outbound",
 * "inbound"]) are strings; HighLevel's SDK types it `any` and the API takes the string. Checked as one of the two.
 */
export const DEFAULT_SPEC_ERRATA: Record<string, Record<string, readonly string[]>> = {
  'POST /conversations/messages/inbound': { direction: ['inbound', 'outbound'] },
};

/** Spec JSON is untyped; the checker reads it defensively. */
type Node = Record<string, any>;
interface Operation { method: string; template: string; segments: string[]; file: string; op: Node; pathItem: Node }
interface Ctx { problems: string[]; form: boolean; relaxed: Set<string> }

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export function loadOpenApiChecker(options: OpenApiCheckerOptions = {}): OpenApiChecker {
  const specDir = options.specDir ?? join(findProjectRoot(), 'test', 'fixtures', 'highlevel', 'openapi');
  const relaxRequired = options.relaxRequired ?? DEFAULT_RELAXED_REQUIRED;
  const errata = options.errata ?? DEFAULT_SPEC_ERRATA;
  const docs = new Map<string, Node>();
  const loadDoc = (file: string): Node => {
    let doc = docs.get(file);
    if (!doc) docs.set(file, (doc = JSON.parse(readFileSync(file, 'utf8')) as Node));
    return doc;
  };
  const operations: Operation[] = [];
  const appsDir = join(specDir, 'apps');
  for (const name of readdirSync(appsDir).filter((n) => n.endsWith('.json')).sort()) {
    const file = join(appsDir, name);
    for (const [template, pathItem] of Object.entries<Node>(loadDoc(file).paths ?? {})) {
      for (const method of METHODS.filter((m) => pathItem[m])) {
        operations.push({ method: method.toUpperCase(), template, segments: splitPath(template), file, op: pathItem[method], pathItem });
      }
    }
  }

  function resolveRef(ref: string, fromFile: string): { node: Node; file: string } {
    const [filePart, pointer = ''] = ref.split('#');
    const file = filePart ? resolve(dirname(fromFile), filePart) : fromFile;
    let node: Node = loadDoc(file);
    for (const raw of pointer.split('/').filter(Boolean)) {
      node = node?.[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    if (node === undefined) throw new Error(`openapi checker: unresolvable $ref ${ref} in ${fromFile}`);
    return { node, file };
  }

  function deref(node: Node, file: string): { node: Node; file: string } {
    let current = { node, file };
    for (let i = 0; current.node?.$ref && i < 32; i++) current = resolveRef(current.node.$ref, current.file);
    return current;
  }

  function validate(schemaIn: Node, value: unknown, fileIn: string, at: string, ctx: Ctx, depth = 0): void {
    if (depth > 64 || !schemaIn || typeof schemaIn !== 'object') return;
    const { node: schema, file } = deref(schemaIn, fileIn);
    if (value === null && schema.nullable) return;
    for (const sub of schema.allOf ?? []) validate(sub, value, file, at, ctx, depth + 1);
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      const branches: Node[] | undefined = schema[keyword];
      if (!branches?.length) continue;
      const attempts = branches.map((branch) => {
        const sub: Ctx = { ...ctx, problems: [] };
        validate(branch, value, file, at, sub, depth + 1);
        return sub.problems;
      });
      if (!attempts.some((p) => p.length === 0)) ctx.problems.push(`${at} matches none of the ${keyword} alternatives (${attempts[0][0]})`);
    }
    const types: string[] | undefined = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : undefined;
    if (types && !types.some((t) => hasType(value, t, ctx.form))) {
      ctx.problems.push(`${at} should be ${types.join('|')} but is ${describeValue(value)}`);
      return;
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((e: unknown) => sameValue(e, value, ctx.form))) {
      ctx.problems.push(`${at} is ${describeValue(value)}, not one of ${JSON.stringify(schema.enum)}`);
    }
    if (typeof value === 'string' && typeof schema.maxLength === 'number' && value.length > schema.maxLength) {
      ctx.problems.push(`${at} is longer than maxLength ${schema.maxLength}`);
    }
    if (Array.isArray(value) && schema.items) {
      value.forEach((item, i) => validate(schema.items, item, file, `${at}[${i}]`, ctx, depth + 1));
    }
    if (isPlainObject(value)) {
      for (const name of schema.required ?? []) {
        if (value[name] === undefined && !ctx.relaxed.has(`${at}.${name}`)) ctx.problems.push(`${at}.${name} is required`);
      }
      const properties: Node = schema.properties ?? {};
      for (const [name, item] of Object.entries(value)) {
        if (item === undefined) continue;
        if (properties[name]) validate(properties[name], item, file, `${at}.${name}`, ctx, depth + 1);
        else if (schema.additionalProperties === false) ctx.problems.push(`${at}.${name} is not allowed (additionalProperties: false)`);
        else if (isPlainObject(schema.additionalProperties)) validate(schema.additionalProperties, item, file, `${at}.${name}`, ctx, depth + 1);
      }
    }
  }

  function findOperation(method: string, segments: string[]): Operation | string {
    const byPath = operations.filter((o) => o.segments.length === segments.length && o.segments.every((s, i) => segmentMatches(s, segments[i])));
    const candidates = byPath.filter((o) => o.method === method).sort(preferLiteral);
    if (candidates.length > 0) return candidates[0];
    if (byPath.length > 0) return `no ${method} operation; path allows ${[...new Set(byPath.map((o) => o.method))].join(', ')}`;
    return 'no operation in the HighLevel specs matches this path';
  }

  function checkSecurity(operation: Operation, headers: Map<string, string>, problems: string[]): void {
    const doc = loadDoc(operation.file);
    const requirements: Node[] | undefined = operation.op.security ?? doc.security;
    if (!requirements?.length || requirements.some((r) => Object.keys(r).length === 0)) return;
    const satisfied = requirements.some((requirement) => Object.keys(requirement).every((name) => {
      const scheme: Node = doc.components?.securitySchemes?.[name] ?? {};
      if (scheme.type === 'apiKey' && scheme.in === 'header') return headers.has(String(scheme.name).toLowerCase());
      const auth = headers.get('authorization') ?? '';
      if (scheme.type === 'http') return new RegExp(`^${scheme.scheme ?? 'bearer'}\\s+\\S+`, 'i').test(auth);
      return auth !== '';
    }));
    if (!satisfied) problems.push(`missing or malformed Authorization (requires ${requirements.map((r) => Object.keys(r).join('+')).join(' or ')})`);
  }

  function checkParameters(operation: Operation, headers: Map<string, string>, query: URLSearchParams, problems: string[]): void {
    const params = [...(operation.pathItem.parameters ?? []), ...(operation.op.parameters ?? [])]
      .map((p: Node) => deref(p, operation.file).node);
    for (const param of params.filter((p) => p.in === 'header')) {
      const value = headers.get(String(param.name).toLowerCase());
      if (value === undefined) {
        if (param.required) problems.push(`missing required header ${param.name}`);
        continue;
      }
      const schema: Node = param.schema ? deref(param.schema, operation.file).node : {};
      const example = schema.example ?? param.example;
      const allowed: unknown[] | undefined = schema.enum ?? (example !== undefined ? [example] : undefined);
      if (allowed && !allowed.some((a) => String(a) === value)) {
        problems.push(`header ${param.name} is "${value}", expected ${allowed.map((a) => `"${a}"`).join(' or ')}`);
      }
    }
    const declared = new Map(params.filter((p) => p.in === 'query').map((p) => [String(p.name), p]));
    for (const param of declared.values()) {
      if (param.required && !query.has(param.name)) problems.push(`missing required query parameter ${param.name}`);
    }
    for (const [name, value] of query) {
      const param = declared.get(name);
      if (!param) {
        problems.push(`unknown query parameter ${name}`);
        continue;
      }
      const ctx: Ctx = { problems: [], form: true, relaxed: new Set() };
      validate(param.schema ?? {}, value, operation.file, `query.${name}`, ctx);
      const schema = param.schema ? deref(param.schema, operation.file).node : {};
      const isEnumList = Array.isArray(schema.enum) && value.split(',').every((v) => schema.enum.includes(v.trim()));
      if (!isEnumList) problems.push(...ctx.problems);
    }
  }

  function checkBody(operation: Operation, body: unknown, headers: Map<string, string>, problems: string[]): void {
    const requestBody = operation.op.requestBody ? deref(operation.op.requestBody, operation.file).node : undefined;
    const present = body !== undefined && body !== null && body !== '';
    if (!requestBody) {
      if (present) problems.push('operation declares no request body but one was sent');
      return;
    }
    if (!present) {
      if (requestBody.required) problems.push('missing required request body');
      return;
    }
    const content: Node = requestBody.content ?? {};
    const mediaTypes = Object.keys(content);
    const sentType = headers.get('content-type')?.split(';')[0].trim().toLowerCase()
      ?? (typeof body === 'string' && mediaTypes.includes('application/x-www-form-urlencoded') ? 'application/x-www-form-urlencoded' : 'application/json');
    if (!mediaTypes.includes(sentType)) {
      problems.push(`content-type ${sentType} not accepted (spec declares ${mediaTypes.join(', ')})`);
      return;
    }
    const relaxed = new Set((relaxRequired[`${operation.method} ${operation.template}`] ?? []).map((n) => `body.${n}`));
    const schema: Node | undefined = content[sentType]?.schema;
    if (!schema) return;
    if (sentType === 'application/x-www-form-urlencoded') {
      const value = typeof body === 'string' ? formToObject(body) : body;
      validate(schema, value, operation.file, 'body', { problems, form: true, relaxed });
    } else if (sentType.endsWith('json')) {
      const value = withErrata(parseJsonBody(body), errata[`${operation.method} ${operation.template}`], problems);
      if (value === undefined) problems.push('body is not valid JSON');
      else validate(schema, value, operation.file, 'body', { problems, form: false, relaxed });
    }
  }

  return {
    check(req) {
      const method = req.method.toUpperCase();
      const url = new URL(req.path, 'http://openapi.invalid');
      const headers = new Map<string, string>();
      for (const [name, value] of Object.entries(req.headers ?? {})) {
        if (value !== undefined) headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
      }
      const operation = findOperation(method, splitPath(url.pathname));
      if (typeof operation === 'string') return [`${method} ${url.pathname}: ${operation}`];
      const problems: string[] = [];
      checkParameters(operation, headers, url.searchParams, problems);
      checkSecurity(operation, headers, problems);
      checkBody(operation, req.body, headers, problems);
      return problems.map((p) => `${method} ${operation.template}: ${p}`);
    },
    scopesFor(method, path) {
      const operation = findOperation(method.toUpperCase(), splitPath(new URL(path, 'http://openapi.invalid').pathname));
      if (typeof operation === 'string') return [];
      const requirements: Node[] = operation.op.security ?? loadDoc(operation.file).security ?? [];
      return [...new Set(requirements.flatMap((r) => Object.values(r).flat() as string[]))];
    },
  };
}

/**
 * nock emits no global per-request event (nock.emitter only has 'no match'), but every Scope emits
 * 'request' (the intercepted request, interceptor, body string) when one of its interceptors matches. So: pass the scopes the
 * test created (`nock(base).post(...).reply(...)` returns its scope) and read `requests` after the calls ran.
 * Requests no interceptor matched are not recorded (nock already fails them).
 */
interface NockRequest { method: string; path: string; headers?: Record<string, string | string[] | number | undefined> }

export function recordNockRequests(...scopes: nock.Scope[]): { requests: RecordedRequest[]; stop(): void } {
  const requests: RecordedRequest[] = [];
  // nock 14 emits the intercepted ClientRequest (headers already collected), its interceptor and the body text.
  const listener = (request: NockRequest, interceptor: { basePath?: string }, bodyText: string): void => {
    const url = new URL(request.path, interceptor.basePath ?? 'http://localhost');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    const contentType = headers['content-type'] ?? '';
    const body = !bodyText ? undefined : contentType.includes('json') ? (parseJsonBody(bodyText) ?? bodyText) : bodyText;
    requests.push({ method: request.method, url: url.toString(), path: url.pathname + url.search, headers, body });
  };
  for (const scope of scopes) scope.on('request', listener);
  return { requests, stop: () => scopes.forEach((scope) => scope.off('request', listener)) };
}

/** Every problem of every recorded request, for `expect(checkRequests(checker, requests)).toEqual([])`. */
export function checkRequests(checker: OpenApiChecker, requests: OutgoingRequest[]): string[] {
  return requests.flatMap((r) => checker.check(r));
}

/** The body without the fields an erratum covers, each checked against the erratum's values instead. */
function withErrata(value: unknown, fields: Record<string, readonly string[]> | undefined, problems: string[]): unknown {
  if (!fields || !isPlainObject(value)) return value;
  const rest: Record<string, unknown> = { ...value };
  for (const [name, allowed] of Object.entries(fields)) {
    if (rest[name] === undefined) continue;
    if (!allowed.includes(rest[name] as string)) problems.push(`body.${name} is ${describeValue(rest[name])}, not one of ${JSON.stringify(allowed)}`);
    delete rest[name];
  }
  return rest;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function segmentMatches(template: string, actual: string): boolean {
  if (/^\{[^}]+\}$/.test(template)) return actual !== '';
  if (template === actual) return true;
  try {
    return template === decodeURIComponent(actual);
  } catch {
    return false;
  }
}

/** `/contacts/search/duplicate` beats `/contacts/{contactId}`: the first position where one is literal decides. */
function preferLiteral(a: Operation, b: Operation): number {
  for (let i = 0; i < a.segments.length; i++) {
    const aParam = a.segments[i].startsWith('{');
    const bParam = b.segments[i].startsWith('{');
    if (aParam !== bParam) return aParam ? 1 : -1;
  }
  return 0;
}

function hasType(value: unknown, type: string, form: boolean): boolean {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' ? Number.isFinite(value) : form && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));
    case 'integer': return typeof value === 'number' ? Number.isInteger(value) : form && typeof value === 'string' && /^-?\d+$/.test(value);
    case 'boolean': return typeof value === 'boolean' || (form && (value === 'true' || value === 'false'));
    case 'array': return Array.isArray(value) || (form && typeof value === 'string');
    case 'object': return isPlainObject(value);
    case 'null': return value === null;
    default: return true; // non-standard types in the specs ("any", …) constrain nothing
  }
}

function sameValue(expected: unknown, actual: unknown, form: boolean): boolean {
  if (expected === actual) return true;
  if (form && typeof actual === 'string' && actual === String(expected)) return true;
  return typeof expected === 'object' && JSON.stringify(expected) === JSON.stringify(actual);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function formToObject(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const existing = out[name];
    out[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

function parseJsonBody(body: unknown): unknown {
  if (Buffer.isBuffer(body)) return parseJsonBody(body.toString('utf8'));
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('openapi checker: project root (package.json) not found');
    dir = parent;
  }
  return dir;
}
