using GraphSSL.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphSSL.Generators.Objectives
{
    /// <summary>[Objective] records → specs → one source file each. Diagnostics are reported by the analyzer.</summary>
    internal static class ObjectivePipeline
    {
        public static IncrementalValuesProvider<ObjectiveSpec> Register(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<bool> runtimeAvailable)
        {
            var specs = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    AttributeTable.ObjectiveMetadataName,
                    static (node, _) => node is RecordDeclarationSyntax,
                    static (ctx, ct) => ObjectiveParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ct).Spec)
                .WithTrackingName(TrackingNames.ObjectiveSpecs)
                .Where(static spec => spec is not null)
                .Select(static (spec, _) => spec!)
                .WithTrackingName(TrackingNames.ValidObjectives);

            context.RegisterSourceOutput(specs.Combine(runtimeAvailable), static (spc, pair) =>
            {
                if (pair.Right) spc.AddSource(pair.Left.Type.HintName(ObjectiveEmitter.Role), ObjectiveEmitter.Emit(pair.Left));
            });
            return specs;
        }
    }
}
