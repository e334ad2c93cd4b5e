using System.Numerics;
using GraphSSL.Evaluation;

namespace GraphSSL.Runtime.Tests.Evaluation;

// TEST ORACLE: the SMO solver as it was before the compacted-layout rewrite (commit c58b2e4,
// Runtime/Evaluation/SmoSolver.cs), kept verbatim apart from its name so that the tests can check the new
// solver reproduces it bit for bit. Not used by the library.

/// <summary>
/// Sequential minimal optimisation for the C-SVC dual
/// <c>min ½ αᵀQα − eᵀα  s.t.  yᵀα = 0, 0 ≤ α_i ≤ C</c>, <c>Q_ij = y_i y_j K_ij</c>, with the
/// second-order working-set selection of Fan, Chen and Lin (2005, "WSS 3", as in LIBSVM) and optional
/// shrinking (Joachims; LIBSVM's rules). Stops when <c>m(α) − M(α) &lt; ε</c> where
/// <c>m = max_{t∈I_up} −y_t∇f_t</c>, <c>M = min_{t∈I_low} −y_t∇f_t</c>.
/// Single-threaded and deterministic.
/// </summary>
internal sealed class ReferenceSmoSolver
{
    const double Tau = 1e-12;

    readonly KernelRows k;
    readonly sbyte[] y;
    readonly double[] yd;
    readonly double c;
    readonly double eps;
    readonly bool shrinking;
    readonly int l;
    readonly double[] alpha;
    readonly double[] g;
    readonly double[] gBar;
    readonly double[] diag;
    readonly double[] upPenalty;
    readonly double[] lowPenalty;
    readonly double[] scratch;
    int[] active;
    int activeSize;
    bool unshrunk;

    ReferenceSmoSolver(KernelRows k, sbyte[] y, double c, double eps, bool shrinking)
    {
        this.k = k;
        this.y = y;
        yd = y.Select(v => (double)v).ToArray();
        this.c = c;
        this.eps = eps;
        this.shrinking = shrinking;
        l = y.Length;
        alpha = new double[l];
        g = new double[l];
        Array.Fill(g, -1.0); // α = 0: ∇f = Qα − e = −e
        gBar = new double[l];
        diag = new double[l];
        for (int i = 0; i < l; i++) diag[i] = k.Diagonal(i);
        active = Enumerable.Range(0, l).ToArray();
        activeSize = l;
        upPenalty = new double[l];
        lowPenalty = new double[l];
        scratch = new double[l];
        for (int t = 0; t < l; t++) SetMembership(t);
    }

    bool IsUpper(int t) => alpha[t] >= c;
    bool IsLower(int t) => alpha[t] <= 0;

    /// <summary>Solves the dual for labels <paramref name="y"/> (±1) with kernel rows <paramref name="k"/>.</summary>
    public static SmoResult Solve(KernelRows k, sbyte[] y, double c, double eps, long maxIterations, bool shrinking)
    {
        if (k.Count != y.Length) throw new ArgumentException("Kernel and label sizes differ.");
        if (!(c > 0)) throw new ArgumentOutOfRangeException(nameof(c), c, "C must be positive.");
        var s = new ReferenceSmoSolver(k, y, c, eps, shrinking);
        return s.Run(maxIterations);
    }

    SmoResult Run(long maxIterations)
    {
        long iter = 0;
        int counter = Math.Min(l, 1000) + 1;
        bool converged = false;
        double gap = double.PositiveInfinity;
        while (iter < maxIterations)
        {
            if (shrinking && --counter == 0)
            {
                counter = Math.Min(l, 1000);
                Shrink();
            }
            if (!Select(out int i, out int j, out gap))
            {
                if (activeSize == l) { converged = true; break; }
                // Optimal on the shrunk problem: restore every variable and check again.
                Unshrink();
                if (!Select(out i, out j, out gap)) { converged = true; break; }
                counter = 1;
            }
            iter++;
            Update(i, j);
        }
        if (activeSize < l) Unshrink();
        if (!converged) Select(out _, out _, out gap);
        return new SmoResult(alpha, Rho(), g, iter, converged, gap);
    }

