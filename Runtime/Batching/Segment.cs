using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL.Batching;

/// <summary>
/// Reductions over contiguous segments of rows (graphs in a batch, incoming edges of a node after sorting by
/// target) that TorchSharp 0.107 lacks. All results stay on the input's device; no host reads.
/// </summary>
internal static class Segment
{
    /// <summary>alpha = 1 for <c>index_add</c> (integral, so it suits integer and float tensors alike).</summary>
    internal static readonly Scalar One = 1.ToScalar();

    // The float → int64 key of SegmentArgMax (kept as fields: a temporary Scalar can be freed mid-call).
    static readonly Scalar ExponentBias = 150.ToScalar();
    static readonly Scalar TwoTo24 = (1L << 24).ToScalar();
    static readonly Scalar TwoTo34 = (1L << 34).ToScalar();

    /// <summary>Rows per segment <c>[S]</c>, int64, via <c>index_add</c> (bincount would synchronise on CUDA).</summary>
    internal static Tensor Counts(Tensor segment, long segmentCount)
    {
        using var scope = torch.NewDisposeScope();
        var ones = torch.ones(segment.shape[0], dtype: ScalarType.Int64, device: segment.device);
        return torch.zeros(segmentCount, dtype: ScalarType.Int64, device: segment.device)
            .index_add_(0, segment, ones, One).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// For every segment and column, the row index (into dim 0 of <paramref name="values"/> <c>[M, K]</c>) of a maximal
    /// element: <c>[S, K]</c> int64. <paramref name="sortedSegment"/> <c>[M]</c> must be non-decreasing;
    /// <paramref name="counts"/> <c>[S]</c> are the rows per segment. Empty segments get an arbitrary valid index.
    /// No gradient. Ties resolve to the last maximal row of the segment (float32/float16/bfloat16) or to an
    /// unspecified maximal row (float64).
    /// </summary>
    /// <remarks>
    /// float32 and narrower: every value is mapped exactly and monotonically to an integer through
    /// <c>frexp</c> (x = m·2^e, m·2^24 integral), the segment id is added in the high bits, and one running maximum
    /// (<c>cummax</c>) along each column gives at each segment's last row the index of the segment maximum.
    /// float64 cannot be packed that way into int64, so it sorts each column by value and then stably by segment
    /// (exact, slower; float64 is for checks and evaluation, not the training hot path).
    /// </remarks>
    internal static Tensor ArgMax(Tensor values, Tensor sortedSegment, Tensor counts)
    {
        long m = values.shape[0];
        long k = values.shape[1];
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        if (m == 0)
            return torch.zeros(counts.shape[0], k, dtype: ScalarType.Int64, device: values.device).MoveToOuterDisposeScope();
        var v = values.detach();
        using var last = (m - 1).ToScalar();
        Tensor index;
        if (v.dtype == ScalarType.Float64)
        {
            var starts = (counts.cumsum(0) - counts).clamp_(Scalars.Zero, last);
            var (_, byValue) = v.sort(0, descending: true);
            var segmentOfSorted = sortedSegment.index_select(0, byValue.reshape(-1)).view(m, k);
            var (_, bySegment) = segmentOfSorted.sort(0, stable: true);
            index = byValue.gather(0, bySegment).index_select(0, starts);
        }
        else
        {
            // Columns as rows so that the running maximum walks contiguous memory.
            var vt = v.t().to(ScalarType.Float32).contiguous();
            var (mantissa, exponent) = torch.frexp(vt);
            // Nonzero x: sign(m)·((e + 150)·2^24) + m·2^24 with e ≥ −148 and |m|·2^24 in [2^23, 2^24): strictly
            // monotone in x, |key| < 2^33. Zero: 0.
            var key = exponent.to(ScalarType.Int64).add_(ExponentBias, Scalars.One).mul_(mantissa.sign().to(ScalarType.Int64)).mul_(TwoTo24)
                .add_(mantissa.mul_(TwoTo24).to(ScalarType.Int64), Scalars.One);
            key.add_((sortedSegment * TwoTo34).unsqueeze(0), Scalars.One);
            var (_, running) = key.cummax(1);
            var ends = (counts.cumsum(0) - One).clamp_(Scalars.Zero, last);
            index = running.index_select(1, ends).t();
        }
        return index.MoveToOuterDisposeScope();
    }
}
