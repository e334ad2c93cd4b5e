using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Encoders
{
    /// <summary>An [Encoder] record: where it lives, its attributes as written and its one encoder kind.</summary>
    internal sealed record EncoderSpec(TypeSpec Type, string Attributes, AttributeSpec Kind);
}
