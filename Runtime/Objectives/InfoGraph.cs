using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GraphSSL.Objectives;

/// <summary>
/// InfoGraph (Sun et al., ICLR 2020): maximises the Jensen–Shannon mutual information between every node
/// embedding and the embedding of its own graph, with the other graphs of the batch as negatives. Node and
/// graph embeddings each pass through a discriminator (a 3-layer ReLU MLP with a linear shortcut); scores
/// are their dot products. One view: the raw graph.
/// </summary>
[Objective(Views = 1)]
public sealed partial record InfoGraph
{
    /// <summary>InfoGraph's trainable discriminators for node (local) and graph (global) embeddings.</summary>
    public sealed class State : ObjectiveState
    {
        internal State(ObjectiveContext context)
        {
            Local = Register("local", new Discriminator(context.EmbeddingDim, context.Device), trainable: true);
            Global = Register("global", new Discriminator(context.EmbeddingDim, context.Device), trainable: true);
        }

        /// <summary>The node-embedding discriminator.</summary>
        public Discriminator Local { get; }

        /// <summary>The graph-embedding discriminator.</summary>
        public Discriminator Global { get; }
    }

    /// <summary>InfoGraph's feed-forward discriminator: MLP(Linear, ReLU ×3)(x) + Linear(x), width kept.</summary>
    public sealed class Discriminator : nn.Module<Tensor, Tensor>
    {
        readonly Module<Tensor, Tensor> block;
        readonly Module<Tensor, Tensor> shortcut;

        internal Discriminator(int dim, Device device) : base(nameof(Discriminator))
        {
            block = nn.Sequential(
                ("lin1", nn.Linear(dim, dim)), ("relu1", nn.ReLU()),
                ("lin2", nn.Linear(dim, dim)), ("relu2", nn.ReLU()),
                ("lin3", nn.Linear(dim, dim)), ("relu3", nn.ReLU()));
            shortcut = nn.Linear(dim, dim);
            RegisterComponents();
            this.to(device);
        }

        /// <inheritdoc />
        public override Tensor forward(Tensor x) => block.forward(x).add(shortcut.forward(x), Scalars.One);

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                block.Dispose();
                shortcut.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>Creates the two discriminators.</summary>
    public State Start(ObjectiveContext context) => new(context);

    /// <summary>The negative Jensen–Shannon MI estimate between node and graph embeddings (see <see cref="Losses.InfoGraph"/>).</summary>
    public Tensor Loss(Views views, State state)
    {
        var view = views[0];
        return Losses.InfoGraph(state.Local.forward(view.Nodes), state.Global.forward(view.Encoded.Graph), view.Graph.Batch);
    }
}

public static partial class Losses
{
    /// <summary>
    /// InfoGraph's local–global loss. With scores s_ng = l_n·g_g for every node n and graph g of the batch,
    /// positives are the pairs where n belongs to g and negatives all others:
    /// loss = E_neg[softplus(−s) + s − log 2] − E_pos[log 2 − softplus(−s)], the negative Jensen–Shannon MI
    /// estimate (each expectation a mean over its pairs). Needs at least two graphs.
    /// </summary>
    /// <param name="local">Node embeddings <c>[N, D]</c> (after the local discriminator).</param>
    /// <param name="global">Graph embeddings <c>[G, D]</c> (after the global discriminator), G ≥ 2.</param>
    /// <param name="batch">Graph of every node <c>[N]</c>, int64, values in 0 … G − 1.</param>
    public static Tensor InfoGraph(Tensor local, Tensor global, Tensor batch)
    {
        ObjectiveArguments.Matrix(local, nameof(local));
        ObjectiveArguments.Matrix(global, nameof(global), minRows: 2);
        CheckColumns(local, nameof(local), global, nameof(global));
        if (batch.dim() != 1 || batch.shape[0] != local.shape[0])
            throw new ArgumentException($"batch must have one entry per row of local ({local.shape[0]}), but has shape [{string.Join(", ", batch.shape)}].", nameof(batch));
        using var scope = torch.NewDisposeScope();
        long n = local.shape[0], g = global.shape[0];
        var scores = local.mm(global.t());
        var positive = functional.one_hot(batch, g).to(scores.dtype);
        var negative = positive.neg().add(Scalars.One, Scalars.One);
        using var log2 = Math.Log(2).ToScalar();
        using var positives = n.ToScalar();
        using var negatives = (n * (g - 1)).ToScalar();
        // softplus makes Scalars of its beta and threshold inside TorchSharp, and its public API offers no overload
        // that takes held ones: the one GSSL0033 temporary left in the runtime (docs/DSL.md#gssl0033).
#pragma warning disable GSSL0033
        var ePos = scores.neg().softplus().neg().add(log2, Scalars.One).mul(positive).sum().div(positives);
        var eNeg = scores.neg().softplus().add(scores, Scalars.One).sub(log2).mul(negative).sum().div(negatives);
#pragma warning restore GSSL0033
        return eNeg.sub(ePos).MoveToOuterDisposeScope();
    }
}
