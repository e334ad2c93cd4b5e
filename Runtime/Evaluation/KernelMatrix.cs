using System.Numerics;
using System.Runtime.InteropServices;

namespace GraphSSL.Evaluation;

/// <summary>Kernel of a support vector classifier.</summary>
public enum SvcKernel
{
    /// <summary>Gaussian RBF, <c>K(a, b) = exp(−γ ‖a − b‖²)</c>.</summary>
    Rbf,
    /// <summary>Linear, <c>K(a, b) = a · b</c>.</summary>
    Linear,
}

/// <summary>Rows of a square kernel matrix over the samples of one (sub)problem.</summary>
internal abstract class KernelRows
{
    /// <summary>Samples in the problem.</summary>
    public abstract int Count { get; }
    /// <summary>Row <paramref name="i"/> of the kernel matrix: <c>K(x_i, x_t)</c> for every t. Stays valid after later calls.</summary>
    public abstract ReadOnlySpan<double> Row(int i);
    /// <summary><c>K(x_i, x_i)</c>.</summary>
    public abstract double Diagonal(int i);
}

/// <summary>A kernel matrix held in full, row-major.</summary>
internal sealed class DenseKernelRows(double[] matrix, int count) : KernelRows
{
    public override int Count => count;
    public override ReadOnlySpan<double> Row(int i) => matrix.AsSpan(i * count, count);
    public override double Diagonal(int i) => matrix[(long)i * count + i];
}

/// <summary>Kernel rows computed on demand and kept in a least-recently-used cache.</summary>
internal sealed class CachedKernelRows : KernelRows
{
    readonly KernelData data;
    readonly int capacity;
    readonly Dictionary<int, LinkedListNode<(int Index, double[] Row)>> map = new();
    readonly LinkedList<(int Index, double[] Row)> lru = new();
    readonly double[] diagonal;

    public CachedKernelRows(KernelData data, long budgetBytes)
    {
        this.data = data;
        capacity = (int)Math.Clamp(budgetBytes / (8L * Math.Max(1, data.Count)), 2, Math.Max(2, data.Count));
        diagonal = new double[data.Count];
        for (int i = 0; i < diagonal.Length; i++) diagonal[i] = data.Value(i, i);
    }

    public override int Count => data.Count;
    public override double Diagonal(int i) => diagonal[i];

    public override ReadOnlySpan<double> Row(int i)
    {
        if (map.TryGetValue(i, out var node))
        {
            lru.Remove(node);
            lru.AddFirst(node);
            return node.Value.Row;
        }
        var row = new double[data.Count];
        data.RowInto(i, row);
        if (map.Count >= capacity)
        {
            var last = lru.Last!;
            lru.RemoveLast();
            map.Remove(last.Value.Index);
        }
        map[i] = lru.AddFirst((i, row));
        return row;
    }
}

/// <summary>
/// Gram-matrix buffers reused by the folds of one cross-validation: a fresh 70–110 MB array per fold costs
/// page faults and zeroing by the OS that were a sixth of the kernel time. Thread-safe; holds at most a few
/// arrays (one per fold running at once) and is dropped with the cross-validation.
/// </summary>
internal sealed class GramBuffers
{
    readonly List<double[]> free = [];

    /// <summary>A buffer of at least <paramref name="length"/> doubles, contents arbitrary.</summary>
    public double[] Rent(long length)
    {
        lock (free)
        {
            int best = -1;
            for (int i = 0; i < free.Count; i++)
                if (free[i].LongLength >= length && (best < 0 || free[i].LongLength < free[best].LongLength)) best = i;
            if (best >= 0)
            {
                var b = free[best];
                free.RemoveAt(best);
                return b;
            }
        }
        return GC.AllocateUninitializedArray<double>(checked((int)length));
    }

    /// <summary>Gives a buffer back; the smallest are dropped beyond 4 kept.</summary>
    public void Return(double[] buffer)
    {
        lock (free)
        {
            free.Add(buffer);
            if (free.Count > 4) free.Remove(free.MinBy(b => b.LongLength)!);
        }
    }
}

