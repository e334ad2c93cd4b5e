using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Layers;

/// <summary>
/// One GIN layer as a value, declared like a user's layer: h' = BN(ReLU(MLP(h_v + Σ_{u→v} h_u))) with
/// MLP = Linear(in, Hidden), ReLU, Linear(Hidden, Hidden) — the layer of <see cref="GinEncoderModule"/> with ε = 0.
/// </summary>
[Layer]
public sealed partial record GinLayer([Hyper(ValueRange.AtLeastOne, "Width of the layer's output.")] int Hidden = 64)
{
    /// <summary>The layer outputs <see cref="Hidden"/> columns.</summary>
    public int OutputDim(int inputDim) => Hidden;

    /// <summary>Creates the layer's module.</summary>
    public nn.Module<Tensor, GraphBatch, Tensor> CreateModule(int inputDim) => new Module(inputDim, Hidden);

    sealed class Module : nn.Module<Tensor, GraphBatch, Tensor>
    {
        readonly nn.Module<Tensor, Tensor> mlp;
        readonly RowBatchNorm norm;

        internal Module(int inputDim, int hidden) : base(nameof(GinLayer))
        {
            mlp = nn.Sequential(("lin1", nn.Linear(inputDim, hidden)), ("relu", nn.ReLU()), ("lin2", nn.Linear(hidden, hidden)));
            norm = new RowBatchNorm(hidden);
            RegisterComponents();
        }

        public override Tensor forward(Tensor h, GraphBatch batch)
        {
            var aggregated = MessagePassing.SelfPlusNeighbourSum(h, batch.EdgeIndex);
            return BatchNormKernel.Forward(norm, mlp.forward(aggregated), reluFirst: true);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                mlp.Dispose();
                norm.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

/// <summary>
/// One mean-aggregation layer (GraphSAGE-style) as a value: h' = BN(ReLU(W_self·h_v + W_nb·mean_{u→v} h_u)),
/// both maps to <see cref="Hidden"/> columns; a node without in-neighbours aggregates zeros.
/// </summary>
[Layer]
public sealed partial record MeanLayer([Hyper(ValueRange.AtLeastOne, "Width of the layer's output.")] int Hidden = 64)
{
    /// <summary>The layer outputs <see cref="Hidden"/> columns.</summary>
    public int OutputDim(int inputDim) => Hidden;

    /// <summary>Creates the layer's module.</summary>
    public nn.Module<Tensor, GraphBatch, Tensor> CreateModule(int inputDim) => new Module(inputDim, Hidden);

    sealed class Module : nn.Module<Tensor, GraphBatch, Tensor>
    {
        readonly Linear self;
        readonly Linear neighbours;
        readonly RowBatchNorm norm;

        internal Module(int inputDim, int hidden) : base(nameof(MeanLayer))
        {
            self = nn.Linear(inputDim, hidden);
            neighbours = nn.Linear(inputDim, hidden, hasBias: false);
            norm = new RowBatchNorm(hidden);
            RegisterComponents();
        }

        public override Tensor forward(Tensor h, GraphBatch batch)
        {
            using var scope = torch.NewDisposeScope();
            var src = batch.EdgeIndex[0];
            var dst = batch.EdgeIndex[1];
            var degree = torch.zeros(h.shape[0], 1, dtype: h.dtype, device: h.device)
                .index_add_(0, dst, torch.ones(dst.shape[0], 1, dtype: h.dtype, device: h.device), Segment.One);
            var mean = torch.zeros_like(h).index_add_(0, dst, h.index_select(0, src), Segment.One).div_(degree.clamp_min_(Scalars.One));
            return BatchNormKernel.Forward(norm, self.forward(h).add_(neighbours.forward(mean), Scalars.One), reluFirst: true).MoveToOuterDisposeScope();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                self.Dispose();
                neighbours.Dispose();
                norm.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
