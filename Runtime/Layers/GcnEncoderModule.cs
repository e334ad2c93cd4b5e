using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Layers;

/// <summary>
/// Graph convolutional network encoder (Kipf and Welling, 2017): layer l maps node states h to
/// <c>BN(σ(Â·h·W + b))</c> (σ the <see cref="Activation"/>, ReLU by default; batch norm optional, or before the
/// activation, <c>σ(BN(Â·h·W + b))</c>, as BGRL's encoder; the last layer may be linear, <c>Â·h·W + b</c>) with <c>Â = D^-1/2 (A + I) D^-1/2</c>, A the directed edges of the batch
/// (source row 0 → target row 1) and D the in-degree plus one. Readout and jumping knowledge as in
/// <see cref="GinEncoderModule"/>. Output <c>[GraphCount, EmbeddingDim]</c>.
/// </summary>
public sealed class GcnEncoderModule : EncoderModule
{
    readonly ModuleList<Linear> linears = new();
    readonly ParameterList biases = new();
    readonly ModuleList<RowBatchNorm> norms = new();
    readonly ModuleList<nn.Module<Tensor, Tensor>> activations = new();
    readonly bool batchNorm;
    readonly bool lastActivation;
    readonly bool batchNormFirst;
    readonly bool sharedActivation;
    readonly Pooling pooling;
    readonly bool jumpingKnowledge;

