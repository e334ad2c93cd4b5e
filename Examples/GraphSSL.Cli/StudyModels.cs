using GraphSSL.Augmentations;
using GraphSSL.Objectives;

// The study's models ("Training Graph Neural Networks via Self-Supervised Learning: Experiments and
// Analysis", see ../shared/seed/NOTES.md), declared with the DSL. One view is the raw graph
// (Identity), the other is augmented at ratio 0.3; the encoder is the study's GIN, whose Layers and
// Hidden the sweep varies with `with` (1, 2, 3 layers; hidden 64 or 512).
// `graphssl sweep --grid study` crosses these three models with the four augmentations below.
namespace GraphSSL.Cli;

/// <summary>The study's GIN: MLP(Linear, ReLU, Linear) per layer, then ReLU and batch norm; sum pooling of every layer, concatenated.</summary>
[Encoder, Gin(Layers = 3, Hidden = 64, Pooling = Pooling.Sum, JumpingKnowledge = true)]
public partial record StudyGin;

/// <summary>The raw view: the graph itself.</summary>
[Augmentation, Identity]
public partial record Raw;

/// <summary>The study's node dropping: 30 % of each graph's nodes removed with their edges.</summary>
[Augmentation, NodeDropping(0.3)]
public partial record StudyNodeDropping;

/// <summary>The study's edge perturbation: 30 % of each graph's edge entries removed (no edges added).</summary>
[Augmentation, EdgePerturbation(0.3)]
public partial record StudyEdgePerturbation;

/// <summary>The study's attribute masking: feature rows of 30 % of each graph's nodes replaced by N(0.5, 0.5) noise.</summary>
[Augmentation, AttributeMasking(0.3, Mode = MaskMode.Gaussian, Mean = 0.5, Std = 0.5)]
public partial record StudyAttributeMasking;

/// <summary>The study's subgraph: a neighbourhood grown from a random node keeps 70 % of each graph's nodes.</summary>
[Augmentation, Subgraph(0.3)]
public partial record StudySubgraph;

/// <summary>The study's SimCLR: NT-Xent at τ = 0.2 on a 3-layer projector; view one raw, view two augmented.</summary>
[SslModel, Projector(Layers = 3)]
public partial record StudySimClr(StudyGin Encoder, IAugmentation View1, IAugmentation View2, NtXent Objective);

/// <summary>The study's SimSiam: 3-layer projector, 2-layer predictor, stop-gradient; view one raw, view two augmented.</summary>
[SslModel, Projector(Layers = 3), Predictor(Layers = 2)]
public partial record StudySimSiam(StudyGin Encoder, IAugmentation View1, IAugmentation View2, SimSiam Objective);

/// <summary>The study's Barlow Twins: λ = 3.9e-3, loss scaled by 1/32, 3-layer projector; view one raw, view two augmented.</summary>
[SslModel, Projector(Layers = 3)]
public partial record StudyBarlowTwins(StudyGin Encoder, IAugmentation View1, IAugmentation View2, BarlowTwins Objective);
