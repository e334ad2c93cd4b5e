using System.Globalization;
using System.Reflection;
using GraphSSL.Generated;
using TorchSharp;
using GraphSSL.Augmentations;
using GraphSSL.Layers;
using GraphSSL.Batching;

namespace GraphSSL.Cli.Expressions;

/// <summary>What an expression must denote where it is written.</summary>
public enum ComponentKind { Encoder, View, Objective }

/// <summary>
/// Evaluates component expressions (<c>"Gin(Layers=5, Hidden=32)"</c>, <c>"NodeDropping(0.2) + FeatureDropout(0.1)"</c>,
/// <c>"RandomChoice(NodeDropping(0.2), Subgraph(0.2))"</c>, <c>"VicReg(Invariance=25)"</c>) against the generated
/// catalog: a name is a declaration of the expected kind (<see cref="GraphSslCatalog.All"/>), its arguments are the
/// declaration's hyperparameters (<see cref="Declaration.Defaults"/>: positional in that order, or by name), set
/// through <see cref="IDeclared.WithHyperParameter"/>. Nothing here knows a particular declaration.
/// </summary>
public static class ComponentExpressions
{
    /// <summary>The names a view expression may call besides the declared views.</summary>
    public static readonly IReadOnlyList<string> ViewCombinators = ["Compose", "RandomChoice"];

    /// <summary>
    /// Parses and evaluates <paramref name="text"/> given to <paramref name="option"/>; a mistake is a
    /// <see cref="UserErrorException"/> (exit code 2) with the expression, a caret under the wrong token and the valid names.
    /// Views evaluate to an <see cref="IAugmentation"/> or (only when <paramref name="encoderViews"/>) an <see cref="IEncoderView"/>.
    /// </summary>
    public static object Evaluate(string option, string text, ComponentKind kind, bool encoderViews = true)
    {
        try
        {
            return Evaluate(ExpressionParser.Parse(text), kind, encoderViews ? null : "this model's views are views of the graph (IAugmentation)");
        }
        catch (ExpressionException e)
        {
            throw new UserErrorException(e.Render(option, text));
        }
    }

    static object Evaluate(Node node, ComponentKind kind, string? noEncoderViews)
    {
        switch (node)
        {
            case SumNode sum when kind != ComponentKind.View:
                throw new ExpressionException($"'+' composes views; {Article(kind)} is a single name", sum.Plus[0], Names(kind));
            case SumNode sum:
                return new Compose(sum.Terms.Select(t => (IAugmentation)Evaluate(t, kind, "Compose (+) applies views of the graph")).ToArray());
            case NumberNode number:
                throw new ExpressionException($"expected {Article(kind)} name, found the number {number.Text}", number.Span, Names(kind));
            case CallNode call when kind == ComponentKind.View && ViewCombinators.Contains(call.Name, StringComparer.OrdinalIgnoreCase):
                return Combinator(call);
            case CallNode call:
                var value = Declared(call, kind);
                if (kind == ComponentKind.View && noEncoderViews is not null && value is not IAugmentation)
                    throw new ExpressionException($"{call.Name} changes the encoder, not the graph; {noEncoderViews}", call.Span,
                        Names(kind).Where(n => IsGraphView(n)).ToList());
                return value;
            default:
                throw new ExpressionException("unexpected expression", node.Span);
        }
    }

    static IAugmentation Combinator(CallNode call)
    {
        var isChoice = string.Equals(call.Name, "RandomChoice", StringComparison.OrdinalIgnoreCase);
        var arguments = call.Arguments ?? Array.Empty<Argument>();
        foreach (var a in arguments)
            if (a.Name is not null)
                throw new ExpressionException($"{(isChoice ? "RandomChoice" : "Compose")} takes views, not named arguments", a.NameSpan);
        if (isChoice && arguments.Count == 0)
            throw new ExpressionException("RandomChoice needs at least one view to choose from", call.Span, Names(ComponentKind.View));
        var views = arguments.Select(a => (IAugmentation)Evaluate(a.Value, ComponentKind.View,
            (isChoice ? "RandomChoice" : "Compose") + " holds views of the graph")).ToArray();
        return isChoice ? new RandomChoice(views) : new Compose(views);
    }