    /// <summary>Creates the encoder (on the CPU; move it with <c>.to(device)</c>).</summary>
    /// <param name="inputDim">Node feature columns (≥ 1).</param>
    /// <param name="hidden">Width of the last layer, and of every layer when <paramref name="innerHidden"/> is 0 (≥ 1).</param>
    /// <param name="layers">Number of layers (≥ 1).</param>
    /// <param name="pooling">Readout applied to each layer's node states.</param>
    /// <param name="jumpingKnowledge">Concatenate every layer's readout (true) or use the last layer's only.</param>
    /// <param name="activation">Nonlinearity after each layer (PReLU: one learnable slope per layer, or one in all with <paramref name="sharedActivation"/>).</param>
    /// <param name="batchNorm">Batch normalisation after each layer's activation.</param>
    /// <param name="innerHidden">Width of every layer but the last (0: <paramref name="hidden"/>; GRACE's encoder: 2 × hidden).</param>
    /// <param name="lastActivation">Whether the last layer is followed by the activation and batch norm (false: CCA-SSG's linear last layer).</param>
    /// <param name="batchNormFirst">Batch norm before the activation instead of after it (BGRL: nerdslab/bgrl bgrl/models.py, <c>GCN</c>).</param>
    /// <param name="sharedActivation">One activation module for every layer — with PReLU, one slope learned by all layers together
    /// (GRACE: CRIPAC-DIG/GRACE train.py line 62 builds one <c>nn.PReLU()</c> that model.py's <c>Encoder</c> applies after each
    /// layer) — instead of one per layer. No effect on parameter-free activations.</param>
    public GcnEncoderModule(int inputDim, int hidden, int layers, Pooling pooling = Pooling.Sum, bool jumpingKnowledge = true,
        Activation activation = Activation.Relu, bool batchNorm = true, int innerHidden = 0, bool lastActivation = true, bool batchNormFirst = false,
        bool sharedActivation = false)
        : base(nameof(GcnEncoderModule))
    {
        this.batchNorm = batchNorm;
        this.batchNormFirst = batchNormFirst;
        this.sharedActivation = sharedActivation;
        this.lastActivation = lastActivation;
        EncoderShape.Validate(inputDim, hidden, layers, pooling);
        int inner = EncoderShape.InnerWidth(hidden, innerHidden);
        this.pooling = pooling;
        this.jumpingKnowledge = jumpingKnowledge;
        EmbeddingDim = EncoderShape.EmbeddingDim(hidden, layers, jumpingKnowledge, innerHidden);
        for (int l = 0; l < layers; l++)
        {
            int width = l == layers - 1 ? hidden : inner;
            var linear = nn.Linear(l == 0 ? inputDim : inner, width, hasBias: false);
            // Glorot-uniform weights, as PyG's GCNConv (reset_parameters: glorot(weight), zeros(bias)) and DGL's GraphConv
            // (xavier_uniform_): TorchSharp's Linear default, U(±1/√fan_in), is 2–2.5× smaller at Cora's widths, which
            // leaves a 2-layer GCN's outputs on row-normalised features ~5× smaller and slowed GRACE's escape from its
            // all-similar start (docs/RESULTS.md, node level).
            using (torch.no_grad()) nn.init.xavier_uniform_(linear.weight);
            linears.Add(linear);
            biases.Add(nn.Parameter(torch.zeros(width)));
            if (l == layers - 1 && !lastActivation) break; // a linear last layer: no activation, no batch norm
            if (batchNorm) norms.Add(new RowBatchNorm(width));
            if (!sharedActivation || activations.Count == 0) activations.Add(Activations.Create(activation));
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
        var (edgeWeight, selfWeight) = Normalization(src, dst, batch.X.shape[0], batch.X.dtype);
        var readouts = new LayerReadouts(pooling, jumpingKnowledge, linears.Count, batch);
        var h = batch.X;
        for (int l = 0; l < linears.Count; l++)
        {
            var linear = linears[l];
            // Â and W commute: propagate the narrower of the input and the output. A wide, mostly-zero input (bag-of-words
            // node features) is multiplied by its non-zeros only (SparseInput; the dense product where that does not apply).
            var z = linear.in_features <= linear.out_features
                ? linear.forward(Propagate(h, src, dst, edgeWeight, selfWeight))
                : Propagate(l == 0 ? SparseInput.Linear(h, linear.weight) : linear.forward(h), src, dst, edgeWeight, selfWeight);
            h = z.add_(biases[l], Scalars.One);
            if (l < linears.Count - 1 || lastActivation)
            {
                if (batchNorm && batchNormFirst) h = norms[l].forward(h);
                h = activations[sharedActivation ? 0 : l].forward(h);
                if (batchNorm && !batchNormFirst) h = norms[l].forward(h);
            }
            readouts.Add(l, h);
        }
        return readouts.Output();
    }

    /// <summary>
    /// The entries of <c>Â = D^-1/2 (A + I) D^-1/2</c>: per edge <c>1/√(d_src·d_dst)</c> <c>[E]</c> and per node (self
    /// loop) <c>1/d_v</c> <c>[N]</c>, with <c>d_v</c> = 1 + number of edges into v.
    /// </summary>
    internal static (Tensor EdgeWeight, Tensor SelfWeight) Normalization(Tensor src, Tensor dst, long nodeCount, ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var degree = torch.ones(nodeCount, dtype: dtype, device: dst.device)
            .index_add_(0, dst, torch.ones(dst.shape[0], dtype: dtype, device: dst.device), Segment.One);
        var inverseSqrt = degree.rsqrt();
        var edgeWeight = inverseSqrt.index_select(0, src).mul_(inverseSqrt.index_select(0, dst));
        var selfWeight = degree.reciprocal_();
        return (edgeWeight.MoveToOuterDisposeScope(), selfWeight.MoveToOuterDisposeScope());
    }

    /// <summary><c>Â·h</c> for <c>h [N, F]</c> given the weights from <see cref="Normalization"/>.</summary>
    internal static Tensor Propagate(Tensor h, Tensor src, Tensor dst, Tensor edgeWeight, Tensor selfWeight) =>
        (h * selfWeight.unsqueeze(1)).index_add_(0, dst, h.index_select(0, src).mul_(edgeWeight.unsqueeze(1)), Segment.One);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            linears.Dispose();
            biases.Dispose();
            norms.Dispose();
            activations.Dispose();
        }
        base.Dispose(disposing);
    }
}
