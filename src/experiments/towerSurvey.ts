/**
 * Multi-tower surveys (A4): a seeded {@link survey} on a landscape over a multi-tower network, with each
 * endpoint annotated by its tower ranks and the case of Zhang's argument ({@link towerCaseOf}).
 * @module
 */
import { DomainError, describe } from "../core/errors";
import { TowerCase, towerCaseOf } from "../critical/towers";
import { MultiTowerNetwork } from "../networks/multiTower";
import type { LandscapeLike } from "../optim/objective";
import { SurveyOptions, SurveyResult, survey } from "./survey";

/** One annotated endpoint of a {@link towerSurvey}. */
export interface TowerRun {
  readonly run: number;
  /** Final loss. */
  readonly value: number;
  /** Whether the optimiser met its tolerance. */
  readonly converged: boolean;
  /** Why it stopped. */
  readonly reason: string;
  /** Rank of `mu(theta)`, as the survey measured it. */
  readonly rank: number;
  /** Rank of each tower's product. */
  readonly towerRanks: number[];
  /** `||grad l(mu(theta))||`. */
  readonly gradLNorm: number;
  /** Zhang's case ({@link towerCaseOf}). */
  readonly case: TowerCase;
}

/** Result of {@link towerSurvey}. */
export interface TowerSurveyResult {
  /** The underlying survey (clusters, runs, display). */
  readonly survey: SurveyResult;
  /** Every finished run, annotated. */
  readonly runs: TowerRun[];
  /** Rank budget `K` of the network (capped at `min(d_0, d_h)`). */
  readonly rankBudget: number;
}

/**
 * Runs a seeded survey on a multi-tower landscape and annotates each endpoint with tower ranks, `||grad l||` and the
 * case of Zhang's argument (A4). Non-converged runs are kept and flagged (`converged: false` with the reason), never
 * counted as converged.
 * @param L - a landscape whose `net` is a {@link MultiTowerNetwork}.
 * @param options - {@link SurveyOptions} (points are kept); `caseOptions` as {@link towerCaseOf}.
 * @throws DomainError when `L.net` is not multi-tower, or as {@link survey} for bad options.
 */
export async function towerSurvey(L: LandscapeLike, options: SurveyOptions & { caseOptions?: { gradTol?: number; rankTol?: number; rankAbsTol?: number } } = {}): Promise<TowerSurveyResult> {
  const fn = "towerSurvey";
  if (!L || typeof L !== "object" || !(L.net instanceof MultiTowerNetwork)) throw new DomainError(fn, `L must be a landscape on a MultiTowerNetwork; got ${describe(L && L.net)}`);
  const net = L.net;
  const { caseOptions, ...surveyOptions } = options;
  const sv = await survey(L, { ...surveyOptions, keepPoints: true });
  const runs = sv.runs.map((r) => {
    const theta = L.unpack(r.x as Float64Array);
    const c = towerCaseOf(L, theta, caseOptions ?? {});
    return { run: r.run, value: r.value, converged: r.converged, reason: String(r.reason), rank: r.rank, towerRanks: c.towers.map((t) => t.rank), gradLNorm: c.gradLNorm, case: c.case };
  });
  return { survey: sv, runs, rankBudget: net.rankBudget };
}
