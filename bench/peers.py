#!/usr/bin/python3
"""numpy / torch / scipy peers of the linear-landscapes benchmark (bench/run.ts starts this file).

Usage: /usr/bin/python3 bench/peers.py MODE INPUTS.json OUTPUT.json
  MODE = check: compute the check outputs (values, gradients, Hessians, trajectories) of every peer
         on the shared inputs, no timing;
  MODE = time:  time every peer (warm-up, then the median of k repetitions of a calibrated batch).

The formulas are the ones of the TypeScript library (see bench/README.md):
  deep linear network   mu(theta) = W_h ... W_1,  theta packed block by block, each block row-major;
  squareData            l(W) = 1/2 ||W X - Y||_F^2,   grad = (W X - Y) X^T   (backprop over the data);
  squareMatrix          l(W) = ||W - Q||_F^2,         grad = 2 (W - Q);
  weighted              l(W) = sum Lambda_ij (W_ij - Q_ij)^2, grad = 2 Lambda o (W - Q);
  grad_i L = W_{>i}^T grad l(mu) W_{<i}^T;
  Hess L[V] = dmu^T[Hess l[dmu[V]]] + d2mu^T[grad l, V].
Threads are pinned to 1 by run.ts (OMP/OPENBLAS/MKL_NUM_THREADS) and here (torch.set_num_threads(1)).
"""
import ctypes
import json
import math
import os
import platform
import statistics
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass
torch.set_default_dtype(torch.float64)

try:
    import scipy
    import scipy.optimize
except ImportError:  # scipy is optional: the L-BFGS peer is then skipped
    scipy = None


# ---------------------------------------------------------------- shapes and packing

def shapes_of(widths):
    return [(widths[i + 1], widths[i]) for i in range(len(widths) - 1)]


def mat_np(rows):
    return np.array(rows, dtype=np.float64)


# ---------------------------------------------------------------- numpy (manual formulas)

class SecondOrderFormulas:
    """The manual second-order formulas of L = l o mu (the library's src/landscape/deepLinearHessian.ts), written
    once for both peers over a small array backend that subclasses provide: eye(n), kron(A, B), empty(n),
    diag(v), cat(blocks), einsum, assign(view, value). Needs widths, h, sizes, offsets, P, kind, X/Y or Q/Lam
    and views(flat)."""

    def partials(self, Ws):
        """before[i] = W_{<i+1}, after[i] = W_{>i+1} (0-based blocks) and mu = W_h ... W_1."""
        h, d = self.h, self.widths
        before = [self.eye(d[0])]
        for i in range(1, h):
            before.append(Ws[i - 1] @ before[-1])
        after = [None] * h
        after[h - 1] = self.eye(d[h])
        for i in range(h - 2, -1, -1):
            after[i] = after[i + 1] @ Ws[i + 1]
        return before, after, Ws[h - 1] @ before[h - 1]

    def between(self, Ws, i, j):
        """W_{j-1} ... W_{i+1} (0-based blocks i < j), identity when j = i + 1."""
        P = self.eye(self.widths[i + 1])
        for k in range(i + 1, j):
            P = Ws[k] @ P
        return P

    def grad_l(self, mu):
        if self.kind == "squareData":
            return (mu @ self.X - self.Y) @ self.X.T
        if self.kind == "squareMatrix":
            return 2.0 * (mu - self.Q)
        return 2.0 * self.Lam * (mu - self.Q)

    def hess_l(self, D):
        if self.kind == "squareMatrix":
            return 2.0 * D
        if self.kind == "weighted":
            return 2.0 * self.Lam * D
        return D @ self.X @ self.X.T

    def hvp(self, flat, v):
        """Hessian-vector product: dmu^T[Hl dmu[v]] plus the directional derivative of dmu^T[G]."""
        Ws, Vs, h = self.views(flat), self.views(v), self.h
        before, after, mu = self.partials(Ws)
        G = self.grad_l(mu)
        dmu = after[0] @ Vs[0] @ before[0]
        for i in range(1, h):
            dmu = dmu + after[i] @ Vs[i] @ before[i]
        H = self.hess_l(dmu)
        out = self.empty(self.P)
        ov = self.views(out)
        for i in range(h):
            acc = after[i].T @ H @ before[i].T
            for j in range(i + 1, h):  # d/dt of after[i]
                acc = acc + (after[j] @ Vs[j] @ self.between(Ws, i, j)).T @ G @ before[i].T
            for j in range(i):  # d/dt of before[i]
                acc = acc + after[i].T @ G @ (self.between(Ws, j, i) @ Vs[j] @ before[j]).T
            self.assign(ov[i], acc)
        return out

    def hessian(self, flat):
        """Dense Hessian: Gauss-Newton part J^T Hl J (J_i = kron(W_{>i}, W_{<i}^T), row-major vec) plus the
        part from grad l: block (j, i), i < j, entry [(a,b),(c,d)] = (W_{>j}^T G W_{<i}^T)[a,d] * W_{(i,j)}[b,c]."""
        Ws, h, d = self.views(flat), self.h, self.widths
        before, after, mu = self.partials(Ws)
        G = self.grad_l(mu)
        J = self.cat([self.kron(after[i], before[i].T) for i in range(h)])
        if self.kind == "squareMatrix":
            Hl = 2.0 * self.eye(J.shape[0])
        elif self.kind == "weighted":
            Hl = self.diag(2.0 * self.Lam.reshape(-1))
        else:
            Hl = self.kron(self.eye(d[h]), self.X @ self.X.T)
        H = J.T @ Hl @ J
        o = self.offsets
        for i in range(h):
            for j in range(i + 1, h):
                T = after[j].T @ G @ before[i].T  # d_{j+1} x d_i  (0-based widths)
                Mb = self.between(Ws, i, j)  # d_j x d_{i+1}
                blk = self.einsum("ad,bc->abcd", T, Mb).reshape(self.sizes[j], self.sizes[i])
                H[o[j]:o[j + 1], o[i]:o[i + 1]] += blk
                H[o[i]:o[i + 1], o[j]:o[j + 1]] += blk.T
        return H


