using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using GraphSSL.Layers;
using GraphSSL.Batching;

namespace GraphSSL.Objectives;

/// <summary>
/// Deep Graph Infomax (Veličković et al., ICLR 2019): a bilinear discriminator tells the node embeddings of the graph
/// (view one) from those of its corruption (view two, <see cref="Augmentations.ShuffleFeatures"/>: feature rows shuffled, edges
/// kept), both scored against the graph's summary s = σ(mean of view one's node embeddings) (PetarV-/DGI
/// models/dgi.py: <c>AvgReadout</c>, <c>Sigmoid</c>; layers/discriminator.py: <c>nn.Bilinear(n_h, n_h, 1)</c>).
/// loss = BCE-with-logits over the N positive scores h1_n·W·s (label 1) and the N negative scores h2_n·W·s (label 0),
/// averaged over the 2N (execute.py, <c>b_xent</c>). Each graph of a batch has its own summary. Reads
/// <see cref="ViewOutput.Nodes"/>, so it needs no projector; declare <c>record M(E Encoder, Raw View1, ShuffleFeatures View2, Dgi Objective)</c>.
/// The discriminator is a trainable part of the state (weight Xavier-uniform, bias 0, as layers/discriminator.py).
/// </summary>
[Objective]
public sealed partial record Dgi
{
    /// <summary>DGI's state: the bilinear discriminator.</summary>
    public sealed class State : ObjectiveState
    {
        internal State(ObjectiveContext context)
            => Discriminator = Register("discriminator", new BilinearScore(context.EmbeddingDim, context.Device), trainable: true);

        /// <summary>The discriminator D(h, s) = h·W·s + b.</summary>
        public BilinearScore Discriminator { get; }
    }

    /// <summary>D(h, s) = h·W·s + b per row: node embeddings <c>[N, D]</c> and their graphs' summaries <c>[N, D]</c> → <c>[N]</c>.</summary>
    public sealed class BilinearScore : nn.Module<Tensor, Tensor, Tensor>
    {
        readonly Parameter weight;
        readonly Parameter bias;

        internal BilinearScore(int dim, Device device) : base(nameof(BilinearScore))
        {
            weight = nn.Parameter(nn.init.xavier_uniform_(torch.empty(dim, dim)));
            bias = nn.Parameter(torch.zeros(1));
            RegisterComponents();
            this.to(device);
        }

        /// <inheritdoc />
        public override Tensor forward(Tensor h, Tensor summary) => h.mm(weight).mul(summary).sum(1).add(bias, Scalars.One);
    }

    /// <summary>Creates the discriminator.</summary>
    public State Start(ObjectiveContext context) => new(context);

    /// <summary>Binary cross-entropy of the discriminator on real (view one) and corrupted (view two) nodes.</summary>
    public Tensor Loss(Views views, State state)
    {
        var real = views[0];
        var corrupted = views[1];
        return Losses.Dgi(real.Nodes, corrupted.Nodes, real.Graph.Batch, real.Graph.GraphCount, state.Discriminator.forward);
    }
}

public static partial class Losses
{
    /// <summary>
    /// DGI's loss. s_g = σ(mean_{n ∈ g} h1_n) per graph; positive scores D(h1_n, s_{g(n)}), negative scores
    /// D(h2_n, s_{g(n)}); the mean binary cross-entropy with logits of the 2N scores against labels 1 (positives) and 0.
    /// </summary>
    /// <param name="h1">Node embeddings of the real graph <c>[N, D]</c>.</param>
    /// <param name="h2">Node embeddings of the corrupted graph <c>[N, D]</c>, row n in the same graph as row n of <paramref name="h1"/>.</param>
    /// <param name="batch">Graph id of every node <c>[N]</c>.</param>
    /// <param name="graphCount">Graphs in the batch.</param>
    /// <param name="score">The discriminator: (node rows, summary rows) → one logit per row.</param>
    public static Tensor Dgi(Tensor h1, Tensor h2, Tensor batch, long graphCount, Func<Tensor, Tensor, Tensor> score)
    {
        ObjectiveArguments.Pair(h1, nameof(h1), h2, nameof(h2));
        ArgumentNullException.ThrowIfNull(score);
        using var scope = torch.NewDisposeScope();
        var sums = torch.zeros(graphCount, h1.shape[1], dtype: h1.dtype, device: h1.device).index_add(0, batch, h1, Segment.One);
        var counts = torch.zeros(graphCount, dtype: h1.dtype, device: h1.device).index_add_(0, batch, torch.ones(batch.shape[0], dtype: h1.dtype, device: h1.device), Segment.One);
        var summary = sums.div(counts.clamp_min(Scalars.One).unsqueeze(1)).sigmoid().index_select(0, batch);
        var logits = torch.cat(new[] { score(h1, summary), score(h2, summary) });
        var labels = torch.cat(new[] { torch.ones(h1.shape[0], dtype: h1.dtype, device: h1.device), torch.zeros(h2.shape[0], dtype: h1.dtype, device: h1.device) });
        return nn.functional.binary_cross_entropy_with_logits(logits, labels).MoveToOuterDisposeScope();
    }
}