/// <summary>
/// Samples (flattened row-major) together with a kernel: computes single values, rows, the full Gram
/// matrix and cross-kernel blocks. Every value goes through the same dot-product routine, so a value is
/// bit-identical whichever way it is computed.
/// </summary>
internal sealed class KernelData
{
    /// <summary>Largest sample count for which the full Gram matrix is materialised (8,000² doubles = 512 MB).</summary>
    internal int FullGramLimit { get; init; } = 8000;
    /// <summary>Memory budget of the row cache used above <see cref="FullGramLimit"/>.</summary>
    internal long CacheBudgetBytes { get; init; } = 512L << 20;
    /// <summary>Threads that compute the Gram matrix and cross blocks (−1: no limit). The values never depend on it.</summary>
    internal int MaxDegreeOfParallelism { get; init; } = -1;

    ParallelOptions Parallelism => new() { MaxDegreeOfParallelism = MaxDegreeOfParallelism };

    /// <summary>Where <see cref="FullGram"/> takes its matrix from and <see cref="ReleaseGram"/> gives it back (null: plain allocation).</summary>
    internal GramBuffers? Buffers { get; init; }

    /// <summary>Where the SMO solves on this kernel borrow their compact row caches (null: each allocates its own).</summary>
    internal GramBuffers? SolverBuffers { get; init; }

    /// <summary>Hands the Gram matrix back to <see cref="Buffers"/>; the caller promises nothing reads it (or its rows) any more.</summary>
    internal void ReleaseGram()
    {
        if (gram is not null) Buffers?.Return(gram);
        gram = null;
    }

    readonly double[] x;
    readonly double[] sqNorm;
    double[]? gram;

    public KernelData(double[][] rows, SvcKernel kernel, double gamma)
    {
        Count = rows.Length;
        Features = Count == 0 ? 0 : rows[0].Length;
        x = new double[(long)Count * Features];
        for (int i = 0; i < Count; i++)
        {
            if (rows[i].Length != Features) throw new ArgumentException($"Row {i} has {rows[i].Length} features, expected {Features}.");
            rows[i].CopyTo(x, (long)i * Features);
        }
        Kernel = kernel;
        Gamma = gamma;
        sqNorm = new double[Count];
        for (int i = 0; i < Count; i++) sqNorm[i] = Dot(RowOf(i), RowOf(i));
    }

    public int Count { get; }
    public int Features { get; }
    public SvcKernel Kernel { get; }
    public double Gamma { get; }

    ReadOnlySpan<double> RowOf(int i) => x.AsSpan(i * Features, Features);

    /// <summary>The sample rows back as arrays (copies).</summary>
    public double[] Sample(int i) => RowOf(i).ToArray();

    /// <summary>K(x_i, x_j).</summary>
    public double Value(int i, int j) => Combine(Dot(RowOf(i), RowOf(j)), sqNorm[i], sqNorm[j], i == j);

    double Combine(double dot, double ni, double nj, bool same)
    {
        if (Kernel == SvcKernel.Linear) return dot;
        if (same) return 1.0;
        double d2 = ni + nj - 2 * dot;
        return Math.Exp(-Gamma * Math.Max(0.0, d2));
    }

    /// <summary>Writes row i of the kernel matrix into <paramref name="row"/>.</summary>
    public void RowInto(int i, Span<double> row)
    {
        var a = RowOf(i);
        for (int t = 0; t < Count; t++) row[t] = Combine(Dot(a, RowOf(t)), sqNorm[i], sqNorm[t], i == t);
    }

