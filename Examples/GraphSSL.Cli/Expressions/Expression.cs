using System.Globalization;
using System.Text;

namespace GraphSSL.Cli.Expressions;

/// <summary>A span of the expression text: where a token or node starts and how long it is.</summary>
public readonly record struct Span(int Start, int Length)
{
    public int End => Start + Length;
    public static Span Cover(Span a, Span b) => new(a.Start, Math.Max(a.End, b.End) - a.Start);
}

/// <summary>A node of a parsed expression.</summary>
public abstract record Node(Span Span);

/// <summary>A number as written (invariant culture), e.g. <c>0.2</c>, <c>-1e-3</c>, <c>64</c>.</summary>
public sealed record NumberNode(string Text, Span Span) : Node(Span);

/// <summary>A name, with or without an argument list: <c>Gin</c>, <c>true</c>, <c>Zero</c>, <c>NodeDropping(0.2)</c>.</summary>
public sealed record CallNode(string Name, Span NameSpan, IReadOnlyList<Argument>? Arguments, Span Span) : Node(Span)
{
    public bool HasParentheses => Arguments is not null;
}

/// <summary><c>a + b + …</c>: views applied one after another (Compose).</summary>
public sealed record SumNode(IReadOnlyList<Node> Terms, IReadOnlyList<Span> Plus, Span Span) : Node(Span);

/// <summary>One argument: positional (<see cref="Name"/> null) or <c>Name = value</c>.</summary>
public sealed record Argument(string? Name, Span NameSpan, Node Value)
{
    public Span Span => Name is null ? Value.Span : Span.Cover(NameSpan, Value.Span);
}

/// <summary>A mistake in an expression: what is wrong, where (a caret under the span) and what would be valid.</summary>
public sealed class ExpressionException(string message, Span span, IReadOnlyList<string>? valid = null, string label = "valid") : Exception(message)
{
    /// <summary>What <see cref="Valid"/> lists: "valid" names, or the "parameters" of the call.</summary>
    public string Label { get; } = label;

    public Span Span { get; } = span;
    public IReadOnlyList<string> Valid { get; } = valid ?? Array.Empty<string>();

    /// <summary>The message as the tool prints it: the option, the expression, a caret line and the valid names.</summary>
    public string Render(string option, string text)
    {
        var builder = new StringBuilder();
        builder.Append(option).Append(": ").Append(Message).Append('\n');
        builder.Append("  ").Append(text).Append('\n');
        var start = Math.Clamp(Span.Start, 0, text.Length);
        var length = Math.Max(1, Math.Min(Span.Length, Math.Max(1, text.Length - start)));
        builder.Append("  ").Append(' ', start).Append('^', length);
        if (Valid.Count > 0) builder.Append('\n').Append("  ").Append(Label).Append(": ").Append(string.Join(", ", Valid));
        return builder.ToString();
    }
}

/// <summary>
/// The expression grammar (whitespace between tokens is free):
/// <code>
/// expression := term ('+' term)*
/// term       := number | name ['(' [argument (',' argument)*] ')']
/// argument   := [name '='] expression
/// number     := ['-'] digits ['.' digits] [('e'|'E') ['+'|'-'] digits]
/// name       := letter (letter | digit | '_')*
/// </code>
/// </summary>
public static class ExpressionParser
{
    enum Kind { Name, Number, Open, Close, Comma, Equals, Plus, End }

    readonly record struct Token(Kind Kind, string Text, Span Span);

    /// <summary>Parses <paramref name="text"/>; <see cref="ExpressionException"/> for any syntax mistake.</summary>
    public static Node Parse(string text)
    {
        var tokens = Lex(text);
        int position = 0;
        if (tokens[0].Kind == Kind.End) throw new ExpressionException("the expression is empty", new Span(0, Math.Max(1, text.Length)));
        var node = ParseExpression(tokens, ref position);
        var next = tokens[position];
        if (next.Kind != Kind.End)
            throw new ExpressionException(
                next.Kind == Kind.Close ? "')' without a matching '('" : $"unexpected '{next.Text}' after a complete expression",
                new Span(next.Span.Start, text.Length - next.Span.Start));
        return node;
    }