    /// <summary>WSS 3. Returns false when the pair gap is below ε (optimal).</summary>
    bool Select(out int iOut, out int jOut, out double gapOut)
    {
        // Membership of I_up / I_low is kept as additive penalties (0 or −∞) so the scans do not branch
        // on it; the full-set scans are vectorised. Both paths pick the first index among equals.
        double gMax, gMax2;
        int i, j;
        if (activeSize == l) (gMax, i, gMax2, j) = ScanFull();
        else (gMax, i, gMax2, j) = ScanActive();
        iOut = i;
        jOut = j;
        gapOut = gMax + gMax2;
        return gapOut >= eps && i >= 0 && j >= 0;
    }

    /// <summary>
    /// i = argmax_{t ∈ I_up} −y_t G_t; then, among t ∈ I_low with b = gMax + y_t G_t &gt; 0,
    /// j = argmin −b² / a with a = K_ii + K_tt − 2K_it (τ when not positive). Also returns max_{I_low} y_t G_t.
    /// </summary>
    (double GMax, int I, double GMax2, int J) ScanActive()
    {
        double gMax = double.NegativeInfinity;
        int i = -1;
        for (int a = 0; a < activeSize; a++)
        {
            int t = active[a];
            double v = -yd[t] * g[t] + upPenalty[t];
            if (v > gMax) { gMax = v; i = t; }
        }
        double gMax2 = double.NegativeInfinity, objMin = double.PositiveInfinity;
        int j = -1;
        ReadOnlySpan<double> ki = i >= 0 ? k.Row(i) : default;
        double di = i >= 0 ? diag[i] : 0;
        for (int a = 0; a < activeSize; a++)
        {
            int t = active[a];
            double yg = yd[t] * g[t] + lowPenalty[t];
            if (yg > gMax2) gMax2 = yg;
            double b = gMax + yg;
            if (i >= 0 && b > 0)
            {
                double quad = di + diag[t] - 2 * ki[t];
                double obj = -(b * b) / (quad > 0 ? quad : Tau);
                if (obj < objMin) { objMin = obj; j = t; }
            }
        }
        return (gMax, i, gMax2, j);
    }

    (double GMax, int I, double GMax2, int J) ScanFull()
    {
        int w = Vector<double>.Count, t;
        var gs = g.AsSpan();
        var ys = yd.AsSpan();
        var up = upPenalty.AsSpan();
        var low = lowPenalty.AsSpan();
        var vMax = new Vector<double>(double.NegativeInfinity);
        for (t = 0; t + w <= l; t += w)
            vMax = Vector.Max(vMax, -new Vector<double>(ys.Slice(t, w)) * new Vector<double>(gs.Slice(t, w)) + new Vector<double>(up.Slice(t, w)));
        double gMax = double.NegativeInfinity;
        for (int lane = 0; lane < w; lane++) gMax = Math.Max(gMax, vMax[lane]);
        for (; t < l; t++) gMax = Math.Max(gMax, -yd[t] * g[t] + upPenalty[t]);
        int i = -1;
        if (gMax > double.NegativeInfinity)
        {
            for (t = 0; t < l; t++)
            {
                if (-yd[t] * g[t] + upPenalty[t] == gMax) { i = t; break; }
            }
        }
        double gMax2 = double.NegativeInfinity;
        var vMax2 = new Vector<double>(double.NegativeInfinity);
        if (i < 0)
        {
            for (t = 0; t < l; t++) gMax2 = Math.Max(gMax2, yd[t] * g[t] + lowPenalty[t]);
            return (gMax, -1, gMax2, -1);
        }
        var ki = k.Row(i);
        var ds = diag.AsSpan();
        var o = scratch.AsSpan();
        var vGMax = new Vector<double>(gMax);
        var vDi = new Vector<double>(diag[i]);
        var vTau = new Vector<double>(Tau);
        var vInf = new Vector<double>(double.PositiveInfinity);
        var vObjMin = vInf;
        for (t = 0; t + w <= l; t += w)
        {
            var yg = new Vector<double>(ys.Slice(t, w)) * new Vector<double>(gs.Slice(t, w)) + new Vector<double>(low.Slice(t, w));
            vMax2 = Vector.Max(vMax2, yg);
            var b = vGMax + yg;
            var quad = vDi + new Vector<double>(ds.Slice(t, w)) - new Vector<double>(2.0) * new Vector<double>(ki.Slice(t, w));
            quad = Vector.ConditionalSelect(Vector.GreaterThan(quad, Vector<double>.Zero), quad, vTau);
            var obj = Vector.ConditionalSelect(Vector.GreaterThan(b, Vector<double>.Zero), -(b * b) / quad, vInf);
            obj.CopyTo(o.Slice(t, w));
            vObjMin = Vector.Min(vObjMin, obj);
        }
        for (int lane = 0; lane < w; lane++) gMax2 = Math.Max(gMax2, vMax2[lane]);
        double objMin = double.PositiveInfinity;
        for (int lane = 0; lane < w; lane++) objMin = Math.Min(objMin, vObjMin[lane]);
        for (; t < l; t++)
        {
            double yg = yd[t] * g[t] + lowPenalty[t];
            gMax2 = Math.Max(gMax2, yg);
            double b = gMax + yg;
            double quad = diag[i] + diag[t] - 2.0 * ki[t];
            double obj = b > 0 ? -(b * b) / (quad > 0 ? quad : Tau) : double.PositiveInfinity;
            scratch[t] = obj;
            objMin = Math.Min(objMin, obj);
        }
        int j = -1;
        if (objMin < double.PositiveInfinity)
        {
            for (t = 0; t < l; t++)
            {
                if (scratch[t] == objMin) { j = t; break; }
            }
        }
        return (gMax, i, gMax2, j);
    }

