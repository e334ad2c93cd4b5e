using System.Collections.Generic;
using System.Linq;
using System.Threading;
using GraphSSL.Generators.Common;
using Microsoft.CodeAnalysis;

namespace GraphSSL.Generators.Encoders
{
    /// <summary>[Encoder] record symbol → <see cref="EncoderSpec"/> + diagnostics.</summary>
    internal static class EncoderParser
    {
        public static ParseResult<EncoderSpec> Parse(INamedTypeSymbol type, CancellationToken ct)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var attributes = DeclarationReader.GraphSslAttributes(type);
            var marker = attributes.FirstOrDefault(a => a.Name == AttributeTable.EncoderMarker);
            var location = DeclarationReader.NameLocation(type, marker.Data, ct);
            bool ok = DeclarationReader.CheckShape(type, AttributeTable.EncoderMarker, location, attributes,
                requireParameterlessConstructor: true, diagnostics, ct);
            if (diagnostics.Any(d => d.Id == Descriptors.MultipleMarkers.Id)) return Result(null, diagnostics);

            var kinds = attributes.Where(a => a.Definition?.Role == AttributeRole.EncoderKind).ToList();
            AttributeSpec? kind = null;
            if (kinds.Count == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.MissingEncoderKind, location, type.Name));
            }
            else if (kinds.Count > 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.MultipleEncoderKinds,
                    DeclarationReader.AttributeLocation(kinds[1].Data, ct), type.Name,
                    string.Join(", ", kinds.Select(k => "[" + k.Name + "]"))));
            }
            else
            {
                kind = DeclarationReader.Read(kinds[0], p => p.Name, diagnostics, ct);
            }

            if (!ok || kind is null) return Result(null, diagnostics);
            var spec = new EncoderSpec(DeclarationReader.TypeOf(type), DeclarationReader.AttributesText(attributes, ct), kind);
            return Result(spec, diagnostics);
        }

        private static ParseResult<EncoderSpec> Result(EncoderSpec? spec, List<DiagnosticInfo> diagnostics)
            => new ParseResult<EncoderSpec>(spec, diagnostics.ToEquatableArray());
    }
}
