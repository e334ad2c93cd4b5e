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