class NumpyModel(SecondOrderFormulas):
    """L = l o mu with manual gradient / Hessian formulas in numpy."""

    def __init__(self, widths, loss):
        self.widths = list(widths)
        self.shapes = shapes_of(widths)
        self.h = len(self.shapes)
        self.sizes = [r * c for r, c in self.shapes]
        self.offsets = np.cumsum([0] + self.sizes)
        self.P = int(self.offsets[-1])
        self.kind = loss["type"]
        if self.kind == "squareData":
            self.X = mat_np(loss["X"])
            self.Y = mat_np(loss["Y"])
        elif self.kind == "squareMatrix":
            self.Q = mat_np(loss["Q"])
        elif self.kind == "weighted":
            self.Q = mat_np(loss["Q"])
            self.Lam = mat_np(loss["Lambda"])
        else:
            raise ValueError("unknown loss " + self.kind)

    # array backend of SecondOrderFormulas
    eye = staticmethod(np.eye)
    kron = staticmethod(np.kron)
    empty = staticmethod(np.empty)
    diag = staticmethod(np.diag)
    einsum = staticmethod(np.einsum)

    @staticmethod
    def cat(blocks):
        return np.concatenate(blocks, axis=1)

    @staticmethod
    def assign(view, value):
        view[...] = value

    def views(self, flat):
        """Views of the blocks of a flat vector (no copy)."""
        return [flat[self.offsets[i]:self.offsets[i + 1]].reshape(self.shapes[i]) for i in range(self.h)]

    # l and grad l on matrix space
    def loss_grad_mat(self, W):
        if self.kind == "squareMatrix":
            D = W - self.Q
            return float(np.sum(D * D)), 2.0 * D
        if self.kind == "weighted":
            D = W - self.Q
            LD = self.Lam * D
            return float(np.sum(LD * D)), 2.0 * LD
        raise ValueError(self.kind)

    def value_and_grad(self, flat, out=None):
        """Loss and gradient (flat) by the library's formula: mu = W_h...W_1, G = grad l(mu),
        dL/dW_i = W_{>i}^T G W_{<i}^T (for squareData: G = (mu X - Y) X^T)."""
        Ws = self.views(flat)
        g = np.empty(self.P) if out is None else out
        gv = self.views(g)
        h = self.h
        before = [None] * h  # before[i] = W_{<i+1} (None = identity)
        B = None
        for i in range(h):
            before[i] = B
            B = Ws[i] if B is None else Ws[i] @ B
        if self.kind == "squareData":
            R = B @ self.X - self.Y
            val = 0.5 * float(np.sum(R * R))
            G = R @ self.X.T
        else:
            val, G = self.loss_grad_mat(B)
        A = G  # A = W_{>i}^T G, running from the top
        for i in range(h - 1, -1, -1):
            gv[i][...] = A if before[i] is None else A @ before[i].T
            if i > 0:
                A = Ws[i].T @ A
        return val, g

    def value_and_grad_backprop(self, flat, out=None):
        """squareData only: backprop through the data (Z_i = W_i Z_{i-1}, dL/dW_i = D_i Z_{i-1}^T),
        what a numpy user would write; a different formula from the library's (reported for information)."""
        Ws = self.views(flat)
        g = np.empty(self.P) if out is None else out
        gv = self.views(g)
        Z = [self.X]
        for W in Ws:
            Z.append(W @ Z[-1])
        E = Z[-1] - self.Y
        val = 0.5 * float(np.sum(E * E))
        D = E
        for i in range(self.h - 1, -1, -1):
            gv[i][...] = D @ Z[i].T
            if i > 0:
                D = Ws[i].T @ D
        return val, g

    def gd_until(self, theta0, lr, max_iter, gtol):
        x = np.array(theta0, dtype=np.float64)
        g = np.empty(self.P)
        it = 0
        while True:
            val, _ = self.value_and_grad(x, g)
            if it >= max_iter or np.sqrt(g @ g) <= gtol:
                return x, val, it
            x -= lr * g
            it += 1


