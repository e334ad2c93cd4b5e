using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Layers;

/// <summary>
/// Graph attention encoder (Veličković et al., 2018) with self-loops: in layer l every head k projects node states
/// with its own <c>W_k</c> (hidden columns), scores each edge u → v (and each self-loop) by
/// <c>LeakyReLU_0.2(a_k,src·W_k h_u + a_k,dst·W_k h_v)</c>, normalises the scores with a softmax over v's incoming
/// edges, and sums the attention-weighted <c>W_k h_u</c>. The heads are <b>averaged</b> (each hidden wide) or, with
/// <c>concatHeads</c>, concatenated (each hidden / heads wide); a bias is added, then the activation (ReLU by default)
/// and, unless turned off, batch norm as in <see cref="GinEncoderModule"/>. Readout and jumping knowledge as there.
/// While training, optional dropout on each layer's input and on the attention coefficients (GAT's own regularisers).
/// Output <c>[GraphCount, EmbeddingDim]</c>.
/// </summary>
public sealed class GatEncoderModule : EncoderModule
{
    readonly ModuleList<Linear> linears = new();
    readonly ParameterList attentionSource = new();
    readonly ParameterList attentionTarget = new();
    readonly ParameterList biases = new();
    readonly ModuleList<RowBatchNorm> norms = new();
    readonly ModuleList<nn.Module<Tensor, Tensor>> activations = new();
    readonly bool batchNorm;
    readonly bool concatHeads;
    readonly int headWidth;
    readonly Pooling pooling;
    readonly bool jumpingKnowledge;
    readonly int heads;
    readonly int hidden;
    readonly double dropout;
    readonly double attentionDropout;

    /// <summary>Creates the encoder (on the CPU; move it with <c>.to(device)</c>).</summary>
    /// <param name="inputDim">Node feature columns (≥ 1).</param>
    /// <param name="hidden">Width of every layer and of every head (≥ 1).</param>
    /// <param name="layers">Number of layers (≥ 1).</param>
    /// <param name="pooling">Readout applied to each layer's node states.</param>
    /// <param name="jumpingKnowledge">Concatenate every layer's readout (true) or use the last layer's only.</param>
    /// <param name="heads">Attention heads per layer (≥ 1), averaged unless <paramref name="concatHeads"/>.</param>
    /// <param name="activation">Nonlinearity after each layer (PReLU: one learnable slope per layer).</param>
    /// <param name="batchNorm">Batch normalisation after each layer's activation.</param>
    /// <param name="concatHeads">Concatenate the heads, each hidden / heads wide (hidden must be a multiple of heads).</param>
    /// <param name="dropout">Dropout on every layer's input while training (GraphMAE's <c>in_drop</c>: GATConv's <c>feat_drop</c>), in [0, 1).</param>
    /// <param name="attentionDropout">Dropout on the attention coefficients while training (GATConv's <c>attn_drop</c>), in [0, 1).</param>
    /// <param name="init">How the weights and attention vectors start: PyG's Glorot-uniform or DGL's Xavier-normal with gain √2.</param>
    public GatEncoderModule(int inputDim, int hidden, int layers, Pooling pooling = Pooling.Sum, bool jumpingKnowledge = true, int heads = 4,
        Activation activation = Activation.Relu, bool batchNorm = true, bool concatHeads = false, double dropout = 0, double attentionDropout = 0,
        GatInit init = GatInit.PyG)
        : base(nameof(GatEncoderModule))
    {
        EncoderShape.Validate(inputDim, hidden, layers, pooling);
        EncoderShape.ValidateDropout(dropout, nameof(dropout));
        EncoderShape.ValidateDropout(attentionDropout, nameof(attentionDropout));
        this.dropout = dropout;
        this.attentionDropout = attentionDropout;
        if (heads < 1) throw new ArgumentException($"heads must be ≥ 1, was {heads}.", nameof(heads));
        if (concatHeads && hidden % heads != 0)
            throw new ArgumentException($"With concatenated heads the hidden size must be a multiple of the heads; {hidden} is not a multiple of {heads}.", nameof(hidden));
        this.batchNorm = batchNorm;
        this.concatHeads = concatHeads;
        headWidth = concatHeads ? hidden / heads : hidden;
        this.pooling = pooling;
        this.jumpingKnowledge = jumpingKnowledge;
        this.heads = heads;
        this.hidden = hidden;
        EmbeddingDim = EncoderShape.EmbeddingDim(hidden, layers, jumpingKnowledge);
        for (int l = 0; l < layers; l++)
        {
            var linear = nn.Linear(l == 0 ? inputDim : hidden, checked(heads * headWidth), hasBias: false);
            linears.Add(linear);
            if (init == GatInit.Dgl)
            {
                // DGL's GATConv.reset_parameters (and GraphMAE's copy, graphmae/models/gat.py): xavier_normal_ with the ReLU gain on
                // fc.weight, then on attn_l and attn_r, which are [1, heads, width] tensors: fan_in = heads·width, fan_out = width.
                using (torch.no_grad()) nn.init.xavier_normal_(linear.weight, ReluGain);
                attentionSource.Add(nn.Parameter(nn.init.xavier_normal_(torch.empty(1, heads, headWidth), ReluGain).view(heads, headWidth)));
                attentionTarget.Add(nn.Parameter(nn.init.xavier_normal_(torch.empty(1, heads, headWidth), ReluGain).view(heads, headWidth)));
            }
            else
            {
                using (torch.no_grad()) nn.init.xavier_uniform_(linear.weight); // Glorot, as PyG's GATConv (lin: weight_initializer='glorot') and its attention vectors below
                attentionSource.Add(nn.Parameter(nn.init.xavier_uniform_(torch.empty(heads, headWidth))));
                attentionTarget.Add(nn.Parameter(nn.init.xavier_uniform_(torch.empty(heads, headWidth))));
            }
            biases.Add(nn.Parameter(torch.zeros(hidden)));
            if (batchNorm) norms.Add(new RowBatchNorm(hidden));
            activations.Add(Activations.Create(activation));
        }
        RegisterComponents();
    }