    /// <summary>Refreshes the I_up / I_low penalties of variable <paramref name="t"/> after its α changed.</summary>
    void SetMembership(int t)
    {
        bool inUp = y[t] > 0 ? !IsUpper(t) : !IsLower(t);
        bool inLow = y[t] > 0 ? !IsLower(t) : !IsUpper(t);
        upPenalty[t] = inUp ? 0 : double.NegativeInfinity;
        lowPenalty[t] = inLow ? 0 : double.NegativeInfinity;
    }

    /// <summary>
    /// Minimises the objective along d = y_i e_i − y_j e_j (which keeps yᵀα fixed):
    /// f(α + t d) = f(α) + t (y_i G_i − y_j G_j) + ½ t² (K_ii + K_jj − 2K_ij). The unconstrained step
    /// t* = (−y_i G_i + y_j G_j) / a is positive for a violating pair; it is clipped so both α stay in [0, C].
    /// </summary>
    void Update(int i, int j)
    {
        var ki = k.Row(i);
        var kj = k.Row(j);
        double quad = diag[i] + diag[j] - 2 * ki[j];
        if (!(quad > 0)) quad = Tau;
        double step = (-y[i] * g[i] + y[j] * g[j]) / quad;
        // Room along d: α_i moves by +y_i t, α_j by −y_j t.
        double roomI = y[i] > 0 ? c - alpha[i] : alpha[i];
        double roomJ = y[j] > 0 ? alpha[j] : c - alpha[j];
        double oldI = alpha[i], oldJ = alpha[j];
        bool wasUpperI = IsUpper(i), wasUpperJ = IsUpper(j);
        if (step >= roomI && roomI <= roomJ)
        {
            step = roomI;
            alpha[i] = y[i] > 0 ? c : 0;
            alpha[j] = step == roomJ ? (y[j] > 0 ? 0 : c) : Math.Clamp(oldJ - y[j] * step, 0, c);
        }
        else if (step >= roomJ)
        {
            step = roomJ;
            alpha[j] = y[j] > 0 ? 0 : c;
            alpha[i] = Math.Clamp(oldI + y[i] * step, 0, c);
        }
        else
        {
            alpha[i] = Math.Clamp(oldI + y[i] * step, 0, c);
            alpha[j] = Math.Clamp(oldJ - y[j] * step, 0, c);
        }
        SetMembership(i);
        SetMembership(j);
        double dI = alpha[i] - oldI, dJ = alpha[j] - oldJ;
        // G_t += Q_ti Δα_i + Q_tj Δα_j = y_t (y_i Δα_i K_it + y_j Δα_j K_jt)
        double wi = y[i] * dI, wj = y[j] * dJ;
        if (activeSize == l)
        {
            int w = Vector<double>.Count, t = 0;
            var vi = new Vector<double>(wi);
            var vj = new Vector<double>(wj);
            var gs = g.AsSpan();
            var ys = yd.AsSpan();
            for (; t + w <= l; t += w)
            {
                var upd = new Vector<double>(gs.Slice(t, w))
                    + new Vector<double>(ys.Slice(t, w)) * (vi * new Vector<double>(ki.Slice(t, w)) + vj * new Vector<double>(kj.Slice(t, w)));
                upd.CopyTo(gs.Slice(t, w));
            }
            for (; t < l; t++) g[t] += yd[t] * (wi * ki[t] + wj * kj[t]);
        }
        else
        {
            for (int a = 0; a < activeSize; a++)
            {
                int t = active[a];
                g[t] += y[t] * (wi * ki[t] + wj * kj[t]);
            }
        }
        if (!shrinking) return;
        // Ḡ_t = C Σ_{s at upper bound} Q_ts, needed to rebuild gradients of shrunk variables.
        UpdateGBar(i, ki, wasUpperI);
        UpdateGBar(j, kj, wasUpperJ);
    }

