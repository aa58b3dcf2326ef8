/**
 * The junk generator and the oracle of the robustness tests: wrong types, wrong shapes, NaN/Infinity, huge sizes
 * and unknown options, mixed with valid values so that calls get past the first check. The oracle: a call either
 * returns a value with no NaN in it, or throws a `LandscapeError` (a typed error of the library); a plain
 * `TypeError`/`RangeError`, any other throw, or a NaN in the result is a failure.
 */
import * as core from "../../src/core";
import * as networks from "../../src/networks";
import * as losses from "../../src/losses";
import * as spaces from "../../src/spaces";
import * as optim from "../../src/optim";
import * as landscapeRoom from "../../src/landscape";
import * as critical from "../../src/critical";
import * as experiments from "../../src/experiments";
import * as plots from "../../src/plots";
import * as displayRoom from "../../src/display";
import * as claims from "../../src/claims";

const { Matrix, LandscapeError } = core;

/** The library's rooms (course chapters excluded: they are studies, not API). */
export const GROUPS: Record<string, Record<string, unknown>> = { core, networks, losses, spaces, optim, landscape: landscapeRoom, critical, experiments, plots, display: displayRoom, claims };

/**
 * Exports not fed junk, with the reason: they change global state of the process (the kernel display hook,
 * Matrix's prototype, the claim registry, stdout) or only re-export a class constructor tested elsewhere.
 */
export const SKIP: Record<string, string> = {
  display: "writes to stdout / the kernel",
  clearOutput: "writes to stdout / the kernel",
  report: "writes to stdout / the kernel",
  installMatrixDisplay: "patches Matrix.prototype",
  claim: "registers a verdict in the global claim registry and displays it",
  clearVerdicts: "clears the global claim registry",
  defineClaimLabels: "changes the global label registry",
  renderPng: "rasterises with resvg (slow); its spec validation is compileSpec's, which is fuzzed",
  surveyWorkerPath: "file-system probe without arguments",
  lastSurvey: "no arguments",
  verdicts: "no arguments",
  survey: "async and multi-run: fuzzed separately with small run counts",
  kernelDisplayHook: "reads the kernel hook",
  inKernel: "no arguments",
};

/** A valid deep linear landscape and its pieces (fresh per call, so no call can spoil another's input). */
export function valid() {
  const net = new networks.DeepLinearNetwork([2, 1, 2]);
  const loss = losses.squareLoss([[1, 0], [0, 2]]);
  const L = landscapeRoom.landscape(net, loss);
  const R = core.rng(1);
  const theta = [R.gaussian(1, 2), R.gaussian(2, 1)];
  return { net, loss, L, theta, x: L.pack(theta), R };
}

/** Junk and valid values, as thunks (fresh objects every time). */
export function pool(): Array<[string, () => unknown]> {
  const v = () => valid();
  return [
    ["undefined", () => undefined],
    ["null", () => null],
    ["true", () => true],
    ['"A"', () => "A"],
    ['""', () => ""],
    ["0", () => 0],
    ["-1", () => -1],
    ["0.5", () => 0.5],
    ["3", () => 3],
    ["NaN", () => NaN],
    ["Infinity", () => Infinity],
    ["-Infinity", () => -Infinity],
    ["1e9", () => 1e9],
    ["2^53", () => 2 ** 53],
    ["1e300", () => 1e300],
    ["{}", () => ({})],
    ["{ bogus: 1 }", () => ({ bogus: 1 })],
    ["{ steps: 1e9 }", () => ({ steps: 1e9 })],
    ["{ seed: NaN }", () => ({ seed: NaN })],
    ["[]", () => []],
    ["[1, 2, 3]", () => [1, 2, 3]],
    ["[2, 1, 2]", () => [2, 1, 2]],
    ["[[1, 2], [3, 4]]", () => [[1, 2], [3, 4]]],
    ['[["1", "2"]]', () => [["1", "2"]]],
    ["[[1, 2], [3]]", () => [[1, 2], [3]]],
    ["[[NaN]]", () => [[NaN]]],
    ["[[1e200, 1], [1, 1e200]]", () => [[1e200, 1], [1, 1e200]]],
    ["Float64Array [1, 2]", () => Float64Array.of(1, 2)],
    ["Float64Array []", () => new Float64Array(0)],
    ["() => 1", () => () => 1],
    ["Matrix 2×2", () => new Matrix([[1, 2], [3, 4]])],
    ["Matrix 2×2 with NaN", () => new Matrix([[1, NaN], [3, 4]])],
    ["Matrix 3×1", () => new Matrix([[1], [2], [3]])],
    ["Matrix 0×0", () => new Matrix(0, 0)],
    ["widths [2, 1, 2]", () => [2, 1, 2]],
    ["widths [1e5, 1e5]", () => [1e5, 1e5]],
    ["widths [3, 1e9, 3]", () => [3, 1e9, 3]],
    ["Float64Array(1e6)", () => new Float64Array(1e6)],
    ["rng(1)", () => core.rng(1)],
    ["net (2,1,2)", () => v().net],
    ["square loss 2×2", () => v().loss],
    ["landscape (2,1,2)", () => v().L],
    ["theta (2,1,2)", () => v().theta],
    ["theta as rows", () => v().theta.map((W) => W.to2DArray())],
    ["x (2,1,2)", () => v().x],
    ["x aliased ref", () => v().x],
    ["[Matrix 2×2, Matrix 2×2]", () => [new Matrix([[1, 2], [3, 4]]), new Matrix([[1, 0], [0, 1]])]],
    ["[{ a: 1 }]", () => [{ a: 1 }]],
    ["[NaN, 1]", () => [NaN, 1]],
    ["Map", () => new Map()],
  ];
}

