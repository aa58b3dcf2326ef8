import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix, MatrixTransposeView } from "ml-matrix";
import { fmt, fmtLatex, fmtValue, latexMatrix, markdownTable, plainMatrix, plainTable, report, Table, truncatedIndices } from "../../src/display";
import { DomainError, ShapeError } from "../../src/core/errors";
import { JUPYTER_DISPLAY } from "../../src/display/mime";

test("fmt removes float noise and keeps integers", () => {
  assert.equal(fmt(2.5000000000000004), "2.5");
  assert.equal(fmt(0.1 + 0.2), "0.3");
  assert.equal(fmt(1 / 3), "0.333333");
  assert.equal(fmt(1 / 3, 3), "0.333");
  assert.equal(fmt(42), "42");
  assert.equal(fmt(-7), "-7");
  assert.equal(fmt(0), "0");
  assert.equal(fmt(-0), "0");
  assert.equal(fmt(-1e-20 * 0), "0");
  assert.equal(fmt(1.0493866), "1.04939");
  assert.equal(fmt(1.0493866, 8), "1.0493866");
});

test("fmt uses exponents for tiny and huge numbers and names non-finite values", () => {
  assert.equal(fmt(1e-12), "1e-12");
  assert.equal(fmt(-2.5e-7), "-2.5e-7");
  assert.equal(fmt(123456789), "1.23457e+8");
  assert.equal(fmt(999999.7), "1e+6");
  assert.equal(fmt(0.0001), "0.0001");
  assert.equal(fmt(NaN), "NaN");
  assert.equal(fmt(Infinity), "∞");
  assert.equal(fmt(-Infinity), "-∞");
  // formatting round-trips to within the requested precision
  for (const x of [Math.PI, -Math.E * 1e5, 6.02214076e23, 1.602e-19, 0.5 - 1e-17]) {
    assert.ok(Math.abs(Number(fmt(x)) - x) <= 1e-5 * Math.abs(x));
  }
});

test("fmt rejects bad arguments with DomainError", () => {
  assert.throws(() => fmt("2" as unknown as number), DomainError);
  assert.throws(() => fmt(1, 0), /digits must be an integer in \[1, 17\]/);
  assert.throws(() => fmt(1, 1.5), DomainError);
});

test("fmtLatex writes powers of ten", () => {
  assert.equal(fmtLatex(2.5e-7), "2.5 \\times 10^{-7}");
  assert.equal(fmtLatex(1e-12), "10^{-12}");
  assert.equal(fmtLatex(0.25), "0.25");
  assert.equal(fmtLatex(Infinity), "\\infty");
});

test("fmtValue formats booleans, arrays and missing values", () => {
  assert.equal(fmtValue(true), "✔");
  assert.equal(fmtValue(false), "✘");
  assert.equal(fmtValue(undefined), "—");
  assert.equal(fmtValue([1, 2.5000000000000004]), "[1, 2.5]");
  assert.equal(fmtValue(new Float64Array([0.1 + 0.2])), "[0.3]");
  assert.equal(fmtValue(new Matrix(2, 3)), "2×3 matrix");
});

test("markdownTable: header, alignment, escaping, formatting", () => {
  const t = markdownTable(["widths", "r", "filling"], [["(3,2,4)", 2, false], ["a|b", 2.5000000000000004, true]]);
  const lines = t.split("\n");
  assert.equal(lines.length, 4);
  assert.equal(lines[0], "| widths | r | filling |");
  assert.equal(lines[1], "|:---|---:|:---|");
  assert.equal(lines[2], "| (3,2,4) | 2 | ✘ |");
  assert.equal(lines[3], "| a\\|b | 2.5 | ✔ |");
  assert.throws(() => markdownTable([], []), DomainError);
  assert.throws(() => markdownTable(["a", "b"], [[1]]), ShapeError);
  assert.throws(() => markdownTable(["a"], "x" as never), DomainError);
});

test("plainTable aligns columns", () => {
  const t = plainTable(["name", "value"], [["a", 1], ["bbb", 22.5]]);
  const lines = t.split("\n");
  assert.equal(lines.length, 4);
  assert.equal(new Set(lines.slice(0, 2).map((l) => l.length)).size, 1);
  assert.ok(lines[3].endsWith("22.5"));
  assert.ok(lines[2].endsWith("   1"));
});

