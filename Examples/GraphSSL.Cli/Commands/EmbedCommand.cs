using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GraphSSL.Generated;
using TorchSharp;
using GraphSSL.Cli.Options;
using GraphSSL.Cli.Output;
using GraphSSL.Cli.Pipeline;
using GraphSSL.Training;

namespace GraphSSL.Cli.Commands;

/// <summary>
/// <c>graphssl embed</c>: load an encoder saved by <c>train</c> (<c>encoder.gssl</c>) and write the embeddings of a
/// dataset exactly as <c>train</c> does (embeddings.csv, embeddings.npy, labels.npy), for <c>evaluate</c> or numpy.
/// </summary>
public static class EmbedCommand
{
    public static Command Create()
    {
        var encoder = new Option<string>("--encoder") { Description = "Encoder file written by `graphssl train` (<out>/encoder.gssl).", Required = true };
        var dataset = CommonOptions.Dataset("synthetic");
        var dataDir = CommonOptions.DataDir();
        var outDir = CommonOptions.Out("Output folder for embeddings.csv, embeddings.npy, labels.npy and embed.json.", required: true);
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var batch = new Option<int>("--batch", "-b") { Description = "Graphs per embedding batch (does not change the result).", DefaultValueFactory = _ => 512 };
        var json = CommonOptions.Json();

        var command = new Command("embed", "Embed a dataset with an encoder saved by `graphssl train`; write embeddings.csv, embeddings.npy, labels.npy and embed.json. " +
                                           "The dataset must have the node-feature layout the encoder was trained on.");
        foreach (var option in new Option[] { encoder, dataset, dataDir, outDir, device, threads, batch, json })
            command.Options.Add(option);
        command.SetAction(parse => Cli.Guard(() => Run(parse.GetValue(encoder)!, parse.GetValue(dataset)!, parse.GetValue(dataDir), parse.GetValue(outDir)!,
            parse.GetValue(device)!, parse.GetValue(threads), parse.GetValue(batch), parse.GetValue(json))));
        return command;
    }

    /// <summary>What <c>embed.json</c> holds (and <c>embed --json</c> prints).</summary>
    public sealed record EmbedSummary(string Tool, string EncoderFile, EncoderManifest Encoder, string Dataset, int Graphs, int EmbeddingDim, double Seconds, string Out);

    static int Run(string encoderPath, string dataset, string? dataDir, string outDir, string device, int? threads, int batch, bool json)
    {
        if (threads is < 1) throw new UserErrorException($"--threads must be ≥ 1, was {threads}.");
        if (batch < 1) throw new UserErrorException($"--batch must be ≥ 1, was {batch}.");
        var log = json ? TextWriter.Null : Console.Error;
        // Verify the file (checksums, version) before touching the dataset: a corrupted file is reported first.
        var manifest = SavedEncoder.ReadManifest(encoderPath);
        var data = Cli.LoadDataset(dataset, dataDir);
        manifest.CheckFeatureLayout(data, encoderPath);
        if (threads is int t) torch.set_num_threads(t);

        var clock = Stopwatch.StartNew();
        using var trained = TrainedEncoder.Load(encoderPath, GraphSslCatalog.All, device);
        log.WriteLine($"{manifest.Encoder} ({string.Join(", ", manifest.HyperParameters.Select(h => $"{h.Name}={h.Value}"))}) trained on {manifest.Dataset}" +
                      (manifest.Model is null ? "" : $" by {manifest.Model}") + $", {manifest.Library}; embedding {data.Name}: {data.GraphCount} graphs, {data.FeatureDim} features.");
        var files = new RunFiles(outDir);
        using var tensor = trained.Embed(data, batch);
        var embeddings = files.WriteEmbeddings(data, tensor);
        var summary = new EmbedSummary(
            Tool: "graphssl " + typeof(EmbedCommand).Assembly.GetName().Version?.ToString(3),
            EncoderFile: Path.GetFullPath(encoderPath),
            Encoder: manifest,
            Dataset: data.Name,
            Graphs: data.GraphCount,
            EmbeddingDim: embeddings.GetLength(1),
            Seconds: clock.Elapsed.TotalSeconds,
            Out: files.Directory);
        files.WriteJson("embed.json", summary);

        if (json)
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(summary, Cli.Json));
        else
            Console.WriteLine($"Embedded {data.GraphCount} graphs of {data.Name} ({summary.EmbeddingDim} dims) in {summary.Seconds.ToString("0.00", CultureInfo.InvariantCulture)} s; " +
                              $"wrote {Path.Combine(files.Directory, "embeddings.csv")}, embeddings.npy, labels.npy, embed.json");
        return Cli.Ok;
    }
}
