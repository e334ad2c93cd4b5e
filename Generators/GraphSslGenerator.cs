using GraphSSL.Generators.Augmentations;
using GraphSSL.Generators.Catalog;
using GraphSSL.Generators.Common;
using GraphSSL.Generators.Dsl;
using GraphSSL.Generators.Encoders;
using GraphSSL.Generators.Models;
using GraphSSL.Generators.Layers;
using GraphSSL.Generators.Objectives;
using Microsoft.CodeAnalysis;

namespace GraphSSL.Generators
{
    /// <summary>
    /// Turns [Encoder], [Augmentation], [Objective], [Layer] and [SslModel] records into TorchSharp code: one file per record
    /// and one catalog per compilation. Reads top to bottom: is the runtime there, then one pipeline per
    /// concept, then the catalog over all of them. Wrong declarations are skipped here and reported by
    /// <see cref="Analyzers.DeclarationAnalyzer"/>.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class GraphSslGenerator : IIncrementalGenerator
    {
        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var runtimeAvailable = context.CompilationProvider
                .Select(static (compilation, _) => compilation.GetTypeByMetadataName(RuntimeProbe) is not null)
                .WithTrackingName(TrackingNames.RuntimeAvailable);

            var encoders = EncoderPipeline.Register(context, runtimeAvailable);
            var augmentations = AugmentationPipeline.Register(context, runtimeAvailable);
            var objectives = ObjectivePipeline.Register(context, runtimeAvailable);
            var layers = LayerPipeline.Register(context, runtimeAvailable);
            var models = ModelPipeline.Register(context, runtimeAvailable);
            CatalogPipeline.Register(context, encoders, augmentations, objectives, layers, models, runtimeAvailable);
            DslAttributePipeline.Register(context); // in GraphSSL.Dsl itself: the attribute classes, from the same table
        }

        /// <summary>A runtime type every generated file uses; without it nothing is generated.</summary>
        internal const string RuntimeProbe = "GraphSSL.IDeclared";
    }
}
