using System.Linq;
using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Models
{
    /// <summary>What a positional parameter of an [SslModel] record is.</summary>
    internal enum ComponentKind
    {
        /// <summary>The encoder (an [Encoder] record or an IGraphEncoder).</summary>
        Encoder,
        /// <summary>A view of the graph (IAugmentation): its output is encoded by the online network.</summary>
        GraphView,
        /// <summary>A view made by a changed encoder (IEncoderView, e.g. SimGRACE's weight perturbation).</summary>
        EncoderView,
        /// <summary>An objective ([Objective] record, IObjective&lt;TState&gt;).</summary>
        Objective,
    }

    /// <summary>A positional parameter of an [SslModel] record: one component, as a value.</summary>
    /// <param name="Member">Parameter (and property) name, e.g. "Encoder".</param>
    /// <param name="TypeName">Type name as shown in the catalog, e.g. "MolGin".</param>
    /// <param name="TypeSyntax">Type as emitted, e.g. "global::Chem.MolGin".</param>
    /// <param name="Kind">What the component is.</param>
    /// <param name="Views">Objectives: how many views the loss reads.</param>
    /// <param name="UsesPredictor">Objectives: whether the loss reads predictions.</param>
    /// <param name="HasPrepare">Objectives: whether views pass through the objective's Prepare before encoding.</param>
    /// <param name="Weight">Objectives: the default weight in the summed loss, as invariant text.</param>
    internal sealed record ComponentSpec(string Member, string TypeName, string TypeSyntax, ComponentKind Kind,
        int Views = 0, bool UsesPredictor = false, bool HasPrepare = false, string Weight = "1")
    {
        public bool IsEncoder => Kind == ComponentKind.Encoder;

        public bool IsView => Kind is ComponentKind.GraphView or ComponentKind.EncoderView;

        public bool IsObjective => Kind == ComponentKind.Objective;
    }

    /// <summary>An [SslModel] record: its components in declaration order and its heads in pipeline order.</summary>
    /// <param name="NodeLevel">[SslModel(NodeLevel = true)]: one full-graph batch per step, node embeddings to the heads and objectives.</param>
    internal sealed record ModelSpec(TypeSpec Type, string Attributes, EquatableArray<ComponentSpec> Components, EquatableArray<AttributeSpec> Heads,
        bool NodeLevel = false)
    {
        public ComponentSpec Encoder => Components.First(c => c.IsEncoder);

        public ComponentSpec[] Views => Components.Where(c => c.IsView).ToArray();

        public ComponentSpec[] Objectives => Components.Where(c => c.IsObjective).ToArray();

        /// <summary>How many views every step makes: the most any objective reads.</summary>
        public int ViewCount => Objectives.Max(o => o.Views);

        /// <summary>Whether some objective reads predictions (else no predictor is built).</summary>
        public bool UsesPredictor => Objectives.Any(o => o.UsesPredictor);
    }
}
