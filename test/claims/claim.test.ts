import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { CLAIM_LABEL, ClaimError, DEFAULT_CLAIM_TOL, checkClaim, defineClaimLabels, isClaimLabel, claim, clearVerdicts, verdictBundle, verdictTable, verdicts } from "../../src/claims";
import { CLAIM_MIME, DisplayOptions, JUPYTER_DISPLAY, KERNEL_DISPLAY_HOOK, MimeBundle } from "../../src/display/mime";
import { DomainError, LandscapeError } from "../../src/core/errors";
import { LandscapeError as RootLandscapeError, ClaimError as RootClaimError } from "../../src";

const g = globalThis as unknown as Record<symbol, unknown>;
let sent: Array<{ bundle: MimeBundle; options?: DisplayOptions }> = [];

beforeEach(() => {
  clearVerdicts();
  sent = [];
  // a fake kernel hook: claims display through it (no stdout noise in the test output)
  g[KERNEL_DISPLAY_HOOK] = (bundle: MimeBundle, options?: DisplayOptions) => sent.push({ bundle, options });
});
afterEach(() => {
  delete g[KERNEL_DISPLAY_HOOK];
});

test("a passing numeric claim is recorded, displayed once with the claim MIME type, and returns nothing", () => {
  const out = claim("T4", { source: "hand", statement: "softmax + ridge reaches the convex optimum", expected: 1.0493866, measured: 1.04938660004 });
  assert.equal(out, undefined);
  const [v] = verdicts();
  assert.equal(v.pass, true);
  assert.equal(v.mode, "mixed");
  assert.equal(v.tol, DEFAULT_CLAIM_TOL);
  assert.equal(sent.length, 1);
  const b = sent[0].bundle;
  assert.deepEqual(Object.keys(b).sort(), [CLAIM_MIME, "text/markdown", "text/plain"].sort());
  assert.ok(!("text/html" in b));
  const json = b[CLAIM_MIME] as Record<string, unknown>;
  assert.deepEqual(
    { label: json.label, expected: json.expected, measured: json.measured, tol: json.tol, pass: json.pass },
    { label: "T4", expected: 1.0493866, measured: 1.04938660004, tol: 1e-8, pass: true },
  );
  assert.ok((b["text/markdown"] as string).includes("✔ **T4** holds"));
  assert.ok((b["text/plain"] as string).startsWith("✔ T4 holds"));
});

test("tolerances: mixed (default), abs, rel, le, ge", () => {
  const ok = (e: number, m: number, tol?: number, mode?: "mixed" | "abs" | "rel" | "le" | "ge") => checkClaim("G1", { source: "hand", statement: "s", expected: e, measured: m, tol, mode }).pass;
  assert.equal(ok(0.5, 0.5 + 5e-9), true);
  assert.equal(ok(0.5, 0.5 + 2e-8), false);
  assert.equal(ok(1e6, 1e6 + 5e-3), true); // relative above 1
  assert.equal(ok(1e6, 1e6 + 5e-3, 1e-8, "abs"), false);
  assert.equal(ok(1e-3, 1.1e-3, 0.2, "rel"), true);
  assert.equal(ok(1e-3, 1.3e-3, 0.2, "rel"), false);
  assert.equal(ok(1e-6, 3e-7, undefined, "le"), true);
  assert.equal(ok(1e-6, 3e-6, undefined, "le"), false);
  assert.equal(ok(1e-6, 1.5e-6, 1e-6, "le"), true);
  assert.equal(ok(2, 3, undefined, "ge"), true);
  assert.equal(ok(2, 1, undefined, "ge"), false);
  assert.equal(ok(0.5, NaN), false);
});

test("integers, booleans and strings compare exactly by default", () => {
  assert.equal(checkClaim("T1", { source: "hand", statement: "rank", expected: 10, measured: 10 }).mode, "exact");
  assert.equal(checkClaim("T1", { source: "hand", statement: "rank", expected: 10, measured: 9 }).pass, false);
  // an integer prediction vs a float measurement uses the default tolerance
  assert.equal(checkClaim("T1", { source: "hand", statement: "rank", expected: 10, measured: 10 + 1e-12 }).pass, true);
  assert.equal(checkClaim("T1", { source: "hand", statement: "rank", expected: 10, measured: 10 + 1e-12, mode: "exact" }).pass, false);
  assert.equal(checkClaim("P2", { source: "hand", statement: "pure", expected: true, measured: true }).pass, true);
  assert.equal(checkClaim("P2", { source: "hand", statement: "pure", expected: true, measured: false }).pass, false);
  assert.equal(checkClaim("D1", { source: "hand", statement: "verdict", expected: "strict saddle", measured: "strict saddle" }).pass, true);
  assert.throws(() => checkClaim("D1", { source: "hand", statement: "x", expected: "a", measured: "a", mode: "abs" }), /needs numbers/);
});

