/** A value as the event log stores it: protobuf messages in their JSON form, bytes by length. */
export function toJsonSafe(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v) => {
      if (v instanceof Uint8Array) return { bytes: v.byteLength };
      if (typeof v === 'bigint') return v.toString();
      if (v && typeof v === 'object' && '$typeName' in v) {
        const { $typeName: _t, ...rest } = v as Record<string, unknown>;
        return rest;
      }
      return v;
    }),
  );
}