# ---------------------------------------------------------------- torch (manual formulas and autograd)

def tkron(A, B):
    """Kronecker product (torch.kron of torch 1.13 fails on some strided views)."""
    return (A[:, None, :, None] * B[None, :, None, :]).reshape(A.shape[0] * B.shape[0], A.shape[1] * B.shape[1])


class TorchModel(SecondOrderFormulas):
    def __init__(self, widths, loss):
        self.np = NumpyModel(widths, loss)
        self.widths = list(widths)
        self.shapes = shapes_of(widths)
        self.h = len(self.shapes)
        self.offsets = [int(v) for v in self.np.offsets]
        self.P = self.np.P
        self.sizes = self.np.sizes
        self.kind = loss["type"]
        t = lambda a: torch.tensor(a, dtype=torch.float64)
        if self.kind == "squareData":
            self.X = t(self.np.X)
            self.Y = t(self.np.Y)
        else:
            self.Q = t(self.np.Q)
            if self.kind == "weighted":
                self.Lam = t(self.np.Lam)

    # array backend of SecondOrderFormulas
    eye = staticmethod(torch.eye)
    kron = staticmethod(tkron)
    empty = staticmethod(torch.empty)
    diag = staticmethod(torch.diag)
    einsum = staticmethod(torch.einsum)

    @staticmethod
    def cat(blocks):
        return torch.cat(blocks, dim=1)

    @staticmethod
    def assign(view, value):
        view.copy_(value)

    # the manual formulas under the names run_case uses for torch
    def hvp_manual(self, flat, v):
        return self.hvp(flat, v)

    def hessian_manual(self, flat):
        return self.hessian(flat)

    def views(self, flat):
        return [flat[self.offsets[i]:self.offsets[i + 1]].view(self.shapes[i]) for i in range(self.h)]

    def loss_mat(self, W):
        D = W - self.Q
        if self.kind == "squareMatrix":
            return (D * D).sum()
        return (self.Lam * D * D).sum()

    # ---- autograd
    def loss_flat(self, flat):
        Ws = self.views(flat)
        if self.kind == "squareData":
            Z = self.X
            for W in Ws:
                Z = W @ Z
            E = Z - self.Y
            return 0.5 * (E * E).sum()
        M = Ws[0]
        for W in Ws[1:]:
            M = W @ M
        return self.loss_mat(M)

    def value_and_grad_autograd(self, flat):
        x = flat.detach().requires_grad_(True)
        L = self.loss_flat(x)
        (g,) = torch.autograd.grad(L, x)
        return L.detach(), g

    def hessian_autograd(self, flat):
        return torch.autograd.functional.hessian(self.loss_flat, flat)

    def hvp_autograd(self, flat, v):
        x = flat.detach().requires_grad_(True)
        L = self.loss_flat(x)
        (g,) = torch.autograd.grad(L, x, create_graph=True)
        (hv,) = torch.autograd.grad(g @ v, x)
        return hv

    # ---- manual (same formulas as numpy, on torch tensors)
    def value_and_grad_manual(self, flat, out=None):
        """The library's formula (see NumpyModel.value_and_grad) on torch tensors."""
        Ws = self.views(flat)
        g = torch.empty(self.P) if out is None else out
        gv = self.views(g)
        h = self.h
        before = [None] * h
        B = None
        for i in range(h):
            before[i] = B
            B = Ws[i] if B is None else Ws[i] @ B
        if self.kind == "squareData":
            R = B @ self.X - self.Y
            val = 0.5 * (R * R).sum()
            G = R @ self.X.T
        else:
            D = B - self.Q
            if self.kind == "squareMatrix":
                val = (D * D).sum()
                G = 2.0 * D
            else:
                LD = self.Lam * D
                val = (LD * D).sum()
                G = 2.0 * LD
        A = G
        for i in range(h - 1, -1, -1):
            gv[i].copy_(A if before[i] is None else A @ before[i].T)
            if i > 0:
                A = Ws[i].T @ A
        return val, g

    # ---- optimiser steps
    def gd_until_manual(self, theta0, lr, max_iter, gtol):
        with torch.no_grad():
            x = torch.tensor(theta0, dtype=torch.float64)
            g = torch.empty(self.P)
            it = 0
            while True:
                val, _ = self.value_and_grad_manual(x, g)
                if it >= max_iter or float(torch.linalg.vector_norm(g)) <= gtol:
                    return x, float(val), it
                x.sub_(g, alpha=lr)
                it += 1

    def gd_until_autograd(self, theta0, lr, max_iter, gtol):
        x = torch.tensor(theta0, dtype=torch.float64, requires_grad=True)
        it = 0
        while True:
            L = self.loss_flat(x)
            (g,) = torch.autograd.grad(L, x)
            if it >= max_iter or float(torch.linalg.vector_norm(g)) <= gtol:
                return x.detach(), float(L), it
            with torch.no_grad():
                x.sub_(g, alpha=lr)
            it += 1

    def lbfgs_torch(self, theta0, cfg):
        """torch.optim.LBFGS (strong Wolfe), gradient from the manual formula."""
        x = torch.tensor(theta0, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.LBFGS([x], lr=1, max_iter=cfg["maxIter"], max_eval=cfg["maxIter"] * 5,
                                tolerance_grad=cfg["gradTolInf"], tolerance_change=0.0,
                                history_size=cfg["memory"], line_search_fn="strong_wolfe")
        evals = [0]
        g = torch.empty(self.P)

        def closure():
            evals[0] += 1
            with torch.no_grad():
                val, _ = self.value_and_grad_manual(x, g)
            x.grad = g.clone()
            return val

        opt.step(closure)
        with torch.no_grad():
            val, _ = self.value_and_grad_manual(x, g)
        return x.detach(), float(val), opt.state[opt._params[0]].get("n_iter", 0), evals[0]


def lbfgs_scipy(model, theta0, cfg):
    """scipy L-BFGS-B (Fortran), gradient from the numpy manual formula."""
    def fg(x):
        return model.value_and_grad(x)

    r = scipy.optimize.minimize(fg, np.array(theta0, dtype=np.float64), jac=True, method="L-BFGS-B",
                                options={"maxiter": cfg["maxIter"], "maxcor": cfg["memory"], "gtol": cfg["gradTolInf"],
                                         "ftol": 0.0, "maxfun": cfg["maxIter"] * 5})
    return r.x, float(r.fun), int(r.nit), int(r.nfev)


# ---------------------------------------------------------------- port of the library's L-BFGS (src/optim/lbfgs.ts)

def _jsdiv(a, b):
    """a / b with IEEE semantics (JavaScript's): +-inf or nan instead of ZeroDivisionError."""
    if b != 0:
        return a / b
    if a == 0 or math.isnan(a):
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _cubic_step(lo, hi, flo, fhi, dlo, dhi):
    left = min(lo, hi)
    width = abs(hi - lo)
    mid = 0.5 * (lo + hi)
    if not (math.isfinite(fhi) and math.isfinite(dhi) and math.isfinite(flo) and math.isfinite(dlo)):
        return lo + (hi - lo) / 3
    d1 = dlo + dhi - _jsdiv(3 * (flo - fhi), lo - hi)
    disc = d1 * d1 - dlo * dhi
    if not (disc >= 0):
        return mid
    d2 = math.copysign(1.0, hi - lo) * math.sqrt(disc) if hi != lo else 0.0
    denom = dhi - dlo + 2 * d2
    if denom == 0:
        return mid
    a = hi - ((hi - lo) * (dhi + d2 - d1)) / denom
    if not math.isfinite(a):
        return mid
    return min(max(a, left + 0.1 * width), left + 0.9 * width)


def strong_wolfe(phi, f0, d0, alpha1, c1=1e-4, c2=0.9, alpha_max=1e10, max_eval=30):
    """Line-by-line port of strongWolfe (src/optim/lineSearch.ts). Returns (alpha, value, ok, evals, last)."""
    st = {"evals": 0, "last": 0.0, "best": (0.0, f0, d0)}

    def ev(a):
        st["evals"] += 1
        st["last"] = a
        v, s_ = phi(a)
        if math.isfinite(v) and v <= f0 + c1 * a * d0 and v < st["best"][1]:
            st["best"] = (a, v, s_)
        return v, s_

    def fail():
        b = st["best"]
        return b[0], b[1], False, st["evals"], st["last"]

    def zoom(lo, hi, flo, fhi, dlo, dhi):
        while st["evals"] < max_eval:
            a = _cubic_step(lo, hi, flo, fhi, dlo, dhi)
            if not (abs(hi - lo) > 1e-16 * max(1.0, abs(lo))):
                return fail()
            v, sl = ev(a)
            if not math.isfinite(v) or v > f0 + c1 * a * d0 or v >= flo:
                hi = a
                fhi = v if math.isfinite(v) else math.inf
                dhi = sl if math.isfinite(sl) else math.nan
            else:
                if abs(sl) <= -c2 * d0:
                    return a, v, True, st["evals"], st["last"]
                if sl * (hi - lo) >= 0:
                    hi, fhi, dhi = lo, flo, dlo
                lo, flo, dlo = a, v, sl
        return fail()

    a_prev, f_prev, d_prev = 0.0, f0, d0
    a = min(alpha1, alpha_max)
    i = 1
    while st["evals"] < max_eval:
        v, sl = ev(a)
        if not math.isfinite(v) or v > f0 + c1 * a * d0 or (i > 1 and v >= f_prev):
            return zoom(a_prev, a, f_prev, v if math.isfinite(v) else math.inf, d_prev, sl if math.isfinite(sl) else math.nan)
        if abs(sl) <= -c2 * d0:
            return a, v, True, st["evals"], st["last"]
        if sl >= 0:
            return zoom(a, a_prev, v, f_prev, sl, d_prev)
        if a >= alpha_max:
            return fail()
        a_prev, f_prev, d_prev = a, v, sl
        a = min(2 * a, alpha_max)
        i += 1
    return fail()


def lbfgs_port(fg, theta0, cfg):
    """Port of lbfgs (src/optim/lbfgs.ts) on numpy vectors; fg(x, g_out) -> value writes the gradient.
    Returns (x, value, iterations, evaluations)."""
    m, max_iter, gtol = cfg["memory"], cfg["maxIter"], cfg["gradTol"]
    x = np.array(theta0, dtype=np.float64)
    n = x.size
    g = np.empty(n)
    xt = np.empty(n)
    gt = np.empty(n)
    S = np.zeros((m, n))
    Y = np.zeros((m, n))
    rho = np.zeros(m)
    alpha_buf = np.zeros(m)
    count = head = 0
    f = fg(x, g)
    evals = 1
    iters = 0
    gn = math.sqrt(g @ g)
    failures = 0

    def phi(a):
        np.add(x, a * d, out=xt)
        v = fg(xt, gt)
        return v, float(gt @ d)

    while True:
        if not (math.isfinite(f) and math.isfinite(gn)) or gn <= gtol or iters >= max_iter:
            break
        d = -g
        for k in range(count):
            j = (head - 1 - k) % m
            a = rho[j] * (S[j] @ d)
            alpha_buf[j] = a
            d -= a * Y[j]
        if count > 0:
            j = (head - 1) % m
            d *= (S[j] @ Y[j]) / (Y[j] @ Y[j])
        for k in range(count - 1, -1, -1):
            j = (head - 1 - k) % m
            b = rho[j] * (Y[j] @ d)
            d += (alpha_buf[j] - b) * S[j]
        d0 = float(g @ d)
        if not (d0 < 0):
            count = 0
            d = -g
            d0 = -gn * gn
        alpha1 = min(1.0, 1.0 / max(gn, 1e-300)) if count == 0 else 1.0
        alpha, value, ok, ls_evals, last = strong_wolfe(phi, f, d0, alpha1, max_eval=cfg.get("lineSearchEvaluations", 30))
        evals += ls_evals
        if alpha == 0:
            failures += 1
            count = 0
            if failures >= 2:
                break
            continue
        failures = 0
        if last != alpha:
            phi(alpha)
            evals += 1
        S[head] = xt - x
        Y[head] = gt - g
        sy = S[head] @ Y[head]
        if sy > 1e-12 * math.sqrt(S[head] @ S[head]) * math.sqrt(Y[head] @ Y[head]):
            rho[head] = 1.0 / sy
            head = (head + 1) % m
            if count < m:
                count += 1
        x[:] = xt
        g[:] = gt
        f = value
        gn = math.sqrt(g @ g)
        iters += 1
    return x, f, iters, evals


# ---------------------------------------------------------------- timing

def now():
    return time.perf_counter_ns()


def bench(fn, cfg, fixed=False):
    """Median seconds per call of fn: calibrate a batch to cfg.targetMs, warm up cfg.warmupMs, take k samples.
    fixed=True: fn is a whole fixed workload; batch 1, one warm-up call, cfg.kLong samples."""
    if fixed:
        fn()
        samples = []
        for _ in range(cfg["kLong"]):
            t0 = now()
            fn()
            samples.append((now() - t0) / 1e9)
        return {"median": statistics.median(samples), "min": min(samples), "samples": samples, "batch": 1}
    t0 = now()
    fn()
    t1 = (now() - t0) / 1e9
    batch = 1
    while True:  # calibrate
        t0 = now()
        for _ in range(batch):
            fn()
        dt = (now() - t0) / 1e9
        if dt >= cfg["targetMs"] / 1000 / 4 or batch > 1e7:
            break
        batch *= 4
    batch = max(1, int(batch * (cfg["targetMs"] / 1000) / max(dt, 1e-9)))
    t_end = now() + cfg["warmupMs"] * 1e6
    while now() < t_end:
        for _ in range(batch):
            fn()
    samples = []
    for _ in range(cfg["k"]):
        t0 = now()
        for _ in range(batch):
            fn()
        samples.append((now() - t0) / 1e9 / batch)
    return {"median": statistics.median(samples), "min": min(samples), "samples": samples, "batch": batch}


# ---------------------------------------------------------------- machine facts

def blas_facts():
    facts = {"numpy_blas_libs": [], "openblas_corename": None, "openblas_config": None, "openblas_threads": None}
    a = np.ones((4, 4))
    _ = a @ a  # make sure BLAS is loaded
    seen = set()
    with open("/proc/self/maps") as f:
        for line in f:
            p = line.split()[-1]
            base = os.path.basename(p).lower()
            if p.startswith("/") and base.startswith("lib") and any(s in base for s in ("blas", "lapack", "mkl", "blis")):
                seen.add(p)
    facts["numpy_blas_libs"] = sorted(os.path.realpath(p) for p in seen)
    for p in facts["numpy_blas_libs"]:
        if "libopenblas" in p:
            try:
                lib = ctypes.CDLL(p)
                lib.openblas_get_corename.restype = ctypes.c_char_p
                lib.openblas_get_config.restype = ctypes.c_char_p
                facts["openblas_corename"] = lib.openblas_get_corename().decode()
                facts["openblas_config"] = lib.openblas_get_config().decode()
                facts["openblas_threads"] = int(lib.openblas_get_num_threads())
            except (OSError, AttributeError):
                pass
    try:
        import threadpoolctl  # noqa: F401
        facts["threadpoolctl"] = threadpoolctl.threadpool_info()
    except ImportError:
        facts["threadpoolctl"] = None
    return facts


def machine():
    torch_cfg = torch.__config__.show()
    blas_info = [s.strip().lstrip("- ").strip() for s in torch_cfg.replace(",", "\n").splitlines() if "BLAS_INFO" in s or "CPU capability" in s]
    blas_info = [s.replace("Build settings: ", "") for s in blas_info]
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "scipy": scipy.__version__ if scipy else None,
        "torch_threads": torch.get_num_threads(),
        "torch_interop_threads": torch.get_num_interop_threads(),
        "torch_blas": blas_info,
        "env": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                                "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")},
        **blas_facts(),
    }


