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
            var (parameters, parameterListLocation, listHasErrors) = PrimaryParameters(type, ct);
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
                bool isEncoder = DeclarationReader.HasMarker(parameterType, AttributeTable.EncoderMarker)
                                 || DeclarationReader.IsOrImplements(parameterType, "IGraphEncoder");
                bool isAugmentation = !isEncoder && (DeclarationReader.HasMarker(parameterType, AttributeTable.AugmentationMarker)
                                 || DeclarationReader.IsOrImplements(parameterType, "IAugmentation"));
                if (!isEncoder && !isAugmentation)
                {
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.UnexpectedParameter, ParameterLocation(parameter, ct) ?? location,
                        type.Name, parameter.Name, parameterType.ToDisplayString()));
                    ok = false;
                    continue;
                }
                if (!ComponentIsGenerated(parameterType, isEncoder, ct))
                {
                    ok = false; // the component's own declaration is wrong and reported there; generating would only add errors
                }
                components.Add(new ComponentSpec(parameter.Name, parameterType.Name,
                    parameterType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    isEncoder));
            }
            var encoders = components.Where(c => c.IsEncoder).ToList();
            var views = components.Where(c => !c.IsEncoder).ToList();
            if (encoders.Count != 1)
            {
                var at = encoders.Count > 1 ? ParameterLocation(parameters.First(p => p.Name == encoders[1].Member), ct) : parameterListLocation;
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.EncoderParameter, at ?? location, type.Name,
                    encoders.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                ok = false;
            }
            if (views.Count < 1 || views.Count > 2)
            {
                var at = views.Count > 2 ? ParameterLocation(parameters.First(p => p.Name == views[2].Member), ct) : parameterListLocation;
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.AugmentationParameters, at ?? location, type.Name,
                    views.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                ok = false;
            }

            // Objective: exactly one.
            var objectives = attributes.Where(a => a.Definition?.Role == AttributeRole.Objective).ToList();
            AttributeSpec? objective = null;
            if (objectives.Count == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.MissingObjective, location, type.Name));
                ok = false;
            }
            else if (objectives.Count > 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.MultipleObjectives, DeclarationReader.AttributeLocation(objectives[1].Data, ct),
                    type.Name, string.Join(", ", objectives.Select(o => "[" + o.Name + "]"))));
                ok = false;
            }
            else
            {
                objective = DeclarationReader.Read(objectives[0], p => p.Name, diagnostics, ct);
                if (objective is null) ok = false;
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
            if (objectives.Count == 1)
            {
                foreach (var required in objectives[0].Definition!.RequiredHeads)
                {
                    if (heads.Any(h => h.Name == required)) continue;
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.MissingHead, DeclarationReader.AttributeLocation(objectives[0].Data, ct),
                        type.Name, objectives[0].Name, required));
                    ok = false;
                }
            }

            if (objectives.Count == 1 && !objectives[0].Definition!.UsesPredictions)
            {
                foreach (var head in attributes.Where(a => a.Definition is { Role: AttributeRole.Head, Stage: HeadStage.Predictor }))
                {
                    // A warning: the model still trains, without the head.
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.UnusedPredictor, DeclarationReader.AttributeLocation(head.Data, ct),
                        type.Name, objectives[0].Name));
                }
            }

            if (!ok || objective is null) return Result(null, diagnostics);
            // Heads run in pipeline order (projector, then predictor) whatever order they were written in.
            var ordered = heads.OrderBy(h => (int)AttributeTable.ByName(h.Name)!.Stage).ToEquatableArray();
            var model = new ModelSpec(DeclarationReader.TypeOf(type), DeclarationReader.AttributesText(attributes, ct),
                components.ToEquatableArray(), objective, ordered);
            return Result(model, diagnostics);
        }

        /// <summary>The record's positional parameters and the location of their list (or of the name when there is none).</summary>
        private static (IReadOnlyList<IParameterSymbol> Parameters, LocationInfo? ListLocation, bool HasErrors) PrimaryParameters(INamedTypeSymbol type, CancellationToken ct)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(ct) is RecordDeclarationSyntax { ParameterList: { } list } declaration)
                {
                    foreach (var constructor in type.InstanceConstructors)
                    {
                        if (constructor.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == declaration.SyntaxTree && r.Span == declaration.Span))
                            return (constructor.Parameters, LocationInfo.From(list), list.ContainsDiagnostics);
                    }
                    return (System.Array.Empty<IParameterSymbol>(), LocationInfo.From(list), list.ContainsDiagnostics);
                }
            }
            return (System.Array.Empty<IParameterSymbol>(), null, false);
        }

        /// <summary>
        /// False when the component is a declaration in this compilation that the generator rejects (so it lacks
        /// CreateModule / Apply); hand-written implementations and referenced declarations are fine.
        /// </summary>
        private static bool ComponentIsGenerated(ITypeSymbol type, bool isEncoder, CancellationToken ct)
        {
            if (type is not INamedTypeSymbol named || named.DeclaringSyntaxReferences.Length == 0) return true;
            if (isEncoder && DeclarationReader.HasMarker(named, AttributeTable.EncoderMarker))
                return Encoders.EncoderParser.Parse(named, ct).Spec is not null;
            if (!isEncoder && DeclarationReader.HasMarker(named, AttributeTable.AugmentationMarker))
                return Augmentations.AugmentationParser.Parse(named, ct).Spec is not null;
            return true;
        }

        private static LocationInfo? ParameterLocation(IParameterSymbol parameter, CancellationToken ct)
            => LocationInfo.From(parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct));

        private static ParseResult<ModelSpec> Result(ModelSpec? spec, List<DiagnosticInfo> diagnostics)
            => new ParseResult<ModelSpec>(spec, diagnostics.ToEquatableArray());
    }
}
