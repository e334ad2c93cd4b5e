using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Augmentations;

/// <summary>
/// DGI's corruption function (Veličković et al., ICLR 2019, §3.3; <c>shuf_fts = features[:, idx, :]</c> in
/// PetarV-/DGI execute.py): the feature rows are permuted among the nodes of each graph while the edges stay, so
/// every node keeps its place in the graph but carries another node's features. One random permutation per graph
/// per step, from the run's generator. The view DGI's negatives are encoded from.
/// </summary>
[Augmentation]
public sealed partial record ShuffleFeatures()
{
    /// <summary>The batch with each graph's feature rows shuffled.</summary>
    public GraphBatch Apply(GraphBatch batch, Generator generator)
    {
        using var scope = torch.NewDisposeScope();
        var x = batch.X;
        long n = x.shape[0];
        if (n < 2) return batch;
        // Sorting by graph id + a uniform key in [0, 1) permutes the rows within each graph (nodes are grouped by graph).
        var key = batch.Batch.to(ScalarType.Float64).add(torch.rand(n, dtype: ScalarType.Float64, generator: generator, device: x.device), Scalars.One);
        var order = key.argsort();
        return batch with { X = x.index_select(0, order).MoveToOuterDisposeScope() };
    }
}