# ---------------------------------------------------------------- workloads

def tolist(x):
    if isinstance(x, torch.Tensor):
        x = x.detach().numpy()
    if isinstance(x, np.ndarray):
        return x.tolist()
    return x


def run_case(case, mode, cfg):
    """Check outputs (mode "check") or timings (mode "time") of every peer on one case."""
    kind = case["kind"]
    widths, loss = case["widths"], case["loss"]
    npm = NumpyModel(widths, loss)
    tm = TorchModel(widths, loss)
    res = []

    def add(impl, fn, fixed=False, check=None):
        """fn() is the timed work; check() (default fn) returns the check outputs."""
        r = {"impl": impl, "id": case["id"]}
        if mode == "check":
            r["check"] = (check or fn)()
        else:
            r["time"] = bench(fn, cfg, fixed)
        res.append(r)

    if kind == "lossgrad":
        th_np, th_t = np.array(case["theta"]), torch.tensor(case["theta"])
        g_np, g_t = np.empty(npm.P), torch.empty(npm.P)

        def vg_np():
            v, g = npm.value_and_grad(th_np, g_np)
            return {"value": v, "grad": tolist(g)}

        def vg_bp():
            v, g = npm.value_and_grad_backprop(th_np, g_np)
            return {"value": v, "grad": tolist(g)}

        def vg_t():
            with torch.no_grad():
                v, g = tm.value_and_grad_manual(th_t, g_t)
            return {"value": float(v), "grad": tolist(g)}

        def vg_ta():
            v, g = tm.value_and_grad_autograd(th_t)
            return {"value": float(v), "grad": tolist(g)}

        def run_t():
            with torch.no_grad():
                tm.value_and_grad_manual(th_t, g_t)

        add("numpy", lambda: npm.value_and_grad(th_np, g_np), check=vg_np)
        if loss["type"] == "squareData":
            add("numpy-backprop", lambda: npm.value_and_grad_backprop(th_np, g_np), check=vg_bp)
        add("torch", run_t, check=vg_t)
        add("torch-autograd", lambda: tm.value_and_grad_autograd(th_t), check=vg_ta)

    elif kind == "gd":
        lr, steps, cs = case["lr"], case["steps"], case["checkSteps"]
        t0 = case["theta0"]
        runs = {
            "numpy": npm.gd_until,
            "torch": tm.gd_until_manual,
            "torch-autograd": tm.gd_until_autograd,
        }
        for impl, run in runs.items():
            add(impl, lambda run=run: run(t0, lr, steps, 0.0), fixed=True,
                check=lambda run=run: {"theta": tolist(run(t0, lr, cs, 0.0)[0]), "finalValue": run(t0, lr, steps, 0.0)[1]})

    elif kind == "hessian":
        th_np, v_np = np.array(case["theta"]), np.array(case["v"])
        th_t, v_t = torch.tensor(case["theta"]), torch.tensor(case["v"])
        if case["op"] == "dense":
            add("numpy", lambda: npm.hessian(th_np), check=lambda: {"hessian": tolist(npm.hessian(th_np))})
            add("torch", lambda: tm.hessian_manual(th_t), check=lambda: {"hessian": tolist(tm.hessian_manual(th_t))})
            add("torch-autograd", lambda: tm.hessian_autograd(th_t), check=lambda: {"hessian": tolist(tm.hessian_autograd(th_t))})
        else:
            add("numpy", lambda: npm.hvp(th_np, v_np), check=lambda: {"hv": tolist(npm.hvp(th_np, v_np))})
            add("torch", lambda: tm.hvp_manual(th_t, v_t), check=lambda: {"hv": tolist(tm.hvp_manual(th_t, v_t))})
            add("torch-autograd", lambda: tm.hvp_autograd(th_t, v_t), check=lambda: {"hv": tolist(tm.hvp_autograd(th_t, v_t))})

    elif kind == "survey":
        starts = case["starts"] if mode == "time" else case["starts"][:case["checkStarts"]]

        def survey(run):
            finals, iters, evals = [], 0, 0
            for s0 in starts:
                out = run(s0)
                finals.append(float(out[1]))
                iters += int(out[2])
                evals += int(out[3]) if len(out) > 3 else int(out[2]) + 1
            return {"finalValues": finals, "iterations": iters, "evaluations": evals}

        if case["method"] == "gd":
            c = case["gd"]
            runs = {
                "numpy": lambda s0: npm.gd_until(s0, c["step"], c["maxIter"], c["gradTol"]),
                "torch": lambda s0: tm.gd_until_manual(s0, c["step"], c["maxIter"], c["gradTol"]),
                "torch-autograd": lambda s0: tm.gd_until_autograd(s0, c["step"], c["maxIter"], c["gradTol"]),
            }
        else:
            c = case["lbfgs"]

            def fg_np(x, g):
                return npm.value_and_grad(x, g)[0]

            def fg_t(x, g):
                with torch.no_grad():
                    return float(tm.value_and_grad_manual(torch.from_numpy(x), torch.from_numpy(g))[0])

            runs = {
                "numpy": lambda s0: lbfgs_port(fg_np, s0, c),
                "torch": lambda s0: lbfgs_port(fg_t, s0, c),
            }
            if scipy is not None:
                runs["scipy-lbfgsb"] = lambda s0: lbfgs_scipy(npm, s0, c)
            runs["torch-lbfgs"] = lambda s0: tm.lbfgs_torch(s0, c)
        for impl, run in runs.items():
            if mode == "check":
                add(impl, None, check=lambda run=run: survey(run))
            else:
                stats = {}

                def timed(run=run, stats=stats):
                    stats.update(survey(run))

                add(impl, timed, fixed=True)
                res[-1]["extra"] = {"iterations": stats.get("iterations"), "evaluations": stats.get("evaluations"),
                                    "finalValues": stats.get("finalValues")}
    else:
        raise ValueError("unknown case kind " + kind)
    return res


def main():
    mode, inp, outp = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(inp) as f:
        spec = json.load(f)
    cfg = spec["config"]
    out = {"machine": machine(), "results": []}
    for case in spec["cases"]:
        t0 = time.perf_counter()
        out["results"].extend(run_case(case, mode, cfg))
        if mode == "time":
            print(f"  python {case['id']}: {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    with open(outp, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
