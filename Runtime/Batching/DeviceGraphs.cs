using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Data;

namespace GraphSSL.Batching;

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

    /// <summary>
    /// Copies <paramref name="data"/> to <paramref name="device"/> once, after checking that it fits the
    /// memory limit (<see cref="MemoryLimit"/>: <c>GRAPHSSL_DEVICE_MEMORY_LIMIT</c>, else on the CPU the
    /// memory available to the process).
    /// </summary>
    /// <exception cref="DeviceMemoryException">The estimate (<see cref="EstimateBytes"/>) exceeds the limit; nothing was allocated.</exception>
    public static DeviceGraphs Upload(GraphData data, Device device) => Upload(data, device, MemoryLimit(device));

    /// <summary>Copies <paramref name="data"/> to <paramref name="device"/> once, refusing it when it needs more than <paramref name="limit"/> bytes (null: no limit).</summary>
    /// <exception cref="DeviceMemoryException">The estimate exceeds the limit; nothing was allocated.</exception>
    public static DeviceGraphs Upload(GraphData data, Device device, MemoryLimitSetting? limit)
    {
        data.Validate();
        var estimate = EstimateBytes(data);
        if (limit is { } l && estimate > l.Bytes)
            throw new DeviceMemoryException(data, device.ToString(), estimate, l);
        return new(data, device);
    }

    /// <summary>Environment variable with the device memory limit for datasets: bytes, or with K, M, G, T (powers of 1024; "KiB", "MB" … also read), e.g. <c>512M</c>.</summary>
    public const string MemoryLimitVariable = "GRAPHSSL_DEVICE_MEMORY_LIMIT";

    /// <summary>
    /// Bytes a dataset occupies on the device once uploaded, plus the temporary edge tensors of the upload:
    /// features N·F float32, edges 2·E int64 (and 2·E more while stacking them), five per-graph int64 vectors.
    /// Training needs more on top (activations of one batch, the model, the optimiser), which is bounded by
    /// the batch size, not the dataset.
    /// </summary>
    public static long EstimateBytes(GraphData data)
    {
        long nodes = data.NodeCount, edges = data.EdgeCount, graphs = data.GraphCount, features = data.FeatureDim;
        long resident = nodes * features * sizeof(float) + 2 * edges * sizeof(long) + 5 * graphs * sizeof(long);
        long transient = 2 * edges * sizeof(long) + 2 * (graphs + 1) * sizeof(long);
        return resident + transient;
    }

    /// <summary>
    /// The limit uploads to <paramref name="device"/> are checked against: <see cref="MemoryLimitVariable"/> when set
    /// (for every device); otherwise, on the CPU, the memory available to the process (physical memory or the
    /// container's limit); otherwise (CUDA) none.
    /// </summary>
    /// <exception cref="ArgumentException">The variable is set to something that is not a size.</exception>
    public static MemoryLimitSetting? MemoryLimit(Device device)
    {
        var text = Environment.GetEnvironmentVariable(MemoryLimitVariable);
        if (!string.IsNullOrWhiteSpace(text))
            return new MemoryLimitSetting(ParseSize(text) ?? throw new ArgumentException(
                $"{MemoryLimitVariable}='{text}' is not a size: use bytes or a number with K, M, G or T, e.g. 512M or 2G."), $"{MemoryLimitVariable}={text.Trim()}");
        if (device.type == DeviceType.CPU && GC.GetGCMemoryInfo().TotalAvailableMemoryBytes is > 0 and var available)
            return new MemoryLimitSetting(available, "the memory available to this process");
        return null;
    }

    /// <summary>"512M" → 536870912 (K, M, G, T are powers of 1024, optionally followed by "B" or "iB"); null when it is not a size.</summary>
    public static long? ParseSize(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGT]?)(?:I?B)?\s*$",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        if (!match.Success) return null;
        var value = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
                    * Math.Pow(1024, "KMGT".IndexOf(char.ToUpperInvariant(match.Groups[2].Value.FirstOrDefault('B'))) + 1);
        return value < long.MaxValue ? (long)value : null;
    }

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
        var positions = Scalars.Range(b, Device);

        // Nodes: batch vector, then each node's position inside its graph, then its global id.
        var batch = torch.repeat_interleave(positions, nodeCount);
        var local = Scalars.Range(batch.shape[0], Device) - newNodeStart.index_select(0, batch);
        var nodeIds = NodeStart.index_select(0, graphIds).index_select(0, batch).add(local, Scalars.One);

        // Edges: the same for edge ranges, then shift endpoints from old to new node numbering.
        var edgeGraph = torch.repeat_interleave(positions, edgeCount);
        var newEdgeStart = edgeCount.cumsum(0) - edgeCount;
        var edgeLocal = Scalars.Range(edgeGraph.shape[0], Device) - newEdgeStart.index_select(0, edgeGraph);
        var edgeIds = EdgeStart.index_select(0, graphIds).index_select(0, edgeGraph).add(edgeLocal, Scalars.One);
        var shift = (newNodeStart - NodeStart.index_select(0, graphIds)).index_select(0, edgeGraph);
        var edgeIndex = EdgeIndex.index_select(1, edgeIds).add(shift.unsqueeze(0), Scalars.One);

        return new GraphBatch(X.index_select(0, nodeIds), edgeIndex, batch, b);
    }

    /// <summary>The batch of every graph, in dataset order.</summary>
    public GraphBatch All() => Gather(Scalars.Range(GraphCount, Device));

    /// <inheritdoc />
    public void Dispose()
    {
        X.Dispose(); EdgeIndex.Dispose(); NodeStart.Dispose(); NodeCount.Dispose();
        EdgeStart.Dispose(); EdgeCount.Dispose(); Labels.Dispose();
    }
}

/// <summary>A memory limit in bytes and where it came from (for the message).</summary>
public readonly record struct MemoryLimitSetting(long Bytes, string Source);

/// <summary>A dataset would need more device memory than the limit allows; nothing was allocated.</summary>
public sealed class DeviceMemoryException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public DeviceMemoryException(GraphData data, string device, long estimatedBytes, MemoryLimitSetting limit)
        : base($"The dataset '{data.Name}' needs about {Size(estimatedBytes)} on {device} ({data.GraphCount} graphs, {data.NodeCount} nodes × {data.FeatureDim} features as float32, " +
               $"{data.EdgeCount} directed edges as int64), more than the limit of {Size(limit.Bytes)} ({limit.Source}). Nothing was allocated. " +
               $"Raise the limit ({DeviceGraphs.MemoryLimitVariable}, e.g. {DeviceGraphs.MemoryLimitVariable}={Math.Max(1, (estimatedBytes * 2 + (1 << 20) - 1) >> 20)}M), use a device with more memory, or a smaller dataset.")
    {
        EstimatedBytes = estimatedBytes;
        LimitBytes = limit.Bytes;
        Device = device;
    }

    /// <summary>What the dataset would need (<see cref="DeviceGraphs.EstimateBytes"/>).</summary>
    public long EstimatedBytes { get; }
    /// <summary>The limit it was checked against.</summary>
    public long LimitBytes { get; }
    /// <summary>The device it was meant for.</summary>
    public string Device { get; }

    static string Size(long bytes) => bytes switch
    {
        < 1L << 10 => $"{bytes} bytes",
        < 1L << 20 => (bytes / 1024.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " KiB",
        < 1L << 30 => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / 1073741824.0).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " GiB",
    };
}
