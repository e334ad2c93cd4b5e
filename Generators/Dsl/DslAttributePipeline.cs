using GraphSSL.Generators.Common;
using Microsoft.CodeAnalysis;

namespace GraphSSL.Generators.Dsl
{
    /// <summary>
    /// In the GraphSSL.Dsl compilation only: every attribute of <see cref="AttributeTable"/> as a class (see
    /// <see cref="DslAttributeEmitter"/>). Every other compilation gets nothing from this pipeline.
    /// </summary>
    internal static class DslAttributePipeline
    {
        public static void Register(IncrementalGeneratorInitializationContext context)
        {
            var isDsl = context.CompilationProvider
                .Select(static (compilation, _) => compilation.AssemblyName == DslAttributeEmitter.DslAssembly)
                .WithTrackingName(TrackingNames.DslAssembly);
            context.RegisterSourceOutput(isDsl, static (spc, dsl) =>
            {
                if (!dsl) return;
                foreach (var definition in AttributeTable.All)
                    spc.AddSource(DslAttributeEmitter.HintName(definition), DslAttributeEmitter.Emit(definition));
            });
        }
    }
}
