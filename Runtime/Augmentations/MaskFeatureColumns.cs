using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Augmentations;

/// <summary>
/// GRACE's feature masking (Zhu et al., 2020, §3.2; <c>drop_feature</c> in CRIPAC-DIG/GRACE model.py): each feature
/// column is zeroed with probability <see cref="P"/> for every node of a graph at once (one draw per graph and column,
/// so a full-graph batch masks the same columns for all its nodes; no rescaling). Unlike
/// <c>[FeatureDropout]</c>, which zeroes single entries, and <c>[AttributeMasking]</c>, which replaces whole rows.
/// </summary>
[Augmentation]
public sealed partial record MaskFeatureColumns(
    [Hyper(ValueRange.Probability, "Probability that a feature column is zeroed (per graph).")] double P = 0.3)
{
    /// <summary>The batch with the masked columns zeroed.</summary>
    public GraphBatch Apply(GraphBatch batch, Generator generator)
    {
        if (P == 0) return batch;
        using var scope = torch.NewDisposeScope();
        var x = batch.X;
        using var p = P.ToScalar();
        var keep = torch.rand(new long[] { batch.GraphCount, x.shape[1] }, generator: generator, device: x.device).ge(p).to(x.dtype);
        // One graph (node level): the [1, F] row broadcasts, sparing an [N, F] copy of the mask (49 MB on CiteSeer).
        var masked = x.mul(batch.GraphCount == 1 ? keep : keep.index_select(0, batch.Batch));
        return batch with { X = masked.MoveToOuterDisposeScope() };
    }
}
