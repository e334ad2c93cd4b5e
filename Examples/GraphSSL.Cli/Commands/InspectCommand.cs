using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using GraphSSL.Cli.Options;
using GraphSSL.Cli.Output;
using GraphSSL.Cli.Pipeline;
using GraphSSL.Data;

namespace GraphSSL.Cli.Commands;

/// <summary>
/// <c>graphssl inspect</c>: what a dataset holds — a graph-classification dataset (TU, synthetic) or a
/// node-classification one (Planetoid: Cora, CiteSeer, PubMed), whose split sizes it shows too.
/// </summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var dataset = CommonOptions.Dataset("synthetic");
        var dataDir = CommonOptions.DataDir();
        var json = CommonOptions.Json();
        var command = new Command("inspect", "Show a dataset's graphs, nodes, edges, classes, feature dimension and label histogram; for Cora, CiteSeer or PubMed (node classification) also isolated nodes and the train/validation/test split.");
        command.Options.Add(dataset);
        command.Options.Add(dataDir);
        command.Options.Add(json);
        command.SetAction(parse => Cli.Guard(() => Run(parse.GetValue(dataset)!, parse.GetValue(dataDir), parse.GetValue(json))));
        return command;
    }

    static int Run(string dataset, string? dataDir, bool json)
    {
        if (DatasetResolver.IsNodeDataset(dataset))
        {
            var nodes = Cli.LoadNodeDataset(dataset, dataDir);
            return Print(nodes.Name, nodes.Describe(), json);
        }
        var data = Cli.LoadDataset(dataset, dataDir);
        return Print(data.Name, data.Describe(), json);
    }

    static int Print<TStats>(string name, TStats stats, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(stats, Cli.Json));
            return Cli.Ok;
        }
        var grid = new Grid().AddColumn().AddColumn();
        foreach (var property in typeof(TStats).GetProperties())
        {
            var value = property.GetValue(stats);
            var text = value switch
            {
                System.Collections.IDictionary dict => string.Join(", ", dict.Keys.Cast<object>().Select(k => $"{k}: {dict[k]}")),
                System.Collections.IEnumerable list and not string => string.Join("; ", list.Cast<object>()),
                double d => d.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
                _ => value?.ToString() ?? "",
            };
            grid.AddRow(Markup.Escape(property.Name), Markup.Escape(text));
        }
        AnsiConsole.Write(new Panel(grid).Header($"[bold]{Markup.Escape(name)}[/]"));
        return Cli.Ok;
    }
}
