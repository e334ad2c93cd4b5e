using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GraphSSL.Objectives;

/// <summary>
/// GRACE (Zhu et al., "Deep Graph Contrastive Representation Learning", 2020): node-level contrast between two
/// views of the graph. Each view's embeddings pass GRACE's projection head g(h) = W2·ELU(W1·h + b1) + b2 (kept in this
/// objective's state, trainable; CRIPAC-DIG/GRACE model.py, <c>Model.projection</c>), and the loss is the NT-Xent over
/// the 2N projected nodes with a node's other view as its positive and every other node of both views as a negative
/// (intra- and inter-view negatives): ℓ(u_i) = −log e^{θ(u_i,v_i)/τ} / (Σ_k e^{θ(u_i,v_k)/τ} + Σ_{k≠i} e^{θ(u_i,u_k)/τ}),
/// θ the cosine similarity, averaged over both directions and all nodes (model.py, <c>semi_loss</c> and <c>loss</c>).
/// That is exactly <see cref="Losses.NtXent"/> on the projections. Declare the model <c>[SslModel(NodeLevel = true)]</c>
/// without a <c>[Projector]</c>; the embedding used downstream is the encoder's, before this head.
/// Published settings (CRIPAC-DIG/GRACE config.yaml): Cora τ = 0.4, head 128 (lines 1–15); CiteSeer τ = 0.9, head 256 (lines 16–30).
/// </summary>
[Objective]
public sealed partial record Grace(
    [Hyper(ValueRange.Positive, "Temperature τ of the NT-Xent over nodes.")] double Tau = 0.5,
    [Hyper(ValueRange.AtLeastOne, "Hidden width of GRACE's projection head (num_proj_hidden).")] int ProjectionHidden = 128)
{
    /// <summary>GRACE's state: its projection head.</summary>
    public sealed class State : ObjectiveState
    {
        internal State(ObjectiveContext context, int hidden)
            => Head = Register("projectionHead", new ProjectionHead(context.ProjectionDim, hidden, context.Device), trainable: true);

        /// <summary>The projection head, optimised with the encoder.</summary>
        public ProjectionHead Head { get; }
    }

    /// <summary>GRACE's projection head: Linear(D, hidden), ELU, Linear(hidden, D).</summary>
    public sealed class ProjectionHead : nn.Module<Tensor, Tensor>
    {
        readonly Linear fc1;
        readonly Linear fc2;

        internal ProjectionHead(int dim, int hidden, Device device) : base(nameof(ProjectionHead))
        {
            fc1 = nn.Linear(dim, hidden);
            fc2 = nn.Linear(hidden, dim);
            RegisterComponents();
            this.to(device);
        }

        /// <inheritdoc />
        public override Tensor forward(Tensor h) => fc2.forward(nn.functional.elu(fc1.forward(h), 1.0));

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                fc1.Dispose();
                fc2.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>Creates the projection head.</summary>
    public State Start(ObjectiveContext context) => new(context, ProjectionHidden);

    /// <summary>NT-Xent over the projected nodes of both views (intra- and inter-view negatives).</summary>
    public Tensor Loss(Views views, State state)
        => Losses.NtXent(state.Head.forward(views.Z1), state.Head.forward(views.Z2), Tau);
}
