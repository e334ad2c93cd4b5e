using System.Collections.Generic;
using System.Linq;
using System.Threading;
using GraphSSL.Generators.Common;
using Microsoft.CodeAnalysis;

namespace GraphSSL.Generators.Augmentations
{
    /// <summary>[Augmentation] record symbol → <see cref="AugmentationSpec"/> + diagnostics.</summary>
    internal static class AugmentationParser
    {
        public static ParseResult<AugmentationSpec> Parse(INamedTypeSymbol type, CancellationToken ct)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var attributes = DeclarationReader.GraphSslAttributes(type);
            var marker = attributes.FirstOrDefault(a => a.Name == AttributeTable.AugmentationMarker);
            var location = DeclarationReader.NameLocation(type, marker.Data, ct);
            var steps = attributes.Where(a => a.Definition?.Role == AttributeRole.Augmentation).ToList();
            var userMember = steps.Count == 0 ? UserMember(type) : null;
            bool ok = DeclarationReader.CheckShape(type, AttributeTable.AugmentationMarker, location, attributes,
                requireParameterlessConstructor: userMember is null, diagnostics, ct);
            if (diagnostics.Any(d => d.Id == Descriptors.MultipleMarkers.Id)) return Result(null, diagnostics);

            if (userMember is not null)
            {
                // A view the user wrote: hyperparameters are its positional parameters (each with a default).
                var own = PositionalParameters.HyperParameters(type, diagnostics, ct);
                if (!CheckUserMember(type, userMember, diagnostics, ct)) ok = false;
                if (!ok || own is null) return Result(null, diagnostics);
                return Result(new AugmentationSpec(DeclarationReader.TypeOf(type), DeclarationReader.AttributesText(attributes, ct),
                    EquatableArray<AttributeSpec>.Empty, own.ToEquatableArray(), userMember), diagnostics);
            }
            if (steps.Count == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.MissingAugmentation, location, type.Name));
                ok = false;
            }

            var names = PropertyNames(steps);
            var specs = new List<AttributeSpec>(steps.Count);
            for (int i = 0; i < steps.Count; i++)
            {
                int index = i;
                var spec = DeclarationReader.Read(steps[i], p => names[index][p.Name], diagnostics, ct);
                if (spec is null) ok = false;
                else specs.Add(spec);
            }

            if (!ok) return Result(null, diagnostics);
            var result = new AugmentationSpec(DeclarationReader.TypeOf(type), DeclarationReader.AttributesText(attributes, ct), specs.ToEquatableArray(),
                EquatableArray<HyperParameterSpec>.Empty, null);
            return Result(result, diagnostics);
        }

        /// <summary>
        /// Property names per step: the parameter's own name ("Ratio") unless another step has a parameter
        /// of that name, then prefixed with the attribute's name ("NodeDroppingRatio"), and with its
        /// occurrence number too when the same attribute is applied twice ("NodeDropping2Ratio").
        /// </summary>
        public static List<Dictionary<string, string>> PropertyNames(IReadOnlyList<FoundAttribute> steps)
        {
            var occurrences = steps.GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.Count());
            var parameterUse = new Dictionary<string, int>();
            foreach (var step in steps)
            {
                foreach (var parameter in step.Definition!.Parameters)
                    parameterUse[parameter.Name] = parameterUse.TryGetValue(parameter.Name, out var n) ? n + 1 : 1;
            }
            var seen = new Dictionary<string, int>();
            var result = new List<Dictionary<string, string>>(steps.Count);
            foreach (var step in steps)
            {
                seen[step.Name] = seen.TryGetValue(step.Name, out var k) ? k + 1 : 1;
                var prefix = occurrences[step.Name] > 1 ? step.Name + seen[step.Name].ToString(System.Globalization.CultureInfo.InvariantCulture) : step.Name;
                var map = new Dictionary<string, string>();
                foreach (var parameter in step.Definition!.Parameters)
                    map[parameter.Name] = parameterUse[parameter.Name] > 1 ? prefix + parameter.Name : parameter.Name;
                result.Add(map);
            }
            return result;
        }

        /// <summary>"Apply" or "Forward" when the record declares that member itself (a view the user wrote), else null.</summary>
        private static string? UserMember(INamedTypeSymbol type)
        {
            if (Declares(type, "Forward")) return "Forward";
            if (Declares(type, "Apply")) return "Apply";
            return null;
        }

        /// <summary>Whether an [Augmentation] type is a view made by a changed encoder (it declares Forward).</summary>
        public static bool IsEncoderView(ITypeSymbol type) => Declares(type, "Forward") && !type.GetAttributes().Any(a => AttributeTable.GraphSslName(a) is string n && AttributeTable.ByName(n)?.Role == AttributeRole.Augmentation);

        private static bool Declares(ITypeSymbol type, string name)
            => type.GetMembers(name).OfType<IMethodSymbol>().Any(m => !m.IsStatic && m.MethodKind == MethodKind.Ordinary && !m.IsImplicitlyDeclared);

        private static bool CheckUserMember(INamedTypeSymbol type, string member, List<DiagnosticInfo> diagnostics, CancellationToken ct)
        {
            var method = type.GetMembers(member).OfType<IMethodSymbol>().First(m => !m.IsStatic && m.MethodKind == MethodKind.Ordinary);
            bool ok = member == "Apply"
                ? method.Parameters.Length == 2 && Objectives.ObjectiveParser.Is(method.ReturnType, "GraphSSL.Batching.GraphBatch")
                  && Objectives.ObjectiveParser.Is(method.Parameters[0].Type, "GraphSSL.Batching.GraphBatch") && Objectives.ObjectiveParser.Is(method.Parameters[1].Type, "TorchSharp.torch.Generator")
                : method.Parameters.Length == 3 && Objectives.ObjectiveParser.Is(method.ReturnType, "GraphSSL.Objectives.ViewOutput")
                  && Objectives.ObjectiveParser.Is(method.Parameters[0].Type, "GraphSSL.Training.SslNetwork") && Objectives.ObjectiveParser.Is(method.Parameters[1].Type, "GraphSSL.Batching.GraphBatch")
                  && Objectives.ObjectiveParser.Is(method.Parameters[2].Type, "TorchSharp.torch.Generator");
            if (ok && method.DeclaredAccessibility == Accessibility.Public) return true;
            var syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct) as Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax;
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.MemberSignature, syntax is null ? null : LocationInfo.From(syntax.Identifier), type.Name, member,
                member == "Apply" ? "public GraphBatch Apply(GraphBatch batch, Generator generator)" : "public ViewOutput Forward(SslNetwork online, GraphBatch batch, Generator generator)"));
            return false;
        }

        private static ParseResult<AugmentationSpec> Result(AugmentationSpec? spec, List<DiagnosticInfo> diagnostics)
            => new ParseResult<AugmentationSpec>(spec, diagnostics.ToEquatableArray());
    }
}
