using System.Collections.Generic;
using System.Linq;
using System.Threading;
using GraphSSL.Generators.Common;
using Microsoft.CodeAnalysis;

namespace GraphSSL.Generators.Augmentations
{
    /// <summary>[Augmentation] record symbol → <see cref="AugmentationSpec"/> + diagnostics.</summary>
    internal static class AugmentationParser
    {
        public static ParseResult<AugmentationSpec> Parse(INamedTypeSymbol type, CancellationToken ct)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var attributes = DeclarationReader.GraphSslAttributes(type);
            var marker = attributes.FirstOrDefault(a => a.Name == AttributeTable.AugmentationMarker);
            var location = DeclarationReader.NameLocation(type, marker.Data, ct);
            bool ok = DeclarationReader.CheckShape(type, AttributeTable.AugmentationMarker, location, attributes,
                requireParameterlessConstructor: true, diagnostics, ct);
            if (diagnostics.Any(d => d.Id == Descriptors.MultipleMarkers.Id)) return Result(null, diagnostics);

            var steps = attributes.Where(a => a.Definition?.Role == AttributeRole.Augmentation).ToList();
            if (steps.Count == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.MissingAugmentation, location, type.Name));
                ok = false;
            }

            var names = PropertyNames(steps);
            var specs = new List<AttributeSpec>(steps.Count);
            for (int i = 0; i < steps.Count; i++)
            {
                int index = i;
                var spec = DeclarationReader.Read(steps[i], p => names[index][p.Name], diagnostics, ct);
                if (spec is null) ok = false;
                else specs.Add(spec);
            }

            if (!ok) return Result(null, diagnostics);
            var result = new AugmentationSpec(DeclarationReader.TypeOf(type), DeclarationReader.AttributesText(attributes, ct), specs.ToEquatableArray());
            return Result(result, diagnostics);
        }

        /// <summary>
        /// Property names per step: the parameter's own name ("Ratio") unless another step has a parameter
        /// of that name, then prefixed with the attribute's name ("NodeDroppingRatio"), and with its
        /// occurrence number too when the same attribute is applied twice ("NodeDropping2Ratio").
        /// </summary>
        public static List<Dictionary<string, string>> PropertyNames(IReadOnlyList<FoundAttribute> steps)
        {
            var occurrences = steps.GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.Count());
            var parameterUse = new Dictionary<string, int>();
            foreach (var step in steps)
            {
                foreach (var parameter in step.Definition!.Parameters)
                    parameterUse[parameter.Name] = parameterUse.TryGetValue(parameter.Name, out var n) ? n + 1 : 1;
            }
            var seen = new Dictionary<string, int>();
            var result = new List<Dictionary<string, string>>(steps.Count);
            foreach (var step in steps)
            {
                seen[step.Name] = seen.TryGetValue(step.Name, out var k) ? k + 1 : 1;
                var prefix = occurrences[step.Name] > 1 ? step.Name + seen[step.Name].ToString(System.Globalization.CultureInfo.InvariantCulture) : step.Name;
                var map = new Dictionary<string, string>();
                foreach (var parameter in step.Definition!.Parameters)
                    map[parameter.Name] = parameterUse[parameter.Name] > 1 ? prefix + parameter.Name : parameter.Name;
                result.Add(map);
            }
            return result;
        }

        private static ParseResult<AugmentationSpec> Result(AugmentationSpec? spec, List<DiagnosticInfo> diagnostics)
            => new ParseResult<AugmentationSpec>(spec, diagnostics.ToEquatableArray());
    }
}
