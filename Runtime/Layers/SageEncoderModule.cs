using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Layers;

/// <summary>
/// GraphSAGE encoder with the mean aggregator (Hamilton et al., 2017): layer l maps node states h to
/// <c>BN(ReLU(W1·h_v + b + W2·mean_{u→v} h_u))</c>, the mean over the sources of v's incoming edges (zero for a node
/// without incoming edges). Readout and jumping knowledge as in <see cref="GinEncoderModule"/>.
/// Output <c>[GraphCount, EmbeddingDim]</c>.
/// </summary>
public sealed class SageEncoderModule : EncoderModule
{
    readonly ModuleList<Linear> selfLinears = new();
    readonly ModuleList<Linear> neighbourLinears = new();
    readonly ModuleList<RowBatchNorm> norms = new();
    readonly Pooling pooling;
    readonly bool jumpingKnowledge;

    /// <summary>Creates the encoder (on the CPU; move it with <c>.to(device)</c>).</summary>
    /// <param name="inputDim">Node feature columns (≥ 1).</param>
    /// <param name="hidden">Width of every layer (≥ 1).</param>
    /// <param name="layers">Number of layers (≥ 1).</param>
    /// <param name="pooling">Readout applied to each layer's node states.</param>
    /// <param name="jumpingKnowledge">Concatenate every layer's readout (true) or use the last layer's only.</param>
    public SageEncoderModule(int inputDim, int hidden, int layers, Pooling pooling = Pooling.Sum, bool jumpingKnowledge = true)
        : base(nameof(SageEncoderModule))
    {
        EncoderShape.Validate(inputDim, hidden, layers, pooling);
        this.pooling = pooling;
        this.jumpingKnowledge = jumpingKnowledge;
        EmbeddingDim = EncoderShape.EmbeddingDim(hidden, layers, jumpingKnowledge);
        for (int l = 0; l < layers; l++)
        {
            int input = l == 0 ? inputDim : hidden;
            selfLinears.Add(nn.Linear(input, hidden));
            neighbourLinears.Add(nn.Linear(input, hidden, hasBias: false));
            norms.Add(new RowBatchNorm(hidden));
        }
        RegisterComponents();
    }

    /// <summary>Size of the graph embedding: hidden × layers with jumping knowledge, else hidden.</summary>
    public override int EmbeddingDim { get; }

    /// <inheritdoc />
    public override EncoderOutput Encode(GraphBatch batch)
    {
        using var scope = torch.NewDisposeScope();
        var src = batch.EdgeIndex[0];
        var dst = batch.EdgeIndex[1];
        var inverseDegree = InverseInDegree(dst, batch.X.shape[0], batch.X.dtype).unsqueeze(1);
        var readouts = new LayerReadouts(pooling, jumpingKnowledge, selfLinears.Count, batch);
        var h = batch.X;
        for (int l = 0; l < selfLinears.Count; l++)
        {
            var w2 = neighbourLinears[l];
            // The mean and W2 commute: aggregate the narrower of the input and the output.
            var neighbours = w2.in_features <= w2.out_features
                ? w2.forward(MeanOfSources(h, src, dst, inverseDegree))
                : MeanOfSources(w2.forward(h), src, dst, inverseDegree);
            h = BatchNormKernel.Forward(norms[l], selfLinears[l].forward(h).add_(neighbours, Scalars.One), reluFirst: true);
            readouts.Add(l, h);
        }
        return readouts.Output();
    }

    /// <summary>1 / (number of edges into v), 0 for v without incoming edges: <c>[N]</c>.</summary>
    internal static Tensor InverseInDegree(Tensor dst, long nodeCount, ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var degree = torch.zeros(nodeCount, dtype: dtype, device: dst.device)
            .index_add_(0, dst, torch.ones(dst.shape[0], dtype: dtype, device: dst.device), Segment.One);
        // A node without incoming edges receives no messages, so any finite factor keeps its mean at zero.
        return degree.clamp_min_(Scalars.One).reciprocal_().MoveToOuterDisposeScope();
    }

    /// <summary>The mean of every node's in-neighbours' rows of <paramref name="h"/>; zero rows for nodes without in-neighbours.</summary>
    internal static Tensor MeanOfSources(Tensor h, Tensor src, Tensor dst, Tensor inverseDegree) =>
        torch.zeros_like(h).index_add_(0, dst, h.index_select(0, src), Segment.One).mul_(inverseDegree);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            selfLinears.Dispose();
            neighbourLinears.Dispose();
            norms.Dispose();
        }
        base.Dispose(disposing);
    }
}
