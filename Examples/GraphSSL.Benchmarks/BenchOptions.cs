using System.Globalization;

namespace GraphSSL.Benchmarks;

/// <summary>Command-line options of graphssl-bench.</summary>
public sealed record BenchOptions
{
    /// <summary>Fewer cases and epochs (MUTAG only); finishes in well under two minutes on 2 cores.</summary>
    public bool Quick { get; init; }
    /// <summary>Print a per-phase breakdown of one training step instead of benchmarking.</summary>
    public bool Profile { get; init; }
    /// <summary>Alternate the generated trainer and the host baseline (scratch comparison, wall and CPU time).</summary>
    public bool Ab { get; init; }
    /// <summary>Alternate 1 and 2 intra-op threads on the generated SimCLR trainer (scratch comparison).</summary>
    public bool ThreadCheck { get; init; }
    /// <summary>Time the standard-protocol evaluation (old and new path) on untrained-GIN embeddings of <see cref="ProfileDataset"/>.</summary>
    public bool Eval { get; init; }
    /// <summary>Seed of the --eval folds.</summary>
    public int EvalSeed { get; init; }
    /// <summary>--eval: a GraphSSL.Runtime.dll of the baseline commit to time beside the current code.</summary>
    public string? EvalBaseline { get; init; }
    /// <summary>--eval: alternated rounds (baseline, current).</summary>
    public int EvalRounds { get; init; } = 1;
    /// <summary>Alternate libtorch ops and the C# CSR kernel for GIN's aggregation (generated SimCLR trainer).</summary>
    public bool KernelCheck { get; init; }
    /// <summary>Python of the PyG peer (../shared/bench/README.md); null: no peer comparison.</summary>
    public string? Peer { get; init; }
    /// <summary>The peer script; null: ../shared/bench/peer_pyg.py beside the repository.</summary>
    public string? PeerScript { get; init; }
    /// <summary>Only the peer comparison (no cases, no generator timing).</summary>
    public bool PeerOnly { get; init; }
    /// <summary>Internal: the child process of --thread-check (variant name).</summary>
    public string? ThreadChild { get; init; }
    /// <summary>Rounds of --thread-check.</summary>
    public int Rounds { get; init; } = 3;
    /// <summary>Busy-loop processes --thread-check runs alongside (0: none).</summary>
    public int Busy { get; init; }
    /// <summary>Show usage.</summary>
    public bool Help { get; init; }
    /// <summary>JSON output path.</summary>
    public string Out { get; init; } = "bench.json";
    /// <summary>Folder holding MUTAG/, PROTEINS/, NCI1/; default ../shared/datasets/TU beside the repository.</summary>
    public string? DataDir { get; init; }
    /// <summary>Intra-op threads; null leaves TorchSharp's default.</summary>
    public int? Threads { get; init; }
    /// <summary>Device string.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>Graphs per batch.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Epochs of the generated trainer per case (the first is dropped as warm-up); null: mode default.</summary>
    public int? Epochs { get; init; }
    /// <summary>Epochs of the host baseline per case (the first is dropped); null: mode default.</summary>
    public int? BaselineEpochs { get; init; }
    /// <summary>Dataset for --profile.</summary>
    public string ProfileDataset { get; init; } = "NCI1";
    /// <summary>GIN width for --profile.</summary>
    public int ProfileHidden { get; init; } = 64;

    /// <summary>Usage text.</summary>
    public const string Usage = """
        graphssl-bench [--quick] [--out FILE] [--data-dir DIR] [--threads N] [--device cpu|cuda|auto]
                       [--batch-size N] [--epochs N] [--baseline-epochs N]
        graphssl-bench … --peer PYTHON [--peer-script FILE] [--peer-only] [--dataset NCI1] [--hidden 64] [--rounds N] [--epochs N] [--threads N]
            (ours and the PyG peer alternated, GIN 3 × hidden, both and the ratio into the JSON's "peer" section)
        graphssl-bench --profile [--dataset NAME] [--hidden N] [--threads N]
        graphssl-bench --ab [--dataset NAME] [--hidden N] [--threads N]
        graphssl-bench --eval [--dataset NAME] [--threads N] [--seed S] [--baseline OLD/GraphSSL.Runtime.dll] [--rounds N]
        graphssl-bench --kernel-check [--dataset NAME] [--hidden N] [--epochs N] [--rounds N] [--threads N]
            (libtorch ops vs the C# kernels: CSR aggregation, + batch norm, + fused Adam; alternated in one process)
        graphssl-bench --thread-check [--dataset NAME] [--hidden N] [--epochs N] [--rounds N] [--busy N]
            (child processes alternated: 1 thread, 2 threads with libgomp's own wait policy, 2 threads PASSIVE;
             --busy N runs N busy-loop processes meanwhile)
        """;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> on a bad argument.</summary>
    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v : throw new ArgumentException($"{args[i - 1]} needs a positive integer.");
            o = args[i] switch
            {
                "--quick" => o with { Quick = true },
                "--profile" => o with { Profile = true },
                "--ab" => o with { Ab = true },
                "--thread-check" => o with { ThreadCheck = true },
                "--eval" => o with { Eval = true },
                "--baseline" => o with { EvalBaseline = Next() },
                "--seed" => o with { EvalSeed = int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s >= 0 ? s : throw new ArgumentException("--seed needs a non-negative integer.") },
                "--peer" => o with { Peer = Next() },
                "--peer-script" => o with { PeerScript = Next() },
                "--peer-only" => o with { PeerOnly = true },
                "--kernel-check" => o with { KernelCheck = true },
                "--thread-child" => o with { ThreadChild = Next() },
                "--rounds" => NextInt() is var rounds ? o with { Rounds = rounds, EvalRounds = rounds } : o,
                "--busy" => o with { Busy = int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var b) && b >= 0 ? b : throw new ArgumentException("--busy needs a non-negative integer.") },
                "--help" or "-h" => o with { Help = true },
                "--out" => o with { Out = Next() },
                "--data-dir" => o with { DataDir = Next() },
                "--threads" => o with { Threads = NextInt() },
                "--device" => o with { Device = Next() },
                "--batch-size" => o with { BatchSize = NextInt() },
                "--epochs" => o with { Epochs = NextInt() },
                "--baseline-epochs" => o with { BaselineEpochs = NextInt() },
                "--dataset" => o with { ProfileDataset = Next() },
                "--hidden" => o with { ProfileHidden = NextInt() },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }
        return o;
    }
}
