using GraphSSL.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphSSL.Generators.Models
{
    /// <summary>[SslModel] records → specs → one source file each. Diagnostics are reported by the analyzer.</summary>
    internal static class ModelPipeline
    {
        public static IncrementalValuesProvider<ModelSpec> Register(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<bool> runtimeAvailable)
        {
            var specs = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    AttributeTable.ModelMetadataName,
                    static (node, _) => node is RecordDeclarationSyntax,
                    static (ctx, ct) => ModelParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ct).Spec)
                .WithTrackingName(TrackingNames.ModelSpecs)
                .Where(static spec => spec is not null)
                .Select(static (spec, _) => spec!)
                .WithTrackingName(TrackingNames.ValidModels);

            context.RegisterSourceOutput(specs.Combine(runtimeAvailable), static (spc, pair) =>
            {
                if (pair.Right) spc.AddSource(pair.Left.Type.HintName(ModelEmitter.Role), ModelEmitter.Emit(pair.Left));
            });
            return specs;
        }
    }
}
