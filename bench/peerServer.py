#!/usr/bin/python3
"""Persistent numpy / torch peers for the interleaved workloads W1-W4 of bench/interleaved.ts (issue 11).

bench/interleaved.ts starts this file once and talks to it in JSON lines on stdin/stdout, so the two sides can
alternate repetition by repetition (interleaved timing) without paying Python's start-up each time:
  {"cmd": "machine"}                               -> machine facts (versions, BLAS kernel, threads, env)
  {"cmd": "setup", "id": ID, "workload": W, ...}   -> builds the peers of one case; answers the check outputs
  {"cmd": "time", "id": ID, "peer": P, "targetMs": t} -> one warm-up call, then n calls lasting about t ms;
                                                     answers seconds per call
Formulas are the library's (see bench/README.md); peers.py holds the shared models (NumpyModel, TorchModel).
"""
import itertools
import json
import sys
import time

import numpy as np
import torch

from peers import NumpyModel, TorchModel, machine, tolist

CASES = {}


def gram_peer(widths, X, Y, xp):
    """The library's Gram algorithm on one backend (xp = "numpy" or "torch", manual formulas):
    Sxx = X X^T, Syx = Y X^T precomputed; G = mu Sxx - Syx."""
    if xp == "torch":
        X, Y = torch.tensor(X), torch.tensor(Y)
        total, cat = torch.sum, lambda parts: torch.cat([x.reshape(-1) for x in parts])
        view = lambda v, shape: v.view(shape)
    else:
        total, cat = np.sum, lambda parts: np.concatenate([x.ravel() for x in parts])
        view = lambda v, shape: v.reshape(shape)
    Sxx, Syx, yy = X @ X.T, Y @ X.T, float(total(Y * Y))
    shapes = [(widths[i + 1], widths[i]) for i in range(len(widths) - 1)]
    offs = [int(v) for v in np.cumsum([0] + [r * c for r, c in shapes])]

    def vg(flat):
        Ws = [view(flat[offs[i]:offs[i + 1]], shapes[i]) for i in range(len(shapes))]
        before, B = [], None
        for W in Ws:
            before.append(B)
            B = W if B is None else W @ B
        WS = B @ Sxx
        val = 0.5 * (float(total(WS * B)) - 2.0 * float(total(B * Syx)) + yy)
        A = WS - Syx
        g = []
        for i in range(len(Ws) - 1, -1, -1):
            g.append(A if before[i] is None else A @ before[i].T)
            if i > 0:
                A = Ws[i].T @ A
        return val, cat(reversed(g))
    return vg


def setup_w1(c):
    widths, X, Y = c["widths"], np.array(c["X"]), np.array(c["Y"])
    th = np.array(c["theta"])
    nm = NumpyModel(widths, {"type": "squareData", "X": c["X"], "Y": c["Y"]})
    tm = TorchModel(widths, {"type": "squareData", "X": c["X"], "Y": c["Y"]})
    th_t = torch.tensor(th)
    gn, gt = gram_peer(widths, X, Y, "numpy"), gram_peer(widths, X, Y, "torch")
    peers = {
        "numpy-gram": lambda: gn(th),
        "numpy-backprop": lambda: nm.value_and_grad_backprop(th),
        "torch-gram": lambda: gt(th_t),
        "torch-autograd": lambda: tm.value_and_grad_autograd(th_t),
    }
    check = {}
    for name, fn in peers.items():
        v, g = fn()
        check[name] = {"value": float(v), "grad": tolist(g)}
    return peers, check


def census_step(x, Lam, Q, lr, steps, lib):
    """Fixed-step GD on Example A for every run at once: x is (runs, 4) = (W1 = x[:, 0:2] (1x2), W2 = x[:, 2:4] (2x1))."""
    for _ in range(steps):
        a, b = x[:, 0:2], x[:, 2:4]
        W = b[:, :, None] * a[:, None, :]          # (runs, 2, 2) = W2 W1
        D = W - Q
        G = 2.0 * Lam * D
        ga = (b[:, :, None] * G).sum(1)            # W2^T G  (runs, 2)
        gb = (G * a[:, None, :]).sum(2)            # G W1^T  (runs, 2)
        g = lib.cat([ga, gb], 1) if lib is torch else np.concatenate([ga, gb], 1)
        x = x - lr * g
    a, b = x[:, 0:2], x[:, 2:4]
    D = b[:, :, None] * a[:, None, :] - Q
    return x, (Lam * D * D).sum((1, 2))


