/**
 * One measured figure of `npm run bench`. Every section returns its figures in this shape so the
 * runner prints one table (figure, value, goal, ratio) and `--json` writes the same for comparing
 * commits. A goal is either a floor (`atLeast`: more is better) or a ceiling (`atMost`).
 */
export interface BenchFigure {
  /** Section, e.g. "intake", "bank", "letters", "portfolio year". */
  readonly section: string;
  /** What was measured, e.g. "tracks per second through POST /v1/cases". */
  readonly name: string;
  readonly value: number;
  /** e.g. "/s", "ms", "s", "events", "KB". */
  readonly unit: string;
  readonly goal?: { readonly atLeast: number } | { readonly atMost: number };
  /** Free text shown under the table: set-up, sizes, what a figure is relative to. */
  readonly note?: string;
}

/** What every section gets from the runner. */
export interface BenchOptions {
  /** `--quick`: the whole run finishes in under two minutes; sections shrink their sizes. */
  readonly quick: boolean;
}

/** A bench section: measures and returns figures; starts and stops what it needs itself. */
export type BenchSection = (options: BenchOptions) => Promise<readonly BenchFigure[]>;

/** value / goal for a floor, goal / value for a ceiling: above 1 means the goal is met. */
export function goalRatio(figure: BenchFigure): number | null {
  if (!figure.goal || figure.value === 0) return null;
  return 'atLeast' in figure.goal ? figure.value / figure.goal.atLeast : figure.goal.atMost / figure.value;
}
