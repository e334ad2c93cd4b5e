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
[SslModel, NtXent(Temperature = 0.2), Projector(Layers = 3)]
public partial record GraphClr(MolGin Encoder, IAugmentation View);

// One model per objective family, all over the study's GIN and any augmentation(s) given with
// --augmentation (one for both views, or two). Defaults are the literature's.

/// <summary>SimSiam: negative cosine with stop-gradient, a 2-layer predictor; collapse is monitored.</summary>
[SslModel, SimSiam, Projector(Layers = 3), Predictor(Layers = 2)]
public partial record GraphSimSiam(MolGin Encoder, IAugmentation View);

/// <summary>BYOL: EMA target network with cosine momentum schedule, 2-layer predictor; collapse is monitored.</summary>
[SslModel, Byol(BaseMomentum = 0.99), Projector(Layers = 3), Predictor(Layers = 2)]
public partial record GraphByol(MolGin Encoder, IAugmentation View);

/// <summary>MoCo: momentum key encoder and a queue of negatives.</summary>
[SslModel, MoCo(Temperature = 0.2, QueueSize = 1024, Momentum = 0.99), Projector(Layers = 3)]
public partial record GraphMoCo(MolGin Encoder, IAugmentation View);

/// <summary>SwAV: swapped prediction of Sinkhorn codes over learnable prototypes.</summary>
[SslModel, SwAV(Prototypes = 30, Temperature = 0.1, Epsilon = 0.05, SinkhornIterations = 3), Projector(Layers = 3)]
public partial record GraphSwAV(MolGin Encoder, IAugmentation View);

/// <summary>Barlow Twins at the study's λ = 3.9e-3 and scale 1/32.</summary>
[SslModel, BarlowTwins(Lambda = 0.0039, Scale = 0.03125), Projector(Layers = 3)]
public partial record GraphBarlowTwins(MolGin Encoder, IAugmentation View);

/// <summary>VICReg with the paper's weights (25, 25, 1).</summary>
[SslModel, VicReg(Invariance = 25, Variance = 25, Covariance = 1), Projector(Layers = 3)]
public partial record GraphVicReg(MolGin Encoder, IAugmentation View);
