using System.Collections.Generic;
using System.Linq;
using System.Threading;
using GraphSSL.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphSSL.Generators.Models
{
    /// <summary>[SslModel] record symbol → <see cref="ModelSpec"/> + diagnostics.</summary>
    internal static class ModelParser
    {
        public static ParseResult<ModelSpec> Parse(INamedTypeSymbol type, CancellationToken ct)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var attributes = DeclarationReader.GraphSslAttributes(type);
            var marker = attributes.FirstOrDefault(a => a.Name == AttributeTable.ModelMarker);
            var location = DeclarationReader.NameLocation(type, marker.Data, ct);
            bool ok = DeclarationReader.CheckShape(type, AttributeTable.ModelMarker, location, attributes,
                requireParameterlessConstructor: false, diagnostics, ct);
            if (diagnostics.Any(d => d.Id == Descriptors.MultipleMarkers.Id)) return Result(null, diagnostics);

            // Components: the positional parameters.
            var (parameters, parameterListLocation, listHasErrors) = PositionalParameters.Of(type, ct);
            if (listHasErrors) ok = false; // half-typed parameters: the compiler reports them; generate when they parse
            if (parameters.Select(p => p.Name).Distinct().Count() != parameters.Count) ok = false; // CS0100, reported by the compiler
            var components = new List<ComponentSpec>();
            foreach (var parameter in parameters)
            {
                var parameterType = parameter.Type;
                if (parameterType.TypeKind == TypeKind.Error || parameter.Name.Length == 0)
                {
                    ok = false; // the compiler reports the unknown type
                    continue;
                }
                var kind = KindOf(parameterType);
                if (kind is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.UnexpectedParameter, PositionalParameters.Location(parameter, ct) ?? location,
                        type.Name, parameter.Name, parameterType.ToDisplayString()));
                    ok = false;
                    continue;
                }
                if (!ComponentIsGenerated(parameterType, kind.Value, ct))
                {
                    ok = false; // the component's own declaration is wrong and reported there; generating would only add errors
                }
                if (kind == ComponentKind.Objective && WeightAttribute(parameter) is { } weightAttribute
                    && weightAttribute.ConstructorArguments.Length == 1 && weightAttribute.ConstructorArguments[0].Value is double weight && !(weight >= 0))
                {
                    // A negative or NaN weight (found by GeneratorFuzzTests: NaN used to crash the emitter).
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.Negative,
                        LocationInfo.From(weightAttribute.ApplicationSyntaxReference?.GetSyntax(ct)) ?? PositionalParameters.Location(parameter, ct) ?? location,
                        type.Name, parameter.Name + " weight", Literals.DoubleText(weight), "1"));
                    ok = false;
                }
                var typeSyntax = parameterType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                components.Add(kind == ComponentKind.Objective
                    ? new ComponentSpec(parameter.Name, parameterType.Name, typeSyntax, kind.Value,
                        Views: PositionalParameters.Named(parameterType, AttributeTable.ObjectiveMarker, "Views", 2),
                        UsesPredictor: PositionalParameters.Named(parameterType, AttributeTable.ObjectiveMarker, "UsesPredictor", false),
                        HasPrepare: Objectives.ObjectiveParser.HasPrepare(parameterType),
                        Weight: WeightOf(parameter))
                    : new ComponentSpec(parameter.Name, parameterType.Name, typeSyntax, kind.Value));
            }
            var encoders = components.Where(c => c.IsEncoder).ToList();
            var views = components.Where(c => c.IsView).ToList();
            var objectives = components.Where(c => c.IsObjective).ToList();
            if (encoders.Count != 1)
            {
                var at = encoders.Count > 1 ? PositionalParameters.Location(parameters.First(p => p.Name == encoders[1].Member), ct) : parameterListLocation;
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.EncoderParameter, at ?? location, type.Name,
                    encoders.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                ok = false;
            }
            if (objectives.Count == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.MissingObjective, parameterListLocation ?? location, type.Name));
                ok = false;
            }
            int viewCount = objectives.Count == 0 ? 2 : objectives.Max(o => o.Views);
            // An objective with Views outside 1..16 reports GSSL0031 itself; its count cannot be matched
            // against the views (found by GeneratorFuzzTests: Views = -3 with three views indexed views[-3]).
            bool viewCountValid = viewCount >= 1 && viewCount <= Objectives.ObjectiveParser.MaxViews;
            if (!viewCountValid) ok = false;
            if (views.Count == 0 || (viewCountValid && views.Count > 1 && views.Count != viewCount))
            {
                var at = views.Count > viewCount ? PositionalParameters.Location(parameters.First(p => p.Name == views[viewCount].Member), ct) : parameterListLocation;
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.AugmentationParameters, at ?? location, type.Name,
                    views.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    viewCount.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                ok = false;
            }

            // Heads: each at most once, hyperparameters prefixed with the head's name.
            var heads = new List<AttributeSpec>();
            foreach (var head in attributes.Where(a => a.Definition?.Role == AttributeRole.Head))
            {
                if (heads.Any(h => h.Name == head.Name))
                {
                    ok = false; // AllowMultiple = false: the compiler reports CS0579
                    continue;
                }
                var spec = DeclarationReader.Read(head, p => head.Name + p.Name, diagnostics, ct);
                if (spec is null) ok = false;
                else heads.Add(spec);
            }
            bool hasPredictor = attributes.Any(a => a.Definition is { Role: AttributeRole.Head, Stage: HeadStage.Predictor });
            foreach (var objective in objectives.Where(o => o.UsesPredictor))
            {
                if (hasPredictor) continue;
                var at = PositionalParameters.Location(parameters.First(p => p.Name == objective.Member), ct);
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.MissingHead, at ?? location, type.Name, objective.TypeName, "Predictor"));
                ok = false;
            }
            if (objectives.Count > 0 && !objectives.Any(o => o.UsesPredictor))
            {
                foreach (var head in attributes.Where(a => a.Definition is { Role: AttributeRole.Head, Stage: HeadStage.Predictor }))
                {
                    // A warning: the model still trains, without the head.
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.UnusedPredictor, DeclarationReader.AttributeLocation(head.Data, ct),
                        type.Name, string.Join(", ", objectives.Select(o => o.TypeName))));
                }
            }

            if (!ok) return Result(null, diagnostics);
            // Heads run in pipeline order (projector, then predictor) whatever order they were written in.
            var ordered = heads.OrderBy(h => (int)AttributeTable.ByName(h.Name)!.Stage).ToEquatableArray();
            var model = new ModelSpec(DeclarationReader.TypeOf(type), DeclarationReader.AttributesText(attributes, ct),
                components.ToEquatableArray(), ordered, NodeLevel(marker.Data));
            return Result(model, diagnostics);
        }

        /// <summary>What a parameter's type makes it, or null when it is no component.</summary>
        private static ComponentKind? KindOf(ITypeSymbol type)
        {
            if (DeclarationReader.HasMarker(type, AttributeTable.EncoderMarker) || DeclarationReader.IsOrImplements(type, "GraphSSL.Layers.IGraphEncoder"))
                return ComponentKind.Encoder;
            if (DeclarationReader.HasMarker(type, AttributeTable.ObjectiveMarker) || DeclarationReader.IsOrImplements(type, "GraphSSL.Objectives.IObjective"))
                return ComponentKind.Objective;
            if (DeclarationReader.IsOrImplements(type, "GraphSSL.Objectives.IEncoderView")) return ComponentKind.EncoderView;
            if (DeclarationReader.HasMarker(type, AttributeTable.AugmentationMarker))
                return Augmentations.AugmentationParser.IsEncoderView(type) ? ComponentKind.EncoderView : ComponentKind.GraphView;
            if (DeclarationReader.IsOrImplements(type, "GraphSSL.Augmentations.IAugmentation")) return ComponentKind.GraphView;
            return null;
        }

        /// <summary>[SslModel(NodeLevel = true)]: the marker's named argument, false when absent.</summary>
        private static bool NodeLevel(AttributeData? marker)
        {
            if (marker is null) return false;
            foreach (var argument in marker.NamedArguments)
                if (argument.Key == "NodeLevel" && argument.Value.Value is bool value) return value;
            return false;
        }

        /// <summary>The default weight of an objective parameter: its [Weight(w)], else 1.</summary>
        private static string WeightOf(IParameterSymbol parameter)
        {
            var attribute = WeightAttribute(parameter);
            if (attribute is not null && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is double w)
                return Literals.DoubleLiteral(w);
            return "1.0";
        }

        private static AttributeData? WeightAttribute(IParameterSymbol parameter)
            => parameter.GetAttributes().FirstOrDefault(a => a.AttributeClass is { Name: "WeightAttribute" } c && c.ContainingNamespace?.Name == "GraphSSL");

        /// <summary>
        /// False when the component is a declaration in this compilation that the generator rejects (so it lacks
        /// CreateModule / Apply); hand-written implementations and referenced declarations are fine.
        /// </summary>
        private static bool ComponentIsGenerated(ITypeSymbol type, ComponentKind kind, CancellationToken ct)
        {
            if (type is not INamedTypeSymbol named || named.DeclaringSyntaxReferences.Length == 0) return true;
            if (kind == ComponentKind.Encoder && DeclarationReader.HasMarker(named, AttributeTable.EncoderMarker))
                return Encoders.EncoderParser.Parse(named, ct).Spec is not null;
            if (kind == ComponentKind.Objective && DeclarationReader.HasMarker(named, AttributeTable.ObjectiveMarker))
                return Objectives.ObjectiveParser.Parse(named, ct).Spec is not null;
            if (DeclarationReader.HasMarker(named, AttributeTable.AugmentationMarker))
                return Augmentations.AugmentationParser.Parse(named, ct).Spec is not null;
            return true;
        }

        private static ParseResult<ModelSpec> Result(ModelSpec? spec, List<DiagnosticInfo> diagnostics)
            => new ParseResult<ModelSpec>(spec, diagnostics.ToEquatableArray());
    }
}
