/**
 * Until the returned function is called, our functions' JSON log lines (Powertools writes INFO
 * to stdout, warnings and errors to stderr) go to `onLine` instead of the terminal; anything
 * else written still shows, whole (its encoding, its callback).
 */
export function interceptLogLines(onLine: (line: string, bytes: number) => void): () => void {
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write);
  streams.forEach((stream, i) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const line = String(chunk);
      if (!line.startsWith('{"level":'))
        return (writes[i] as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
      onLine(line, Buffer.byteLength(chunk));
      return true;
    }) as typeof stream.write;
  });
  return () => {
    streams.forEach((stream, i) => {
      stream.write = writes[i]!;
    });
  };
}