    static object Declared(CallNode call, ComponentKind kind)
    {
        var declaration = Lookup(call, kind);
        var value = declaration.Create(Array.Empty<object>());
        var parameters = declaration.Defaults;
        var given = new Dictionary<string, Argument>(StringComparer.OrdinalIgnoreCase);
        int positional = 0;
        bool named = false;
        foreach (var argument in call.Arguments ?? Array.Empty<Argument>())
        {
            HyperParameter parameter;
            if (argument.Name is null)
            {
                if (named) throw new ExpressionException("a positional argument cannot follow a named one", argument.Span, Signature(parameters), "parameters");
                if (positional >= parameters.Count)
                    throw new ExpressionException(parameters.Count == 0
                        ? $"{declaration.Name} takes no arguments"
                        : $"{declaration.Name} takes at most {parameters.Count} argument(s) ({string.Join(", ", parameters.Select(p => p.Name))}); this is argument {positional + 1}",
                        argument.Span, Signature(parameters), "parameters");
                parameter = parameters[positional++];
            }
            else
            {
                named = true;
                parameter = parameters.FirstOrDefault(p => string.Equals(p.Name, argument.Name, StringComparison.OrdinalIgnoreCase))
                    ?? throw new ExpressionException($"{declaration.Name} has no parameter '{argument.Name}'{Suggest(argument.Name, parameters.Select(p => p.Name))}",
                        argument.NameSpan, Signature(parameters), "parameters");
            }
            if (!given.TryAdd(parameter.Name, argument))
                throw new ExpressionException($"{parameter.Name} is given twice", argument.Span, Signature(parameters), "parameters");
            var text = Scalar(argument.Value, parameter, value);
            try
            {
                value = value.WithHyperParameter(parameter.Name, text);
            }
            catch (ArgumentException e)
            {
                throw new ExpressionException(Clean(e), argument.Value.Span, Signature(parameters), "parameters");
            }
        }
        CheckRanges(value, declaration, call, given);
        return value;
    }

    /// <summary>The declaration named by <paramref name="call"/>, or a mistake naming what it is instead and what would be valid.</summary>
    static Declaration Lookup(CallNode call, ComponentKind kind)
    {
        var wanted = DeclarationKindOf(kind);
        var found = GraphSslCatalog.All.Where(d => string.Equals(d.Name, call.Name, StringComparison.OrdinalIgnoreCase)).ToList();
        var match = found.FirstOrDefault(d => d.Kind == wanted);
        if (match is not null) return match;
        if (found.Count > 0)
            throw new ExpressionException($"{found[0].Name} is {Article(found[0].Kind)}, but {Article(kind)} is expected here", call.NameSpan, Names(kind));
        if (kind != ComponentKind.View && ViewCombinators.Contains(call.Name, StringComparer.OrdinalIgnoreCase))
            throw new ExpressionException($"{call.Name} combines views, but {Article(kind)} is expected here", call.NameSpan, Names(kind));
        throw new ExpressionException($"no {Noun(kind)} named '{call.Name}'{Suggest(call.Name, Names(kind))}", call.NameSpan, Names(kind));
    }

