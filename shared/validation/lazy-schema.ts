/**
 * A schema made on first use instead of when its module is evaluated.
 *
 * Why: the Temporal SDK evaluates a workflow bundle's modules afresh for every workflow it creates
 * (reused V8 contexts), so every zod schema made at module scope in a module the workflows import
 * is made again per track, whether the track ever validates a message with it or not
 * (docs/performance.md, "Intake: where the time goes"). zod has no such wrapper of its own:
 * `z.lazy` is a schema type of its own, which changes what `.extend`, `.shape` and the OpenAPI
 * document see. This one is the schema itself to every reader: each property, `instanceof` and
 * the prototype are the built schema's (zod's methods are closures over the instance they were made
 * on, so `parse` and the rest run on the real schema).
 */
export function lazySchema<Schema extends object>(build: () => Schema): Schema {
  let built: Schema | undefined;
  const schema = () => (built ??= build());
  return new Proxy(Object.create(null) as Schema, {
    get: (_, key) => Reflect.get(schema(), key),
    set: (_, key, value) => Reflect.set(schema(), key, value),
    has: (_, key) => Reflect.has(schema(), key),
    ownKeys: () => Reflect.ownKeys(schema()),
    // Reported configurable: the (empty, extensible) proxy target may not claim otherwise.
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(schema(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(schema(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(schema(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
  });
}
