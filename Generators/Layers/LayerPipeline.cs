using GraphSSL.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphSSL.Generators.Layers
{
    /// <summary>[Layer] records → specs → one source file each. Diagnostics are reported by the analyzer.</summary>
    internal static class LayerPipeline
    {
        public static IncrementalValuesProvider<LayerSpec> Register(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<bool> runtimeAvailable)
        {
            var specs = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    AttributeTable.LayerMetadataName,
                    static (node, _) => node is RecordDeclarationSyntax,
                    static (ctx, ct) => LayerParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ct).Spec)
                .WithTrackingName(TrackingNames.LayerSpecs)
                .Where(static spec => spec is not null)
                .Select(static (spec, _) => spec!)
                .WithTrackingName(TrackingNames.ValidLayers);

            context.RegisterSourceOutput(specs.Combine(runtimeAvailable), static (spc, pair) =>
            {
                if (pair.Right) spc.AddSource(pair.Left.Type.HintName(LayerEmitter.Role), LayerEmitter.Emit(pair.Left));
            });
            return specs;
        }
    }
}
