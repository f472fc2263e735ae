import { readFile } from 'node:fs/promises';
import { memoryPages, validateXML } from 'xmllint-wasm';

/** The official ISO 20022 schemas vendored in ./schemas (README there says from where). */
export type SepaSchema = 'pain.008.001.02' | 'pain.008.001.08' | 'pain.001.001.03' | 'pain.001.001.09';

export interface SchemaValidation {
  readonly valid: boolean;
  /** xmllint's messages, each with its line: `line 12: Element 'MndtId': …`. */
  readonly errors: string[];
}

const schemaTexts = new Map<SepaSchema, Promise<string>>();

/** Each XSD is read from disk once per process; xmllint gets the text with every call. */
function schemaText(schema: SepaSchema): Promise<string> {
  let text = schemaTexts.get(schema);
  if (!text) {
    text = readFile(new URL(`./schemas/${schema}.xsd`, import.meta.url), 'utf8');
    text.catch(() => schemaTexts.delete(schema));
    schemaTexts.set(schema, text);
  }
  return text;
}

/** xmllint's exit code for a document that is not well-formed XML (it rejects the promise). */
const parseErrorExitCode = 1;

/**
 * WebAssembly memory for one validation. Streaming keeps it flat whatever the file's size (10,000
 * debits, 8 MB, validate within the default 32 MiB); the tree mode holds the whole document in
 * libxml2 and ran out of that default at about 2,800 debits ("libxml2: out of memory").
 */
const maxMemoryPages = 64 * memoryPages.MiB;

/**
 * Validates XML against an official SEPA schema with libxml2 compiled to WebAssembly (offline, no
 * native build), reading the document as a stream (xmllint --stream). Each call starts a worker
 * and compiles the module and the schema afresh (the library's design): a fixed cost of a few
 * hundred milliseconds that does not grow with the file.
 */
export async function validateAgainstSchema(xml: string, schema: SepaSchema): Promise<SchemaValidation> {
  try {
    const result = await validateXML({
      xml: { fileName: `${schema}.xml`, contents: xml },
      schema: { fileName: `${schema}.xsd`, contents: await schemaText(schema) },
      stream: true,
      maxMemoryPages,
    });
    return { valid: result.valid, errors: result.errors.map((error) => (error.loc ? `line ${error.loc.lineNumber}: ${messageOf(error.message)}` : error.message)) };
  } catch (error) {
    if ((error as { code?: number }).code === parseErrorExitCode) {
      // A stream that breaks off still prints "… validates" for the part it read, then "failed to parse".
      const lines = String((error as Error).message).split('\n').filter((line) => line.trim() !== '' && !line.trim().endsWith(' validates'));
      return { valid: false, errors: lines };
    }
    throw error;
  }
}

/** "Schemas validity error : Element '{ns}Ctry': …" → "Element 'Ctry': …": the namespace is the file's own. */
const messageOf = (message: string) => message.replace(/^(element [^:]+: )?Schemas validity error : /, '').replace(/'\{[^}]*\}/g, "'");
