using System.Collections.Generic;
using System.Linq;
using System.Threading;
using GraphSSL.Generators.Common;
using Microsoft.CodeAnalysis;

namespace GraphSSL.Generators.Objectives
{
    /// <summary>[Objective] record symbol → <see cref="ObjectiveSpec"/> + diagnostics.</summary>
    internal static class ObjectiveParser
    {
        /// <summary>Most views one objective may read (GSSL0031); the generated step has code per view.</summary>
        public const int MaxViews = 16;

        private const string LossStateless = "public Tensor Loss(Views views)";
        private const string LossStateful = "public Tensor Loss(Views views, TState state)";
        private const string StartSignature = "public TState Start(ObjectiveContext context)";
        private const string AfterStepSignature = "public void AfterStep(Views views, TState state)";
        private const string PrepareSignature = "public GraphBatch Prepare(GraphBatch view, TState state, Generator generator)";

        public static ParseResult<ObjectiveSpec> Parse(INamedTypeSymbol type, CancellationToken ct)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var attributes = DeclarationReader.GraphSslAttributes(type);
            var marker = attributes.FirstOrDefault(a => a.Name == AttributeTable.ObjectiveMarker);
            var location = DeclarationReader.NameLocation(type, marker.Data, ct);
            bool ok = DeclarationReader.CheckShape(type, AttributeTable.ObjectiveMarker, location, attributes,
                requireParameterlessConstructor: false, diagnostics, ct);
            if (diagnostics.Any(d => d.Id == Descriptors.MultipleMarkers.Id)) return Result(null, diagnostics);

            var values = PositionalParameters.HyperParameters(type, diagnostics, ct);
            if (values is null) ok = false;

            int views = PositionalParameters.Named(type, AttributeTable.ObjectiveMarker, "Views", 2);
            bool usesPredictor = PositionalParameters.Named(type, AttributeTable.ObjectiveMarker, "UsesPredictor", false);
            // An upper bound too: the generated step has code per view, so Views = int.MaxValue would
            // make the generator build gigabytes of source (found by GeneratorFuzzTests).
            if (views < 1 || views > MaxViews)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.ViewCountOutOfRange, location, type.Name,
                    views.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                ok = false;
            }

            // The lifecycle members the record declares itself.
            var losses = Methods(type, "Loss");
            var starts = Methods(type, "Start");
            ITypeSymbol? state = null;
            if (starts.Count > 0)
            {
                var start = starts[0];
                if (!Callable(start) || start.Parameters.Length != 1 || !Is(start.Parameters[0].Type, "GraphSSL.Objectives.ObjectiveContext") || start.ReturnsVoid)
                {
                    Report(diagnostics, Descriptors.MemberSignature, start, ct, type.Name, "Start", StartSignature);
                    ok = false;
                }
                else if (!DerivesFrom(start.ReturnType, "GraphSSL.Objectives.ObjectiveState"))
                {
                    Report(diagnostics, Descriptors.StateNotCheckpointable, start, ct, type.Name, start.ReturnType.ToDisplayString());
                    ok = false;
                }
                else state = start.ReturnType;
            }

