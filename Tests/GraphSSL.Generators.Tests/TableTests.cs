using System.Globalization;
using System.Reflection;
using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Tests;

/// <summary>The attribute table agrees with the attribute classes in GraphSSL.Dsl, and every template is complete.</summary>
public class TableTests
{
    public static TheoryData<string> Names() => new(AttributeTable.All.Select(d => d.Name));

    private static Type AttributeType(string name)
        => typeof(EncoderAttribute).Assembly.GetType("GraphSSL." + name + "Attribute")
           ?? throw new Xunit.Sdk.XunitException($"GraphSSL.Dsl has no {name}Attribute");

    [Theory]
    [MemberData(nameof(Names))]
    public void ParametersMatchTheAttributeClass(string name)
    {
        var definition = AttributeTable.ByName(name)!;
        var type = AttributeType(name);
        // Every public settable or constructor-set property of the attribute is in the table, and vice versa.
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.DeclaringType == type).ToList();
        Assert.Equal(properties.Select(p => p.Name).Order(), definition.Parameters.Select(p => p.Name).Order());
        var constructor = type.GetConstructors().Single();
        foreach (var parameter in definition.Parameters)
        {
            var property = properties.Single(p => p.Name == parameter.Name);
            var expectedType = parameter.Kind switch
            {
                ValueKind.Int => typeof(int),
                ValueKind.Double => typeof(double),
                ValueKind.Bool => typeof(bool),
                _ => typeof(EncoderAttribute).Assembly.GetType("GraphSSL." + parameter.EnumType),
            };
            Assert.Equal(expectedType, property.PropertyType);
            if (parameter.ConstructorIndex >= 0)
            {
                // Constructor arguments: same position and (case-insensitively) the same name, no setter.
                Assert.Equal(parameter.Name, constructor.GetParameters()[parameter.ConstructorIndex].Name, ignoreCase: true);
                Assert.Null(property.SetMethod);
            }
            else
            {
                // Named arguments: the table's default is the attribute's own default.
                var arguments = constructor.GetParameters().Select(p => Activator.CreateInstance(p.ParameterType)).ToArray();
                var instance = constructor.Invoke(arguments);
                var actual = property.GetValue(instance)!;
                var text = actual switch
                {
                    double d => Literals.DoubleText(d),
                    bool b => b ? "true" : "false",
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    _ => actual.ToString(),
                };
                Assert.Equal(parameter.Default, text);
                Assert.True(Common.ValueRanges.Contains(parameter.Range, actual is Enum ? 0 : Convert.ToDouble(actual, CultureInfo.InvariantCulture)),
                    $"{name}.{parameter.Name}: the default {text} is outside its own range");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TemplatesNameOnlyKnownPlaceholders(string name)
    {
        var definition = AttributeTable.ByName(name)!;
        var locals = definition.Role switch
        {
            AttributeRole.EncoderKind => new[] { "inputDim" },
            AttributeRole.Augmentation => new[] { "batch", "generator" },
            _ => new[] { "input" },
        };
        var known = definition.Parameters.Select(p => p.Name).Concat(locals).ToHashSet();
        foreach (var template in new[] { definition.Template, definition.EmbeddingDim, definition.OutputDim }.OfType<string>())
            Assert.All(Template.Placeholders(template), p => Assert.Contains(p, known));
        if (definition.Role == AttributeRole.EncoderKind) Assert.NotNull(definition.EmbeddingDim);
        if (definition.Role == AttributeRole.Head) Assert.NotNull(definition.OutputDim);
    }

    [Fact]
    public void EveryDslAttributeIsInTheTableOrIsAMarker()
    {
        var attributes = typeof(EncoderAttribute).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Attribute)) && t.IsPublic)
            .Select(t => t.Name[..^"Attribute".Length]);
        // Hyper and Weight describe record parameters; they are read where those parameters are, not from the table.
        Assert.All(attributes.Where(a => a is not ("Hyper" or "Weight")), a => Assert.True(AttributeTable.ByName(a) is not null || AttributeTable.Markers.Contains(a), a));
    }

    [Fact]
    public void TemplateRenderingReplacesKnownNamesAndKeepsUnknownOnes()
    {
        // {a} → "x"; {b} unknown → left as written so a test can see it.
        Assert.Equal("f(x, {b})", Template.Render("f({a}, {b})", n => n == "a" ? "x" : null));
    }
}
