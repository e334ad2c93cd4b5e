using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Tests;

/// <summary>Numbers and text in generated code: invariant, shortest round-trip, valid C#.</summary>
public class LiteralsTests
{
    [Theory]
    [InlineData(0.2, "0.2", "0.2")]
    [InlineData(1e-3, "0.001", "0.001")]
    [InlineData(0.0039, "0.0039", "0.0039")]
    [InlineData(25.0, "25", "25.0")]        // a double literal needs the ".0" only in code
    [InlineData(1e-7, "1E-07", "1E-07")]
    [InlineData(0.1 + 0.2, "0.30000000000000004", "0.30000000000000004")]
    [InlineData(double.NaN, "NaN", "double.NaN")]
    [InlineData(double.PositiveInfinity, "Infinity", "double.PositiveInfinity")]
    public void Doubles(double value, string text, string literal)
    {
        Assert.Equal(text, Literals.DoubleText(value));
        Assert.Equal(literal, Literals.DoubleLiteral(value));
        // Round trip: the text parses back to exactly the same double.
        if (!double.IsNaN(value)) Assert.Equal(value, double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void DoublesIgnoreTheCurrentCulture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("0.2", Literals.DoubleText(0.2)); // not "0,2"
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData("[NodeDropping(0.2)]", "[NodeDropping(0.2)]")]
    [InlineData("[Gin(\n    Layers = 3,\r\n\tHidden = 64)]", "[Gin( Layers = 3, Hidden = 64)]")]
    [InlineData("  a  ", "a")]
    public void OneLine(string input, string expected) => Assert.Equal(expected, Literals.OneLine(input));

    [Fact]
    public void StringsIdentifiersAndXml()
    {
        Assert.Equal("\"a\\\"b\\\\\"", Literals.String("a\"b\\"));
        Assert.Equal("@class", Literals.Identifier("class"));
        Assert.Equal("record", Literals.Identifier("record")); // contextual keywords need no escape
        Assert.Equal("a &lt; b &amp;&amp; c &gt; d", Literals.Xml("a < b && c > d"));
    }

    [Fact]
    public void Generated_code_is_stamped_with_the_version_the_build_sets()
    {
        // The release is stated once, in Directory.Build.props; the generator reads its own assembly version.
        var props = System.Xml.Linq.XDocument.Load(Repository.Path("Directory.Build.props"));
        var version = props.Descendants("Version").Single().Value;
        Assert.Equal(new Version(version).ToString(3), Literals.GeneratorVersion);
        Assert.Contains("GeneratedCode(\"GraphSSL.Generators\", \"" + Literals.GeneratorVersion + "\")", Literals.GeneratedCodeAttribute);
    }
}
