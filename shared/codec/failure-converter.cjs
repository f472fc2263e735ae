// The failure converter of the worker, its workflow bundle and every client, loaded by path (the
// SDK `require`s it, and the workflow bundler aliases it into the sandbox): CommonJS, so a plain
// Node require finds it without a TypeScript loader.
//
// encodeCommonAttributes moves a failure's message and stack trace into a payload, which the
// payload codec then encrypts like any other: an error message can quote an amount or a name.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
