using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace GraphSSL.Generators.Common
{
    /// <summary>
    /// Every diagnostic GraphSSL reports, in one table. Messages say how to fix the declaration; each
    /// id links to its section of docs/DSL.md.
    /// </summary>
    internal static class Descriptors
    {
        public const string Category = "GraphSSL";

        private static DiagnosticDescriptor Rule(string id, string title, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error)
            => new DiagnosticDescriptor(id, title, message, Category, severity, isEnabledByDefault: true,
                helpLinkUri: "https://github.com/graphssl/graphssl-dsl/blob/main/docs/DSL.md#" + id.ToLowerInvariant());

        public static readonly DiagnosticDescriptor NotPartial = Rule("GSSL0001",
            "GraphSSL declaration must be partial",
            "'{0}' is declared with [{1}] but is not partial: add the 'partial' modifier ('public partial record {0}') so the generator can add its members");

        public static readonly DiagnosticDescriptor NotARecord = Rule("GSSL0002",
            "GraphSSL declaration must be a record class",
            "[{1}] applies to records: declare '{0}' as 'partial record {0}' instead of a {2}");

        public static readonly DiagnosticDescriptor Nested = Rule("GSSL0003",
            "GraphSSL declaration must be top-level",
            "'{0}' is nested inside '{1}': move it out to namespace level, GraphSSL declarations must be top-level types");

        public static readonly DiagnosticDescriptor UnsupportedShape = Rule("GSSL0004",
            "GraphSSL declaration must be a concrete, non-generic record",
            "'{0}' is {1}: GraphSSL declarations must be non-generic, non-abstract records so they can be created by the catalog");

        public static readonly DiagnosticDescriptor EncoderParameter = Rule("GSSL0005",
            "Model needs exactly one encoder parameter",
            "[SslModel] record '{0}' has {1} encoder parameters: declare exactly one positional parameter whose type is an [Encoder] record, e.g. 'partial record {0}(MyGin Encoder, IAugmentation View)'");

        public static readonly DiagnosticDescriptor AugmentationParameters = Rule("GSSL0006",
            "Model's views do not match its objectives",
            "[SslModel] record '{0}' has {1} view parameters but its objectives read {2} views: declare one view parameter (every view drawn from it) or {2} (one per view), e.g. 'partial record {0}(MyGin Encoder, IAugmentation View, NtXent Objective)'");

        public static readonly DiagnosticDescriptor UnexpectedParameter = Rule("GSSL0007",
            "Model parameter is not a component",
            "Parameter '{1}' of [SslModel] record '{0}' has type '{2}', which is neither an [Encoder], a view (IAugmentation, IEncoderView) nor an [Objective]: remove it or change its type");

        public static readonly DiagnosticDescriptor MissingObjective = Rule("GSSL0008",
            "Model has no objective",
            "[SslModel] record '{0}' has no objective: add a positional parameter whose type is an [Objective] record, e.g. 'NtXent Objective'");

        // GSSL0009 (more than one objective attribute) is retired: a model may sum several objectives.

        public static readonly DiagnosticDescriptor RatioOutOfRange = Rule("GSSL0010",
            "Share or probability outside its range",
            "{0}.{1} is {2}, outside {3}: use a value in {3}, e.g. 0.2");

        public static readonly DiagnosticDescriptor NotPositive = Rule("GSSL0011",
            "Value must be positive",
            "{0}.{1} is {2}: it must be greater than 0, e.g. {3}");

        public static readonly DiagnosticDescriptor LessThanOne = Rule("GSSL0012",
            "Size must be at least 1",
            "{0}.{1} is {2}: it must be at least 1, e.g. {3}");

        public static readonly DiagnosticDescriptor Negative = Rule("GSSL0013",
            "Value must not be negative",
            "{0}.{1} is {2}: it must be 0 or more ({3} is the default)");

        public static readonly DiagnosticDescriptor MissingEncoderKind = Rule("GSSL0014",
            "Encoder has no encoder kind",
            "[Encoder] record '{0}' declares no encoder kind: add one, e.g. [Gin(Layers = 3, Hidden = 64)]");

        public static readonly DiagnosticDescriptor MultipleEncoderKinds = Rule("GSSL0015",
            "Encoder has more than one encoder kind",
            "[Encoder] record '{0}' has encoder kinds {1}: keep exactly one and declare another [Encoder] record for the other");

        public static readonly DiagnosticDescriptor MissingAugmentation = Rule("GSSL0016",
            "Augmentation has no augmentation attribute",
            "[Augmentation] record '{0}' applies nothing: add one or more augmentation attributes, e.g. [NodeDropping(0.2)], or declare your own view with 'public GraphBatch Apply(GraphBatch batch, Generator generator)'");

        public static readonly DiagnosticDescriptor KindWithoutMarker = Rule("GSSL0017",
            "Attribute has no effect without its marker",
            "[{1}] on '{0}' has no effect without [{2}]: add [{2}] to '{0}' or remove [{1}]",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor MultipleMarkers = Rule("GSSL0018",
            "Record has more than one GraphSSL marker",
            "'{0}' is marked {1}: a record is either an [Encoder], an [Augmentation] or an [SslModel]; keep one");

        public static readonly DiagnosticDescriptor NoParameterlessConstructor = Rule("GSSL0019",
            "Encoder or augmentation needs a parameterless constructor",
            "[{1}] record '{0}' has no parameterless constructor: remove its positional parameters (hyperparameters come from attributes and are set with 'with' or object initialisers), or give each a default");

        public static readonly DiagnosticDescriptor RuntimeNotReferenced = Rule("GSSL0020",
            "GraphSSL.Runtime is not referenced",
            "'{0}' is a GraphSSL declaration but the project does not reference GraphSSL.Runtime (type 'GraphSSL.{1}' not found): add a reference to GraphSSL.Runtime");

        public static readonly DiagnosticDescriptor MissingHead = Rule("GSSL0021",
            "Objective needs a head",
            "Objective '{1}' of '{0}' reads predictions and needs a [{2}] head: add [{2}] to '{0}'");

        public static readonly DiagnosticDescriptor LessThanTwo = Rule("GSSL0022",
            "Count must be at least 2",
            "{0}.{1} is {2}: it must be at least 2 (e.g. SwAV with one prototype gives every graph the same code and cannot learn), e.g. {3}");

        /// <summary>The diagnostic for a value outside <paramref name="range"/> (one per range family; the IDs are stable).</summary>
        public static DiagnosticDescriptor OutOfRange(ValueRange range) => range switch
        {
            ValueRange.Ratio or ValueRange.Probability => RatioOutOfRange,
            ValueRange.Positive => NotPositive,
            ValueRange.AtLeastOne => LessThanOne,
            ValueRange.AtLeastTwo => LessThanTwo,
            _ => Negative,
        };

        /// <summary>The last argument of <see cref="OutOfRange"/>'s message: the interval for shares, else an example value.</summary>
        public static string OutOfRangeHint(ValueRange range, string example) => range switch
        {
            ValueRange.Ratio => "[0, 1)",
            ValueRange.Probability => "[0, 1]",
            _ => example,
        };

        // GSSL0023 (EMA momentum outside [0, 1)) is retired: objectives declare their ranges with [Hyper]; a momentum is a Ratio (GSSL0010).

        public static readonly DiagnosticDescriptor UnusedPredictor = Rule("GSSL0024",
            "Predictor is not used by the objective",
            "[Predictor] on '{0}' has no effect: its objectives ({1}) do not read predictions, so no prediction head is built; remove [Predictor], or use an objective that needs one (SimSiam, Byol)",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor MissingLoss = Rule("GSSL0025",
            "Objective has no loss",
            "[Objective] record '{0}' has no loss: add 'public Tensor Loss(Views views)', or for a stateful objective 'public TState Start(ObjectiveContext context)' and 'public Tensor Loss(Views views, TState state)'");

        public static readonly DiagnosticDescriptor MemberSignature = Rule("GSSL0026",
            "Objective or view member has the wrong signature",
            "'{0}.{1}' has the wrong signature: declare it as '{2}'");

        public static readonly DiagnosticDescriptor UnsupportedHyperParameter = Rule("GSSL0027",
            "Hyperparameter of an unsupported type",
            "Parameter '{1}' of '{0}' has type '{2}': hyperparameters must be int, double, bool or an enum; keep other values in the objective's state");

        public static readonly DiagnosticDescriptor HyperParameterWithoutDefault = Rule("GSSL0028",
            "Hyperparameter without a default",
            "Parameter '{1}' of '{0}' has no default value: give it one (e.g. '{2} {1} = …') so '{0}' can be created with its defaults");

        public static readonly DiagnosticDescriptor StateNotCheckpointable = Rule("GSSL0029",
            "Objective state cannot be checkpointed",
            "'{0}.Start' returns '{1}', which does not derive from GraphSSL.Objectives.ObjectiveState: derive it from ObjectiveState and register its tensors and modules, so checkpoints hold it and resumes are exact");

        public static readonly DiagnosticDescriptor StateMismatch = Rule("GSSL0030",
            "Objective members disagree on the state type",
            "'{0}.{1}' takes state '{2}' but '{0}.Start' returns '{3}': use the type Start returns in Loss, AfterStep and Prepare");

        public static readonly DiagnosticDescriptor ViewCountOutOfRange = Rule("GSSL0031",
            "Objective's view count is out of range",
            "[Objective(Views = {1})] on '{0}': an objective reads at least 1 and at most 16 views");

        public static readonly DiagnosticDescriptor MissingLayerMembers = Rule("GSSL0032",
            "Layer has no module",
            "[Layer] record '{0}' needs 'public int OutputDim(int inputDim)' and 'public nn.Module<Tensor, GraphBatch, Tensor> CreateModule(int inputDim)': add them");

        /// <summary>
        /// Not a declaration rule: reported by <c>ScalarLifetimeAnalyzer</c> on any code, off by default (turn it on
        /// with <c>dotnet_diagnostic.GSSL0033.severity = warning</c>); GraphSSL's own projects treat it as an error.
        /// </summary>
        public static readonly DiagnosticDescriptor ScalarTemporary = new DiagnosticDescriptor("GSSL0033",
            "TorchSharp Scalar temporary may be freed during the call",
            "{0} that nothing keeps alive: TorchSharp passes its native handle on and the garbage collector may finalize (free) it while libtorch reads it, which crashes ('Unknown scalar type') or silently reads another value. {1}.",
            "GraphSSL.Reliability", DiagnosticSeverity.Warning, isEnabledByDefault: false,
            helpLinkUri: "https://github.com/graphssl/graphssl-dsl/blob/main/docs/DSL.md#gssl0033");

        /// <summary>Every descriptor, in id order.</summary>
        public static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
            NotPartial, NotARecord, Nested, UnsupportedShape, EncoderParameter, AugmentationParameters,
            UnexpectedParameter, MissingObjective, RatioOutOfRange, NotPositive, LessThanOne,
            Negative, MissingEncoderKind, MultipleEncoderKinds, MissingAugmentation, KindWithoutMarker,
            MultipleMarkers, NoParameterlessConstructor, RuntimeNotReferenced, MissingHead, LessThanTwo,
            UnusedPredictor, MissingLoss, MemberSignature, UnsupportedHyperParameter, HyperParameterWithoutDefault,
            StateNotCheckpointable, StateMismatch, ViewCountOutOfRange, MissingLayerMembers);

        private static readonly Dictionary<string, DiagnosticDescriptor> byId = All.ToDictionary(d => d.Id);

        public static DiagnosticDescriptor ById(string id) => byId[id];
    }
}
