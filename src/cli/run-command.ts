/**
 * How every command prints its result: as JSON (`--json`) or as text for people.
 */
export function printResult<T>(stream: NodeJS.WritableStream, json: boolean, result: T, render: (result: T) => string): void {
  stream.write(`${json ? JSON.stringify(result, null, 2) : render(result)}\n`);
}
