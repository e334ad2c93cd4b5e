using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL.Layers;

/// <summary>
/// A first layer's product <c>x·Wᵀ</c> when most of <c>x</c> is zero. Planetoid's bag-of-words features are about 1 %
/// non-zero (Cora: 49 k of 3.9 M entries; CiteSeer: 105 k of 12.3 M), and feature-masking views only add zeros, so the
/// dense product spends almost all its time multiplying zeros: at Cora's widths (1,433 → 512) it is most of a GCN
/// epoch. On the CPU with float32 this reads the non-zeros of <c>x</c> on the host (a vectorised scan that skips
/// blocks of zeros), multiplies only those, and computes the weight's gradient from the same entries grouped by
/// column, as a custom autograd function. It falls back to the dense <c>linear</c> when <c>x</c> is not sparse
/// enough (more than <see cref="MaxDensity"/> non-zero), too narrow (fewer than <see cref="MinColumns"/> columns),
/// needs its own gradient (GraphMAE's learnable mask token), or lives elsewhere (CUDA, other dtypes). Both paths give
/// the same values and gradients up to float rounding: the sparse one sums each output row over its non-zeros in
/// column order, without the zeros.
/// </summary>
public static class SparseInput
{
    /// <summary>
    /// Whether <see cref="Linear"/> uses the sparse kernel where it applies (default true; <c>GRAPHSSL_SPARSE_INPUT=off</c>
    /// in the environment turns it off, for a side-by-side comparison with the dense product).
    /// <see cref="MessagePassing.CpuKernelEnabled"/> off turns every C# kernel off, this one included.
    /// </summary>
    public static bool Enabled { get; set; } =
        !string.Equals(Environment.GetEnvironmentVariable("GRAPHSSL_SPARSE_INPUT"), "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>The largest fraction of non-zero entries for which the sparse product is used (above it the dense one is faster).</summary>
    public const double MaxDensity = 0.1;

    /// <summary>The fewest input columns for which the input is scanned at all (narrow inputs are cheap to multiply densely).</summary>
    public const long MinColumns = 64;

    /// <summary>
    /// <c>x·weightᵀ</c> for <paramref name="x"/> <c>[N, F]</c> and <paramref name="weight"/> <c>[O, F]</c> (a bias-free
    /// <c>Linear</c>'s weight), sparse where that applies, else <c>nn.functional.linear</c>.
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight)
    {
        var structure = Applies(x, weight) ? NonZeros.TryRead(x, MaxDensity) : null;
        if (structure is null) return nn.functional.linear(x, weight);
        using var scope = torch.NewDisposeScope();
        var transposed = weight.t().contiguous(); // [F, O]: each input column's weights one contiguous row
        return Function.apply(transposed, structure).MoveToOuterDisposeScope();
    }

    /// <summary>Whether <see cref="Linear"/> would scan <paramref name="x"/> for non-zeros (it may still find it too dense).</summary>
    public static bool Applies(Tensor x, Tensor weight) =>
        Enabled && MessagePassing.CpuKernelEnabled && x.dim() == 2 && weight.dim() == 2 && x.shape[1] >= MinColumns && !x.requires_grad
        && x.device_type == DeviceType.CPU && weight.device_type == DeviceType.CPU
        && x.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32
        && weight.shape[1] == x.shape[1] && x.shape[0] <= int.MaxValue && x.shape[1] <= int.MaxValue;

    /// <summary>Custom autograd function: <c>y = X·Wt</c> forward, <c>dWt = Xᵀ·dy</c> backward (X constant).</summary>
    sealed class Function : torch.autograd.SingleTensorFunction<Function>
    {
        public override string Name => "GraphSSL.SparseInputLinear";

        public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
        {
            var wt = (Tensor)vars[0];
            var x = (NonZeros)vars[1];
            ctx.save_data("x", x);
            return SparseKernels.Multiply(x.RowStarts, x.Columns, x.Values, wt, x.Rows);
        }

        public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var x = (NonZeros)ctx.get_data("x");
            // Xᵀ·dy: the same entries grouped by column, so each row of dWt is written by one thread.
            return [SparseKernels.Multiply(x.ColumnStarts, x.RowsByColumn, x.ValuesByColumn, gradOutput, x.ColumnCount), null!];
        }
    }
}

/// <summary>
/// The non-zero entries of a float32 <c>[N, F]</c> matrix, both ways: by row (columns ascending) for <c>X·W</c> and by
/// column (rows ascending) for <c>Xᵀ·G</c>.
/// </summary>
internal sealed class NonZeros
{
    NonZeros(int rows, int columns, int[] rowStarts, int[] cols, float[] values, int[] columnStarts, int[] rowsByColumn, float[] valuesByColumn)
    {
        Rows = rows;
        ColumnCount = columns;
        RowStarts = rowStarts;
        Columns = cols;
        Values = values;
        ColumnStarts = columnStarts;
        RowsByColumn = rowsByColumn;
        ValuesByColumn = valuesByColumn;
    }

