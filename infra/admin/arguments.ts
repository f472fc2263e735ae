import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { roles } from '../db/api-key-store.js';
import { singleLineText } from '../../shared/validation/text.js';
import { idPartPattern } from '../../shared/track/workflow-id.js';

/**
 * The admin CLI's command line, parsed with node's parseArgs and checked with zod before anything
 * touches the database. Every refusal is one `AdminInputError` line naming the argument.
 */

export class AdminInputError extends Error {
  override readonly name = 'AdminInputError';
}

export interface CorporationSettings {
  readonly name: string;
  readonly vatSurcharge: boolean;
  readonly bailiffOfficeId: string | null;
  readonly rentedUnits: number | null;
}

export type AdminCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'corporation add'; readonly corporationId: string; readonly settings: CorporationSettings }
  | { readonly kind: 'corporation list' }
  | { readonly kind: 'bailiff-office add'; readonly officeId: string; readonly name: string }
  | { readonly kind: 'bailiff-office list' }
  | {
      readonly kind: 'key add';
      readonly role: (typeof roles)[number];
      readonly person: string;
      readonly label: string;
      /** Empty: a platform admin key (role admin) or a bailiff key (its office). */
      readonly corporationIds: readonly string[];
      readonly bailiffOfficeId: string | null;
    }
  | { readonly kind: 'key list' }
  | { readonly kind: 'key revoke'; readonly target: string };

export const usage = `usage: npm run admin -- <command>   (DATABASE_URL must point at the installation's Postgres)

  corporation add <id> --name "<name>" [--bailiff-office <id>] [--vat-surcharge] [--rented-units <n>]
                                          adds a corporation, or replaces the settings of one (omitted flags reset)
  corporation list
  bailiff-office add <id> --name "<name>"  adds a bailiff office, or renames one
  bailiff-office list
  key add --role <${roles.join('|')}> --person "<name>" [--corporation <id>]... [--bailiff-office <id>] [--label "<label>"]
                                          makes an API key for a person and prints it once. billing, operator and
                                          approver keys need a --corporation (repeat for more); an admin key
                                          without one is the platform admin; a bailiff key needs its office only
  key list                                key ids, people, corporations, labels and hash prefixes; never a key
  key revoke <label, key id or hash prefix>
                                          the key stops working at once (kept, revoked, for the audit trail)`;

const required = { error: 'required' };
const id = z.string(required).regex(idPartPattern, '1 to 80 letters, digits, ".", "_" or "-", starting with a letter or digit');
const oneLine = (max: number) =>
  z
    .string(required)
    .refine((text) => text.trim() !== '', 'must not be empty')
    .pipe(singleLineText(max));
const wholeNumber = (min: number, max: number) =>
  z
    .string(required)
    .regex(/^[0-9]{1,9}$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `at least ${min}`).max(max, `at most ${max}`));

interface CommandSpec<T extends z.ZodType> {
  readonly positionals: readonly string[];
  readonly options: NonNullable<ParseArgsConfig['options']>;
  readonly schema: T;
  readonly build: (input: z.output<T>) => AdminCommand;
}

const spec = <T extends z.ZodType>(s: CommandSpec<T>) => s;