    void UpdateGBar(int s, ReadOnlySpan<double> ks, bool wasUpper)
    {
        bool isUpper = IsUpper(s);
        if (wasUpper == isUpper) return;
        double w = (isUpper ? c : -c) * y[s];
        int vw = Vector<double>.Count, t = 0;
        var vW = new Vector<double>(w);
        var gb = gBar.AsSpan();
        var ys = yd.AsSpan();
        for (; t + vw <= l; t += vw)
            (new Vector<double>(gb.Slice(t, vw)) + vW * new Vector<double>(ys.Slice(t, vw)) * new Vector<double>(ks.Slice(t, vw))).CopyTo(gb.Slice(t, vw));
        for (; t < l; t++) gBar[t] += w * yd[t] * ks[t];
    }

    /// <summary>Removes bound variables that cannot take part in a violating pair (LIBSVM's rule).</summary>
    void Shrink()
    {
        double gMax1 = double.NegativeInfinity, gMax2 = double.NegativeInfinity; // m and −M
        for (int a = 0; a < activeSize; a++)
        {
            int t = active[a];
            if (y[t] > 0)
            {
                if (!IsUpper(t)) gMax1 = Math.Max(gMax1, -g[t]);
                if (!IsLower(t)) gMax2 = Math.Max(gMax2, g[t]);
            }
            else
            {
                if (!IsUpper(t)) gMax2 = Math.Max(gMax2, -g[t]);
                if (!IsLower(t)) gMax1 = Math.Max(gMax1, g[t]);
            }
        }
        if (!unshrunk && gMax1 + gMax2 <= eps * 10)
        {
            unshrunk = true;
            Unshrink();
        }
        int kept = 0;
        for (int a = 0; a < activeSize; a++)
        {
            int t = active[a];
            if (!CanShrink(t, gMax1, gMax2)) active[kept++] = t;
        }
        // Entries past activeSize are stale; Unshrink rebuilds the list from the active prefix.
        activeSize = kept;
    }

    bool CanShrink(int t, double gMax1, double gMax2)
    {
        if (IsUpper(t)) return y[t] > 0 ? -g[t] > gMax1 : -g[t] > gMax2;
        if (IsLower(t)) return y[t] > 0 ? g[t] > gMax2 : g[t] > gMax1;
        return false;
    }

    /// <summary>Recomputes the gradient of shrunk variables and makes every variable active again.</summary>
    void Unshrink()
    {
        if (activeSize == l) return;
        var isActive = new bool[l];
        for (int a = 0; a < activeSize; a++) isActive[active[a]] = true;
        var inactive = new List<int>();
        for (int t = 0; t < l; t++)
        {
            if (isActive[t]) continue;
            inactive.Add(t);
            g[t] = gBar[t] - 1;
        }
        // Add the free variables' contribution (bound-at-C ones are in Ḡ, bound-at-0 ones contribute 0).
        for (int s = 0; s < l; s++)
        {
            if (IsLower(s) || IsUpper(s)) continue;
            var ks = k.Row(s);
            double w = y[s] * alpha[s];
            foreach (var t in inactive) g[t] += y[t] * w * ks[t];
        }
        active = Enumerable.Range(0, l).ToArray();
        activeSize = l;
    }

    /// <summary>ρ: the mean of y_t G_t over free variables, else the midpoint of the feasible interval.</summary>
    double Rho()
    {
        double ub = double.PositiveInfinity, lb = double.NegativeInfinity, sum = 0;
        int free = 0;
        for (int t = 0; t < l; t++)
        {
            double yg = y[t] * g[t];
            if (IsUpper(t))
            {
                if (y[t] < 0) ub = Math.Min(ub, yg); else lb = Math.Max(lb, yg);
            }
            else if (IsLower(t))
            {
                if (y[t] > 0) ub = Math.Min(ub, yg); else lb = Math.Max(lb, yg);
            }
            else
            {
                free++;
                sum += yg;
            }
        }
        return free > 0 ? sum / free : (ub + lb) / 2;
    }
}