    /// <summary>N.</summary>
    public int Rows { get; }
    /// <summary>F.</summary>
    public int ColumnCount { get; }
    /// <summary>[N + 1]: row r's entries are <c>[RowStarts[r], RowStarts[r + 1])</c> of <see cref="Columns"/> and <see cref="Values"/>.</summary>
    public int[] RowStarts { get; }
    /// <summary>[nnz] column of each entry, by row.</summary>
    public int[] Columns { get; }
    /// <summary>[nnz] value of each entry, by row.</summary>
    public float[] Values { get; }
    /// <summary>[F + 1]: column c's entries are <c>[ColumnStarts[c], ColumnStarts[c + 1])</c> of <see cref="RowsByColumn"/> and <see cref="ValuesByColumn"/>.</summary>
    public int[] ColumnStarts { get; }
    /// <summary>[nnz] row of each entry, by column.</summary>
    public int[] RowsByColumn { get; }
    /// <summary>[nnz] value of each entry, by column.</summary>
    public float[] ValuesByColumn { get; }
    /// <summary>Number of non-zero entries.</summary>
    public int Count => Values.Length;

    /// <summary>
    /// Reads the non-zeros of <paramref name="x"/> (CPU float32, 2-D); null as soon as more than
    /// <paramref name="maxDensity"/> of its entries are non-zero, so a dense input costs at most a partial scan.
    /// NaN and infinity count as non-zero and are carried into the product as the dense one would.
    /// </summary>
    public static unsafe NonZeros? TryRead(Tensor x, double maxDensity)
    {
        using var scope = torch.NewDisposeScope();
        var c = x.contiguous();
        int n = (int)c.shape[0], f = (int)c.shape[1];
        long limit = (long)(maxDensity * n * f);
        var rowStarts = new int[n + 1];
        var cols = new List<int>();
        var values = new List<float>();
        float* p = (float*)Kernels.Data(c);
        int vectorEnd = Vector256.IsHardwareAccelerated ? f - f % Vector256<float>.Count : 0;
        for (int r = 0; r < n; r++)
        {
            float* row = p + (long)r * f;
            int j = 0;
            for (; j < vectorEnd; j += Vector256<float>.Count)
            {
                if (Vector256.EqualsAll(Vector256.Load(row + j), Vector256<float>.Zero)) continue; // ±0 only: NaN is not equal to zero
                for (int k = j; k < j + Vector256<float>.Count; k++)
                    if (row[k] != 0) { cols.Add(k); values.Add(row[k]); }
            }
            for (; j < f; j++)
                if (row[j] != 0) { cols.Add(j); values.Add(row[j]); }
            if (values.Count > limit) return null;
            rowStarts[r + 1] = values.Count;
        }
        GC.KeepAlive(c);
        var colArray = cols.ToArray();
        var valueArray = values.ToArray();
        // Counting sort by column (stable: rows stay ascending within a column).
        var columnStarts = new int[f + 1];
        foreach (var col in colArray) columnStarts[col + 1]++;
        for (int k = 0; k < f; k++) columnStarts[k + 1] += columnStarts[k];
        var next = columnStarts.AsSpan(0, f).ToArray();
        var rowsByColumn = new int[colArray.Length];
        var valuesByColumn = new float[colArray.Length];
        for (int r = 0; r < n; r++)
            for (int e = rowStarts[r]; e < rowStarts[r + 1]; e++)
            {
                int slot = next[colArray[e]]++;
                rowsByColumn[slot] = r;
                valuesByColumn[slot] = valueArray[e];
            }
        return new NonZeros(n, f, rowStarts, colArray, valueArray, columnStarts, rowsByColumn, valuesByColumn);
    }
}

/// <summary>The sparse × dense loop: pointers into libtorch's CPU storage, <see cref="Vector256"/> over each output row.</summary>
internal static unsafe class SparseKernels
{
    /// <summary>
    /// <c>y[i] = Σ_{e ∈ [starts[i], starts[i+1])} values[e] · b[index[e]]</c> for float32 <paramref name="dense"/> <c>b [K, O]</c>,
    /// <paramref name="outRows"/> output rows <c>[outRows, O]</c>; each output row written by one thread, entries in order,
    /// so the result does not depend on the thread count.
    /// </summary>
    internal static Tensor Multiply(int[] starts, int[] index, float[] values, Tensor dense, int outRows)
    {
        var b = dense.contiguous();
        long o = b.shape[1];
        var y = torch.zeros(new long[] { outRows, o }, dtype: b.dtype, device: b.device);
        if (outRows == 0 || o == 0 || index.Length == 0) return y;
        float* pb = (float*)Kernels.Data(b);
        float* py = (float*)Kernels.Data(y);
        int threads = Kernels.ThreadsFor((long)index.Length * o);
        fixed (int* ps = starts, pi = index)
        fixed (float* pv = values)
        {
            nint ab = (nint)pb, ay = (nint)py, aps = (nint)ps, api = (nint)pi, apv = (nint)pv;
            int oi = (int)o;
            Kernels.ForEachRowRange(outRows, threads, (begin, end) => Rows((float*)ab, (float*)ay, (int*)aps, (int*)api, (float*)apv, begin, end, oi));
        }
        GC.KeepAlive(b);
        return y;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Rows(float* b, float* y, int* starts, int* index, float* values, int begin, int end, int o)
    {
        int vectorEnd = Vector256.IsHardwareAccelerated ? o - o % Vector256<float>.Count : 0;
        for (int i = begin; i < end; i++)
        {
            float* yr = y + (long)i * o;
            for (int e = starts[i]; e < starts[i + 1]; e++)
            {
                float v = values[e];
                float* br = b + (long)index[e] * o;
                var vv = Vector256.Create(v);
                int j = 0;
                for (; j < vectorEnd; j += Vector256<float>.Count)
                    (Vector256.Load(yr + j) + vv * Vector256.Load(br + j)).Store(yr + j);
                for (; j < o; j++) yr[j] += v * br[j];
            }
        }
    }
}
