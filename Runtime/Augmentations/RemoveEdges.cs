using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Augmentations;

/// <summary>
/// GRACE's edge removing (Zhu et al., 2020, §3.2; <c>dropout_adj(edge_index, p)</c> in CRIPAC-DIG/GRACE train.py):
/// every directed edge entry of the batch is removed independently with probability <see cref="P"/> (so the two
/// directions of an undirected edge are removed independently, as PyG's <c>dropout_adj</c> without
/// <c>force_undirected</c> does). Nodes and features are unchanged. Randomness from the run's generator.
/// </summary>
[Augmentation]
public sealed partial record RemoveEdges(
    [Hyper(ValueRange.Probability, "Probability that an edge entry is removed.")] double P = 0.2)
{
    /// <summary>The batch without the removed edge entries.</summary>
    public GraphBatch Apply(GraphBatch batch, Generator generator)
    {
        if (P == 0 || batch.EdgeIndex.shape[1] == 0) return batch;
        using var p = P.ToScalar();
        var keep = torch.rand(batch.EdgeIndex.shape[1], generator: generator, device: batch.EdgeIndex.device).ge(p);
        return batch with { EdgeIndex = batch.EdgeIndex.index_select(1, keep.nonzero().flatten()) };
    }
}
