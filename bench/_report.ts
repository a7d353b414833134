/**
 * Rows and ratios of `bench/compare.ts` and `bench/whole_process.ts`, and their text table.
 *
 * @module
 */

/** One measured contender. */
export interface Row {
  group: string;
  name: string;
  unit: string;
  /** Work per second (higher is better), or null when the contender did not run. */
  rate: number | null;
  /** The command that produced the figure (whole-process rows). */
  command?: string | undefined;
  /** Wall time of the best round, s (whole-process rows). */
  seconds?: number | null | undefined;
  /** CPU time (user + system) of that round, s, when `/usr/bin/time` is installed. */
  cpuSeconds?: number | null | undefined;
  /** Peak RSS of that round, MiB, when `/usr/bin/time` is installed. */
  maxRssMiB?: number | null | undefined;
  /** 1-minute load average when that round ended. */
  load?: number | null | undefined;
  note?: string | undefined;
}

/** A ratio between two rows of one group. */
export interface Comparison {
  group: string;
  ours: string;
  peer: string;
  /** `rate`: ours rate / peer rate (above 1: ours faster); `time`: ours time / peer time. */
  measure: "rate" | "time";
  ratio: number | null;
  target?: string | undefined;
  pass?: boolean | null | undefined;
}

/** Collects rows and comparisons. */
export class Results {
  readonly rows: Row[] = [];
  readonly comparisons: Comparison[] = [];

  /** Adds a row. */
  add(row: Row): void {
    this.rows.push(row);
  }

  /** Adds every row and comparison of `other`. */
  merge(other: Results): void {
    this.rows.push(...other.rows);
    this.comparisons.push(...other.comparisons);
  }

  /** The row named `name` in `group`. */
  row(group: string, name: string): Row | undefined {
    return this.rows.find((r) => r.group === group && r.name === name);
  }

  /** Ratio of rates, ours / peer; `atLeast` is the target (ratio ≥ atLeast passes). */
  compareRates(group: string, ours: string, peer: string, atLeast?: number): void {
    const a = this.row(group, ours)?.rate ?? null;
    const b = this.row(group, peer)?.rate ?? null;
    const ratio = a === null || b === null ? null : a / b;
    const c: Comparison = { group, ours, peer, measure: "rate", ratio };
    if (atLeast !== undefined) {
      c.target = `>= ${atLeast}x`;
      c.pass = ratio === null ? null : ratio >= atLeast;
    }
    this.comparisons.push(c);
  }

  /** Ratio of wall times, ours / peer; `atMost` is the target (ratio ≤ atMost passes). */
  compareTimes(group: string, ours: string, peer: string, atMost?: number): void {
    const a = this.row(group, ours)?.seconds ?? null;
    const b = this.row(group, peer)?.seconds ?? null;
    const ratio = a === null || b === null ? null : a / b;
    const c: Comparison = { group, ours, peer, measure: "time", ratio };
    if (atMost !== undefined) {
      c.target = `<= ${atMost}x`;
      c.pass = ratio === null ? null : ratio <= atMost;
    }
    this.comparisons.push(c);
  }

  /** The text table: rows then ratios, per group. */
  table(): string {
    const fmt = (n: number | null | undefined): string =>
      n === null || n === undefined ? "n/a" : n >= 100 ? String(Math.round(n)) : n.toPrecision(3);
    let out = "";
    for (const group of [...new Set(this.rows.map((r) => r.group))]) {
      out += `\n${group}\n`;
      for (const r of this.rows.filter((x) => x.group === group)) {
        const extra = [
          r.seconds === undefined || r.seconds === null ? "" : `${r.seconds.toFixed(2)} s`,
          r.cpuSeconds === undefined || r.cpuSeconds === null
            ? ""
            : `cpu ${r.cpuSeconds.toFixed(2)} s`,
          r.maxRssMiB === undefined || r.maxRssMiB === null
            ? ""
            : `rss ${r.maxRssMiB.toFixed(0)} MiB`,
          r.load === undefined || r.load === null ? "" : `load ${r.load.toFixed(1)}`,
          r.note ?? "",
        ].filter((s) => s !== "").join(", ");
        out += `  ${r.name.padEnd(40)} ${fmt(r.rate).padStart(10)} ${r.unit}${
          extra === "" ? "" : `  (${extra})`
        }\n`;
      }
      for (const c of this.comparisons.filter((x) => x.group === group)) {
        const ratio = c.ratio === null ? "n/a" : `${c.ratio.toFixed(2)}x`;
        const verdict = c.target === undefined
          ? ""
          : `  target ${c.target}: ${c.pass === null ? "n/a" : c.pass ? "PASS" : "FAIL"}`;
        out += `  ${c.measure} ratio ${c.ours} / ${c.peer}: ${ratio}${verdict}\n`;
      }
    }
    return out;
  }
}
