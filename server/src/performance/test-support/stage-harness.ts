/** Runs a stage over the given inputs and collects what it yields. */
export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

export async function* fromArray<T>(items: readonly T[]): AsyncIterable<T> {
  for (const item of items) yield item;
}

export function stageContext(performanceId = 'p1') {
  return { performanceId, signal: new AbortController().signal };
}
