using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL;

/// <summary>
/// A whole dataset resident on one device. Mini-batches are assembled from it by index gathers on
/// that device (<see cref="Gather"/>), so the training loop never crosses back to the host per graph.
/// </summary>
public sealed class DeviceGraphs : IDisposable
{
    /// <summary>All node features <c>[N, F]</c>.</summary>
    public Tensor X { get; }
    /// <summary>All edges <c>[2, E]</c>, grouped by graph.</summary>
    public Tensor EdgeIndex { get; }
    /// <summary>First node of each graph <c>[G]</c>.</summary>
    public Tensor NodeStart { get; }
    /// <summary>Node count of each graph <c>[G]</c>.</summary>
    public Tensor NodeCount { get; }
    /// <summary>First edge of each graph <c>[G]</c>.</summary>
    public Tensor EdgeStart { get; }
    /// <summary>Edge count of each graph <c>[G]</c>.</summary>
    public Tensor EdgeCount { get; }
    /// <summary>Graph labels <c>[G]</c>, int64.</summary>
    public Tensor Labels { get; }
    /// <summary>The host dataset this was uploaded from.</summary>
    public GraphData Data { get; }
    /// <summary>The device the tensors live on.</summary>
    public Device Device { get; }

    /// <summary>Number of graphs.</summary>
    public int GraphCount => Data.GraphCount;
    /// <summary>Node feature columns.</summary>
    public int FeatureDim => Data.FeatureDim;

    DeviceGraphs(GraphData data, Device device)
    {
        Data = data;
        Device = device;
        using var scope = torch.NewDisposeScope();
        var edges = torch.stack(new[]
        {
            torch.tensor(data.EdgeSource, dtype: ScalarType.Int64),
            torch.tensor(data.EdgeTarget, dtype: ScalarType.Int64),
        });
        var nodeOffsets = torch.tensor(data.NodeOffsets, dtype: ScalarType.Int64);
        var edgeOffsets = torch.tensor(data.EdgeOffsets, dtype: ScalarType.Int64);
        X = torch.tensor(data.NodeFeatures, new long[] { data.NodeCount, data.FeatureDim }).to(device).DetachFromDisposeScope();
        EdgeIndex = edges.to(device).DetachFromDisposeScope();
        NodeStart = nodeOffsets[..^1].to(device).DetachFromDisposeScope();
        NodeCount = (nodeOffsets[1..] - nodeOffsets[..^1]).to(device).DetachFromDisposeScope();
        EdgeStart = edgeOffsets[..^1].to(device).DetachFromDisposeScope();
        EdgeCount = (edgeOffsets[1..] - edgeOffsets[..^1]).to(device).DetachFromDisposeScope();
        Labels = torch.tensor(data.Labels, dtype: ScalarType.Int64).to(device).DetachFromDisposeScope();
    }

    /// <summary>Copies <paramref name="data"/> to <paramref name="device"/> once.</summary>
    public static DeviceGraphs Upload(GraphData data, Device device) => new(data.Validate(), device);

    /// <summary>
    /// Builds the batch of graphs <paramref name="graphIds"/> (int64, on this device) by index gathers:
    /// node ids are renumbered so that graph i of the batch owns a contiguous node range, in the order
    /// given. No per-graph host loop; on CUDA the only synchronisation is the size of the output.
    /// </summary>
    public GraphBatch Gather(Tensor graphIds)
    {
        long b = graphIds.shape[0];
        var nodeCount = NodeCount.index_select(0, graphIds);
        var edgeCount = EdgeCount.index_select(0, graphIds);
        var newNodeStart = nodeCount.cumsum(0) - nodeCount;
        var positions = torch.arange(b, dtype: ScalarType.Int64, device: Device);

        // Nodes: batch vector, then each node's position inside its graph, then its global id.
        var batch = torch.repeat_interleave(positions, nodeCount);
        var local = torch.arange(batch.shape[0], dtype: ScalarType.Int64, device: Device) - newNodeStart.index_select(0, batch);
        var nodeIds = NodeStart.index_select(0, graphIds).index_select(0, batch) + local;

        // Edges: the same for edge ranges, then shift endpoints from old to new node numbering.
        var edgeGraph = torch.repeat_interleave(positions, edgeCount);
        var newEdgeStart = edgeCount.cumsum(0) - edgeCount;
        var edgeLocal = torch.arange(edgeGraph.shape[0], dtype: ScalarType.Int64, device: Device) - newEdgeStart.index_select(0, edgeGraph);
        var edgeIds = EdgeStart.index_select(0, graphIds).index_select(0, edgeGraph) + edgeLocal;
        var shift = (newNodeStart - NodeStart.index_select(0, graphIds)).index_select(0, edgeGraph);
        var edgeIndex = EdgeIndex.index_select(1, edgeIds) + shift.unsqueeze(0);

        return new GraphBatch(X.index_select(0, nodeIds), edgeIndex, batch, b);
    }

    /// <summary>The batch of every graph, in dataset order.</summary>
    public GraphBatch All() => Gather(torch.arange(GraphCount, dtype: ScalarType.Int64, device: Device));

    /// <inheritdoc />
    public void Dispose()
    {
        X.Dispose(); EdgeIndex.Dispose(); NodeStart.Dispose(); NodeCount.Dispose();
        EdgeStart.Dispose(); EdgeCount.Dispose(); Labels.Dispose();
    }
}
