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
/// encoder-to-decoder map), decodes the features with a one-layer GIN and scores the masked nodes with the
/// scaled cosine error (1 − cos(x̂, x))^α, averaged. The token, the map and the decoder are in <see cref="State"/>.
/// The graph embedding used downstream is the encoder's (the model declares no projector).
/// </summary>
[Objective(Views = 1)]
public sealed partial record GraphMae(
    [Hyper(ValueRange.Ratio, "Share of each batch's nodes whose features are masked.")] double MaskRate = 0.5,
    [Hyper(ValueRange.Ratio, "Share of the masked nodes given another node's features instead of the [MASK] token.")] double ReplaceRate = 0.1,
    [Hyper(ValueRange.Positive, "Exponent α of the scaled cosine error (1 − cos)^α.")] double Alpha = 2)
{
    /// <summary>GraphMAE's trainable parts: the [MASK] token, the encoder-to-decoder map and the one-layer GIN decoder.</summary>
    public sealed class State : ObjectiveState
    {
        internal State(ObjectiveContext context)
        {
            Token = Register("maskToken", new MaskToken(context.FeatureDim, context.Device), trainable: true);
            EncoderToDecoder = Register("encoderToDecoder", (Linear)nn.Linear(context.EmbeddingDim, context.EmbeddingDim, hasBias: false).to(context.Device), trainable: true);
            Decoder = Register("decoder", (Linear)nn.Linear(context.EmbeddingDim, context.FeatureDim).to(context.Device), trainable: true);
        }

        /// <summary>The learnable [MASK] token <c>[1, F]</c>.</summary>
        public MaskToken Token { get; }

        /// <summary>Linear map (no bias) from the encoder's node embeddings to the decoder's input.</summary>
        public Linear EncoderToDecoder { get; }

        /// <summary>The decoder's linear layer, applied after one GIN aggregation: x̂ = W·(h_v + Σ_{u→v} h_u) + b.</summary>
        public Linear Decoder { get; }
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
    public State Start(ObjectiveContext context) => new(context);

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
            x = x.index_fill(0, tokenNodes, 0.0).index_add(0, tokenNodes, state.Token.Value.expand(masked - noise, -1), Segment.One);
        }
        else
        {
            x = x.index_fill(0, mask, 0.0).index_add(0, mask, state.Token.Value.expand(masked, -1), Segment.One);
        }
        return (view with { X = x }).Record("mask", mask).Record("original", view.X);
    }

    /// <summary>Re-mask, decode with one GIN layer, scaled cosine error on the masked nodes.</summary>
    public Tensor Loss(Views views, State state)
    {
        var view = views[0];
        var mask = view.Graph.Recorded["mask"];
        var original = view.Graph.Recorded["original"];
        var h = state.EncoderToDecoder.forward(view.Nodes).index_fill(0, mask, 0.0);
        var edges = view.Graph.EdgeIndex;
        var aggregated = h.index_add(0, edges[1], h.index_select(0, edges[0]), Segment.One);
        var reconstructed = state.Decoder.forward(aggregated);
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
        return Cosine(reconstructed, target.detach()).neg().add(1).pow(alpha).mean().MoveToOuterDisposeScope();
    }
}
