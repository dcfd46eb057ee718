/**
 * Ends a `switch` that must handle every member of a union (protocol opcodes, actions, events):
 * `default: return missingCase(value)` compiles only while `value` has narrowed to `never`, so a
 * member added without its case fails the type check. Reaching it at run time is a bug, reported
 * with the value. Input from outside (a newer peer's opcode) is filtered at the edge, before the
 * switch, where ignoring it is the right answer.
 */
export function missingCase(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