    /// <summary>The invariant text of a scalar argument, checked against the parameter's type.</summary>
    static string Scalar(Node node, HyperParameter parameter, IDeclared owner)
    {
        var bare = node as CallNode is { HasParentheses: false } c ? c.Name : null;
        switch (parameter.Type)
        {
            case "double" or "float":
                if (node is NumberNode d) return d.Text;
                throw new ExpressionException($"{parameter.Name} is a number ({parameter.Type}), not '{Describe(node)}'", node.Span);
            case "int" or "long":
                if (node is NumberNode i && long.TryParse(i.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                    && (parameter.Type == "long" || whole is >= int.MinValue and <= int.MaxValue))
                    return i.Text;
                throw new ExpressionException($"{parameter.Name} is a whole number ({parameter.Type}), not '{Describe(node)}'", node.Span);
            case "bool":
                if (bare is not null && bool.TryParse(bare, out var flag)) return flag ? "true" : "false";
                throw new ExpressionException($"{parameter.Name} is true or false, not '{Describe(node)}'", node.Span, ["true", "false"]);
            default:
                var type = owner.GetType().GetProperty(parameter.Name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
                var names = type is { IsEnum: true } ? Enum.GetNames(type) : Array.Empty<string>();
                var name = bare is null ? null : names.FirstOrDefault(n => string.Equals(n, bare, StringComparison.OrdinalIgnoreCase));
                if (name is not null) return name;
                if (names.Length == 0 && bare is not null) return bare;
                throw new ExpressionException($"{parameter.Name} is one of the {parameter.Type} names, not '{Describe(node)}'", node.Span, names);
        }
    }

    /// <summary>
    /// Ranges, from the declaration's own checks: its generated <c>Validate()</c> (objectives and your own views, from
    /// <c>[Hyper]</c>), else the runtime's (an augmentation step applied to a one-graph batch, an encoder module built
    /// for two features: the checks <c>Augment.*</c> and the encoder modules make when training). A failure is placed
    /// under the argument it names.
    /// </summary>
    static void CheckRanges(IDeclared value, Declaration declaration, CallNode call, Dictionary<string, Argument> given)
    {
        try
        {
            var validate = value.GetType().GetMethod("Validate", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
            if (validate is not null) validate.Invoke(value, null);
            else if (value is IAugmentation augmentation) Probe(augmentation);
            else if (value is IGraphEncoder encoder) Probe(encoder);
        }
        catch (Exception e) when ((e is TargetInvocationException t ? t.InnerException : e) is ArgumentException a)
        {
            var argument = a.ParamName is null ? null
                : given.FirstOrDefault(g => string.Equals(g.Key, a.ParamName, StringComparison.OrdinalIgnoreCase)).Value;
            var parameter = argument is null ? null : declaration.Defaults.First(p => string.Equals(p.Name, a.ParamName, StringComparison.OrdinalIgnoreCase)).Name;
            var what = parameter is null ? $"{declaration.Name}: {Clean(a)}" : $"{parameter} of {declaration.Name} is out of range: {Clean(a)}";
            throw new ExpressionException(what, argument?.Value.Span ?? call.Span, Signature(declaration.Defaults), "parameters");
        }
    }

    static void Probe(IAugmentation augmentation)
    {
        using var scope = torch.NewDisposeScope();
        var batch = new GraphBatch(torch.ones(3, 2), torch.tensor(new long[,] { { 0, 1, 1, 2 }, { 1, 0, 2, 1 } }), torch.zeros(3, torch.int64), 1);
        augmentation.Apply(batch, new torch.Generator(0, torch.CPU));
    }

    static void Probe(IGraphEncoder encoder)
    {
        using var module = encoder.CreateModule(2);
    }

    static string Clean(ArgumentException e)
    {
        var message = e.Message;
        if (e.ParamName is not null) message = message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
        var newline = message.IndexOf('\n');
        if (newline >= 0) message = message[..newline].TrimEnd();
        if (e is ArgumentOutOfRangeException { ActualValue: { } actual })
            message = message.TrimEnd('.') + $", was {Convert.ToString(actual, CultureInfo.InvariantCulture)}";
        return message.TrimEnd('.');
    }

    static string Describe(Node node) => node switch
    {
        NumberNode n => n.Text,
        CallNode { HasParentheses: false } c => c.Name,
        CallNode c => c.Name + "(…)",
        _ => "a + b",
    };

    static bool IsGraphView(string name)
    {
        if (ViewCombinators.Contains(name)) return true;
        var declaration = GraphSslCatalog.All.First(d => d.Kind == DeclarationKind.Augmentation && d.Name == name);
        return declaration.Create(Array.Empty<object>()) is IAugmentation;
    }

    /// <summary>The names an expression of <paramref name="kind"/> may call, sorted.</summary>
    public static IReadOnlyList<string> Names(ComponentKind kind)
    {
        var names = GraphSslCatalog.All.Where(d => d.Kind == DeclarationKindOf(kind)).Select(d => d.Name);
        if (kind == ComponentKind.View) names = names.Concat(ViewCombinators);
        return names.Distinct().OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
    }

    static IReadOnlyList<string> Signature(IReadOnlyList<HyperParameter> parameters)
        => parameters.Select(p => $"{p.Name}: {p.Type} = {p.Value}").ToList();

    static string Suggest(string name, IEnumerable<string> candidates)
    {
        var best = candidates.Select(c => (Name: c, Distance: Distance(name.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(1, name.Length / 3)).OrderBy(c => c.Distance).FirstOrDefault();
        return best.Name is null ? "" : $" (did you mean {best.Name}?)";
    }

    static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int previous = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return row[b.Length];
    }

    static DeclarationKind DeclarationKindOf(ComponentKind kind) => kind switch
    {
        ComponentKind.Encoder => DeclarationKind.Encoder,
        ComponentKind.View => DeclarationKind.Augmentation,
        _ => DeclarationKind.Objective,
    };

    static string Noun(ComponentKind kind) => kind.ToString().ToLowerInvariant();

    static string Article(ComponentKind kind) => kind == ComponentKind.Encoder || kind == ComponentKind.Objective ? "an " + Noun(kind) : "a " + Noun(kind);

    static string Article(DeclarationKind kind) => kind switch
    {
        DeclarationKind.Augmentation => "a view",
        DeclarationKind.Encoder => "an encoder",
        DeclarationKind.Objective => "an objective",
        DeclarationKind.Model => "a model",
        _ => "a layer",
    };
}