    /// <summary>The kernel rows of the problem restricted to <paramref name="subset"/> (null: all samples).</summary>
    public KernelRows RowsFor(int[]? subset)
    {
        if (Count <= FullGramLimit)
        {
            var full = FullGram();
            if (subset is null || subset.Length == Count && IsIdentity(subset)) return new DenseKernelRows(full, Count);
            int m = subset.Length;
            var sub = new double[(long)m * m];
            for (int a = 0; a < m; a++)
            {
                long src = (long)subset[a] * Count;
                long dst = (long)a * m;
                for (int b = 0; b < m; b++) sub[dst + b] = full[src + subset[b]];
            }
            return new DenseKernelRows(sub, m);
        }
        var data = subset is null ? this : Subset(subset);
        return new CachedKernelRows(data, CacheBudgetBytes);
    }

    static bool IsIdentity(int[] s)
    {
        for (int i = 0; i < s.Length; i++) if (s[i] != i) return false;
        return true;
    }

    KernelData Subset(int[] subset) => new(subset.Select(Sample).ToArray(), Kernel, Gamma)
    {
        FullGramLimit = FullGramLimit, CacheBudgetBytes = CacheBudgetBytes, MaxDegreeOfParallelism = MaxDegreeOfParallelism,
    };

    /// <summary>
    /// The full Gram matrix, computed once in parallel over 64-row blocks, each block pair in cache-sized
    /// tiles, 4 × 4 entries at a time; only the upper triangle is computed and mirrored. Deterministic and
    /// bit-identical to <see cref="Value"/>: every entry is one <see cref="Dot"/>-equivalent product
    /// (<see cref="Dot4x4"/> keeps each entry's own summation order), whatever the thread schedule.
    /// </summary>
    public double[] FullGram()
    {
        if (gram is not null) return gram;
        int n = Count, f = Features;
        // A reused buffer may be longer than n² and is not cleared: every entry of the n × n prefix is written below.
        var k = Buffers?.Rent((long)n * n) ?? new double[(long)n * n];
        const int block = 64;
        int blocks = (n + block - 1) / block;
        Parallel.For(0, blocks, Parallelism, bi =>
        {
            Span<double> d = stackalloc double[16];
            int i0 = bi * block, i1 = Math.Min(n, i0 + block);
            for (int t0 = i0; t0 < n; t0 += block)
            {
                int t1 = Math.Min(n, t0 + block);
                for (int i = i0; i < i1; i += 4)
                {
                    int rowsHere = Math.Min(4, i1 - i);
                    int t = Math.Max(t0, i);
                    if (rowsHere == 4)
                    {
                        for (; t + 4 <= t1; t += 4)
                        {
                            Dot4x4(x, (long)i * f, (long)(i + 1) * f, (long)(i + 2) * f, (long)(i + 3) * f,
                                x, (long)t * f, (long)(t + 1) * f, (long)(t + 2) * f, (long)(t + 3) * f, f, d);
                            for (int r = 0; r < 4; r++)
                                for (int c = 0; c < 4; c++)
                                    if (t + c >= i + r) Store(k, n, i + r, t + c, d[r * 4 + c]);
                        }
                    }
                    for (int r = 0; r < rowsHere; r++)
                        for (int u = Math.Max(t, i + r); u < t1; u++) Store(k, n, i + r, u, Dot(RowOf(i + r), RowOf(u)));
                }
            }
        });
        gram = k;
        return k;
    }

    void Store(double[] k, int n, int i, int t, double dot)
    {
        double v = Combine(dot, sqNorm[i], sqNorm[t], i == t);
        k[(long)i * n + t] = v;
        k[(long)t * n + i] = v;
    }

    /// <summary>
    /// Kernel values between new samples <paramref name="other"/> (rows) and the samples
    /// <paramref name="columns"/> of this set (null: all): a row-major <c>other.Length × columns</c> block.
    /// Computed like <see cref="FullGram"/> (4 × 4 entries at a time, bit-identical to <see cref="Dot"/>).
    /// </summary>
    public double[] Cross(double[][] other, int[]? columns = null) => Cross(other, columns, null);