/** True when the value is (or contains, at depth <= 4) a NaN number. */
export function containsNaN(x: unknown, depth = 0, seen = new Set<unknown>()): boolean {
  if (typeof x === "number") return Number.isNaN(x);
  if (x === null || typeof x !== "object" || depth > 4 || seen.has(x)) return false;
  seen.add(x);
  if (x instanceof Matrix) {
    if (x.rows * x.columns > 1e5) return false;
    for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.columns; j++) if (Number.isNaN(x.get(i, j))) return true;
    return false;
  }
  if (ArrayBuffer.isView(x)) {
    const a = x as unknown as ArrayLike<number>;
    for (let i = 0; i < Math.min(a.length, 1e5); i++) if (Number.isNaN(a[i])) return true;
    return false;
  }
  if (Array.isArray(x)) return x.slice(0, 1000).some((e) => containsNaN(e, depth + 1, seen));
  if (x instanceof Map || x instanceof Set) return false;
  return Object.values(x as Record<string, unknown>).slice(0, 200).some((e) => containsNaN(e, depth + 1, seen));
}

/** The verdict of the oracle on one call: `"ok"`, `"typed"` (a LandscapeError), or a failure description. */
export type Outcome = { kind: "ok" } | { kind: "typed"; error: string } | { kind: "fail"; why: string };

/** Judges a returned value or a thrown error. */
export function judge(result: { value?: unknown; error?: unknown }): Outcome {
  if ("error" in result && result.error !== undefined) {
    const e = result.error;
    if (e instanceof LandscapeError) return { kind: "typed", error: e.name };
    return { kind: "fail", why: `plain ${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message ?? String(e)}`.slice(0, 300) };
  }
  if (containsNaN(result.value)) return { kind: "fail", why: "NaN in the result" };
  return { kind: "ok" };
}

/**
 * Public methods and constructors of the library's classes, each called on a fresh valid instance: the
 * network maps, the landscape, a loss, the functional space, the generator.
 */
function methods(): Array<[string, string, (...a: unknown[]) => unknown]> {
  const R = () => core.rng(3);
  const relu = () => networks.reluNetwork(2, 2, 1, R().gaussian(2, 5));
  const tower = () => networks.multiTower([[2, 1, 2], [2, 1, 2]]);
  const space = () => spaces.determinantalVariety(2, 2, 1);
  type M = (...a: unknown[]) => unknown;
  const of = <T extends object>(make: () => T, names: string[], cls: string): Array<[string, string, M]> =>
    names.map((n) => ["methods", `${cls}.${n}`, (...a: unknown[]) => { const o = make() as Record<string, M>; return o[n](...a); }]);
  return [
    ...of(() => valid().L, ["value", "gradient", "hessianVector", "hessian", "hessianParts", "valueFlat", "gradientFlat", "valueAndGradientFlat", "hessianVectorFlat", "pack", "unpack"], "Landscape"),
    ...of(() => valid().net, ["mu", "dMu", "dMuT", "d2MuT"], "DeepLinearNetwork"),
    ...of(relu, ["mu", "dMu", "dMuT", "d2MuT", "kinks", "activationPattern", "preActivations"], "ReluNetwork"),
    ...of(tower, ["mu", "dMu", "dMuT", "d2MuT", "towerProducts", "towerTheta"], "MultiTowerNetwork"),
    ...of(() => valid().loss, ["value", "gradient", "hessianAction", "valueAndGradientRaw"].slice(0, 3), "SquareLoss"),
    ...of(space, ["rank", "contains", "isSmoothPoint", "project", "frame", "tangentProject", "normalProject", "tangentBasis", "isCriticalFor", "riemannianGradient", "riemannianHessianAction", "riemannianHessian", "retract"], "DeterminantalVariety"),
    ...of(R, ["int", "gaussian", "orthogonal"], "Rng"),
    // survey: junk problem and options, kept small (at most 2 runs, no progress display)
    ["methods", "survey (<= 2 runs)", (problem: unknown, options: unknown) =>
      experiments.survey(problem as never, (options && typeof options === "object" && !Array.isArray(options) ? { ...options, runs: 2, progress: false } : options) as never)],
    ["methods", "survey (valid landscape)", (options: unknown) =>
      experiments.survey(valid().L, (options && typeof options === "object" && !Array.isArray(options) ? { ...options, runs: 2, progress: false, handleSigint: false } : options) as never)],
    ["methods", "new DeepLinearNetwork", (w: unknown) => new networks.DeepLinearNetwork(w as number[])],
    ["methods", "new Landscape", (a: unknown, b: unknown) => new landscapeRoom.Landscape(a as never, b as never)],
    ["methods", "new Rng", (s: unknown) => new core.Rng(s as number)],
    ["methods", "new DeterminantalVariety", (m: unknown, n: unknown, r: unknown) => new spaces.DeterminantalVariety(m as number, n as number, r as number)],
  ];
}

/** The exported functions of the library rooms (no classes, no skipped names) and the class methods, as `[group, name, fn]`. */
export function functions(): Array<[string, string, (...a: unknown[]) => unknown]> {
  const out: Array<[string, string, (...a: unknown[]) => unknown]> = [...methods()];
  const seen = new Set<string>();
  for (const [g, mod] of Object.entries(GROUPS)) {
    for (const [name, f] of Object.entries(mod)) {
      if (typeof f !== "function" || name in SKIP || seen.has(name)) continue;
      if (/^class\s/.test(Function.prototype.toString.call(f))) continue;
      seen.add(name);
      out.push([g, name, f as (...a: unknown[]) => unknown]);
    }
  }
  return out;
}