test("latexMatrix: bmatrix, formatted entries, truncation of large matrices", () => {
  assert.equal(latexMatrix([[1, 0], [0, 2.5000000000000004]]), "\\begin{bmatrix} 1 & 0 \\\\ 0 & 2.5 \\end{bmatrix}");
  assert.equal(latexMatrix(new Matrix([[1e-9]])), "\\begin{bmatrix} 10^{-9} \\end{bmatrix}");
  const big = Matrix.ones(20, 30);
  const tex = latexMatrix(big);
  const rows = tex.replace(/^\\begin\{bmatrix\} | \\end\{bmatrix\}$/g, "").split(" \\\\ ");
  assert.equal(rows.length, 8);
  assert.ok(rows.every((r) => r.split(" & ").length === 8));
  assert.ok(tex.includes("\\vdots") && tex.includes("\\cdots") && tex.includes("\\ddots"));
  assert.equal(latexMatrix(new Matrix(0, 3)), "[\\,]_{0\\times 3}");
  assert.throws(() => latexMatrix([[1, 2], [3]]), ShapeError);
  assert.throws(() => latexMatrix(42 as never), ShapeError);
  assert.throws(() => latexMatrix([[1]], { maxRows: 1 }), DomainError);
  assert.deepEqual(truncatedIndices(3, 8), [0, 1, 2]);
  assert.deepEqual(truncatedIndices(10, 5), [0, 1, 2, -1, 9]);
});

test("plainMatrix shows the shape and aligned entries", () => {
  const s = plainMatrix([[1, -2], [30, 4]]);
  assert.deepEqual(s.split("\n"), ["Matrix 2×2", "[  1  -2 ]", "[ 30   4 ]"]);
});

test("ml-matrix matrices display as LaTeX + Markdown + text (installed on the prototype under a symbol)", () => {
  const M = new Matrix([[1, 2], [3, 4.000000000000001]]);
  const bundle = (M as unknown as Record<symbol, () => Record<string, string>>)[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), ["text/latex", "text/markdown", "text/plain"]);
  assert.equal(bundle["text/latex"], "$$\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}$$");
  assert.ok(bundle["text/markdown"].includes("2×2 matrix"));
  assert.ok(bundle["text/plain"].startsWith("Matrix 2×2"));
  // views inherit it, and the method is not enumerable (no change to how matrices print or iterate)
  const view = new MatrixTransposeView(M);
  assert.equal(typeof (view as unknown as Record<symbol, unknown>)[JUPYTER_DISPLAY], "function");
  assert.ok(!Object.keys(M).some((k) => k.includes("Jupyter")));
  assert.ok(!Object.prototype.propertyIsEnumerable.call(Object.getPrototypeOf(Object.getPrototypeOf(M)), JUPYTER_DISPLAY));
});

test("Table / report: columns, markdown and plain text", () => {
  const t = report([{ widths: "(3,2,4)", r: 2, filling: false }, { widths: "(2,3,2)", r: 2, filling: true, extra: 0.1 + 0.2 }], { title: "Architectures" });
  assert.ok(t instanceof Table);
  assert.deepEqual(t.columns, ["widths", "r", "filling", "extra"]);
  const b = t[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(b).sort(), ["text/markdown", "text/plain"]);
  const md = b["text/markdown"] as string;
  assert.ok(md.startsWith("**Architectures**\n\n| widths | r | filling | extra |"));
  assert.ok(md.includes("| (3,2,4) | 2 | ✘ | — |"));
  assert.ok(md.includes("| 0.3 |"));
  assert.ok((b["text/plain"] as string).startsWith("Architectures\n"));
  const sel = report([{ a: 1, b: 2 }], { columns: ["b"], headers: { b: "B!" } });
  assert.ok(sel.toMarkdown().startsWith("| B! |"));
  assert.throws(() => report("x" as never), DomainError);
  assert.throws(() => report([1 as never]), DomainError);
  assert.throws(() => report([{}]), DomainError);
});
