using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;

namespace GraphSSL.Generators.Common
{
    /// <summary>What an attribute does to the record it is on.</summary>
    internal enum AttributeRole
    {
        /// <summary>[Encoder], [Augmentation], [SslModel], [Objective].</summary>
        Marker,
        /// <summary>Says which encoder an [Encoder] record builds (exactly one).</summary>
        EncoderKind,
        /// <summary>One step of an [Augmentation] record (one or more, applied in order).</summary>
        Augmentation,
        /// <summary>A head of an [SslModel] record (each at most once).</summary>
        Head,
    }

    /// <summary>The C# type of a hyperparameter.</summary>
    internal enum ValueKind { Int, Double, Bool, Enum }

    /// <summary>Where a head sits: projectors map encoder outputs to z, predictors map z to p.</summary>
    internal enum HeadStage { Projector, Predictor }

    /// <summary>One hyperparameter of an attribute: a table entry, not code.</summary>
    internal sealed class ParameterDefinition
    {
        public ParameterDefinition(string name, ValueKind kind, string @default, string summary,
            ValueRange range = ValueRange.Any, int constructorIndex = -1, string? enumType = null)
        {
            Name = name;
            Kind = kind;
            Default = @default;
            Summary = summary;
            Range = range;
            ConstructorIndex = constructorIndex;
            EnumType = enumType;
        }

        /// <summary>Attribute property name, e.g. "Ratio".</summary>
        public string Name { get; }
        public ValueKind Kind { get; }
        /// <summary>Default as invariant text ("3", "0.2", "true", "Sum"); unused for constructor arguments.</summary>
        public string Default { get; }
        /// <summary>XML-safe one-sentence description, used in generated docs.</summary>
        public string Summary { get; }
        public ValueRange Range { get; }
        /// <summary>Position among the attribute constructor's arguments, or -1 for a named property.</summary>
        public int ConstructorIndex { get; }
        /// <summary>Enum type name in namespace GraphSSL for <see cref="ValueKind.Enum"/>.</summary>
        public string? EnumType { get; }

        /// <summary>The C# type as emitted.</summary>
        public string TypeSyntax => Kind switch
        {
            ValueKind.Int => "int",
            ValueKind.Double => "double",
            ValueKind.Bool => "bool",
            _ => "global::GraphSSL." + EnumType,
        };

        /// <summary>The type as shown in <c>HyperParameter.Type</c>.</summary>
        public string TypeDisplay => Kind == ValueKind.Enum ? EnumType! : TypeSyntax;
    }

    /// <summary>
    /// One GraphSSL attribute and everything the generator needs to know about it: the one statement of its
    /// hyperparameters (name, type, default, range, summary). Adding an encoder kind, augmentation step or head is
    /// adding one of these to <see cref="AttributeTable"/> (and its prose to <see cref="AttributeDocumentation"/>):
    /// the generator then checks and wires declarations from it and writes its attribute class into GraphSSL.Dsl
    /// (<see cref="Dsl.DslAttributeEmitter"/>).
    /// Templates name hyperparameters as {Name} (replaced by the generated property) and locals of the
    /// generated code as {batch}, {generator}, {inputDim}, {input}.
    /// </summary>
    internal sealed class AttributeDefinition
    {
        public AttributeDefinition(string name, AttributeRole role, string summary, string template,
            ImmutableArray<ParameterDefinition> parameters, string? embeddingDim = null,
            HeadStage stage = HeadStage.Projector, string? outputDim = null)
        {
            Name = name;
            Role = role;
            Summary = summary;
            Template = template;
            Parameters = parameters;
            EmbeddingDim = embeddingDim;
            Stage = stage;
            OutputDim = outputDim;
        }

        /// <summary>Name as written, without "Attribute", e.g. "NodeDropping".</summary>
        public string Name { get; }
        public string MetadataName => "GraphSSL." + Name + "Attribute";
        public AttributeRole Role { get; }
        /// <summary>XML-safe noun phrase, e.g. "the NT-Xent (SimCLR) contrastive loss".</summary>
        public string Summary { get; }
        /// <summary>
        /// Encoder kinds: the module expression. Augmentations: the call returning the new batch.
        /// Heads: the module expression.
        /// </summary>
        public string Template { get; }
        public ImmutableArray<ParameterDefinition> Parameters { get; }
        /// <summary>Encoder kinds: the embedding size expression.</summary>
        public string? EmbeddingDim { get; }
        /// <summary>Heads: where the head sits.</summary>
        public HeadStage Stage { get; }
        /// <summary>Heads: output size as a function of {input}.</summary>
        public string? OutputDim { get; }
        /// <summary>The marker attribute this attribute needs on its record.</summary>
        public string Marker => Role switch
        {
            AttributeRole.EncoderKind => "Encoder",
            AttributeRole.Augmentation => "Augmentation",
            AttributeRole.Head => "SslModel",
            _ => Name,
        };

        public ParameterDefinition? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);
    }

    /// <summary>Fills {placeholders} of a template.</summary>
    internal static class Template
    {
        /// <summary>
        /// Replaces every {name} in <paramref name="template"/> with <paramref name="resolve"/>(name); a
        /// name it does not know (null) is left as written, which tests catch.
        /// </summary>
        public static string Render(string template, System.Func<string, string?> resolve)
        {
            var sb = new StringBuilder(template.Length + 16);
            int i = 0;
            while (i < template.Length)
            {
                char c = template[i];
                int close = c == '{' ? template.IndexOf('}', i + 1) : -1;
                if (close > i)
                {
                    var name = template.Substring(i + 1, close - i - 1);
                    var value = resolve(name);
                    sb.Append(value ?? template.Substring(i, close - i + 1));
                    i = close + 1;
                }
                else
                {
                    sb.Append(c);
                    i++;
                }
            }
            return sb.ToString();
        }

        public static IEnumerable<string> Placeholders(string template)
        {
            int i = 0;
            while ((i = template.IndexOf('{', i)) >= 0)
            {
                int close = template.IndexOf('}', i + 1);
                if (close < 0) yield break;
                yield return template.Substring(i + 1, close - i - 1);
                i = close + 1;
            }
        }
    }
}
