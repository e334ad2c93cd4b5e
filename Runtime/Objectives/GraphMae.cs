using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using GraphSSL.Batching;
using GraphSSL.Layers;

namespace GraphSSL.Objectives;

/// <summary>
/// GraphMAE (Hou et al., KDD 2022): a masked graph autoencoder with one view. Before encoding,
/// <see cref="Prepare"/> masks the features of a share <see cref="MaskRate"/> of the batch's nodes: most of
/// them are replaced by a learnable [MASK] token, a share <see cref="ReplaceRate"/> by the features of
/// random other nodes. The loss re-masks the encoder's node embeddings of those nodes (after a linear
/// encoder-to-decoder map), decodes the features with one graph layer and scores the masked nodes with the
/// scaled cosine error (1 − cos(x̂, x))^α, averaged. The token, the map and the decoder are in <see cref="State"/>.
/// The graph embedding used downstream is the encoder's (the model declares no projector).
/// <para>
/// The decoder is a GIN layer (<see cref="DecoderHeads"/> 0, GraphMAE's graph-level setting: <c>decoder: gin</c> in
/// THUDM/GraphMAE configs.yml for every TU dataset; one Linear after the aggregation, or GraphMAE's two-layer MLP with
/// <see cref="DecoderHidden"/> ≥ 1) or a GAT layer (<see cref="DecoderHeads"/> ≥ 1, its node-level
/// setting: <c>decoder: gat</c> for Cora and CiteSeer, configs.yml lines 14 and 38, one output head by default).
/// On Cora the GIN decoder collapses the encoder: within 10 steps every node embedding points the same way and the
/// loss settles at that of a constant reconstruction (docs/node-level-runs/); the attention decoder does not.
/// </para>
/// </summary>
[Objective(Views = 1)]
public sealed partial record GraphMae(
    [Hyper(ValueRange.Ratio, "Share of each batch's nodes whose features are masked.")] double MaskRate = 0.5,
    [Hyper(ValueRange.Ratio, "Share of the masked nodes given another node's features instead of the [MASK] token.")] double ReplaceRate = 0.1,
    [Hyper(ValueRange.Positive, "Exponent α of the scaled cosine error (1 − cos)^α.")] double Alpha = 2,
    [Hyper(ValueRange.NonNegative, "Decoder: 0 for one GIN layer (graph level), k ≥ 1 for one GAT layer with k heads, averaged (node level: 1).")] int DecoderHeads = 0,
    [Hyper(ValueRange.Ratio, "Dropout on the decoder's input while training (GraphMAE's in_drop, which its decoder shares with the encoder).")] double DecoderDropout = 0,
    [Hyper(ValueRange.Ratio, "Dropout on the GAT decoder's attention coefficients while training (attn_drop); needs DecoderHeads ≥ 1.")] double DecoderAttentionDropout = 0,
    [Hyper(ValueRange.NonNegative, "GIN decoder: 0 for one Linear after the aggregation, k ≥ 1 for GraphMAE's MLP Linear(D, k)–BN–PReLU–Linear(k, F); needs DecoderHeads 0.")] int DecoderHidden = 0)
{
    /// <summary>GraphMAE's trainable parts: the [MASK] token, the encoder-to-decoder map and the one-layer decoder.</summary>
    public sealed class State : ObjectiveState
    {
        internal State(ObjectiveContext context, int decoderHeads, double decoderDropout, double attentionDropout, int decoderHidden)
        {
            Noise = context.Generator;
            DecoderDropout = decoderDropout;
            Token = Register("maskToken", new MaskToken(context.FeatureDim, context.Device), trainable: true);
            EncoderToDecoder = Register("encoderToDecoder", (Linear)nn.Linear(context.EmbeddingDim, context.EmbeddingDim, hasBias: false).to(context.Device), trainable: true);
            if (decoderHeads == 0 && decoderHidden == 0)
                Decoder = Register("decoder", (Linear)nn.Linear(context.EmbeddingDim, context.FeatureDim).to(context.Device), trainable: true);
            else if (decoderHeads == 0)
                // GraphMAE's graph-level decoder: a one-layer GIN whose apply function is MLP(2, D, k, F) with batch norm and
                // PReLU and no norm or activation after it (graphmae/models/gin.py GIN with num_layers = 1, encoding = False).
                DecoderMlp = Register("decoderMlp", (Sequential)nn.Sequential(
                    ("lin1", nn.Linear(context.EmbeddingDim, decoderHidden)),
                    ("norm", new Layers.RowBatchNorm(decoderHidden)),
                    ("act", Layers.Activations.Create(Activation.PRelu)),
                    ("lin2", nn.Linear(decoderHidden, context.FeatureDim))).to(context.Device), trainable: true);
            else
                AttentionDecoder = Register("attentionDecoder", new GatDecoder(context.EmbeddingDim, context.FeatureDim, decoderHeads, attentionDropout, context.Device), trainable: true);
        }

        /// <summary>The run's generator, which the decoder's dropout draws from.</summary>
        internal Generator Noise { get; }

        /// <summary>Dropout on the decoder's input while training.</summary>
        internal double DecoderDropout { get; }

        /// <summary>The learnable [MASK] token <c>[1, F]</c>.</summary>
        public MaskToken Token { get; }

        /// <summary>Linear map (no bias) from the encoder's node embeddings to the decoder's input.</summary>
        public Linear EncoderToDecoder { get; }

        /// <summary>
        /// The GIN decoder's linear layer, applied after one GIN aggregation: x̂ = W·(h_v + Σ_{u→v} h_u) + b; null with
        /// an attention decoder or an MLP.
        /// </summary>
        public Linear? Decoder { get; }

        /// <summary>
        /// The GIN decoder's MLP (<see cref="DecoderHidden"/> ≥ 1), applied after one GIN aggregation:
        /// x̂ = Linear(PReLU(BN(Linear(h_v + Σ_{u→v} h_u)))); null otherwise.
        /// </summary>
        public Sequential? DecoderMlp { get; }

        /// <summary>The GAT decoder (<see cref="DecoderHeads"/> ≥ 1); null with a GIN decoder.</summary>
        public GatDecoder? AttentionDecoder { get; }
    }

    /// <summary>
    /// GraphMAE's node-level decoder: one graph-attention layer from the embedding width to the feature width, no
    /// activation (GraphMAE's decoder is built with <c>encoding=False</c>: no last activation, residual or norm). Each
    /// head k projects x̂_k = W_k h, scores u → v (and v's self-loop) by LeakyReLU_0.2(a_k,src·W_k h_u + a_k,dst·W_k h_v),
    /// softmax over v's incoming edges; the heads are averaged and a bias added. Weights and attention vectors are
    /// Xavier-normal with gain √2, the attention vectors' fans those of [1, heads, width] tensors (THUDM/GraphMAE
    /// graphmae/models/gat.py, <c>GATConv.reset_parameters</c>), the bias 0.
    /// </summary>
    public sealed class GatDecoder : nn.Module
    {
        readonly Linear projection;
        readonly Parameter attentionSource;
        readonly Parameter attentionTarget;
        readonly Parameter bias;
        readonly int heads;
        readonly int outputDim;
        readonly double attentionDropout;

        internal GatDecoder(int inputDim, int outputDim, int heads, double attentionDropout, Device device) : base(nameof(GatDecoder))
        {
            this.heads = heads;
            this.attentionDropout = attentionDropout;
            this.outputDim = outputDim;
            projection = nn.Linear(inputDim, checked(heads * outputDim), hasBias: false);
            // As GATConv.reset_parameters: the ReLU gain, and attn_l / attn_r are [1, heads, width] tensors (fan_in heads·width, fan_out width).
            using (torch.no_grad()) nn.init.xavier_normal_(projection.weight, Layers.GatEncoderModule.ReluGain);
            attentionSource = nn.Parameter(nn.init.xavier_normal_(torch.empty(1, heads, outputDim), Layers.GatEncoderModule.ReluGain).view(heads, outputDim));
            attentionTarget = nn.Parameter(nn.init.xavier_normal_(torch.empty(1, heads, outputDim), Layers.GatEncoderModule.ReluGain).view(heads, outputDim));
            bias = nn.Parameter(torch.zeros(outputDim));
            RegisterComponents();
            this.to(device);
        }

        /// <summary>
        /// Reconstructed features <c>[N, F]</c> from decoder inputs <paramref name="h"/> <c>[N, D]</c> over <paramref name="edgeIndex"/> <c>[2, E]</c>;
        /// while training, the attention coefficients get the decoder's attention dropout, drawn from <paramref name="noise"/>.
        /// </summary>
        public Tensor Forward(Tensor h, Tensor edgeIndex, Generator? noise = null)
        {
            using var scope = torch.NewDisposeScope();
            long n = h.shape[0];
            var (src, dst) = Layers.GatEncoderModule.SelfLoopsSortedByTarget(edgeIndex, n);
            var wh = projection.forward(h).view(n, heads, outputDim);
            var alpha = InvertedDropout.Apply(Layers.GatEncoderModule.Attention((wh * attentionSource).sum(2), (wh * attentionTarget).sum(2), src, dst, n),
                attentionDropout, training, noise);
            var summed = torch.zeros_like(wh).index_add_(0, dst, wh.index_select(0, src) * alpha.unsqueeze(2), Segment.One);
            return summed.mean(new long[] { 1 }).add(bias, Scalars.One).MoveToOuterDisposeScope();
        }
    }

    /// <summary>A learnable row vector, as a module so it is checkpointed and optimised.</summary>
    public sealed class MaskToken : nn.Module
    {
        readonly Parameter token;

        internal MaskToken(int features, Device device) : base(nameof(MaskToken))
        {
            token = nn.Parameter(torch.zeros(1, features, device: device));
            RegisterComponents();
        }

        /// <summary>The token <c>[1, F]</c>.</summary>
        public Tensor Value => token;
    }

    /// <summary>Creates the token, the map and the decoder.</summary>
    public State Start(ObjectiveContext context)
    {
        if (DecoderAttentionDropout > 0 && DecoderHeads == 0)
            throw new ArgumentException($"DecoderAttentionDropout ({DecoderAttentionDropout}) needs an attention decoder (DecoderHeads ≥ 1); the GIN decoder has no attention.", nameof(DecoderAttentionDropout));
        if (DecoderHidden > 0 && DecoderHeads > 0)
            throw new ArgumentException($"DecoderHidden ({DecoderHidden}) sets the GIN decoder's MLP; the attention decoder (DecoderHeads = {DecoderHeads}) has none. Set one of the two.", nameof(DecoderHidden));
        return new(context, DecoderHeads, DecoderDropout, DecoderAttentionDropout, DecoderHidden);
    }

    /// <summary>
    /// Masks the view: a random share of nodes (at least one) gets the [MASK] token, a share of those the
    /// features of random nodes instead; records the masked nodes as "mask" and the features as "original".
    /// </summary>
    public GraphBatch Prepare(GraphBatch view, State state, Generator generator)
    {
        long n = view.X.shape[0];
        long masked = Math.Max(1, (long)(MaskRate * n));
        long noise = (long)(ReplaceRate * masked);
        var device = view.X.device;
        var mask = torch.randperm(n, generator: generator, device: device).narrow(0, 0, masked);
        var x = view.X;
        if (noise > 0)
        {
            var order = torch.randperm(masked, generator: generator, device: device);
            var tokenNodes = mask.index_select(0, order.narrow(0, 0, masked - noise));
            var noiseNodes = mask.index_select(0, order.narrow(0, masked - noise, noise));
            var sources = torch.randperm(n, generator: generator, device: device).narrow(0, 0, noise);
            x = x.index_copy(0, noiseNodes, view.X.index_select(0, sources));
            x = x.index_fill(0, tokenNodes, Scalars.Zero).index_add(0, tokenNodes, state.Token.Value.expand(masked - noise, -1), Segment.One);
        }
        else
        {
            x = x.index_fill(0, mask, Scalars.Zero).index_add(0, mask, state.Token.Value.expand(masked, -1), Segment.One);
        }
        return (view with { X = x }).Record("mask", mask).Record("original", view.X);
    }

    /// <summary>Re-mask, decode with one GIN or GAT layer, scaled cosine error on the masked nodes.</summary>
    public Tensor Loss(Views views, State state)
    {
        var view = views[0];
        var mask = view.Graph.Recorded["mask"];
        var original = view.Graph.Recorded["original"];
        var h = state.EncoderToDecoder.forward(view.Nodes).index_fill(0, mask, Scalars.Zero);
        h = InvertedDropout.Apply(h, state.DecoderDropout, state.EncoderToDecoder.training, state.Noise); // GraphMAE's decoder feat_drop / GIN input dropout
        var edges = view.Graph.EdgeIndex;
        Tensor Aggregated() => h.index_add(0, edges[1], h.index_select(0, edges[0]), Segment.One); // h_v + Σ_{u→v} h_u
        var reconstructed = state.AttentionDecoder is { } attention ? attention.Forward(h, edges, state.Noise)
            : state.DecoderMlp is { } mlp ? mlp.forward(Aggregated())
            : state.Decoder!.forward(Aggregated());
        return Losses.ScaledCosine(reconstructed.index_select(0, mask), original.index_select(0, mask), Alpha);
    }
}

public static partial class Losses
{
    /// <summary>
    /// GraphMAE's scaled cosine error: mean over rows of (1 − cos(x̂_i, x_i))^α, in [0, 2^α]; 0 when every
    /// reconstruction points the same way as its target.
    /// </summary>
    /// <param name="reconstructed">Reconstructed rows <c>[M, F]</c>, M ≥ 1.</param>
    /// <param name="target">Target rows <c>[M, F]</c> (no gradient flows into them).</param>
    /// <param name="alpha">α &gt; 0 (GraphMAE: 1 to 3).</param>
    public static Tensor ScaledCosine(Tensor reconstructed, Tensor target, double alpha)
    {
        ObjectiveArguments.Pair(reconstructed, nameof(reconstructed), target, nameof(target));
        if (!(alpha > 0)) throw new ArgumentException($"alpha must be greater than 0, was {alpha}.", nameof(alpha));
        using var scope = torch.NewDisposeScope();
        using var power = alpha.ToScalar();
        return Cosine(reconstructed, target.detach()).neg().add(Scalars.One, Scalars.One).pow(power).mean().MoveToOuterDisposeScope();
    }
}
