using GraphSSL.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphSSL.Generators.Augmentations
{
    /// <summary>[Augmentation] records → specs → one source file each. Diagnostics are reported by the analyzer.</summary>
    internal static class AugmentationPipeline
    {
        public static IncrementalValuesProvider<AugmentationSpec> Register(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<bool> runtimeAvailable)
        {
            var specs = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    AttributeTable.AugmentationMetadataName,
                    static (node, _) => node is RecordDeclarationSyntax,
                    static (ctx, ct) => AugmentationParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ct).Spec)
                .WithTrackingName(TrackingNames.AugmentationSpecs)
                .Where(static spec => spec is not null)
                .Select(static (spec, _) => spec!)
                .WithTrackingName(TrackingNames.ValidAugmentations);

            context.RegisterSourceOutput(specs.Combine(runtimeAvailable), static (spc, pair) =>
            {
                if (pair.Right) spc.AddSource(pair.Left.Type.HintName(AugmentationEmitter.Role), AugmentationEmitter.Emit(pair.Left));
            });
            return specs;
        }
    }
}
