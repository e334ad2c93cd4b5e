using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Layers;

/// <summary>
/// Graph Isomorphism Network encoder. In the study's form (the defaults) layer l maps node states h to
/// <c>BN(ReLU(MLP((1 + ε)·h_v + Σ_{u∈N(v)} h_u)))</c> with <c>MLP = Linear(in, hidden), ReLU, Linear(hidden, hidden)</c>;
/// with <c>mlpBatchNorm</c> the MLP normalises before its activation, with <c>batchNormFirst</c> the layer ends in
/// <c>act(BN(·))</c>, and the activation may be PReLU or ELU — together GraphMAE's layer
/// <c>PReLU(BN(Linear(PReLU(BN(Linear(z))))))</c> (THUDM/GraphMAE graphmae/models/gin.py, <c>MLP</c> and <c>ApplyNodeFunc</c>).
/// Messages flow along <see cref="GraphBatch.EdgeIndex"/> from row 0 (source) to row 1 (target).
/// The graph embedding concatenates the readout of every layer's output (jumping knowledge) or is the last
/// layer's readout only. Output <c>[GraphCount, EmbeddingDim]</c>.
/// </summary>
public sealed class GinEncoderModule : EncoderModule
{
    readonly ModuleList<nn.Module<Tensor, Tensor>> mlps = new();
    readonly ModuleList<RowBatchNorm> norms = new();
    readonly ParameterList eps = new();
    readonly Pooling pooling;
    readonly bool jumpingKnowledge;
    readonly double dropout;
    readonly ModuleList<nn.Module<Tensor, Tensor>> activations = new();
    readonly bool studyLayer;
    readonly bool batchNormFirst;

    /// <summary>Creates the encoder (on the CPU; move it with <c>.to(device)</c>).</summary>
    /// <param name="inputDim">Node feature columns (≥ 1).</param>
    /// <param name="hidden">Width of every layer (≥ 1).</param>
    /// <param name="layers">Number of GIN layers (≥ 1).</param>
    /// <param name="pooling">Readout applied to each layer's node states.</param>
    /// <param name="jumpingKnowledge">Concatenate every layer's readout (true) or use the last layer's only.</param>
    /// <param name="learnEps">Learn ε per layer (initialised to 0); otherwise ε = 0.</param>
    /// <param name="dropout">Dropout on every layer's input while training (GraphMAE's <c>in_drop</c>, gin.py <c>forward</c>), in [0, 1).</param>
    /// <param name="activation">The nonlinearity inside the MLP and after it (a module of its own at each place, as GraphMAE's PReLUs).</param>
    /// <param name="mlpBatchNorm">Batch norm inside the MLP, between its first linear map and its activation (GraphMAE's <c>MLP</c>).</param>
    /// <param name="batchNormFirst">After the MLP, batch norm then the activation (GraphMAE's <c>ApplyNodeFunc</c>) instead of the activation then batch norm.</param>
    public GinEncoderModule(int inputDim, int hidden, int layers, Pooling pooling = Pooling.Sum, bool jumpingKnowledge = true, bool learnEps = false,
        double dropout = 0, Activation activation = Activation.Relu, bool mlpBatchNorm = false, bool batchNormFirst = false)
        : base(nameof(GinEncoderModule))
    {
        EncoderShape.Validate(inputDim, hidden, layers, pooling);
        EncoderShape.ValidateDropout(dropout, nameof(dropout));
        this.dropout = dropout;
        this.pooling = pooling;
        this.jumpingKnowledge = jumpingKnowledge;
        this.batchNormFirst = batchNormFirst;
        // The study's layer keeps its module names (checkpoints) and its fused ReLU–batch-norm pass.
        studyLayer = activation == Activation.Relu && !mlpBatchNorm && !batchNormFirst;
        EmbeddingDim = EncoderShape.EmbeddingDim(hidden, layers, jumpingKnowledge);
        for (int l = 0; l < layers; l++)
        {
            int input = l == 0 ? inputDim : hidden;
            mlps.Add(studyLayer
                ? nn.Sequential(("lin1", nn.Linear(input, hidden)), ("relu", nn.ReLU()), ("lin2", nn.Linear(hidden, hidden)))
                : mlpBatchNorm
                    ? nn.Sequential(("lin1", nn.Linear(input, hidden)), ("norm", new RowBatchNorm(hidden)), ("act", Activations.Create(activation)), ("lin2", nn.Linear(hidden, hidden)))
                    : nn.Sequential(("lin1", nn.Linear(input, hidden)), ("act", Activations.Create(activation)), ("lin2", nn.Linear(hidden, hidden))));
            norms.Add(new RowBatchNorm(hidden));
            if (!studyLayer) activations.Add(Activations.Create(activation));
            if (learnEps) eps.Add(nn.Parameter(torch.zeros(1)));
        }
        RegisterComponents();
    }

    /// <summary>Size of the graph embedding: hidden × layers with jumping knowledge, else hidden.</summary>
    public override int EmbeddingDim { get; }

    /// <inheritdoc />
    public override EncoderOutput Encode(GraphBatch batch)
    {
        using var scope = torch.NewDisposeScope();
        // CPU float32: the edges in CSR form once for all layers (MessagePassing's C# kernel); elsewhere null (libtorch ops).
        var adjacency = MessagePassing.Adjacency(batch.X, batch.EdgeIndex);
        var readouts = new LayerReadouts(pooling, jumpingKnowledge, mlps.Count, batch);
        var h = batch.X;
        for (int l = 0; l < mlps.Count; l++)
        {
            h = InvertedDropout.Apply(h, dropout, training, Noise);
            // (1 + ε)·h_v + Σ_{u→v} h_u: h_v + Σ_{u→v} h_u in one pass, then ε·h_v.
            var z = MessagePassing.SelfPlusNeighbourSum(h, batch.EdgeIndex, adjacency);
            if (eps.Count > 0) z = z.add(eps[l] * h, Scalars.One);
            var m = mlps[l].forward(z);
            h = studyLayer
                ? BatchNormKernel.Forward(norms[l], m, reluFirst: true) // ReLU then batch norm (one C# pass on the CPU in training)
                : batchNormFirst
                    ? activations[l].forward(norms[l].forward(m))
                    : norms[l].forward(activations[l].forward(m));
            readouts.Add(l, h);
        }
        return readouts.Output();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            mlps.Dispose();
            norms.Dispose();
            activations.Dispose();
            eps.Dispose();
        }
        base.Dispose(disposing);
    }
}
