using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL;

/// <summary>What one epoch did: reported to the progress callback after every epoch.</summary>
/// <param name="Epoch">1-based epoch just finished.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Loss">Mean training loss over the epoch's batches.</param>
/// <param name="Seconds">Wall time of the epoch.</param>
/// <param name="OutputStd">
/// For objectives that monitor collapse (SimSiam, BYOL): mean per-dimension standard deviation of the
/// L2-normalised outputs over the epoch (≈ 1/√D when healthy, → 0 when collapsed); otherwise null.
/// </param>
/// <param name="Warning">A problem noticed during the epoch (for example representation collapse), or null.</param>
public sealed record EpochReport(int Epoch, int Epochs, double Loss, double Seconds, double? OutputStd = null, string? Warning = null);

/// <summary>
/// The outcome of <c>Train</c>: the model declaration it trained, the loss and timing history, and the
/// trained encoder. Owns the encoder's native memory: dispose it when done.
/// </summary>
public sealed record TrainResult<TModel>(
    TModel Model,
    TrainOptions Options,
    IReadOnlyList<double> Losses,
    IReadOnlyList<double> EpochSeconds,
    TrainedEncoder Encoder) : IDisposable
{
    /// <summary>Embeddings of every graph of <paramref name="data"/>, <c>[G, D]</c> float32 on the CPU.</summary>
    public Tensor Embed(GraphData data) => Encoder.Embed(data);

    /// <summary>Node embeddings <c>[N, EmbeddingDim]</c> of <paramref name="data"/>'s graph on the CPU (<see cref="TrainedEncoder.EmbedNodes(NodeData)"/>).</summary>
    public Tensor EmbedNodes(NodeData data) => Encoder.EmbedNodes(data);

    /// <inheritdoc />
    public void Dispose() => Encoder.Dispose();
}

/// <summary>A trained (or untrained) encoder module with the device it lives on.</summary>
public sealed class TrainedEncoder : IDisposable
{
    readonly nn.Module<GraphBatch, Tensor> module;

    /// <summary>Wraps <paramref name="module"/>, which must already be on <paramref name="device"/>.</summary>
    public TrainedEncoder(nn.Module<GraphBatch, Tensor> module, Device device, int embeddingDim)
    {
        this.module = module;
        Device = device;
        EmbeddingDim = embeddingDim;
    }

    /// <summary>Device of the module.</summary>
    public Device Device { get; }
    /// <summary>Embedding size.</summary>
    public int EmbeddingDim { get; }
    /// <summary>The TorchSharp module (for saving or fine-tuning).</summary>
    public nn.Module<GraphBatch, Tensor> Module => module;

    /// <summary>
    /// Embeds every graph of <paramref name="data"/> in evaluation mode (batch norm uses its running
    /// statistics), without gradients, in batches of <paramref name="batchSize"/>.
    /// Returns <c>[G, D]</c> float32 on the CPU, in dataset order.
    /// </summary>
    public Tensor Embed(GraphData data, int batchSize = 512)
    {
        using var graphs = DeviceGraphs.Upload(data, Device);
        return Embed(graphs, batchSize);
    }

    /// <summary>Embeds every graph of an already uploaded dataset; see <see cref="Embed(GraphData, int)"/>.</summary>
    public Tensor Embed(DeviceGraphs graphs, int batchSize = 512)
    {
        var wasTraining = module.training;
        module.eval();
        try
        {
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            var parts = new List<Tensor>();
            for (int start = 0; start < graphs.GraphCount; start += batchSize)
            {
                int length = Math.Min(batchSize, graphs.GraphCount - start);
                var ids = torch.arange(start, start + length, dtype: ScalarType.Int64, device: graphs.Device);
                parts.Add(module.forward(graphs.Gather(ids)));
            }
            var all = parts.Count == 0
                ? torch.zeros(0, EmbeddingDim)
                : torch.cat(parts, 0).to(torch.CPU);
            return all.MoveToOuterDisposeScope();
        }
        finally
        {
            module.train(wasTraining);
        }
    }

    /// <inheritdoc />
    /// <summary>
    /// Node embeddings <c>[N, EmbeddingDim]</c> of the one graph of <paramref name="data"/> on the CPU, in node order:
    /// the encoder's <see cref="EncoderOutput.Nodes"/> over the full graph (eval mode, no gradient) — what a
    /// node-level probe reads.
    /// </summary>
    public Tensor EmbedNodes(NodeData data)
    {
        using var graphs = DeviceGraphs.Upload(NodeLevel.AsGraph(data), Device);
        return EmbedNodes(graphs);
    }

    /// <summary>Node embeddings <c>[N, EmbeddingDim]</c> of every graph of <paramref name="graphs"/> (one batch) on the CPU.</summary>
    public Tensor EmbedNodes(DeviceGraphs graphs)
    {
        if (module is not EncoderModule encoder)
            throw new InvalidOperationException($"Node embeddings need an {nameof(EncoderModule)}; this encoder is a {module.GetType().Name}.");
        return NodeLevel.EmbedNodes(encoder, graphs);
    }

    public void Dispose() => module.Dispose();
}
