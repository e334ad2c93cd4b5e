using System.Collections.Generic;
using System.Linq;
using System.Threading;
using GraphSSL.Generators.Common;
using Microsoft.CodeAnalysis;

namespace GraphSSL.Generators.Layers
{
    /// <summary>[Layer] record symbol → <see cref="LayerSpec"/> + diagnostics.</summary>
    internal static class LayerParser
    {
        private const string ModuleType = "TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, GraphSSL.Batching.GraphBatch, TorchSharp.torch.Tensor>";

        public static ParseResult<LayerSpec> Parse(INamedTypeSymbol type, CancellationToken ct)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var attributes = DeclarationReader.GraphSslAttributes(type);
            var marker = attributes.FirstOrDefault(a => a.Name == AttributeTable.LayerMarker);
            var location = DeclarationReader.NameLocation(type, marker.Data, ct);
            bool ok = DeclarationReader.CheckShape(type, AttributeTable.LayerMarker, location, attributes,
                requireParameterlessConstructor: false, diagnostics, ct);
            if (diagnostics.Any(d => d.Id == Descriptors.MultipleMarkers.Id)) return Result(null, diagnostics);

            var values = PositionalParameters.HyperParameters(type, diagnostics, ct);
            if (values is null) ok = false;

            var outputDim = Method(type, "OutputDim");
            var create = Method(type, "CreateModule");
            if (outputDim is null || create is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.MissingLayerMembers, location, type.Name));
                ok = false;
            }
            else
            {
                if (!(outputDim.Parameters.Length == 1 && outputDim.Parameters[0].Type.SpecialType == SpecialType.System_Int32
                      && outputDim.ReturnType.SpecialType == SpecialType.System_Int32 && outputDim.DeclaredAccessibility == Accessibility.Public))
                {
                    Report(diagnostics, outputDim, ct, type.Name, "OutputDim", "public int OutputDim(int inputDim)");
                    ok = false;
                }
                if (!(create.Parameters.Length == 1 && create.Parameters[0].Type.SpecialType == SpecialType.System_Int32
                      && Objectives.ObjectiveParser.Is(create.ReturnType, ModuleType) && create.DeclaredAccessibility == Accessibility.Public))
                {
                    Report(diagnostics, create, ct, type.Name, "CreateModule", "public nn.Module<Tensor, GraphBatch, Tensor> CreateModule(int inputDim)");
                    ok = false;
                }
            }

            if (!ok || values is null) return Result(null, diagnostics);
            return Result(new LayerSpec(DeclarationReader.TypeOf(type), DeclarationReader.AttributesText(attributes, ct), values.ToEquatableArray()), diagnostics);
        }

        private static IMethodSymbol? Method(ITypeSymbol type, string name)
            => type.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault(m => !m.IsStatic && m.MethodKind == MethodKind.Ordinary);

        private static void Report(List<DiagnosticInfo> diagnostics, IMethodSymbol method, CancellationToken ct, params string[] args)
        {
            var syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct) as Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax;
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.MemberSignature, syntax is null ? null : LocationInfo.From(syntax.Identifier), args));
        }

        private static ParseResult<LayerSpec> Result(LayerSpec? spec, List<DiagnosticInfo> diagnostics)
            => new ParseResult<LayerSpec>(spec, diagnostics.ToEquatableArray());
    }
}
