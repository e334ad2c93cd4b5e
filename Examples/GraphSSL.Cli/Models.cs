using GraphSSL.Augmentations;
using GraphSSL.Objectives;

// The models the graphssl tool ships with, declared with the DSL. Building this project runs the
// GraphSSL generator over them; the generated trainers are under obj/generated/ and are listed by
// `graphssl list`.
namespace GraphSSL.Cli;

/// <summary>The study's GIN: 3 layers of 64, sum pooling of every layer, concatenated.</summary>
[Encoder, Gin(Layers = 3, Hidden = 64)]
public partial record MolGin;

/// <summary>GraphCL's GIN: 3 layers of 32 (GraphCL's unsupervised TU setting).</summary>
[Encoder, Gin(Layers = 3, Hidden = 32)]
public partial record GraphClGin;

/// <summary>Node dropping at GraphCL's default ratio of 0.2.</summary>
[Augmentation, NodeDropping(0.2)]
public partial record DropNodes;

/// <summary>SimCLR / GraphCL: NT-Xent at the study's temperature with the study's 3-layer projector.</summary>
[SslModel, Projector(Layers = 3)]
public partial record GraphClr(MolGin Encoder, IAugmentation View, NtXent Objective);

// One model per objective family, all over the study's GIN and any augmentation(s) given with
// --augmentation (one for both views, or two). Each objective's own defaults are in GraphSSL.Runtime
// (Objectives/*.cs) and say where they come from; --set Objective.Name=value changes them.

/// <summary>SimSiam: negative cosine with stop-gradient, a 2-layer predictor; collapse is monitored.</summary>
[SslModel, Projector(Layers = 3), Predictor(Layers = 2)]
public partial record GraphSimSiam(MolGin Encoder, IAugmentation View, SimSiam Objective);

/// <summary>BYOL: EMA target network with cosine momentum schedule, 2-layer predictor; collapse is monitored.</summary>
[SslModel, Projector(Layers = 3), Predictor(Layers = 2)]
public partial record GraphByol(MolGin Encoder, IAugmentation View, Byol Objective);

/// <summary>MoCo: momentum key encoder and a queue of negatives (create it with <c>new MoCo { QueueSize = 1024 }</c> for small datasets).</summary>
[SslModel, Projector(Layers = 3)]
public partial record GraphMoCo(MolGin Encoder, IAugmentation View, MoCo Objective);

/// <summary>SwAV: swapped prediction of Sinkhorn codes over learnable prototypes.</summary>
[SslModel, Projector(Layers = 3)]
public partial record GraphSwAV(MolGin Encoder, IAugmentation View, SwAV Objective);

/// <summary>Barlow Twins at the study's λ = 3.9e-3 and scale 1/32.</summary>
[SslModel, Projector(Layers = 3)]
public partial record GraphBarlowTwins(MolGin Encoder, IAugmentation View, BarlowTwins Objective);

/// <summary>VICReg with the paper's weights (25, 25, 1).</summary>
[SslModel, Projector(Layers = 3)]
public partial record GraphVicReg(MolGin Encoder, IAugmentation View, VicReg Objective);

// The methods that do not fit "two augmented graphs": one view, a perturbed encoder, node-level losses.

/// <summary>GraphMAE: one masked view, a one-layer GIN decoder, scaled cosine error on the masked nodes; GraphCL's GIN.</summary>
[SslModel]
public partial record GraphMaeModel(GraphClGin Encoder, Raw View, GraphMae Objective);

/// <summary>SimGRACE: NT-Xent between the raw graph and the same graph through a weight-perturbed encoder.</summary>
[SslModel, Projector(Layers = 2, BatchNorm = false)]
public partial record SimGraceModel(GraphClGin Encoder, Raw View1, PerturbWeights View2, NtXent Objective);

/// <summary>InfoGraph: Jensen–Shannon MI between node and graph embeddings of the raw graph.</summary>
[SslModel]
public partial record InfoGraphModel(GraphClGin Encoder, Raw View, InfoGraph Objective);