const commands = {
  'corporation add': spec({
    positionals: ['id'],
    options: { name: { type: 'string' }, 'bailiff-office': { type: 'string' }, 'vat-surcharge': { type: 'boolean' }, 'rented-units': { type: 'string' } },
    schema: z.object({
      id,
      name: oneLine(200),
      'bailiff-office': id.optional(),
      'vat-surcharge': z.boolean().default(false),
      'rented-units': wholeNumber(1, 1_000_000).optional(),
    }),
    build: (input) => ({
      kind: 'corporation add',
      corporationId: input.id,
      settings: {
        name: input.name,
        vatSurcharge: input['vat-surcharge'],
        bailiffOfficeId: input['bailiff-office'] ?? null,
        rentedUnits: input['rented-units'] ?? null,
      },
    }),
  }),
  'corporation list': spec({ positionals: [], options: {}, schema: z.object({}), build: () => ({ kind: 'corporation list' }) }),
  'bailiff-office add': spec({
    positionals: ['id'],
    options: { name: { type: 'string' } },
    schema: z.object({ id, name: oneLine(200) }),
    build: (input) => ({ kind: 'bailiff-office add', officeId: input.id, name: input.name }),
  }),
  'bailiff-office list': spec({ positionals: [], options: {}, schema: z.object({}), build: () => ({ kind: 'bailiff-office list' }) }),
  'key add': spec({
    positionals: [],
    options: {
      role: { type: 'string' },
      person: { type: 'string' },
      label: { type: 'string' },
      corporation: { type: 'string', multiple: true },
      'bailiff-office': { type: 'string' },
    },
    schema: z
      .object({
        role: z.enum(roles, { error: `one of ${roles.join(', ')}` }),
        person: oneLine(200),
        label: oneLine(200).optional(),
        corporation: z.array(id).default([]),
        'bailiff-office': id.optional(),
      })
      .superRefine((input, ctx) => {
        if (input.role === 'bailiff' && !input['bailiff-office']) {
          ctx.addIssue({ code: 'custom', path: ['bailiff-office'], message: 'required for a bailiff key (the one office whose cases it sees)' });
        }
        if (input.role !== 'bailiff' && input['bailiff-office']) {
          ctx.addIssue({ code: 'custom', path: ['bailiff-office'], message: 'for bailiff keys only' });
        }
        if (input.role === 'bailiff' && input.corporation.length > 0) {
          ctx.addIssue({ code: 'custom', path: ['corporation'], message: 'a bailiff key is bound to its office, not to corporations' });
        }
        if (input.role !== 'bailiff' && input.role !== 'admin' && input.corporation.length === 0) {
          ctx.addIssue({ code: 'custom', path: ['corporation'], message: `required for a ${input.role} key (the corporations whose cases it may touch; repeat for more)` });
        }
      }),
    build: (input) => ({
      kind: 'key add',
      role: input.role,
      person: input.person,
      label: input.label ?? input.person,
      corporationIds: [...new Set(input.corporation)],
      bailiffOfficeId: input['bailiff-office'] ?? null,
    }),
  }),
  'key list': spec({ positionals: [], options: {}, schema: z.object({}), build: () => ({ kind: 'key list' }) }),
  'key revoke': spec({
    positionals: ['label, key id or hash prefix'],
    options: {},
    schema: z.object({ 'label, key id or hash prefix': oneLine(200) }),
    build: (input) => ({ kind: 'key revoke', target: input['label, key id or hash prefix'] }),
  }),
} satisfies Record<string, CommandSpec<z.ZodType>>;

type CommandName = keyof typeof commands;
const isCommandName = (name: string): name is CommandName => Object.hasOwn(commands, name);

export function parseAdminArguments(argv: readonly string[]): AdminCommand {
  const [noun, verb, ...rest] = argv;
  if (noun === 'help' || noun === '--help' || noun === '-h') return { kind: 'help' };
  if (noun === undefined) throw new AdminInputError('a command is required (npm run admin -- help lists them)');
  const name = `${noun} ${verb ?? ''}`.trim();
  if (!isCommandName(name)) {
    throw new AdminInputError(`unknown command ${JSON.stringify(name)}; one of: ${Object.keys(commands).join(', ')} (npm run admin -- help)`);
  }
  const command: CommandSpec<z.ZodType> = commands[name];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new AdminInputError(`${name}: ${oneLineOf(error)}`);
  }
  if (parsed.positionals.length > command.positionals.length) {
    const extra = parsed.positionals.slice(command.positionals.length).map((p) => JSON.stringify(p)).join(' ');
    throw new AdminInputError(`${name}: unexpected ${extra} (quote a value that holds spaces)`);
  }
  const input: Record<string, unknown> = { ...parsed.values };
  command.positionals.forEach((positional, index) => (input[positional] = parsed.positionals[index]));
  const checked = command.schema.safeParse(input);
  if (!checked.success) {
    const problems = checked.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      return `${command.positionals.includes(key) ? `<${key}>` : `--${key}`}: ${issue.message}`;
    });
    throw new AdminInputError(`${name}: ${problems.join('; ')}`);
  }
  return command.build(checked.data);
}

const oneLineOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
