using GraphSSL.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphSSL.Generators.Encoders
{
    /// <summary>[Encoder] records → specs → one source file each. Diagnostics are reported by the analyzer.</summary>
    internal static class EncoderPipeline
    {
        public static IncrementalValuesProvider<EncoderSpec> Register(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<bool> runtimeAvailable)
        {
            var specs = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    AttributeTable.EncoderMetadataName,
                    static (node, _) => node is RecordDeclarationSyntax,
                    static (ctx, ct) => EncoderParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ct).Spec)
                .WithTrackingName(TrackingNames.EncoderSpecs)
                .Where(static spec => spec is not null)
                .Select(static (spec, _) => spec!)
                .WithTrackingName(TrackingNames.ValidEncoders);

            context.RegisterSourceOutput(specs.Combine(runtimeAvailable), static (spc, pair) =>
            {
                if (pair.Right) spc.AddSource(pair.Left.Type.HintName(EncoderEmitter.Role), EncoderEmitter.Emit(pair.Left));
            });
            return specs;
        }
    }
}
