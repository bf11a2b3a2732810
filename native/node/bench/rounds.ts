// A benchmark case beside its floor, measured in rounds in the same run: engine, floor,
// floor, engine, ... (each pair in the other order from the last, so a machine that slows
// down or speeds up part-way weighs on both alike). What is reported is the median of the
// per-round ratios with their spread: a shared, noisy machine's swings move both sides of
// a round together, so they cancel in its ratio.

export interface Case {
  name: string;
  engine_ns: number;
  floor_ns?: number;
  /** The median of the per-round ratios (engine / floor). */
  ratio?: number;
  /** The lowest and highest per-round ratio. */
  spread?: [number, number];
  rounds?: number;
}

export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Nanoseconds per iteration of `body`, as the median over batches of `batch` runs. */
export async function perCall(batches: number, batch: number, body: () => unknown): Promise<number> {
  const means: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) await body();
    means.push(Number(process.hrtime.bigint() - start) / batch);
  }
  return median(means);
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** One case, `rounds` times each side; each side's measurement returns nanoseconds. */
export async function interleaved(name: string, rounds: number, engine: () => Promise<number> | number, floor: () => Promise<number> | number): Promise<Case> {
  const engines: number[] = [];
  const floors: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let e: number, f: number;
    if (round % 2 === 0) {
      e = await engine();
      f = await floor();
    } else {
      f = await floor();
      e = await engine();
    }
    engines.push(e);
    floors.push(f);
    ratios.push(e / f);
  }
  return {
    name,
    engine_ns: Math.round(median(engines)),
    floor_ns: Math.round(median(floors)),
    ratio: round2(median(ratios)),
    spread: [round2(Math.min(...ratios)), round2(Math.max(...ratios))],
    rounds,
  };
}
