using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GraphSSL.Evaluation;

/// <summary>Solution of one binary C-SVC dual problem.</summary>
/// <param name="Alpha">Dual variables, 0 ≤ α ≤ C, one per sample.</param>
/// <param name="Rho">Offset ρ: the decision function is <c>Σ y_i α_i K(x_i, x) − ρ</c>.</param>
/// <param name="Gradient">Gradient of the dual objective, <c>(Qα)_i − 1</c>, at the solution.</param>
/// <param name="Iterations">SMO iterations (two-variable updates) performed.</param>
/// <param name="Converged">True when the maximal violating pair gap fell below the tolerance.</param>
/// <param name="Gap">Final gap <c>m(α) − M(α)</c> (or the gap when iterations ran out).</param>
internal sealed record SmoResult(double[] Alpha, double Rho, double[] Gradient, long Iterations, bool Converged, double Gap);

/// <summary>
/// Sequential minimal optimisation for the C-SVC dual
/// <c>min ½ αᵀQα − eᵀα  s.t.  yᵀα = 0, 0 ≤ α_i ≤ C</c>, <c>Q_ij = y_i y_j K_ij</c>, with the
/// second-order working-set selection of Fan, Chen and Lin (2005, "WSS 3", as in LIBSVM) and optional
/// shrinking (Joachims; LIBSVM's rules). Stops when <c>m(α) − M(α) &lt; ε</c> where
/// <c>m = max_{t∈I_up} −y_t∇f_t</c>, <c>M = min_{t∈I_low} −y_t∇f_t</c>.
/// Single-threaded and deterministic.
/// <para>
/// Memory layout: the per-variable state the inner loop reads (gradient, labels, diagonal, I_up / I_low
/// penalties) is kept compacted to the active (unshrunk) variables, in ascending index order, and the
/// kernel rows of the shrunk problem are gathered once into a compact row cache. Each iteration then
/// streams contiguous arrays of the active size instead of indexing full-length kernel rows, which on a
/// Gram matrix larger than the processor caches was bound by memory traffic. Only the layout changed:
/// every arithmetic operation, its order and every tie-break (first index among equals) are those of
/// the straightforward solver, so α, ρ, the gradient and the iteration count are bit-identical to it.
/// </para>
/// </summary>
internal sealed class SmoSolver
{
    const double Tau = 1e-12;

    /// <summary>Default bytes the compact row cache of one solve may hold (rows of the shrunk problem).</summary>
    internal const long DefaultCompactCacheBytes = 96L << 20;

    readonly KernelRows k;
    readonly sbyte[] y;
    readonly double[] yd;
    readonly double c;
    readonly double eps;
    readonly bool shrinking;
    readonly int l;
    readonly double[] alpha;
    readonly double[] g;     // full gradient: authoritative for shrunk variables; active ones live in ygA
    readonly double[] gBar;
    readonly double[] diag;
    // Active (compact) state, position a ↔ variable active[a], ascending.
    readonly int[] active;
    int activeSize;          // positions in the layout, live or dead
    int liveSize;            // live (unshrunk) positions
    readonly bool[] alive;
    readonly double[] ygA;   // y_t G_t of the active variables (y = ±1, so this is G_t with its sign flipped or not: exact)
    readonly double[] diagA;
    readonly bool uniformDiagonal; // every K_tt the same value (the RBF kernel's 1): the j-scan need not read diagA
    readonly double[] upA;
    readonly double[] lowA;
    readonly double[] scratch;
    readonly int[] keep;     // old position of each kept position, while shrinking
    readonly CompactRows rows;
    bool unshrunk;

