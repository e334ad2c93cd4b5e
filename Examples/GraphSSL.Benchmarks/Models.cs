using GraphSSL.Augmentations;
using GraphSSL.Objectives;

// The models the benchmark trains, declared with the DSL. Building this project runs the GraphSSL
// generator over them; the generated trainers (obj/generated/) are what the benchmark times.
namespace GraphSSL.Benchmarks;

/// <summary>The study's GIN: 3 layers of 64 (the 3 × 512 case sets <c>Hidden = 512</c>), sum pooling, concatenated.</summary>
[Encoder, Gin(Layers = 3, Hidden = 64)]
public partial record BenchGin;

/// <summary>Node dropping at GraphCL's default ratio 0.2.</summary>
[Augmentation, NodeDropping(0.2)]
public partial record BenchDropNodes;

/// <summary>Subgraph by neighbourhood expansion, dropping 20% of each graph's nodes.</summary>
[Augmentation, Subgraph(0.2)]
public partial record BenchSubgraph;

/// <summary>Attribute masking of 20% of each graph's nodes with N(0.5, 0.5²) noise (the study's noise).</summary>
[Augmentation, AttributeMasking(0.2)]
public partial record BenchMaskAttributes;

/// <summary>SimCLR: NT-Xent at the study's temperature, the study's 3-layer projector.</summary>
[SslModel, Projector(Layers = 3)]
public partial record BenchSimClr(BenchGin Encoder, IAugmentation View, NtXent Objective);

/// <summary>SimSiam: stop-gradient, 3-layer projector and the study's 2-layer predictor.</summary>
[SslModel, Projector(Layers = 3), Predictor(Layers = 2)]
public partial record BenchSimSiam(BenchGin Encoder, IAugmentation View, SimSiam Objective);

/// <summary>Barlow Twins with the study's λ and 1/32 scale, 3-layer projector.</summary>
[SslModel, Projector(Layers = 3)]
public partial record BenchBarlowTwins(BenchGin Encoder, IAugmentation View, BarlowTwins Objective);