            var stateless = losses.FirstOrDefault(m => m.Parameters.Length == 1);
            var stateful = losses.FirstOrDefault(m => m.Parameters.Length == 2);
            if (losses.Count == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.MissingLoss, location, type.Name));
                ok = false;
            }
            else if (state is null && starts.Count == 0)
            {
                // Stateless: Loss(Views) → Tensor.
                if (stateless is null || stateful is not null || !Callable(stateless) || !Is(stateless.Parameters[0].Type, "GraphSSL.Objectives.Views") || !IsTensor(stateless.ReturnType))
                {
                    Report(diagnostics, Descriptors.MemberSignature, (stateful ?? stateless ?? losses[0]), ct, type.Name, "Loss",
                        stateful is not null ? LossStateful + " with " + StartSignature : LossStateless);
                    ok = false;
                }
            }
            else if (state is not null)
            {
                if (stateful is null || !Callable(stateful) || !Is(stateful.Parameters[0].Type, "GraphSSL.Objectives.Views") || !IsTensor(stateful.ReturnType))
                {
                    Report(diagnostics, Descriptors.MemberSignature, stateful ?? losses[0], ct, type.Name, "Loss", LossStateful);
                    ok = false;
                }
                else if (!SymbolEqualityComparer.Default.Equals(stateful.Parameters[1].Type, state))
                {
                    Report(diagnostics, Descriptors.StateMismatch, stateful, ct, type.Name, "Loss", stateful.Parameters[1].Type.ToDisplayString(), state.ToDisplayString());
                    ok = false;
                }
            }

            bool hasAfterStep = false;
            foreach (var after in Methods(type, "AfterStep"))
            {
                hasAfterStep = true;
                if (state is null || !Callable(after) || after.Parameters.Length != 2 || !after.ReturnsVoid || !Is(after.Parameters[0].Type, "GraphSSL.Objectives.Views"))
                {
                    Report(diagnostics, Descriptors.MemberSignature, after, ct, type.Name, "AfterStep", AfterStepSignature + " (with " + StartSignature + ")");
                    ok = false;
                }
                else if (!SymbolEqualityComparer.Default.Equals(after.Parameters[1].Type, state))
                {
                    Report(diagnostics, Descriptors.StateMismatch, after, ct, type.Name, "AfterStep", after.Parameters[1].Type.ToDisplayString(), state.ToDisplayString());
                    ok = false;
                }
            }
            foreach (var prepare in Methods(type, "Prepare"))
            {
                if (state is null || !Callable(prepare) || prepare.Parameters.Length != 3 || !Is(prepare.ReturnType, "GraphSSL.Batching.GraphBatch")
                    || !Is(prepare.Parameters[0].Type, "GraphSSL.Batching.GraphBatch") || !Is(prepare.Parameters[2].Type, "TorchSharp.torch.Generator"))
                {
                    Report(diagnostics, Descriptors.MemberSignature, prepare, ct, type.Name, "Prepare", PrepareSignature + " (with " + StartSignature + ")");
                    ok = false;
                }
                else if (!SymbolEqualityComparer.Default.Equals(prepare.Parameters[1].Type, state))
                {
                    Report(diagnostics, Descriptors.StateMismatch, prepare, ct, type.Name, "Prepare", prepare.Parameters[1].Type.ToDisplayString(), state.ToDisplayString());
                    ok = false;
                }
            }

            if (!ok || values is null) return Result(null, diagnostics);
            var spec = new ObjectiveSpec(DeclarationReader.TypeOf(type), DeclarationReader.AttributesText(attributes, ct), values.ToEquatableArray(),
                state?.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                hasAfterStep, views, usesPredictor);
            return Result(spec, diagnostics);
        }

        /// <summary>Whether a type (here, or referenced) has an instance member <c>Prepare</c>: its views go through it before encoding.</summary>
        public static bool HasPrepare(ITypeSymbol type) => Methods(type, "Prepare").Count > 0;

        private static List<IMethodSymbol> Methods(ITypeSymbol type, string name)
            => type.GetMembers(name).OfType<IMethodSymbol>().Where(m => !m.IsStatic && m.MethodKind == MethodKind.Ordinary && !m.IsImplicitlyDeclared
                && (m.DeclaringSyntaxReferences.Length > 0 || type.DeclaringSyntaxReferences.Length == 0)).ToList();

        /// <summary>
        /// Whether the generated step can call the member as written: accessible from the model's code, not
        /// generic, no ref or out parameters (found by GeneratorFuzzTests: <c>Loss(ref Views v)</c> was
        /// accepted and the generated call did not compile).
        /// </summary>
        private static bool Callable(IMethodSymbol method)
            => method.Arity == 0
               && method.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal
               && method.Parameters.All(p => p.RefKind is RefKind.None or RefKind.In);

        internal static bool Is(ITypeSymbol type, string fullName)
            => type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString() == fullName;

        internal static bool IsTensor(ITypeSymbol type) => Is(type, "TorchSharp.torch.Tensor");

        private static bool DerivesFrom(ITypeSymbol type, string fullName)
        {
            for (var t = type; t is not null; t = t.BaseType)
                if (Is(t, fullName)) return true;
            return false;
        }

        private static void Report(List<DiagnosticInfo> diagnostics, DiagnosticDescriptor descriptor, IMethodSymbol method, CancellationToken ct, params string[] args)
        {
            var syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct) as Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax;
            var location = syntax is null ? LocationInfo.From(method.Locations.FirstOrDefault()) : LocationInfo.From(syntax.Identifier);
            diagnostics.Add(DiagnosticInfo.Create(descriptor, location, args));
        }

        private static ParseResult<ObjectiveSpec> Result(ObjectiveSpec? spec, List<DiagnosticInfo> diagnostics)
            => new ParseResult<ObjectiveSpec>(spec, diagnostics.ToEquatableArray());
    }
}
