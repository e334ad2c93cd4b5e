using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace GraphSSL.Generators.Common
{
    /// <summary>Culture-invariant text for numbers, strings, identifiers and XML docs in generated code.</summary>
    internal static class Literals
    {
        /// <summary>
        /// The generator's own version (major.minor.build of its assembly version, which Directory.Build.props'
        /// &lt;Version&gt; sets): stamped on every generated type, so the release is stated in one place.
        /// </summary>
        public static readonly string GeneratorVersion = VersionText(typeof(Literals).Assembly.GetName().Version);

        public static readonly string GeneratedCodeAttribute =
            "[global::System.CodeDom.Compiler.GeneratedCode(\"GraphSSL.Generators\", \"" + GeneratorVersion + "\")]";

        private static string VersionText(System.Version? version)
            => version is null ? "0.0.0" : version.ToString(3);

        /// <summary>Shortest round-trippable invariant text: 0.2 → "0.2", 1e-3 → "0.001", NaN → "NaN".</summary>
        public static string DoubleText(double value)
        {
            if (double.IsNaN(value)) return "NaN";
            if (double.IsPositiveInfinity(value)) return "Infinity";
            if (double.IsNegativeInfinity(value)) return "-Infinity";
            // "R" is the shortest round-trip form on .NET Core 3.0+; on .NET Framework it tries 15 digits
            // first, which gives the same text for any literal a user writes with up to 15 digits.
            return value.ToString("R", CultureInfo.InvariantCulture);
        }

        /// <summary>A C# expression of type double with exactly this value.</summary>
        public static string DoubleLiteral(double value)
        {
            if (double.IsNaN(value)) return "double.NaN";
            if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
            if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
            var text = DoubleText(value);
            return text.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? text : text + ".0";
        }

        public static string IntText(int value) => value.ToString(CultureInfo.InvariantCulture);

        public static string BoolText(bool value) => value ? "true" : "false";

        /// <summary>A C# string literal.</summary>
        public static string String(string value)
            => SymbolDisplay.FormatLiteral(value, quote: true);

        /// <summary>An identifier, escaped with @ when it is a keyword.</summary>
        public static string Identifier(string name)
            => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        /// <summary>Text made safe for an XML doc comment.</summary>
        public static string Xml(string text)
            => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

        /// <summary>Source text on one line: every run of whitespace becomes one space.</summary>
        public static string OneLine(string text)
        {
            var sb = new StringBuilder(text.Length);
            bool space = false;
            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    space = sb.Length > 0;
                    continue;
                }
                if (space) sb.Append(' ');
                space = false;
                sb.Append(c);
            }
            return sb.ToString();
        }
    }
}
