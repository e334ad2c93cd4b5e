using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL.Batching;

/// <summary>
/// A mini-batch of graphs on one device, in the usual disjoint-union form.
/// </summary>
/// <param name="X">Node features <c>[N, F]</c>, float32.</param>
/// <param name="EdgeIndex">Directed edges <c>[2, E]</c>, int64, row 0 sources and row 1 targets, indices into <paramref name="X"/>.</param>
/// <param name="Batch">Graph of each node <c>[N]</c>, int64, values in <c>0 … GraphCount − 1</c>, non-decreasing.</param>
/// <param name="GraphCount">Number of graphs in the batch (a host value, known without reading the device).</param>
/// <remarks>The tensors belong to the dispose scope they were created in; a batch never owns anything beyond them.</remarks>
public sealed record GraphBatch(Tensor X, Tensor EdgeIndex, Tensor Batch, long GraphCount)
{
    static readonly IReadOnlyDictionary<string, Tensor> NothingRecorded = new Dictionary<string, Tensor>();

    /// <summary>
    /// What the views that made this batch recorded about it, by name (e.g. GraphMAE's masked nodes);
    /// objectives read it through <see cref="Objectives.ViewOutput.Graph"/>. Empty for a gathered batch.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> Recorded { get; init; } = NothingRecorded;

    /// <summary>A copy of this batch that also records <paramref name="value"/> under <paramref name="name"/>.</summary>
    public GraphBatch Record(string name, Tensor value)
    {
        var recorded = new Dictionary<string, Tensor>(Recorded) { [name] = value };
        return this with { Recorded = recorded };
    }

    /// <summary>Number of nodes of each graph <c>[GraphCount]</c>, int64 (an index_add, so no host synchronisation on CUDA, unlike bincount).</summary>
    public Tensor NodeCounts() =>
        torch.zeros(GraphCount, dtype: ScalarType.Int64, device: Batch.device).index_add_(0, Batch, torch.ones_like(Batch), Scalars.One);

    /// <summary>Start of each graph's node range <c>[GraphCount]</c>, int64 (exclusive prefix sum of <see cref="NodeCounts"/>).</summary>
    public Tensor NodeStarts()
    {
        var counts = NodeCounts();
        return counts.cumsum(0) - counts;
    }
}
