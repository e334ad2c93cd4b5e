using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GraphSSL.Generators.Augmentations;
using GraphSSL.Generators.Common;
using GraphSSL.Generators.Encoders;
using GraphSSL.Generators.Models;
using GraphSSL.Generators.Layers;
using GraphSSL.Generators.Objectives;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GraphSSL.Generators.Analyzers
{
    /// <summary>
    /// Reports every "declared wrong" rule (GSSL0001…) on GraphSSL records, using the same parsers as the
    /// generator, so what is reported is exactly what keeps code from being generated. Being an
    /// analyzer, its warnings can be suppressed with #pragma or .editorconfig.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DeclarationAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Descriptors.All;

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                bool runtimeAvailable = start.Compilation.GetTypeByMetadataName(GraphSslGenerator.RuntimeProbe) is not null;
                start.RegisterSymbolAction(symbolContext => Analyze(symbolContext, runtimeAvailable), SymbolKind.NamedType);
            });
        }

        private static void Analyze(SymbolAnalysisContext context, bool runtimeAvailable)
        {
            if (context.Symbol is not INamedTypeSymbol type) return;
            var attributes = DeclarationReader.GraphSslAttributes(type);
            if (attributes.Count == 0) return;
            var ct = context.CancellationToken;
            var diagnostics = new List<DiagnosticInfo>();

            // Kind attributes ([Gin], [NodeDropping], [Projector]) need their marker.
            var markers = attributes.Where(a => AttributeTable.Markers.Contains(a.Name)).Select(a => a.Name).ToList();
            foreach (var attribute in attributes)
            {
                var definition = attribute.Definition;
                if (definition is null || markers.Contains(definition.Marker)) continue;
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.KindWithoutMarker, DeclarationReader.AttributeLocation(attribute.Data, ct),
                    type.Name, attribute.Name, definition.Marker));
            }

            if (markers.Count > 0)
            {
                var marker = markers[0];
                var found = marker == AttributeTable.EncoderMarker ? EncoderParser.Parse(type, ct).Diagnostics
                    : marker == AttributeTable.AugmentationMarker ? AugmentationParser.Parse(type, ct).Diagnostics
                    : marker == AttributeTable.ObjectiveMarker ? ObjectiveParser.Parse(type, ct).Diagnostics
                    : marker == AttributeTable.LayerMarker ? LayerParser.Parse(type, ct).Diagnostics
                    : ModelParser.Parse(type, ct).Diagnostics;
                diagnostics.AddRange(found);
                if (!runtimeAvailable)
                {
                    var markerData = attributes.First(a => a.Name == marker).Data;
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.RuntimeNotReferenced,
                        DeclarationReader.NameLocation(type, markerData, ct), type.Name, "IDeclared"));
                }
            }

            foreach (var diagnostic in diagnostics)
                context.ReportDiagnostic(diagnostic.ToDiagnostic(context.Compilation));
        }
    }
}