test("arrays compare elementwise with equal length; multisets and sets sort first", () => {
  const c = (e: number[], m: number[], mode?: "multiset" | "set", tol?: number) => checkClaim("T5", { source: "hand", statement: "losses", expected: e, measured: m, mode, tol });
  assert.equal(c([5, 6, 7], [5, 6 + 1e-10, 7]).pass, true);
  const bad = c([5, 6, 7], [5, 6.1, 7]);
  assert.equal(bad.pass, false);
  assert.match(bad.detail, /at index 1/);
  assert.equal(c([1, 2], [1, 2, 3]).pass, false);
  assert.match(c([1, 2], [1, 2, 3]).detail, /lengths differ: expected 2, measured 3/);
  assert.equal(c([0.64, 1], [1, 0.64]).pass, false);
  assert.equal(c([0.64, 1], [1, 0.64], "multiset").pass, true);
  assert.equal(c([0.64, 1, 1], [1, 0.64], "multiset").pass, false);
  assert.equal(c([0.64, 1], [1, 0.64 + 1e-12, 1 - 1e-12, 0.64], "set").pass, true);
  assert.equal(checkClaim("T5", { source: "hand", statement: "s", expected: [true, false], measured: [true, false] }).pass, true);
  assert.equal(checkClaim("T5", { source: "hand", statement: "s", expected: [1, 2], measured: new Float64Array([1, 2]) }).pass, true);
});