    /// <summary>
    /// <see cref="Cross(double[][], int[])"/> into a buffer rented from <paramref name="buffers"/> (null: a new array); a
    /// rented buffer may be longer than the block and goes back with <see cref="GramBuffers.Return"/>.
    /// </summary>
    internal double[] Cross(double[][] other, int[]? columns, GramBuffers? buffers)
    {
        var cols = columns ?? Enumerable.Range(0, Count).ToArray();
        int m = other.Length, c = cols.Length, f = Features;
        // Every entry of the m × c prefix is written below, so a reused buffer need not be cleared.
        var result = buffers?.Rent((long)m * c) ?? new double[(long)m * c];
        foreach (var row in other)
            if (row.Length != Features) throw new ArgumentException($"A sample has {row.Length} features, expected {Features}.");
        var o = new double[(long)m * f];
        var norms = new double[m];
        for (int r = 0; r < m; r++)
        {
            other[r].CopyTo(o, (long)r * f);
            norms[r] = Dot(other[r], other[r]);
        }
        const int rowBlock = 32, colBlock = 64;
        Parallel.For(0, (m + rowBlock - 1) / rowBlock, Parallelism, bi =>
        {
            Span<double> d = stackalloc double[16];
            int r0 = bi * rowBlock, r1 = Math.Min(m, r0 + rowBlock);
            for (int c0 = 0; c0 < c; c0 += colBlock)
            {
                int c1 = Math.Min(c, c0 + colBlock);
                for (int r = r0; r < r1; r += 4)
                {
                    int rowsHere = Math.Min(4, r1 - r);
                    int t = c0;
                    if (rowsHere == 4)
                    {
                        for (; t + 4 <= c1; t += 4)
                        {
                            Dot4x4(o, (long)r * f, (long)(r + 1) * f, (long)(r + 2) * f, (long)(r + 3) * f,
                                x, (long)cols[t] * f, (long)cols[t + 1] * f, (long)cols[t + 2] * f, (long)cols[t + 3] * f, f, d);
                            for (int a = 0; a < 4; a++)
                                for (int b = 0; b < 4; b++)
                                    result[(long)(r + a) * c + t + b] = Combine(d[a * 4 + b], norms[r + a], sqNorm[cols[t + b]], false);
                        }
                    }
                    for (int a = 0; a < rowsHere; a++)
                    {
                        var row = o.AsSpan((int)((long)(r + a) * f), f);
                        for (int u = t; u < c1; u++)
                            result[(long)(r + a) * c + u] = Combine(Dot(row, RowOf(cols[u])), norms[r + a], sqNorm[cols[u]], false);
                    }
                }
            }
        });
        return result;
    }

