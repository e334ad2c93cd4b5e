using System.CommandLine;
using System.Text.Json;
using GraphSSL.Generated;
using Spectre.Console;
using GraphSSL.Cli.Options;
using GraphSSL.Cli.Output;
using GraphSSL.Cli.Pipeline;

namespace GraphSSL.Cli.Commands;

/// <summary><c>graphssl list</c>: every encoder, augmentation and model declared in this tool.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("list", "List every declared encoder, augmentation and model, with objective and hyperparameters (from the generated catalog).");
        command.Options.Add(json);
        command.SetAction(parse => Cli.Guard(() => Run(parse.GetValue(json))));
        return command;
    }

    static int Run(bool json)
    {
        var all = GraphSslCatalog.All;
        if (json)
        {
            var doc = all.Select(d => new
            {
                d.Name,
                d.FullName,
                Kind = d.Kind.ToString().ToLowerInvariant(),
                d.Attributes,
                d.Objective,
                d.Components,
                HyperParameters = d.Defaults.Select(h => new { h.Name, h.Type, Default = h.Value, h.Attribute }),
            });
            Console.WriteLine(JsonSerializer.Serialize(doc, Cli.Json));
            return Cli.Ok;
        }

        foreach (var kind in new[] { DeclarationKind.Model, DeclarationKind.Encoder, DeclarationKind.Augmentation, DeclarationKind.Objective, DeclarationKind.Layer })
        {
            var table = new Table().Title($"[bold]{kind}s[/]").AddColumn("name").AddColumn("declaration").AddColumn("hyperparameters (defaults)");
            if (kind == DeclarationKind.Model) table.AddColumn("components");
            foreach (var d in all.Where(d => d.Kind == kind))
            {
                var hp = string.Join(", ", d.Defaults.Select(h => $"{h.Name} = {h.Value}"));
                var cells = new List<string> { Markup.Escape(d.Name), Markup.Escape(d.Attributes), Markup.Escape(hp) };
                if (kind == DeclarationKind.Model) cells.Add(Markup.Escape(string.Join(", ", d.Components)));
                table.AddRow(cells.ToArray());
            }
            AnsiConsole.Write(table);
        }
        return Cli.Ok;
    }
}