test("a failing claim displays the failed verdict, records it, then throws ClaimError naming label, expected, measured, tol", () => {
  assert.throws(
    () => claim("Ex-1", { source: "hand", statement: "Hessian eigenvalues at (0,0) are ±2", expected: [-2, 2], measured: [-2, 1.5], tol: 1e-9 }),
    (e: unknown) => {
      assert.ok(e instanceof ClaimError);
      assert.ok(e instanceof LandscapeError);
      assert.equal(e.name, "ClaimError");
      assert.match(e.message, /^claim: Ex-1 must hold: Hessian eigenvalues at \(0,0\) are ±2; expected \[-2, 2\], measured \[-2, 1.5\] \(tol 1e-9, mixed/);
      assert.equal(e.verdict.pass, false);
      return true;
    },
  );
  assert.equal(verdicts().length, 1);
  assert.equal(verdicts()[0].pass, false);
  assert.equal(sent.length, 1);
  assert.equal((sent[0].bundle[CLAIM_MIME] as { pass: boolean }).pass, false);
  assert.ok((sent[0].bundle["text/markdown"] as string).includes("✘ **Ex-1** FAILS"));
});

test("labels must be docs/theory.md labels (with optional suffix); bad labels and specs are DomainErrors, not recorded", () => {
  for (const l of ["G1", "G2", "T1", "T6", "T7", "D1", "P5", "Ex-1", "Ex-2", "A1", "A5", "B1", "B9", "T5.count", "B4a", "Ex-2.escape", "A2.fibre-move"]) {
    assert.ok(CLAIM_LABEL.test(l), l);
  }
  for (const l of ["T0", "T8", "T10", "G3", "Ex-3", "X1", "t1", "T1 count", "", "B10", "P6"]) {
    assert.ok(!CLAIM_LABEL.test(l), l);
    assert.throws(() => claim(l, { source: "hand", statement: "s", expected: 1, measured: 1 }), DomainError);
  }
  assert.throws(() => claim("T1", { source: "hand", statement: "", expected: 1, measured: 1 }), /statement must be a non-empty string/);
  assert.throws(() => claim("T1", { source: "hand", statement: "s", expected: 1, measured: "1" }), /same kind of values/);
  assert.throws(() => claim("T1", { source: "hand", statement: "s", expected: 1, measured: [1] }), /both be scalars or both arrays/);
  assert.throws(() => claim("T1", { source: "hand", statement: "s", expected: NaN, measured: 1 }), /expected must be finite/);
  assert.throws(() => claim("T1", { source: "hand", statement: "s", expected: 1, measured: 1, tol: -1 }), /tol must be a finite number >= 0/);
  assert.throws(() => claim("T1", { source: "hand", statement: "s", expected: 1, measured: 1, mode: "fuzzy" as never }), /mode must be one of/);
  assert.throws(() => claim("T1", { source: "hand", statement: "s", expected: 1, measured: 1, mode: "set" }), /needs arrays of numbers/);
  assert.throws(() => claim("T1", { source: "hand", statement: "s", expected: { a: 1 } as never, measured: 1 }), /expected must be a number/);
  assert.equal(verdicts().length, 0);
  assert.equal(sent.length, 0);
});

test("registry: verdicts() is a copy, clearVerdicts empties it, verdictTable summarises", () => {
  claim("G1", { source: "hand", statement: "a", expected: 6, measured: 6 });
  claim("G2", { source: "hand", statement: "b", expected: 0.5, measured: 0.5 });
  const list = verdicts();
  list.pop();
  assert.equal(verdicts().length, 2);
  const t = verdictTable();
  const md = t[JUPYTER_DISPLAY]()["text/markdown"] as string;
  assert.ok(md.startsWith("**Claims: 2 of 2 hold**"));
  assert.ok(md.includes("| G1 | ✔ | a | 6 | hand | 6 | exact |"), md);
  clearVerdicts();
  assert.equal(verdicts().length, 0);
});

test("non-finite measurements are JSON-safe in the claim bundle", () => {
  const v = checkClaim("T4", { source: "hand", statement: "s", expected: 1, measured: Infinity });
  assert.equal(v.pass, false);
  const b = verdictBundle(v);
  assert.equal((b[CLAIM_MIME] as { measured: unknown }).measured, "Infinity");
  assert.doesNotThrow(() => JSON.stringify(b));
});

test("ClaimError and LandscapeError are exported from the package root", () => {
  assert.equal(RootClaimError, ClaimError);
  assert.equal(RootLandscapeError, LandscapeError);
});

test("defineClaimLabels: a fork's own labels are accepted after definition, with suffixes; malformed ones are rejected", () => {
  clearVerdicts();
  const spec = { source: "hand" as const, statement: "a fork's experiment", expected: 1, measured: 1 };
  assert.throws(() => checkClaim("E7.gap", spec), (e: unknown) => e instanceof DomainError && /defineClaimLabels/.test((e as Error).message));
  assert.equal(isClaimLabel("E7"), false);
  defineClaimLabels("E7", "Exp-3");
  assert.equal(checkClaim("E7", spec).pass, true);
  assert.equal(checkClaim("E7.gap", spec).pass, true);
  assert.equal(checkClaim("Exp-3.rank", spec).label, "Exp-3.rank");
  assert.equal(isClaimLabel("E7..x"), false);
  assert.equal(isClaimLabel("E8"), false);
  for (const bad of ["e1", "E", "1E", "E1.x", "T5 count", ""]) assert.throws(() => defineClaimLabels(bad), DomainError, bad);
});

test("provenance: source is required, must be one of CLAIM_SOURCES, travels in the verdict; unknown keys are refused", () => {
  const spec = { statement: "s", expected: 1, measured: 1 };
  assert.throws(() => checkClaim("T4", spec as never), /claim: source must say where the expected value comes from/);
  assert.throws(() => checkClaim("T4", { ...spec, source: "measured" } as never), /one of "paper", "hand"/);
  assert.throws(() => checkClaim("T4", { ...spec, source: "paper", tolerance: 1 } as never), /unknown key "tolerance".*valid keys: statement/);
  const v = checkClaim("T4", { ...spec, source: "paper", ref: "[TKB] Thm 4" });
  assert.equal(v.source, "paper");
  assert.equal(v.ref, "[TKB] Thm 4");
  const b = verdictBundle(v);
  assert.ok((b["text/markdown"] as string).includes("(paper: [TKB] Thm 4)"));
  assert.equal((b[CLAIM_MIME] as { source: string }).source, "paper");
});
