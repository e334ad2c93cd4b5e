using GraphSSL;
using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Augmentations;
using GraphSSL.Batching;
using GraphSSL.Objectives;

namespace GraphSSL.Cli;

// Node-level self-supervision on Cora / CiteSeer (issue 14): the papers' encoders, views and objectives, declared with
// the same DSL as the graph-level models. `graphssl train --model GraceNode --dataset Cora` trains one on the full
// graph and probes its node embeddings; NodeRecipes (NodeTraining.cs) holds each paper's settings per dataset.

/// <summary>
/// GRACE's encoder on Cora: 2 GCN layers, the first 2 × 128 wide, the second 128, ReLU after each, no batch norm
/// (CRIPAC-DIG/GRACE config.yaml lines 2–9; model.py <c>Encoder</c>: <c>GCNConv(in, 2·out)</c>, then <c>GCNConv(2·out, out)</c>).
/// Both layers apply one activation module (train.py line 62): with CiteSeer's PReLU, one slope for both.
/// </summary>
[Encoder, Gcn(Layers = 2, Hidden = 128, InnerHidden = 256, Activation = Activation.Relu, BatchNorm = false, JumpingKnowledge = false, SharedActivation = true)]
public partial record GraceGcn;

/// <summary>DGI's encoder: one GCN layer of 512 with PReLU (PetarV-/DGI execute.py lines 19–21, layers/gcn.py).</summary>
[Encoder, Gcn(Layers = 1, Hidden = 512, Activation = Activation.PRelu, BatchNorm = false, JumpingKnowledge = false)]
public partial record DgiGcn;

/// <summary>
/// BGRL's encoder: GCN layers 256 then 128 wide, each followed by batch norm, then PReLU (nerdslab/bgrl config/amazon-photos.cfg
/// lines 7–8, <c>--graph_encoder_layer=256</c>, <c>--graph_encoder_layer=128</c>; bgrl/models.py <c>GCN</c>).
/// </summary>
[Encoder, Gcn(Layers = 2, Hidden = 128, InnerHidden = 256, Activation = Activation.PRelu, BatchNorm = true, BatchNormFirst = true, JumpingKnowledge = false)]
public partial record BgrlGcn;

/// <summary>
/// GraphMAE's encoder on Cora: 2 GAT layers, 4 concatenated heads, 512 wide, PReLU (THUDM/GraphMAE configs.yml lines 4–6, 14),
/// initialised as its GATConv (graphmae/models/gat.py <c>reset_parameters</c>: Xavier-normal, ReLU gain).
/// </summary>
[Encoder, Gat(Layers = 2, Hidden = 512, Heads = 4, ConcatHeads = true, Activation = Activation.PRelu, BatchNorm = false, JumpingKnowledge = false, Init = GatInit.Dgl)]
public partial record MaeGat;

/// <summary>
/// CCA-SSG's encoder on Cora: 2 GCN layers of 512, ReLU between them, the last layer linear, no batch norm
/// (hengruizhang98/CCA-SSG model.py <c>GCN</c>; main.py <c>--hid_dim</c>/<c>--out_dim</c> 512, <c>--n_layers</c> 2).
/// </summary>
[Encoder, Gcn(Layers = 2, Hidden = 512, Activation = Activation.Relu, BatchNorm = false, JumpingKnowledge = false, LastActivation = false)]
public partial record CcaGcn;

/// <summary>GRACE's (and BGRL's, CCA-SSG's) view: edge removing, then feature-column masking.</summary>
[Augmentation]
public partial record EdgeFeatureView(
    [Hyper(ValueRange.Probability, "Probability that an edge entry is removed.")] double EdgeP = 0.2,
    [Hyper(ValueRange.Probability, "Probability that a feature column is zeroed.")] double FeatureP = 0.3)
{
    /// <summary><see cref="RemoveEdges"/>(EdgeP) followed by <see cref="MaskFeatureColumns"/>(FeatureP).</summary>
    public GraphBatch Apply(GraphBatch batch, Generator generator)
        => new MaskFeatureColumns(FeatureP).Apply(new RemoveEdges(EdgeP).Apply(batch, generator), generator);
}

/// <summary>GRACE: two edge-and-feature views, NT-Xent over nodes with GRACE's projection head.</summary>
[SslModel(NodeLevel = true)]
public partial record GraceNode(GraceGcn Encoder, EdgeFeatureView View1, EdgeFeatureView View2, Grace Objective);

/// <summary>DGI: the graph and its row-shuffled corruption, bilinear discriminator against the summary.</summary>
[SslModel(NodeLevel = true)]
public partial record DgiNode(DgiGcn Encoder, Raw View1, ShuffleFeatures View2, Dgi Objective);

/// <summary>
/// BGRL: BYOL's bootstrapped loss on node embeddings, EMA target, no projector; the predictor is BGRL's <c>MLP_Predictor</c>,
/// Linear–PReLU–Linear with 512 hidden units and no batch norm (bgrl/predictors.py; config/amazon-photos.cfg line 9).
/// </summary>
[SslModel(NodeLevel = true), Predictor(Layers = 2, Hidden = 512, BatchNorm = false, Activation = Activation.PRelu)]
public partial record BgrlNode(BgrlGcn Encoder, EdgeFeatureView View1, EdgeFeatureView View2, Byol Objective);

/// <summary>CCA-SSG: two edge-and-feature views, each view's outputs standardised per dimension, invariance plus decorrelation.</summary>
[SslModel(NodeLevel = true)]
public partial record CcaSsgNode(CcaGcn Encoder, EdgeFeatureView View1, EdgeFeatureView View2, CcaSsg Objective);

/// <summary>GraphMAE: masked feature reconstruction of the nodes of the one graph.</summary>
[SslModel(NodeLevel = true)]
public partial record GraphMaeNode(MaeGat Encoder, Raw View, GraphMae Objective);