    /// <summary>torch.nn.init.calculate_gain("relu").</summary>
    internal static readonly double ReluGain = Math.Sqrt(2);

    /// <summary>Size of the graph embedding: hidden × layers with jumping knowledge, else hidden.</summary>
    public override int EmbeddingDim { get; }

    /// <inheritdoc />
    public override EncoderOutput Encode(GraphBatch batch)
    {
        using var scope = torch.NewDisposeScope();
        long n = batch.X.shape[0];
        var (src, dst) = SelfLoopsSortedByTarget(batch.EdgeIndex, n);
        var readouts = new LayerReadouts(pooling, jumpingKnowledge, linears.Count, batch);
        var h = batch.X;
        for (int l = 0; l < linears.Count; l++)
        {
            var wh = linears[l].forward(InvertedDropout.Apply(h, dropout, training, Noise)).view(n, heads, headWidth);
            var scoreSource = (wh * attentionSource[l]).sum(2);
            var scoreTarget = (wh * attentionTarget[l]).sum(2);
            var alpha = InvertedDropout.Apply(Attention(scoreSource, scoreTarget, src, dst, n), attentionDropout, training, Noise);
            var messages = wh.index_select(0, src) * alpha.unsqueeze(2);
            var summed = torch.zeros_like(wh).index_add_(0, dst, messages, Segment.One);
            var z = concatHeads ? summed.reshape(n, hidden) : summed.mean(new long[] { 1 });
            h = activations[l].forward(z.add_(biases[l], Scalars.One));
            if (batchNorm) h = norms[l].forward(h);
            readouts.Add(l, h);
        }
        return readouts.Output();
    }

    /// <summary>
    /// The batch's edges plus one self-loop per node, ordered by target (so each node's incoming edges are
    /// contiguous, as <see cref="Attention"/> needs): sources and targets <c>[E + N]</c>.
    /// </summary>
    internal static (Tensor Source, Tensor Target) SelfLoopsSortedByTarget(Tensor edgeIndex, long nodeCount)
    {
        using var scope = torch.NewDisposeScope();
        var loops = Scalars.Range(nodeCount, edgeIndex.device);
        var src = torch.cat(new[] { edgeIndex[0], loops });
        var dst = torch.cat(new[] { edgeIndex[1], loops });
        var order = dst.argsort();
        return (src.index_select(0, order).MoveToOuterDisposeScope(), dst.index_select(0, order).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Attention coefficients <c>[E', H]</c>: for edge u → v and head k, softmax over v's incoming edges of
    /// <c>LeakyReLU_0.2(scoreSource[u, k] + scoreTarget[v, k])</c>. <paramref name="dst"/> must be non-decreasing
    /// and every node must have an incoming edge (its self-loop). A per-target maximum (no gradient; the softmax
    /// does not depend on it) is subtracted before exponentiating.
    /// </summary>
    internal static Tensor Attention(Tensor scoreSource, Tensor scoreTarget, Tensor src, Tensor dst, long nodeCount)
    {
        using var scope = torch.NewDisposeScope();
        var e = nn.functional.leaky_relu(scoreSource.index_select(0, src).add_(scoreTarget.index_select(0, dst), Scalars.One), 0.2);
        var counts = Segment.Counts(dst, nodeCount);
        var maxIndex = Segment.ArgMax(e, dst, counts);
        var shift = e.detach().gather(0, maxIndex);
        var p = e.sub(shift.index_select(0, dst)).exp_();
        var denominator = torch.zeros(nodeCount, p.shape[1], dtype: p.dtype, device: p.device).index_add_(0, dst, p, Segment.One);
        return p.div(denominator.index_select(0, dst)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            linears.Dispose();
            attentionSource.Dispose();
            attentionTarget.Dispose();
            biases.Dispose();
            norms.Dispose();
            activations.Dispose();
        }
        base.Dispose(disposing);
    }
}