    static Node ParseExpression(List<Token> tokens, ref int position)
    {
        var first = ParseTerm(tokens, ref position);
        if (tokens[position].Kind != Kind.Plus) return first;
        var terms = new List<Node> { first };
        var plus = new List<Span>();
        while (tokens[position].Kind == Kind.Plus)
        {
            plus.Add(tokens[position].Span);
            position++;
            terms.Add(ParseTerm(tokens, ref position));
        }
        return new SumNode(terms, plus, Span.Cover(first.Span, terms[^1].Span));
    }

    static Node ParseTerm(List<Token> tokens, ref int position)
    {
        var token = tokens[position];
        switch (token.Kind)
        {
            case Kind.Number:
                position++;
                return new NumberNode(token.Text, token.Span);
            case Kind.Name:
                position++;
                if (tokens[position].Kind != Kind.Open) return new CallNode(token.Text, token.Span, null, token.Span);
                var open = tokens[position++];
                var arguments = new List<Argument>();
                if (tokens[position].Kind == Kind.Close)
                {
                    var close = tokens[position++];
                    return new CallNode(token.Text, token.Span, arguments, Span.Cover(token.Span, close.Span));
                }
                while (true)
                {
                    arguments.Add(ParseArgument(tokens, ref position));
                    var next = tokens[position];
                    if (next.Kind == Kind.Comma) { position++; continue; }
                    if (next.Kind == Kind.Close)
                    {
                        position++;
                        return new CallNode(token.Text, token.Span, arguments, Span.Cover(token.Span, next.Span));
                    }
                    if (next.Kind == Kind.End)
                        throw new ExpressionException($"missing ')' to close the '(' of {token.Text}", open.Span);
                    throw new ExpressionException($"expected ',' or ')' in the arguments of {token.Text}, found '{next.Text}'", next.Span);
                }
            case Kind.End:
                throw new ExpressionException("the expression ends where a name or a number was expected", token.Span with { Length = 1 });
            default:
                throw new ExpressionException($"expected a name or a number, found '{token.Text}'", token.Span);
        }
    }

    static Argument ParseArgument(List<Token> tokens, ref int position)
    {
        if (tokens[position].Kind == Kind.Name && tokens[position + 1].Kind == Kind.Equals)
        {
            var name = tokens[position];
            position += 2;
            return new Argument(name.Text, name.Span, ParseExpression(tokens, ref position));
        }
        return new Argument(null, default, ParseExpression(tokens, ref position));
    }

    static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            int start = i;
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new Token(Kind.Name, text[start..i], new Span(start, i - start)));
                continue;
            }
            if (char.IsAsciiDigit(c) || ((c == '-' || c == '.') && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || text[i + 1] == '.')))
            {
                if (c == '-') i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
                if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
                {
                    int e = i + 1;
                    if (e < text.Length && (text[e] == '+' || text[e] == '-')) e++;
                    if (e < text.Length && char.IsAsciiDigit(text[e]))
                    {
                        i = e;
                        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                    }
                }
                var number = text[start..i];
                if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    throw new ExpressionException($"'{number}' is not a number", new Span(start, i - start));
                tokens.Add(new Token(Kind.Number, number, new Span(start, i - start)));
                continue;
            }
            var kind = c switch
            {
                '(' => Kind.Open, ')' => Kind.Close, ',' => Kind.Comma, '=' => Kind.Equals, '+' => Kind.Plus,
                _ => throw new ExpressionException($"'{c}' is not part of the expression language (names, numbers, ( ) , = +)", new Span(start, 1)),
            };
            i++;
            tokens.Add(new Token(kind, c.ToString(), new Span(start, 1)));
        }
        tokens.Add(new Token(Kind.End, "end of expression", new Span(text.Length, 0)));
        return tokens;
    }
}
