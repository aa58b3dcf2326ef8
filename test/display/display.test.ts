import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import { display, inKernel, mimeBundle, rich, report } from "../../src/display";
import { DisplayOptions, JUPYTER_DISPLAY, KERNEL_DISPLAY_HOOK, MimeBundle } from "../../src/display/mime";
import { DomainError } from "../../src/core/errors";

type Call = { bundle: MimeBundle | Promise<MimeBundle>; options?: DisplayOptions };
const g = globalThis as unknown as Record<symbol, unknown>;

function installHook(): Call[] {
  const calls: Call[] = [];
  g[KERNEL_DISPLAY_HOOK] = (bundle: MimeBundle | Promise<MimeBundle>, options?: DisplayOptions) => calls.push({ bundle, options });
  return calls;
}

async function captureStdout(f: () => Promise<void>): Promise<string> {
  const orig = process.stdout.write.bind(process.stdout);
  let out = "";
  // display writes strings; the test runner's own protocol goes through as bytes and is passed on
  (process.stdout as unknown as { write: unknown }).write = (s: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof s !== "string") return (orig as (...a: unknown[]) => boolean)(s, ...rest);
    out += s;
    return true;
  };
  try {
    await f();
  } finally {
    (process.stdout as unknown as { write: unknown }).write = orig;
  }
  return out;
}

afterEach(() => {
  delete g[KERNEL_DISPLAY_HOOK];
});

test("without a kernel hook, display prints text/plain to stdout, in call order", async () => {
  assert.equal(inKernel(), false);
  const slow = rich(async () => {
    await new Promise((r) => setTimeout(r, 20));
    return { "text/plain": "first (slow)", "text/markdown": "**first**" };
  });
  const out = await captureStdout(async () => {
    const a = display(slow);
    const b = display(report([{ a: 1 }]));
    const c = display("plain string");
    const d = display({ x: 1 });
    await Promise.all([a.done, b.done, c.done, d.done]);
  });
  const lines = out.split("\n");
  assert.equal(lines[0], "first (slow)");
  assert.equal(lines[1], "a");
  assert.ok(out.includes("plain string\n"));
  assert.ok(out.includes("{ x: 1 }"));
});

test("with the kernel hook installed, display sends the bundle through it (sync bundles as they are)", async () => {
  const calls = installHook();
  assert.equal(inKernel(), true);
  const M = new Matrix([[1, 2]]);
  const out = await captureStdout(async () => {
    const h = display(M);
    await h.done;
  });
  assert.equal(out, "");
  assert.equal(calls.length, 1);
  const b = calls[0].bundle as MimeBundle;
  assert.ok(!(b instanceof Promise));
  assert.ok((b["text/latex"] as string).includes("bmatrix"));
  assert.deepEqual(calls[0].options, {});
});

test("async bundles go to the hook as a Promise; displayId and update() map to update_display_data", async () => {
  const calls = installHook();
  let n = 0;
  const progress = () => rich(async () => ({ "text/plain": `progress ${++n}` }));
  const h = display(progress(), { displayId: "survey" });
  assert.equal(h.displayId, "survey");
  const h2 = h.update(progress());
  await Promise.all([h.done, h2.done]);
  assert.equal(calls.length, 2);
  assert.ok(calls[0].bundle instanceof Promise);
  assert.deepEqual(await calls[0].bundle, { "text/plain": "progress 1" });
  assert.deepEqual(calls[0].options, { displayId: "survey" });
  assert.deepEqual(calls[1].options, { displayId: "survey", update: true });
  assert.deepEqual(await calls[1].bundle, { "text/plain": "progress 2" });
});

test("update without a displayId and bad display ids are DomainErrors", async () => {
  installHook();
  const h = display("x");
  assert.throws(() => h.update("y"), /update needs a display made with a displayId/);
  assert.throws(() => display("x", { displayId: "" }), DomainError);
});

test("bundles with text/html or that are not objects are rejected", async () => {
  installHook();
  assert.throws(() => display(rich({ "text/html": "<b>x</b>", "text/plain": "x" })), /must not contain text\/html/);
  assert.throws(() => display({ [JUPYTER_DISPLAY]: () => 42 }), DomainError);
  await assert.rejects(mimeBundle(rich(async () => ({ "text/html": "x" }))), DomainError);
  const h = display(rich(async () => ({ "text/html": "x" })));
  await assert.rejects(h.done, DomainError);
});

test("mimeBundle of plain values is util.inspect text", async () => {
  assert.deepEqual(await mimeBundle([1, 2]), { "text/plain": "[ 1, 2 ]" });
  assert.deepEqual(await mimeBundle("s"), { "text/plain": "s" });
});