    SmoSolver(KernelRows k, sbyte[] y, double c, double eps, bool shrinking, long compactCacheBytes, GramBuffers? buffers)
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
        gBar = new double[l];
        diag = new double[l];
        for (int i = 0; i < l; i++) diag[i] = k.Diagonal(i);
        Array.Fill(g, -1.0); // α = 0: ∇f = Qα − e = −e
        active = Enumerable.Range(0, l).ToArray();
        activeSize = liveSize = l;
        alive = new bool[l];
        Array.Fill(alive, true);
        ygA = new double[l];
        for (int t = 0; t < l; t++) ygA[t] = y[t] * g[t];
        diagA = (double[])diag.Clone();
        uniformDiagonal = l > 0 && diag.All(d => BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits(diag[0]));
        upA = new double[l];
        lowA = new double[l];
        scratch = new double[l];
        keep = new int[l];
        for (int a = 0; a < l; a++) SetMembership(a);
        rows = new CompactRows(k, compactCacheBytes, buffers);
    }

    bool IsUpper(int t) => alpha[t] >= c;
    bool IsLower(int t) => alpha[t] <= 0;

    /// <summary>
    /// Solves the dual for labels <paramref name="y"/> (±1) with kernel rows <paramref name="k"/>, from α = 0.
    /// <paramref name="compactCacheBytes"/> bounds the compact row cache (speed only, never the result);
    /// <paramref name="buffers"/>, when given, lends it its memory (reused between solves instead of a fresh
    /// array of up to that size per solve, whose pages the OS must fault in and zero).
    /// </summary>
    public static SmoResult Solve(KernelRows k, sbyte[] y, double c, double eps, long maxIterations, bool shrinking,
        long compactCacheBytes = DefaultCompactCacheBytes, GramBuffers? buffers = null)
    {
        if (k.Count != y.Length) throw new ArgumentException("Kernel and label sizes differ.");
        if (!(c > 0)) throw new ArgumentOutOfRangeException(nameof(c), c, "C must be positive.");
        var s = new SmoSolver(k, y, c, eps, shrinking, compactCacheBytes, buffers);
        try
        {
            return s.Run(maxIterations);
        }
        finally
        {
            s.rows.Release();
        }
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
                if (liveSize == l) { converged = true; break; }
                // Optimal on the shrunk problem: restore every variable and check again.
                Unshrink();
                if (!Select(out i, out j, out gap)) { converged = true; break; }
                counter = 1;
            }
            iter++;
            Update(i, j);
        }
        if (liveSize < l) Unshrink();
        if (!converged) Select(out _, out _, out gap);
        for (int t = 0; t < l; t++) g[t] = y[t] * ygA[t]; // active = every variable, in order
        return new SmoResult(alpha, Rho(), g, iter, converged, gap);
    }

    /// <summary>Row of active position <paramref name="a"/> over the active positions.</summary>
    ReadOnlySpan<double> ActiveRow(int a) => activeSize == l ? k.Row(a) : rows.Row(active[a], a);

    /// <summary>WSS 3 over the active positions. Returns false when the pair gap is below ε (optimal).</summary>
    bool Select(out int iOut, out int jOut, out double gapOut)
    {
        // Membership of I_up / I_low is kept as additive penalties (0 or −∞) so the scans do not branch
        // on it; the scans are vectorised and pick the first position among equals. The first half (i) was
        // usually already computed by the previous update's gradient pass.
        if (!upValid) ScanUp();
        upValid = false;
        var (gMax, i) = (upMax, upIndex);
        var (gMax2, j) = ScanLow(gMax, i);
        iOut = i;
        jOut = j;
        gapOut = gMax + gMax2;
        return gapOut >= eps && i >= 0 && j >= 0;
    }

    // max_{t ∈ I_up} −y_t G_t and its first position, when upValid.
    double upMax;
    int upIndex;
    bool upValid;

    // Positions are tracked in double lanes (exact below 2^53): with the same element type as the values, the
    // JIT selects both with one blend instruction each instead of and/andnot/or on the reinterpreted mask.
    static readonly Vector<double> Iota = CreateIota();

    static Vector<double> CreateIota()
    {
        var lanes = new double[Vector<double>.Count];
        for (int lane = 0; lane < lanes.Length; lane++) lanes[lane] = lane;
        return new Vector<double>(lanes);
    }

    /// <summary>
    /// <c>mask ? a : b</c> per lane for a comparison mask (every lane all ones or all zeros): the same as
    /// <see cref="Vector.ConditionalSelect{T}(Vector{T}, Vector{T}, Vector{T})"/>. The JIT lowers that to
    /// and/andnot/or (three instructions) when the mask has more than one use, as in the scans that select a value
    /// and its position with one mask; with AVX this is one blend instruction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector<double> Blend(Vector<long> mask, Vector<double> a, Vector<double> b) =>
        Avx.IsSupported && Vector<double>.Count == Vector256<double>.Count
            ? Avx.BlendVariable(b.AsVector256(), a.AsVector256(), mask.AsVector256().AsDouble()).AsVector()
            : Vector.ConditionalSelect(mask, a, b);

    /// <summary>Reduces lane maxima and their first positions to the first position of the overall maximum.</summary>
    static (double Max, int Index) FirstMax(Vector<double> vMax, Vector<double> vIdx)
    {
        double best = double.NegativeInfinity;
        double index = -1;
        for (int lane = 0; lane < Vector<double>.Count; lane++)
        {
            double v = vMax[lane];
            if (v > best || v == best && v > double.NegativeInfinity && vIdx[lane] < index) { best = v; index = vIdx[lane]; }
        }
        return (best, (int)index);
    }

    /// <summary>i = first argmax_{t ∈ I_up} −y_t G_t (position −1 when I_up is empty).</summary>
    void ScanUp()
    {
        int n = activeSize, w = Vector<double>.Count, t;
        var yg = ygA.AsSpan(0, n);
        var up = upA.AsSpan(0, n);
        var vMax = new Vector<double>(double.NegativeInfinity);
        var vIdx = new Vector<double>(-1);
        var idx = Iota;
        var step = new Vector<double>(w);
        for (t = 0; t + w <= n; t += w)
        {
            var v = -new Vector<double>(yg.Slice(t, w)) + new Vector<double>(up.Slice(t, w));
            var more = Vector.GreaterThan(v, vMax);
            vMax = Blend(more, v, vMax);
            vIdx = Blend(more, idx, vIdx);
            idx += step;
        }
        var (gMax, i) = FirstMax(vMax, vIdx);
        for (; t < n; t++)
        {
            double v = -yg[t] + up[t];
            if (v > gMax) { gMax = v; i = t; }
        }
        upMax = gMax;
        upIndex = gMax > double.NegativeInfinity ? i : -1;
        upValid = true;
    }

    /// <summary>
    /// Given i and gMax = −y_i G_i: among t ∈ I_low with b = gMax + y_t G_t &gt; 0, j = first argmin −b² / a with
    /// a = K_ii + K_tt − 2K_it (τ when not positive). Also returns max_{I_low} y_t G_t.
    /// </summary>
    (double GMax2, int J) ScanLow(double gMax, int i)
    {
        int n = activeSize, w = Vector<double>.Count, t;
        var yg = ygA.AsSpan(0, n);
        var low = lowA.AsSpan(0, n);
        double gMax2 = double.NegativeInfinity;
        if (i < 0)
        {
            for (t = 0; t < n; t++) gMax2 = Math.Max(gMax2, yg[t] + low[t]);
            return (gMax2, -1);
        }
        var ki = ActiveRow(i);
        var ds = diagA.AsSpan(0, n);
        double di = ds[i];
        var (vMax2, vGain, vIdx) = uniformDiagonal
            ? LowPass<UniformDiagonal>(yg, low, ds, ki, gMax, di)
            : LowPass<LoadedDiagonal>(yg, low, ds, ki, gMax, di);
        t = n - n % w;
        for (int lane = 0; lane < w; lane++) gMax2 = Math.Max(gMax2, vMax2[lane]);
        // The objective is −b²/a; its first argmin is the first argmax of the gain b²/a (−b²/a = −(b²/a) exactly:
        // negation is exact and division rounds symmetrically), so no negation is computed; −∞ marks "no candidate".
        var (gainMax, j) = FirstMax(vGain, vIdx);
        for (; t < n; t++)
        {
            double ygt = yg[t] + low[t];
            gMax2 = Math.Max(gMax2, ygt);
            double b = gMax + ygt;
            double quad = di + ds[t] - 2.0 * ki[t];
            double gain = b > 0 ? b * b / (quad > 0 ? quad : Tau) : double.NegativeInfinity;
            if (gain > gainMax) { gainMax = gain; j = t; }
        }
        return (gMax2, gainMax > double.NegativeInfinity ? j : -1);
    }

    /// <summary>
    /// The vector part of <see cref="ScanLow"/> over whole vectors (the caller does the tail): lane maxima of
    /// y_t G_t + penalty, lane maxima of the gain b²/a (−∞ where b ≤ 0) and each lane's first position of its maximum. A static
    /// method with everything in parameters, so that the JIT keeps every value in registers.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static (Vector<double> Max2, Vector<double> Gain, Vector<double> Index) LowPass<TDiagonal>(ReadOnlySpan<double> yg, ReadOnlySpan<double> low,
        ReadOnlySpan<double> ds, ReadOnlySpan<double> ki, double gMax, double di) where TDiagonal : struct, IDiagonal
    {
        int n = yg.Length, w = Vector<double>.Count;
        if (low.Length < n || ds.Length < n || ki.Length < n) throw new ArgumentException("Spans shorter than the active size.");
        var vGMax = new Vector<double>(gMax);
        var vDi = new Vector<double>(di);
        var vTau = new Vector<double>(Tau);
        var vMinusInf = new Vector<double>(double.NegativeInfinity);
        var vTwo = new Vector<double>(2.0);
        var vDs = n > 0 ? new Vector<double>(ds[0]) : Vector<double>.Zero; // used only when every K_tt is this value
        var vMax2 = vMinusInf;
        var vGain = vMinusInf;
        var vIdx = new Vector<double>(-1);
        var idx = Iota;
        var step = new Vector<double>(w);
        ref double rYg = ref MemoryMarshal.GetReference(yg), rLow = ref MemoryMarshal.GetReference(low);
        ref double rDs = ref MemoryMarshal.GetReference(ds), rKi = ref MemoryMarshal.GetReference(ki);
        for (int t = 0; t + w <= n; t += w)
        {
            // Bounds: t + w ≤ n ≤ the length of every span (checked above).
            var ygt = Vector.LoadUnsafe(ref rYg, (nuint)t) + Vector.LoadUnsafe(ref rLow, (nuint)t);
            // A compare-and-select maximum: Vector.Max (IEEE maxNumber: ±0 and NaN rules) costs three
            // instructions here; the two agree on every value this can see except the sign of a zero max.
            vMax2 = Vector.ConditionalSelect(Vector.GreaterThan(ygt, vMax2), ygt, vMax2);
            var b = vGMax + ygt;
            var quad = vDi + TDiagonal.Load(ref rDs, (nuint)t, vDs) - vTwo * Vector.LoadUnsafe(ref rKi, (nuint)t);
            quad = Vector.ConditionalSelect(Vector.GreaterThan(quad, Vector<double>.Zero), quad, vTau);
            var gain = Vector.ConditionalSelect(Vector.GreaterThan(b, Vector<double>.Zero), b * b / quad, vMinusInf);
            var more = Vector.GreaterThan(gain, vGain);
            vGain = Blend(more, gain, vGain);
            vIdx = Blend(more, idx, vIdx);
            idx += step;
        }
        return (vMax2, vGain, vIdx);
    }

    /// <summary>How <see cref="LowPass"/> obtains K_tt: from the active diagonal, or as one value broadcast (same values either way).</summary>
    interface IDiagonal
    {
        static abstract Vector<double> Load(ref double diagonal, nuint t, Vector<double> uniform);
    }

    struct LoadedDiagonal : IDiagonal
    {
        public static Vector<double> Load(ref double diagonal, nuint t, Vector<double> uniform) => Vector.LoadUnsafe(ref diagonal, t);
    }

    struct UniformDiagonal : IDiagonal
    {
        public static Vector<double> Load(ref double diagonal, nuint t, Vector<double> uniform) => uniform;
    }

    /// <summary>Refreshes the I_up / I_low penalties of active position <paramref name="a"/> from its α.</summary>
    void SetMembership(int a)
    {
        int t = active[a];
        bool inUp = y[t] > 0 ? !IsUpper(t) : !IsLower(t);
        bool inLow = y[t] > 0 ? !IsLower(t) : !IsUpper(t);
        upA[a] = inUp ? 0 : double.NegativeInfinity;
        lowA[a] = inLow ? 0 : double.NegativeInfinity;
    }

    /// <summary>
    /// Minimises the objective along d = y_i e_i − y_j e_j (which keeps yᵀα fixed):
    /// f(α + t d) = f(α) + t (y_i G_i − y_j G_j) + ½ t² (K_ii + K_jj − 2K_ij). The unconstrained step
    /// t* = (−y_i G_i + y_j G_j) / a is positive for a violating pair; it is clipped so both α stay in [0, C].
    /// <paramref name="p"/> and <paramref name="q"/> are active positions.
    /// </summary>
    void Update(int p, int q)
    {
        int i = active[p], j = active[q];
        var ki = ActiveRow(p);
        var kj = ActiveRow(q);
        double quad = diag[i] + diag[j] - 2 * ki[q];
        if (!(quad > 0)) quad = Tau;
        double step = (-ygA[p] + ygA[q]) / quad;
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
        SetMembership(p);
        SetMembership(q);
        double dI = alpha[i] - oldI, dJ = alpha[j] - oldJ;
        // G_t += Q_ti Δα_i + Q_tj Δα_j = y_t (y_i Δα_i K_it + y_j Δα_j K_jt)
        double wi = y[i] * dI, wj = y[j] * dJ;
        bool changeI = shrinking && wasUpperI != IsUpper(i), changeJ = shrinking && wasUpperJ != IsUpper(j);
        if ((changeI || changeJ) && activeSize == l)
        {
            // Every variable active, in order (positions = variables, rows = full rows): the Ḡ updates of
            // UpdateGBar read the same two rows, so they are done in this pass, with the same arithmetic.
            UpdateWithGBar(ki, kj, wi, wj, changeI ? (IsUpper(i) ? c : -c) * y[i] : 0, changeI, changeJ ? (IsUpper(j) ? c : -c) * y[j] : 0, changeJ);
            return;
        }
        // Fused with the next selection's first scan: −y_t G_t + penalty, its maximum and first position.
        int n = activeSize, w = Vector<double>.Count, t = 0;
        var vi = new Vector<double>(wi);
        var vj = new Vector<double>(wj);
        var yg = ygA.AsSpan(0, n);
        var up = upA.AsSpan(0, n);
        var vMax = new Vector<double>(double.NegativeInfinity);
        var vIdx = new Vector<double>(-1);
        var idx = Iota;
        var stride = new Vector<double>(w);
        ref double rYg = ref MemoryMarshal.GetReference(yg), rUp = ref MemoryMarshal.GetReference(up);
        ref double rKi = ref MemoryMarshal.GetReference(ki), rKj = ref MemoryMarshal.GetReference(kj);
        for (; t + w <= n; t += w)
        {
            // Bounds: t + w ≤ n ≤ the length of every span here.
            var upd = Vector.LoadUnsafe(ref rYg, (nuint)t) + (vi * Vector.LoadUnsafe(ref rKi, (nuint)t) + vj * Vector.LoadUnsafe(ref rKj, (nuint)t));
            upd.StoreUnsafe(ref rYg, (nuint)t);
            var v = -upd + Vector.LoadUnsafe(ref rUp, (nuint)t);
            var more = Vector.GreaterThan(v, vMax);
            vMax = Blend(more, v, vMax);
            vIdx = Blend(more, idx, vIdx);
            idx += stride;
        }
        var (gMax, iNext) = FirstMax(vMax, vIdx);
        for (; t < n; t++)
        {
            yg[t] += wi * ki[t] + wj * kj[t];
            double v = -yg[t] + up[t];
            if (v > gMax) { gMax = v; iNext = t; }
        }
        upMax = gMax;
        upIndex = gMax > double.NegativeInfinity ? iNext : -1;
        upValid = true;
        if (!shrinking) return;
        // Ḡ_t = C Σ_{s at upper bound} Q_ts over every variable, needed to rebuild gradients of shrunk ones.
        UpdateGBar(i, wasUpperI);
        UpdateGBar(j, wasUpperJ);
    }

    /// <summary>
    /// <see cref="Update"/>'s gradient pass and next i-scan when every variable is active (positions = variables),
    /// together with the Ḡ updates of <see cref="UpdateGBar"/> for i (weight <paramref name="gi"/>, when
    /// <paramref name="changeI"/>) and then j: per element the same operations in the same order as the separate
    /// passes, so the values are the same; two fewer passes over full kernel rows, Ḡ and y.
    /// </summary>
    void UpdateWithGBar(ReadOnlySpan<double> ki, ReadOnlySpan<double> kj, double wi, double wj, double gi, bool changeI, double gj, bool changeJ)
    {
        int n = l, w = Vector<double>.Count, t = 0;
        if (ki.Length < n || kj.Length < n) throw new ArgumentException("Rows shorter than the problem.");
        var vi = new Vector<double>(wi);
        var vj = new Vector<double>(wj);
        var vGi = new Vector<double>(gi);
        var vGj = new Vector<double>(gj);
        var vMax = new Vector<double>(double.NegativeInfinity);
        var vIdx = new Vector<double>(-1);
        var idx = Iota;
        var stride = new Vector<double>(w);
        ref double rYg = ref MemoryMarshal.GetArrayDataReference(ygA), rUp = ref MemoryMarshal.GetArrayDataReference(upA);
        ref double rKi = ref MemoryMarshal.GetReference(ki), rKj = ref MemoryMarshal.GetReference(kj);
        ref double rGb = ref MemoryMarshal.GetArrayDataReference(gBar), rY = ref MemoryMarshal.GetArrayDataReference(yd);
        for (; t + w <= n; t += w)
        {
            // Bounds: t + w ≤ n = l = the length of ygA, upA, gBar, yd, and ≤ that of both rows (checked above).
            nuint u = (nuint)t;
            var kit = Vector.LoadUnsafe(ref rKi, u);
            var kjt = Vector.LoadUnsafe(ref rKj, u);
            var upd = Vector.LoadUnsafe(ref rYg, u) + (vi * kit + vj * kjt);
            upd.StoreUnsafe(ref rYg, u);
            var v = -upd + Vector.LoadUnsafe(ref rUp, u);
            var more = Vector.GreaterThan(v, vMax);
            vMax = Blend(more, v, vMax);
            vIdx = Blend(more, idx, vIdx);
            idx += stride;
            var gb = Vector.LoadUnsafe(ref rGb, u);
            var yt = Vector.LoadUnsafe(ref rY, u);
            if (changeI) gb += vGi * yt * kit;
            if (changeJ) gb += vGj * yt * kjt;
            gb.StoreUnsafe(ref rGb, u);
        }
        var (gMax, iNext) = FirstMax(vMax, vIdx);
        for (; t < n; t++)
        {
            ygA[t] += wi * ki[t] + wj * kj[t];
            double v = -ygA[t] + upA[t];
            if (v > gMax) { gMax = v; iNext = t; }
            if (changeI) gBar[t] += gi * yd[t] * ki[t];
            if (changeJ) gBar[t] += gj * yd[t] * kj[t];
        }
        upMax = gMax;
        upIndex = gMax > double.NegativeInfinity ? iNext : -1;
        upValid = true;
    }

    void UpdateGBar(int s, bool wasUpper)
    {
        bool isUpper = IsUpper(s);
        if (wasUpper == isUpper) return;
        var ks = k.Row(s);
        double w = (isUpper ? c : -c) * y[s];
        int vw = Vector<double>.Count, t = 0;
        var vW = new Vector<double>(w);
        var gb = gBar.AsSpan();
        var ys = yd.AsSpan();
        for (; t + vw <= l; t += vw)
            (new Vector<double>(gb.Slice(t, vw)) + vW * new Vector<double>(ys.Slice(t, vw)) * new Vector<double>(ks.Slice(t, vw))).CopyTo(gb.Slice(t, vw));
        for (; t < l; t++) gBar[t] += w * yd[t] * ks[t];
    }

    /// <summary>
    /// Removes bound variables that cannot take part in a violating pair (LIBSVM's rule). A removed variable
    /// first stays in place as a dead position (both penalties −∞, so no scan can pick it and it adds nothing
    /// to the gap); the layout is compacted, and the compact row cache started or compacted, only once a
    /// quarter of the positions are dead, so that small shrinks do not rewrite every cached row.
    /// </summary>
    void Shrink()
    {
        double gMax1 = double.NegativeInfinity, gMax2 = double.NegativeInfinity; // m and −M
        for (int a = 0; a < activeSize; a++)
        {
            if (!alive[a]) continue;
            int t = active[a];
            if (y[t] > 0)
            {
                if (!IsUpper(t)) gMax1 = Math.Max(gMax1, -ygA[a]);
                if (!IsLower(t)) gMax2 = Math.Max(gMax2, ygA[a]);
            }
            else
            {
                if (!IsUpper(t)) gMax2 = Math.Max(gMax2, ygA[a]);
                if (!IsLower(t)) gMax1 = Math.Max(gMax1, -ygA[a]);
            }
        }
        if (!unshrunk && gMax1 + gMax2 <= eps * 10)
        {
            unshrunk = true;
            Unshrink();
        }
        for (int a = 0; a < activeSize; a++)
        {
            if (!alive[a]) continue;
            int t = active[a];
            double gt = y[t] * ygA[a];
            if (!CanShrink(t, gt, gMax1, gMax2)) continue;
            g[t] = gt; // frozen until Unshrink rebuilds it
            alive[a] = false;
            upA[a] = lowA[a] = double.NegativeInfinity;
            liveSize--;
            upValid = false;
        }
        if (4 * (activeSize - liveSize) <= activeSize) return;
        // Compact in place, in order: position `kept` takes what was at position a ≥ kept.
        int kept = 0;
        for (int a = 0; a < activeSize; a++)
        {
            if (!alive[a]) continue;
            keep[kept] = a;
            active[kept] = active[a];
            ygA[kept] = ygA[a];
            diagA[kept] = diagA[a];
            upA[kept] = upA[a];
            lowA[kept] = lowA[a];
            alive[kept] = true;
            kept++;
        }
        bool wasFull = activeSize == l;
        activeSize = kept;
        upValid = false;
        if (wasFull) rows.Start(active, kept);
        else rows.Compact(keep, active, kept);
    }

    bool CanShrink(int t, double gt, double gMax1, double gMax2)
    {
        if (IsUpper(t)) return y[t] > 0 ? -gt > gMax1 : -gt > gMax2;
        if (IsLower(t)) return y[t] > 0 ? gt > gMax2 : gt > gMax1;
        return false;
    }

    /// <summary>Recomputes the gradient of shrunk variables and makes every variable active again.</summary>
    void Unshrink()
    {
        if (liveSize == l) return;
        upValid = false;
        var isActive = new bool[l];
        for (int a = 0; a < activeSize; a++)
        {
            if (!alive[a]) continue;
            isActive[active[a]] = true;
            g[active[a]] = y[active[a]] * ygA[a];
        }
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
        for (int t = 0; t < l; t++) active[t] = t;
        activeSize = liveSize = l;
        Array.Fill(alive, true);
        for (int t = 0; t < l; t++) ygA[t] = y[t] * g[t];
        Array.Copy(diag, diagA, l);
        for (int a = 0; a < l; a++) SetMembership(a);
        rows.Clear();
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

    /// <summary>
    /// Rows of the shrunk problem: for a variable s, <c>K(s, active[a])</c> for every active position a,
    /// gathered from the full rows on first use and compacted in place when the active set shrinks.
    /// Slots are reused round-robin when the budget is full; the two rows of one update never evict each
    /// other (the slot just returned is skipped). Values are copies, so results do not depend on the budget.
    /// </summary>
    sealed class CompactRows(KernelRows k, long budgetBytes, GramBuffers? buffers)
    {
        double[] pool = [];
        bool rented;
        int stride;
        int capacity;
        int[] owner = [];          // variable held by each slot, −1 if none
        int[] slotOf = [];         // slot of each variable, −1 if none
        int used;
        int clock;
        int lastSlot = -1;
        int[] activeIdx = [];
        int size;

        /// <summary>Begins a shrunk phase with the active variables <paramref name="active"/>[0..n).</summary>
        public void Start(int[] active, int n)
        {
            if (slotOf.Length != k.Count)
            {
                slotOf = new int[k.Count];
                Array.Fill(slotOf, -1);
            }
            stride = n;
            capacity = (int)Math.Clamp(budgetBytes / (8L * Math.Max(1, n)), 2, Math.Max(2, n));
            if (buffers is not null)
            {
                // Borrowed at full size (contents arbitrary: a slot is written before it is read), kept across restarts.
                long needed = (long)capacity * stride;
                if (pool.Length < needed)
                {
                    Release();
                    pool = buffers.Rent(needed);
                    rented = true;
                }
            }
            // Otherwise the pool grows by doubling as rows are gathered: most solves touch far fewer rows than fit.
            else if (pool.Length < (long)Math.Min(capacity, 64) * stride) pool = new double[(long)Math.Min(capacity, 64) * stride];
            owner = new int[capacity];
            Array.Fill(owner, -1);
            used = 0;
            clock = 0;
            lastSlot = -1;
            activeIdx = active;
            size = n;
        }

        /// <summary>Gives a borrowed pool back (end of the solve).</summary>
        public void Release()
        {
            if (rented) buffers!.Return(pool);
            rented = false;
            pool = [];
        }

        /// <summary>Empties the cache (every variable active again: full rows are used directly).</summary>
        public void Clear()
        {
            for (int s = 0; s < used; s++) if (owner[s] >= 0) slotOf[owner[s]] = -1;
            used = 0;
            size = 0;
        }

        /// <summary>The active set shrank: position p now holds what was at old position <paramref name="keep"/>[p].</summary>
        public void Compact(int[] keep, int[] active, int n)
        {
            if (n * 2 < stride)
            {
                // Much smaller now: restart with a tighter layout (more rows fit the budget).
                Clear();
                Start(active, n);
                return;
            }
            for (int s = 0; s < used; s++)
            {
                int v = owner[s];
                if (v < 0) continue;
                var row = pool.AsSpan(s * stride, stride);
                for (int p = 0; p < n; p++) row[p] = row[keep[p]];
            }
            size = n;
            activeIdx = active;
        }

        /// <summary>Row of variable <paramref name="v"/> (active position <paramref name="a"/>) over the active positions.</summary>
        public ReadOnlySpan<double> Row(int v, int a)
        {
            int slot = slotOf[v];
            if (slot < 0)
            {
                if (used < capacity)
                {
                    slot = used++;
                    if ((long)used * stride > pool.Length) Array.Resize(ref pool, (int)Math.Min((long)capacity * stride, 2L * pool.Length));
                }
                else
                {
                    if (clock == lastSlot) clock = (clock + 1) % capacity;
                    slot = clock;
                    clock = (clock + 1) % capacity;
                    slotOf[owner[slot]] = -1;
                }
                owner[slot] = v;
                slotOf[v] = slot;
                var full = k.Row(v);
                var row = pool.AsSpan(slot * stride, size);
                for (int p = 0; p < size; p++) row[p] = full[activeIdx[p]];
            }
            lastSlot = slot;
            return pool.AsSpan(slot * stride, size);
        }
    }
}