    /// <summary>Dot product with a fixed summation order (SIMD lanes, then lanes summed, then the tail).</summary>
    internal static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int w = Vector<double>.Count, n = a.Length, i = 0;
        var acc = Vector<double>.Zero;
        for (; i + w <= n; i += w) acc += new Vector<double>(a.Slice(i, w)) * new Vector<double>(b.Slice(i, w));
        double s = Vector.Sum(acc);
        for (; i < n; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>
    /// The 16 dot products of rows a0…a3 of <paramref name="a"/> (offsets) with rows b0…b3 of
    /// <paramref name="b"/>, each of length <paramref name="f"/>, into <paramref name="d"/>[4·r + c]. Register
    /// blocked (16 accumulators, 8 loads per 16 products), and each entry is bit-identical to <see cref="Dot"/>:
    /// its own lane accumulator over the same chunks in the same order, the same lane sum, then the tail.
    /// </summary>
    // Hot from the first call (one Gram matrix is millions of calls): compile optimised at once, skipping tier 0.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static void Dot4x4(double[] a, long a0, long a1, long a2, long a3, double[] b, long b0, long b1, long b2, long b3, int f, Span<double> d)
    {
        // Bounds: every offset + f ≤ the array length (row offsets of valid rows), checked once here.
        if (a3 + f > a.Length || a2 + f > a.Length || a1 + f > a.Length || a0 + f > a.Length
            || b3 + f > b.Length || b2 + f > b.Length || b1 + f > b.Length || b0 + f > b.Length || d.Length < 16)
            throw new ArgumentOutOfRangeException(nameof(f));
        int w = Vector<double>.Count, i = 0;
        ref double ra = ref MemoryMarshal.GetArrayDataReference(a);
        ref double rb = ref MemoryMarshal.GetArrayDataReference(b);
        Vector<double> c00 = Vector<double>.Zero, c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00,
            c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (; i + w <= f; i += w)
        {
            nuint u = (nuint)i;
            var va0 = Vector.LoadUnsafe(ref ra, (nuint)a0 + u);
            var va1 = Vector.LoadUnsafe(ref ra, (nuint)a1 + u);
            var va2 = Vector.LoadUnsafe(ref ra, (nuint)a2 + u);
            var va3 = Vector.LoadUnsafe(ref ra, (nuint)a3 + u);
            var vb = Vector.LoadUnsafe(ref rb, (nuint)b0 + u);
            c00 += va0 * vb; c10 += va1 * vb; c20 += va2 * vb; c30 += va3 * vb;
            vb = Vector.LoadUnsafe(ref rb, (nuint)b1 + u);
            c01 += va0 * vb; c11 += va1 * vb; c21 += va2 * vb; c31 += va3 * vb;
            vb = Vector.LoadUnsafe(ref rb, (nuint)b2 + u);
            c02 += va0 * vb; c12 += va1 * vb; c22 += va2 * vb; c32 += va3 * vb;
            vb = Vector.LoadUnsafe(ref rb, (nuint)b3 + u);
            c03 += va0 * vb; c13 += va1 * vb; c23 += va2 * vb; c33 += va3 * vb;
        }
        d[0] = Vector.Sum(c00); d[1] = Vector.Sum(c01); d[2] = Vector.Sum(c02); d[3] = Vector.Sum(c03);
        d[4] = Vector.Sum(c10); d[5] = Vector.Sum(c11); d[6] = Vector.Sum(c12); d[7] = Vector.Sum(c13);
        d[8] = Vector.Sum(c20); d[9] = Vector.Sum(c21); d[10] = Vector.Sum(c22); d[11] = Vector.Sum(c23);
        d[12] = Vector.Sum(c30); d[13] = Vector.Sum(c31); d[14] = Vector.Sum(c32); d[15] = Vector.Sum(c33);
        for (; i < f; i++)
        {
            double x0 = a[a0 + i], x1 = a[a1 + i], x2 = a[a2 + i], x3 = a[a3 + i];
            double y0 = b[b0 + i], y1 = b[b1 + i], y2 = b[b2 + i], y3 = b[b3 + i];
            d[0] += x0 * y0; d[1] += x0 * y1; d[2] += x0 * y2; d[3] += x0 * y3;
            d[4] += x1 * y0; d[5] += x1 * y1; d[6] += x1 * y2; d[7] += x1 * y3;
            d[8] += x2 * y0; d[9] += x2 * y1; d[10] += x2 * y2; d[11] += x2 * y3;
            d[12] += x3 * y0; d[13] += x3 * y1; d[14] += x3 * y2; d[15] += x3 * y3;
        }
    }

    /// <summary>scikit-learn's <c>gamma="scale"</c>: <c>1 / (features · Var(X))</c> over all entries, or 1 when the variance is 0.</summary>
    internal static double ScaleGamma(double[][] x)
    {
        if (x.Length == 0) return 1;
        int f = x[0].Length;
        double sum = 0;
        long count = (long)x.Length * f;
        foreach (var r in x) foreach (var v in r) sum += v;
        double mean = sum / count, ss = 0;
        foreach (var r in x) foreach (var v in r) ss += (v - mean) * (v - mean);
        double variance = ss / count;
        return variance > 0 && f > 0 ? 1.0 / (f * variance) : 1.0;
    }
}
