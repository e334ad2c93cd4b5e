using GraphSSL.Augmentations;
using GraphSSL.Batching;
using GraphSSL.Objectives;

// The models the recipes train (Recipes/RecipeBook.cs): the published methods' unsupervised TU settings,
// declared with the DSL. Settings and their sources are in RecipeBook.cs.
namespace GraphSSL.Cli.Recipes;

/// <summary>SimGRACE's GIN: 5 layers of 32, sum readout of every layer concatenated (160 dims).</summary>
[Encoder, Gin(Layers = 5, Hidden = 32)]
public partial record SimGraceGin;

/// <summary>
/// GraphMAE's encoder: GIN layers PReLU(BN(Linear(PReLU(BN(Linear(z)))))) (graphmae/models/gin.py, MLP and ApplyNodeFunc; every
/// TU config sets <c>activation: prelu</c> and <c>norm: batchnorm</c>), last layer only (no concatenation); depth, width and pooling set per dataset.
/// </summary>
[Encoder, Gin(Layers = 5, Hidden = 32, JumpingKnowledge = false, Activation = Activation.PRelu, MlpBatchNorm = true, BatchNormFirst = true)]
public partial record GraphMaeGin;

/// <summary>GraphCL's node dropping: a tenth of each graph's nodes.</summary>
[Augmentation, NodeDropping(0.1)]
public partial record GraphClDropNodes;

/// <summary>GraphCL's subgraph: a neighbourhood keeping a fifth of each graph's nodes.</summary>
[Augmentation, Subgraph(0.8)]
public partial record GraphClSubgraph;

/// <summary>GraphCL's <c>random2</c>: per graph, node dropping or subgraph, chosen uniformly.</summary>
[Augmentation]
public partial record GraphClRandom2
{
    static readonly RandomChoice Choice = new(new GraphClDropNodes(), new GraphClSubgraph());

    /// <summary>Each graph gets one of the two augmentations.</summary>
    public GraphBatch Apply(GraphBatch batch, TorchSharp.torch.Generator generator) => Choice.Apply(batch, generator);
}

/// <summary>GraphCL: the raw graph against one augmented view, GraphCL's cross-view loss, Linear–ReLU–Linear head.</summary>
[SslModel, Projector(Layers = 2, BatchNorm = false)]
public partial record GraphClRecipeModel(GraphClGin Encoder, Raw View1, IAugmentation View2, CrossViewNtXent Objective);

/// <summary>SimGRACE: the weight-perturbed encoder's projections (rows) against the raw graph's, the same loss and head.</summary>
[SslModel, Projector(Layers = 2, BatchNorm = false)]
public partial record SimGraceRecipeModel(SimGraceGin Encoder, PerturbWeights View1, Raw View2, CrossViewNtXent Objective);

/// <summary>GraphMAE: one masked view, last-layer embedding pooled as configured.</summary>
[SslModel]
public partial record GraphMaeRecipeModel(GraphMaeGin Encoder, Raw View, GraphMae Objective);
