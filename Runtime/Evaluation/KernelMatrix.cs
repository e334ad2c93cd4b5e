using System.Numerics;

namespace GraphSSL;

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

    KernelData Subset(int[] subset) => new(subset.Select(Sample).ToArray(), Kernel, Gamma) { FullGramLimit = FullGramLimit, CacheBudgetBytes = CacheBudgetBytes };

    /// <summary>
    /// The full Gram matrix, computed once in parallel over 64-row blocks, each block pair in cache-sized
    /// tiles; only the upper triangle is computed and mirrored. Deterministic: every entry is one
    /// <see cref="Dot"/>-equivalent product, whatever the thread schedule.
    /// </summary>
    public double[] FullGram()
    {
        if (gram is not null) return gram;
        int n = Count;
        var k = new double[(long)n * n];
        const int block = 64;
        int blocks = (n + block - 1) / block;
        Parallel.For(0, blocks, bi =>
        {
            int i0 = bi * block, i1 = Math.Min(n, i0 + block);
            for (int t0 = i0; t0 < n; t0 += block)
            {
                int t1 = Math.Min(n, t0 + block);
                for (int i = i0; i < i1; i++)
                {
                    var a = RowOf(i);
                    int t = Math.Max(t0, i);
                    for (; t + 4 <= t1; t += 4)
                    {
                        Dot4(a, RowOf(t), RowOf(t + 1), RowOf(t + 2), RowOf(t + 3), out var d0, out var d1, out var d2, out var d3);
                        Store(k, n, i, t, d0);
                        Store(k, n, i, t + 1, d1);
                        Store(k, n, i, t + 2, d2);
                        Store(k, n, i, t + 3, d3);
                    }
                    for (; t < t1; t++) Store(k, n, i, t, Dot(a, RowOf(t)));
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
    /// </summary>
    public double[] Cross(double[][] other, int[]? columns = null)
    {
        var cols = columns ?? Enumerable.Range(0, Count).ToArray();
        int m = other.Length, c = cols.Length;
        var result = new double[(long)m * c];
        foreach (var row in other)
            if (row.Length != Features) throw new ArgumentException($"A sample has {row.Length} features, expected {Features}.");
        const int rowBlock = 32, colBlock = 64;
        Parallel.For(0, (m + rowBlock - 1) / rowBlock, bi =>
        {
            int r0 = bi * rowBlock, r1 = Math.Min(m, r0 + rowBlock);
            Span<double> norms = stackalloc double[rowBlock];
            for (int r = r0; r < r1; r++) norms[r - r0] = Dot(other[r], other[r]);
            for (int c0 = 0; c0 < c; c0 += colBlock)
            {
                int c1 = Math.Min(c, c0 + colBlock);
                for (int r = r0; r < r1; r++)
                {
                    var row = other[r];
                    double nr = norms[r - r0];
                    long o = (long)r * c;
                    int t = c0;
                    for (; t + 4 <= c1; t += 4)
                    {
                        Dot4(row, RowOf(cols[t]), RowOf(cols[t + 1]), RowOf(cols[t + 2]), RowOf(cols[t + 3]), out var d0, out var d1, out var d2, out var d3);
                        result[o + t] = Combine(d0, nr, sqNorm[cols[t]], false);
                        result[o + t + 1] = Combine(d1, nr, sqNorm[cols[t + 1]], false);
                        result[o + t + 2] = Combine(d2, nr, sqNorm[cols[t + 2]], false);
                        result[o + t + 3] = Combine(d3, nr, sqNorm[cols[t + 3]], false);
                    }
                    for (; t < c1; t++) result[o + t] = Combine(Dot(row, RowOf(cols[t])), nr, sqNorm[cols[t]], false);
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

    /// <summary>Four dot products of <paramref name="a"/> at once; each is bit-identical to <see cref="Dot"/>.</summary>
    static void Dot4(ReadOnlySpan<double> a, ReadOnlySpan<double> b0, ReadOnlySpan<double> b1, ReadOnlySpan<double> b2, ReadOnlySpan<double> b3,
        out double d0, out double d1, out double d2, out double d3)
    {
        int w = Vector<double>.Count, n = a.Length, i = 0;
        Vector<double> c0 = Vector<double>.Zero, c1 = c0, c2 = c0, c3 = c0;
        for (; i + w <= n; i += w)
        {
            var va = new Vector<double>(a.Slice(i, w));
            c0 += va * new Vector<double>(b0.Slice(i, w));
            c1 += va * new Vector<double>(b1.Slice(i, w));
            c2 += va * new Vector<double>(b2.Slice(i, w));
            c3 += va * new Vector<double>(b3.Slice(i, w));
        }
        d0 = Vector.Sum(c0); d1 = Vector.Sum(c1); d2 = Vector.Sum(c2); d3 = Vector.Sum(c3);
        for (; i < n; i++)
        {
            d0 += a[i] * b0[i]; d1 += a[i] * b1[i]; d2 += a[i] * b2[i]; d3 += a[i] * b3[i];
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
