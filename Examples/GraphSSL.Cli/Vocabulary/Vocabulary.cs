// The whole vocabulary as values the command line can name. The attribute kinds (augmentation steps and
// encoder kinds, described once in Generators/*/…Kinds.cs) have no runtime type of their own: one
// [Augmentation]/[Encoder] record per kind, declared here with the DSL, lets the generator build each from
// its table entry (parameters, order, defaults, the tensor code), and puts it in the catalog under the
// kind's own name, so `--view "NodeDropping(0.2)"` and `--encoder "Gat(Heads=8)"` find it there.
// Generic models (one per objective, as objectives are typed parameters) give an expression a shape when
// no --model is named; see docs/DSL.md, "Expressions".
using TorchSharp;
using GraphSSL.Augmentations;
using GraphSSL.Batching;
using GraphSSL.Layers;
using GraphSSL.Objectives;
using GraphSSL.Training;
using GraphSSL.Cli.Scenarios;

namespace GraphSSL.Cli.Vocabulary
{
    /// <summary>[NodeDropping] as a value; Ratio as in the table (default 0).</summary>
    [Augmentation, NodeDropping(0)] public partial record NodeDropping;
    /// <summary>[EdgePerturbation] as a value.</summary>
    [Augmentation, EdgePerturbation(0)] public partial record EdgePerturbation;
    /// <summary>[AttributeMasking] as a value.</summary>
    [Augmentation, AttributeMasking(0)] public partial record AttributeMasking;
    /// <summary>[Subgraph] as a value.</summary>
    [Augmentation, Subgraph(0)] public partial record Subgraph;
    /// <summary>[FeatureDropout] as a value.</summary>
    [Augmentation, FeatureDropout(0)] public partial record FeatureDropout;
    /// <summary>[AddEdges] as a value.</summary>
    [Augmentation, AddEdges(0)] public partial record AddEdges;
    /// <summary>[Identity] as a value: the graph itself.</summary>
    [Augmentation, Identity] public partial record Identity;

    /// <summary>[Gin] as a value, with the table's defaults.</summary>
    [Encoder, Gin] public partial record Gin;
    /// <summary>[Gcn] as a value.</summary>
    [Encoder, Gcn] public partial record Gcn;
    /// <summary>[GraphSage] as a value.</summary>
    [Encoder, GraphSage] public partial record GraphSage;
    /// <summary>[Gat] as a value.</summary>
    [Encoder, Gat] public partial record Gat;
}

namespace GraphSSL.Cli.Vocabulary
{
    /// <summary>
    /// One view slot of a generic model: a view of the graph (<see cref="IAugmentation"/>, encoded by the online
    /// network, exactly as the generated step does for an IAugmentation parameter) or a view made by a changed
    /// encoder (<see cref="IEncoderView"/>, e.g. <c>PerturbWeights</c>). <see cref="Text"/> is the expression it was
    /// parsed from, shown in reports; <see cref="IDeclared"/> is forwarded so <c>--set View.Name=value</c> works.
    /// </summary>
    public sealed record AnyView(object Inner, string Text) : IEncoderView, IDeclared
    {
        /// <summary>The view's output: the inner encoder view's, or the online network's encoding of the augmented batch.</summary>
        public ViewOutput Forward(SslNetwork online, GraphBatch batch, torch.Generator generator) => Inner switch
        {
            IEncoderView view => view.Forward(online, batch, generator),
            IAugmentation augmentation => online.Forward(augmentation.Apply(batch, generator)),
            _ => throw new InvalidOperationException($"{Inner.GetType().Name} is neither an IAugmentation nor an IEncoderView."),
        };

        string IDeclared.DeclaredName => Text;

        IReadOnlyList<HyperParameter> IDeclared.HyperParameters => Inner is IDeclared d ? d.HyperParameters : Array.Empty<HyperParameter>();

        IDeclared IDeclared.WithHyperParameter(string name, string value) => Inner is IDeclared d
            ? this with { Inner = d.WithHyperParameter(name, value) }
            : throw new ArgumentException($"View '{Text}' has no hyperparameters to set; write them in the expression.", nameof(name));
    }

    // Generic models: an encoder, the views the objective reads and the objective, all given as expressions.
    // Two-view objectives take AnyView slots (one --view for both views, drawn independently, or one each; an
    // encoder view such as PerturbWeights fits too); one-view objectives a view of the graph. Heads as the
    // tool's per-objective models: a 3-layer projector, a 2-layer predictor where the objective reads one;
    // GraphMAE and InfoGraph read the encoder's own outputs. `--set ProjectorLayers=2` etc. change them.

    /// <summary>NT-Xent over any encoder and views.</summary>
    [SslModel, Projector(Layers = 3)] public partial record GenericNtXent(IGraphEncoder Encoder, AnyView View1, AnyView View2, NtXent Objective);
    /// <summary>SimSiam over any encoder and views.</summary>
    [SslModel, Projector(Layers = 3), Predictor(Layers = 2)] public partial record GenericSimSiam(IGraphEncoder Encoder, AnyView View1, AnyView View2, SimSiam Objective);
    /// <summary>Barlow Twins over any encoder and views.</summary>
    [SslModel, Projector(Layers = 3)] public partial record GenericBarlowTwins(IGraphEncoder Encoder, AnyView View1, AnyView View2, BarlowTwins Objective);
    /// <summary>VICReg over any encoder and views.</summary>
    [SslModel, Projector(Layers = 3)] public partial record GenericVicReg(IGraphEncoder Encoder, AnyView View1, AnyView View2, VicReg Objective);
    /// <summary>MoCo over any encoder and views.</summary>
    [SslModel, Projector(Layers = 3)] public partial record GenericMoCo(IGraphEncoder Encoder, AnyView View1, AnyView View2, MoCo Objective);
    /// <summary>BYOL over any encoder and views.</summary>
    [SslModel, Projector(Layers = 3), Predictor(Layers = 2)] public partial record GenericByol(IGraphEncoder Encoder, AnyView View1, AnyView View2, Byol Objective);
    /// <summary>SwAV over any encoder and views.</summary>
    [SslModel, Projector(Layers = 3)] public partial record GenericSwAV(IGraphEncoder Encoder, AnyView View1, AnyView View2, SwAV Objective);
    /// <summary>CCA-SSG over any encoder and views; no projector (the paper standardises the encoder's outputs).</summary>
    [SslModel] public partial record GenericCcaSsg(IGraphEncoder Encoder, AnyView View1, AnyView View2, CcaSsg Objective);
    /// <summary>GraphMAE over any encoder and (one) view of the graph; GraphMAE masks it itself.</summary>
    [SslModel] public partial record GenericGraphMae(IGraphEncoder Encoder, IAugmentation View, GraphMae Objective);
    /// <summary>InfoGraph over any encoder and (one) view of the graph.</summary>
    [SslModel] public partial record GenericInfoGraph(IGraphEncoder Encoder, IAugmentation View, InfoGraph Objective);
    /// <summary>The scenario's alignment + uniformity objective over any encoder and views.</summary>
    [SslModel, Projector(Layers = 2)] public partial record GenericAlignUniform(IGraphEncoder Encoder, AnyView View1, AnyView View2, AlignUniform Objective);
    /// <summary>The scenario's memory-bank objective over any encoder and views.</summary>
    [SslModel, Projector(Layers = 2)] public partial record GenericMemoryNce(IGraphEncoder Encoder, AnyView View1, AnyView View2, MemoryNce Objective);
}