def setup_w2(c):
    starts = np.array(c["starts"])
    Lam, Q = np.array(c["Lambda"]), np.array(c["Q"])
    Lt, Qt, st = torch.tensor(Lam), torch.tensor(Q), torch.tensor(starts)
    lr, steps = c["step"], c["steps"]
    peers = {
        "numpy-batched": lambda: census_step(starts, Lam, Q, lr, steps, np),
        "torch-batched": lambda: census_step(st, Lt, Qt, lr, steps, torch),
    }
    check = {}
    for name, fn in peers.items():
        _, vals = fn()
        vals = tolist(vals)
        check[name] = {"values": vals, "bad": sum(1 for v in vals if abs(v - 1.0) <= c["badTol"]) / len(vals)}
    return peers, check


def setup_w3(c):
    widths, th = c["widths"], np.array(c["theta"])
    nm = NumpyModel(widths, {"type": "squareMatrix", "Q": c["Q"]})
    tm = TorchModel(widths, {"type": "squareMatrix", "Q": c["Q"]})
    th_t = torch.tensor(th)
    H = nm.hessian(th)
    peers = {
        "numpy-closed-form+eigvalsh": lambda: np.linalg.eigvalsh(nm.hessian(th)),
        "torch-autograd+eigvalsh": lambda: torch.linalg.eigvalsh(tm.hessian_autograd(th_t)),
        "numpy-eigvalsh": lambda: np.linalg.eigvalsh(H),
    }
    check = {name: {"eigenvalues": tolist(fn())[::-1]} for name, fn in peers.items()}
    return peers, check


def enumerate_images(Q, r, realise):
    """Every critical image W_I = sum_{i in I} s_i u_i v_i^T, |I| <= r, of ||W - Q||^2 on widths (d0, r, dh): W_I,
    P_{U_I}, loss, Morse index; with realise, the balanced point (W1 = [diag(s_I^(1/2)) V_I^T; 0],
    W2 = [U_I diag(s_I^(1/2)), 0]) and ||grad L|| there."""
    U, s, Vt = np.linalg.svd(Q)
    m = len(s)
    tot = float(np.sum(s * s))
    out = []
    for k in range(0, min(r, m) + 1):
        for I in itertools.combinations(range(m), k):
            I = list(I)
            UI = U[:, I]
            W = (UI * s[I]) @ Vt[I, :]
            P = UI @ UI.T
            loss = tot - float(np.sum(s[I] ** 2))
            morse = None
            if k == r:
                inI = set(I)
                morse = sum(1 for i in I for j in range(m) if j not in inI and j < i)
            rec = {"I": [i + 1 for i in I], "W": W, "P": P, "loss": loss, "morse": morse}
            if realise:
                root = np.sqrt(s[I])
                W1 = np.zeros((r, Q.shape[1]))
                W1[:k, :] = root[:, None] * Vt[I, :]
                W2 = np.zeros((Q.shape[0], r))
                W2[:, :k] = UI * root
                G = 2.0 * (W2 @ W1 - Q)
                gn = float(np.sqrt(np.sum((W2.T @ G) ** 2) + np.sum((G @ W1.T) ** 2)))
                rec["theta"] = (W1, W2)
                rec["gradientNorm"] = gn
            out.append(rec)
    return out


def setup_w4(c):
    Q = np.array(c["Q"])
    r = c["r"]
    peers = {"numpy": lambda: enumerate_images(Q, r, c["realise"])}
    imgs = enumerate_images(Q, r, c["realise"])
    check = {"numpy": {"count": len(imgs), "images": [{"I": im["I"], "W": tolist(im["W"]), "P": tolist(im["P"]), "loss": im["loss"],
                                                          "morse": im["morse"], "gradientNorm": im.get("gradientNorm")} for im in imgs]}}
    return peers, check


SETUP = {"W1": setup_w1, "W2": setup_w2, "W3": setup_w3, "W4": setup_w4}


def main():
    for line in sys.stdin:
        msg = json.loads(line)
        cmd = msg["cmd"]
        if cmd == "machine":
            ans = machine()
        elif cmd == "setup":
            peers, check = SETUP[msg["workload"]](msg)
            CASES[msg["id"]] = peers
            ans = {"peers": list(peers), "check": check}
        elif cmd == "time":
            fn = CASES[msg["id"]][msg["peer"]]
            t0 = time.perf_counter_ns()
            fn()  # warm-up call, also the calibration: n calls of about targetMs in all
            t1 = (time.perf_counter_ns() - t0) / 1e9
            n = max(1, int(msg["targetMs"] / 1000 / max(t1, 1e-9)))
            t0 = time.perf_counter_ns()
            for _ in range(n):
                fn()
            ans = {"seconds": (time.perf_counter_ns() - t0) / 1e9 / n, "calls": n}
        elif cmd == "quit":
            break
        else:
            ans = {"error": "unknown command " + cmd}
        sys.stdout.write(json.dumps(ans) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
