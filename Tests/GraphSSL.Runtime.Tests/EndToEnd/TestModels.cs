using GraphSSL.Augmentations;
using GraphSSL.Objectives;

// Models declared the way users declare them; the generator runs over this test project.
namespace GraphSSL.Runtime.Tests.EndToEnd;

[Encoder, Gin(Layers = 2, Hidden = 32)]
public partial record SmallGin;

[Augmentation, NodeDropping(0.2)]
public partial record Drop20;

[SslModel, Projector(Layers = 2)]
public partial record SmallClr(SmallGin Encoder, IAugmentation View, NtXent Objective);
