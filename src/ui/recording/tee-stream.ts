// The console's stdout with every write also handed to the recorder. Its
// file descriptor is hidden, so the terminal session's synchronous writes
// (enter, restore, clear) come through write() too and are recorded; a TTY
// stream's write is synchronous on Linux, so they still leave at once.
import { StringDecoder } from 'node:string_decoder';

export function teeStream<S extends NodeJS.WritableStream>(stdout: S, record: (text: string) => void): S {
  // A Buffer may end inside a UTF-8 sequence; the decoder keeps the rest for the next one.
  const decoder = new StringDecoder('utf8');
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? decoder.write(Buffer.from(chunk)) : '';
    if (text !== '') record(text);
    return (stdout.write as (...args: unknown[]) => boolean)(chunk, ...rest);
  };
  return new Proxy(stdout, {
    get(target, prop) {
      if (prop === 'write') return write;
      if (prop === 'fd') return undefined;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
